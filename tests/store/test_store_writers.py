"""Writers serialise (two imports at once store nothing twice), ids are never reused, and
text too long for its column is shortened with a warning instead of failing the file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event

from stridewise.activity import Activity
from stridewise.store import Store, open_store
from stridewise.store import engine as engine_setup

START = datetime(2024, 1, 1, 7, 0, tzinfo=UTC)

_CHILD = """
import sys
from pathlib import Path
from stridewise.importer import import_paths
from stridewise.store import open_store
store = open_store(sys.argv[1], raw_dir=Path(sys.argv[2]))
report = import_paths(store, [sys.argv[3]], athlete_id=store.default_athlete_id(), workers=1)
print(len(report.imported), len(report.duplicates), len(report.failed))
"""


def _gpx(start: datetime, creator: str, n: int = 120) -> bytes:
    points = "".join(
        f'<trkpt lat="{51.5 + i * 3e-5:.7f}" lon="-0.1"><time>'
        f"{(start + timedelta(seconds=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for i in range(n)
    )
    return (f'<?xml version="1.0"?><gpx version="1.1" creator="{creator}" '
            'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
            f"{points}</trkseg></trk></gpx>").encode()


def test_two_imports_at_once_store_nothing_twice(db_url: str, tmp_path: Path) -> None:
    """Two processes import the same 20 runs (different bytes: two apps' exports), plus the
    same identical file, into one database at the same time."""
    folders = []
    for app in ("watch-app", "strava"):
        folder = tmp_path / app
        folder.mkdir()
        for day in range(20):
            (folder / f"run{day:02d}.gpx").write_bytes(_gpx(START + timedelta(days=day), app))
        (folder / "same.gpx").write_bytes(_gpx(START + timedelta(days=40), "same"))
        folders.append(folder)
    raw = tmp_path / "raw"
    with open_store(db_url, raw_dir=raw) as store:
        athlete_id = store.default_athlete_id()
    children = [
        subprocess.Popen([sys.executable, "-c", _CHILD, db_url, str(raw), str(folder)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for folder in folders
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (_out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    counts = [tuple(int(n) for n in out.split()) for out, _ in outputs]
    assert sum(c[0] for c in counts) == 21 and sum(c[1] for c in counts) == 21
    assert all(c[2] == 0 for c in counts)
    with open_store(db_url, raw_dir=raw) as store, store.transaction() as tx:
        starts = Counter(a.start_time_utc for a in tx.list_activities(athlete_id))
    assert len(starts) == 21 and max(starts.values()) == 1


def test_sqlite_write_transactions_take_the_lock_first_and_reads_do_not(
    tmp_path: Path,
) -> None:
    with open_store(f"sqlite:///{tmp_path / 'sw.db'}") as store:
        begins: list[str] = []

        @event.listens_for(store.engine, "before_cursor_execute")
        def seen(conn: object, cursor: object, statement: str, *rest: object) -> None:
            if statement.startswith("BEGIN"):
                begins.append(statement)

        with store.write_transaction() as tx:
            tx.count_activities(1)
        with store.transaction() as tx:
            tx.count_activities(1)
        assert begins == ["BEGIN IMMEDIATE", "BEGIN"]


def test_long_text_is_shortened_with_a_warning(
    store: Store, make_run: Callable[..., Activity]
) -> None:
    run = make_run(START)
    run.name, run.device, run.sub_sport = "x" * 600, "d" * 300, "s" * 40
    athlete_id = store.default_athlete_id()
    with store.write_transaction(athlete_id) as tx:
        row_id = tx.add_activity(athlete_id, run).id
    with store.transaction() as tx:
        row = tx.get_activity(athlete_id, row_id)
        assert row is not None and row.name is not None and row.device is not None
        assert (len(row.name), len(row.device), len(row.sub_sport or "")) == (500, 200, 32)
        assert any("shortened the name from 600 to 500" in w for w in row.warnings)


def test_upgrading_an_0001_database_keeps_rows_and_stops_id_reuse(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    old = engine_setup.make_engine(f"sqlite:///{db}")
    engine_setup.upgrade(old, "0001")
    old.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO athlete (name, resting_hr_estimated, max_hr_estimated, units,"
                     " time_zone, created_at) VALUES ('a', 0, 0, 'km', 'UTC', '2024-01-01')")
        for i in (1, 2):
            conn.execute(
                "INSERT INTO activity (athlete_id, sport, start_time_utc, elapsed_s, moving_s,"
                " n_records, source_format, laps, warnings, created_at) VALUES"
                f" (1, 'run', '2024-01-0{i}', 60, 60, 1, 'fit', '[]', '[]', '2024-01-01')")
            conn.execute("INSERT INTO activity_stream (activity_id, codec, columns, n_records,"
                         f" data) VALUES ({i}, 'x', '[]', 1, x'00')")
    with open_store(f"sqlite:///{db}") as store:
        with store.write_transaction() as tx:
            tx.delete_activity(1, 2)
            assert tx.count_activities(1) == 1
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM activity_stream").fetchone() == (1,)
        conn.execute(
            "INSERT INTO activity (athlete_id, sport, start_time_utc, elapsed_s, moving_s,"
            " n_records, source_format, laps, warnings, created_at) VALUES"
            " (1, 'run', '2024-01-03', 60, 60, 1, 'fit', '[]', '[]', '2024-01-01')")
        assert conn.execute("SELECT max(id) FROM activity").fetchone() == (3,)
