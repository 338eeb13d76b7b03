"""Manual-session CSV logs: re-importing an edited log adds only its new rows, and times
without a zone are the athlete's local time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from stridewise.importer import import_paths
from stridewise.store import Store

HEADER = "date,type,duration,distance_km\n"
FIRST = "2025-03-10,run,30,5\n2025-03-12,strength,40,\n"


def _sessions(store: Store) -> list[tuple[str, float, float | None]]:
    with store.transaction() as tx:
        return [(m.kind, m.duration_s, m.distance_m)
                for m in tx.list_manual_sessions(store.default_athlete_id())]


def test_an_edited_log_adds_only_its_new_sessions(store: Store, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    athlete_id = store.default_athlete_id()
    log.write_text(HEADER + FIRST)
    import_paths(store, [log], athlete_id=athlete_id)
    log.write_text(HEADER + FIRST + "2025-03-14,run,35,6\n")
    [edited] = import_paths(store, [log], athlete_id=athlete_id).files
    assert edited.status == "imported" and len(edited.manual_session_ids) == 1
    assert "skipped 2 session(s) already stored" in edited.warnings
    assert _sessions(store) == [("run", 1800.0, 5000.0), ("strength", 2400.0, None),
                                ("run", 2100.0, 6000.0)]
    log.write_text(HEADER + "2025-03-12,strength,40,\n")  # a row already stored, alone
    [again] = import_paths(store, [log], athlete_id=athlete_id).files
    assert (again.status, again.reason) == ("duplicate", "every session in it is already stored")
    assert len(_sessions(store)) == 3


def test_two_identical_rows_in_one_log_are_two_sessions(store: Store, tmp_path: Path) -> None:
    log = tmp_path / "walks.csv"
    log.write_text("date,type,duration\n2025-03-10,walk,30\n2025-03-10,walk,30\n")
    [result] = import_paths(store, [log], athlete_id=store.default_athlete_id()).files
    assert len(result.manual_session_ids) == 2


def test_log_times_without_a_zone_are_the_athletes(store: Store, tmp_path: Path) -> None:
    athlete_id = store.default_athlete_id()
    with store.write_transaction() as tx:
        tx.update_athlete(athlete_id, time_zone="America/Los_Angeles")
    log = tmp_path / "log.csv"
    log.write_text("date,type,duration\n2025-03-10 06:30,run,30\n")
    import_paths(store, [log], athlete_id=athlete_id)
    with store.transaction() as tx:
        [session] = tx.list_manual_sessions(athlete_id)
    assert session.start_time_utc == datetime(2025, 3, 10, 13, 30, tzinfo=UTC)
