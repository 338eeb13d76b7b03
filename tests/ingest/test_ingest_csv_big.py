"""Big and old session logs (issue 11, items 3 and 10): rows stream with progress, a row cap
with a clear message, and every value goes through core.validation (typed floor 1950, a
session at most 48 hours and 1,000 km)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from stridewise.errors import CorruptFileError, FileTooLargeError
from stridewise.importer import import_paths
from stridewise.ingest import csvlog
from stridewise.store import Store, open_store


def _log(n: int, first: date = date(1955, 1, 1)) -> bytes:
    """``n`` sessions, four a day from 1955 (100,000 rows end in 2023)."""
    rows = [f"{first + timedelta(days=i // 4)}T{6 + 4 * (i % 4):02d}:00,run,30,5,4,"
            for i in range(n)]
    return ("date,type,duration,distance_km,rpe,notes\n" + "\n".join(rows) + "\n").encode()


def test_a_log_over_100000_rows_is_refused_with_a_clear_message() -> None:
    with pytest.raises(FileTooLargeError) as refused:
        csvlog.read(_log(100_001), source_name="huge.csv")
    assert refused.value.reason == (
        "has more than 100,000 sessions (row 100,002 is one too many); a session log holds "
        "at most 100,000: split it into several files and import them one by one")


def test_progress_is_reported_while_rows_stream() -> None:
    seen: list[int] = []
    sessions = csvlog.read(_log(25_000), source_name="log.csv", progress=seen.append)
    assert len(sessions) == 25_000
    assert seen == [10_000, 20_000]


def test_a_20000_row_log_is_stored_whole_and_once(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(_log(20_000))
    store: Store = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    try:
        athlete = store.default_athlete_id()
        seen: list[tuple[str, int]] = []
        [result] = import_paths(store, [path], athlete_id=athlete,
                                row_progress=lambda name, rows: seen.append((name, rows))).files
        assert result.status == "imported"
        assert len(result.manual_session_ids) == 20_000
        assert len(set(result.manual_session_ids)) == 20_000
        assert seen == [(str(path), 10_000), (str(path), 20_000)]
        # The same log with one more row: only that row is new.
        path.write_bytes(_log(20_001))
        [again] = import_paths(store, [path], athlete_id=athlete).files
        assert len(again.manual_session_ids) == 1
        with store.transaction() as tx:
            assert len(tx.list_manual_sessions(athlete)) == 20_001
    finally:
        store.close()


def test_typed_logs_go_back_to_1950_and_no_further() -> None:
    [old] = csvlog.read(b"date,type,duration\n1950-01-01,walk,30\n", source_name="a.csv")
    assert old.start_time_utc.year == 1950
    with pytest.raises(CorruptFileError, match=r"row 2: date '1949-12-31': the date cannot "
                                               r"be before 1950-01-01"):
        csvlog.read(b"date,type,duration\n1949-12-31,walk,30\n", source_name="a.csv")


def test_a_session_lasts_at_most_48_hours_and_covers_at_most_1000_km() -> None:
    [ultra] = csvlog.read(b"date,type,duration,distance_km\n2024-05-01,run,30:00:00,250\n",
                          source_name="u.csv")
    assert ultra.duration_s == 30 * 3600
    with pytest.raises(CorruptFileError) as refused:
        csvlog.read(b"date,type,duration,distance_km\n2024-05-01,run,49:00:00,1001\n",
                    source_name="u.csv")
    assert ("row 2: duration '49:00:00' is over 48 hours, the most one session can last; "
            "distance 1001 km is outside 0-1000 km, the most one session can cover"
            ) in refused.value.reason
