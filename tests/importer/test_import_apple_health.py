"""Apple Health export.zip through the importer: workouts, days and sleep stored, an identical
export writes 0 rows, a newer one only what is new, bad exports reported and nothing
half-stored."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from phone_exports import export_text, write_zip
from sqlalchemy import func, select

from stridewise import clock
from stridewise.core.validation import MEASURE_CHECKS
from stridewise.importer import import_paths
from stridewise.store import Store
from stridewise.store import models as m


@pytest.fixture(autouse=True)
def _today():
    with clock.use_clock(clock.FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))):
        yield


def _counts(store: Store) -> tuple[int, int, int]:
    with store.transaction() as tx:
        return tuple(  # type: ignore[return-value]
            tx.session.scalar(select(func.count()).select_from(t))
            for t in (m.Activity, m.DailyMeasure, m.SleepInterval)
        )


def _import(store: Store, path: Path, athlete_id: int):
    return import_paths(store, [path], athlete_id=athlete_id, checks=MEASURE_CHECKS)


def test_zip_imports_workouts_days_and_sleep(store: Store, tmp_path: Path) -> None:
    athlete = store.default_athlete_id()
    truth = write_zip(tmp_path / "export.zip", date(2025, 3, 20), 8)
    report = _import(store, tmp_path / "export.zip", athlete)
    # The routes are joined to their workouts, not imported as GPX activities of their own.
    assert [f.status for f in report.files] == ["imported"]
    assert _counts(store) == (4, 8, 3 * 7 + 7)  # 4 walks; 8 days; 7 nights of 4 intervals
    with store.transaction() as tx:
        days = {d.day: d for d in tx.list_daily_measures(athlete)}
        athlete_row = tx.get_athlete(athlete)
        walks = tx.list_activities(athlete)
    assert days[date(2025, 3, 21)].steps == truth.steps[date(2025, 3, 21)]
    assert days[date(2025, 3, 21)].source == "apple_health"
    assert days[date(2025, 3, 21)].sleep_asleep_s == 7.5 * 3600
    assert all(w.source_format == "apple_health" and w.sport == "walk" for w in walks)
    # The latest day's resting heart rate (55 + 7 % 5) becomes the profile's, from the device.
    assert athlete_row is not None
    assert (athlete_row.resting_hr_bpm, athlete_row.resting_hr_source) == (57, "apple_health")
    warnings = " ".join(report.files[0].warnings)
    assert "refused heart rate records with impossible values: 2" in warnings


def test_identical_export_writes_nothing_and_a_newer_one_only_what_is_new(
        store: Store, tmp_path: Path) -> None:
    athlete = store.default_athlete_id()
    write_zip(tmp_path / "a.zip", date(2025, 3, 20), 6)
    _import(store, tmp_path / "a.zip", athlete)
    before = _counts(store)
    again = _import(store, tmp_path / "a.zip", athlete)
    assert [f.status for f in again.files] == ["duplicate"]
    assert _counts(store) == before
    # A newer export of the same account: the same 6 days plus 2 more (no noise this time,
    # so the bytes differ and the file is parsed).
    write_zip(tmp_path / "b.zip", date(2025, 3, 20), 8, noise=False)
    newer = _import(store, tmp_path / "b.zip", athlete)
    assert newer.files[0].status == "imported"
    assert _counts(store)[0] == before[0] + 1  # one more walk (day 7); the rest matched
    assert _counts(store)[1] == before[1] + 2
    # The same newer export again, unzipped into a folder: nothing new at all.
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        archive.extractall(folder)
    (folder / "apple_health_export" / "export.xml").write_text(
        export_text(date(2025, 3, 20), 8, noise=False)[0] + "\n")
    after = _counts(store)
    last = _import(store, folder, athlete)
    assert [f.status for f in last.files] == ["duplicate"]
    assert last.files[0].reason == "everything in this export is already stored"
    assert _counts(store) == after


def test_a_typed_resting_heart_rate_is_kept(store: Store, tmp_path: Path) -> None:
    athlete = store.default_athlete_id()
    with store.write_transaction(athlete) as tx:
        tx.update_athlete(athlete, resting_hr_bpm=64)
    write_zip(tmp_path / "export.zip", date(2025, 3, 20), 3)
    _import(store, tmp_path / "export.zip", athlete)
    with store.transaction() as tx:
        row = tx.get_athlete(athlete)
    assert row is not None and (row.resting_hr_bpm, row.resting_hr_source) == (64, None)


def test_zip_without_export_xml_is_named_and_routes_still_import(
        store: Store, tmp_path: Path) -> None:
    athlete = store.default_athlete_id()
    write_zip(tmp_path / "export.zip", date(2025, 3, 20), 4, with_xml=False)
    report = _import(store, tmp_path / "export.zip", athlete)
    failed = report.failed
    assert len(failed) == 1 and "no export.xml" in (failed[0].reason or "")
    assert len(report.imported) == 2  # the two routes, as GPX tracks


def test_truncated_export_imports_what_came_before(store: Store, tmp_path: Path) -> None:
    athlete = store.default_athlete_id()
    text, truth = export_text(date(2025, 3, 20), 6, noise=False)
    cut = text.index("2025-03-23 17:05", text.index("HKQuantityTypeIdentifierDistance"))
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as archive:
        archive.writestr("apple_health_export/export.xml", text[:cut])
    report = _import(store, tmp_path / "export.zip", athlete)
    assert report.files[0].status == "imported"
    assert any("could not be read past" in w for w in report.files[0].warnings)
    with store.transaction() as tx:
        days = {d.day: d for d in tx.list_daily_measures(athlete)}
    assert days[date(2025, 3, 22)].steps == truth.steps[date(2025, 3, 22)]
    assert days[date(2025, 3, 23)].walking_distance_m is None


def test_without_the_core_rules_an_export_is_refused_not_stored(
        store: Store, tmp_path: Path) -> None:
    athlete = store.default_athlete_id()
    write_zip(tmp_path / "export.zip", date(2025, 3, 20), 2)
    report = import_paths(store, [tmp_path / "export.zip"], athlete_id=athlete)
    assert report.files[0].status == "failed"
    assert _counts(store) == (0, 0, 0)


def _log_walk(store: Store, athlete: int, at_utc: datetime) -> None:
    from stridewise.activity import ManualSession

    with store.write_transaction(athlete) as tx:
        tx.add_manual_session(athlete, ManualSession(at_utc, "walk", 20 * 60.0))


def _minutes(store: Store, athlete: int) -> dict[str, list[float]]:
    from stridewise.series.frames import load_daily_series

    daily = load_daily_series(store, athlete, start=date(2025, 3, 20),
                              through=date(2025, 3, 27))
    return {c: [round(float(v), 6) for v in daily[c]]
            for c in ("steps_moderate_min", "moderate_min", "who_equivalent_min")}


def test_a_logged_walk_is_not_counted_twice_whatever_the_import_order(tmp_path: Path) -> None:
    """The brisk walk 17:00-17:20 local (UTC+1) on 21 March, in the phone's steps and logged
    by hand: counted once, whether it was logged before or after the export came in; the
    export's own workouts (07:00-07:30 on even days) are taken out of its steps as well."""
    from stridewise.store import open_store

    results = []
    for first in (False, True):
        store = open_store(f"sqlite:///{tmp_path / f'order-{first}.db'}")
        athlete = store.default_athlete_id()
        write_zip(tmp_path / "export.zip", date(2025, 3, 20), 8)
        walk_at = datetime(2025, 3, 21, 16, 0, tzinfo=UTC)
        if first:
            _log_walk(store, athlete, walk_at)
            _import(store, tmp_path / "export.zip", athlete)
        else:
            _import(store, tmp_path / "export.zip", athlete)
            _log_walk(store, athlete, walk_at)
        results.append(_minutes(store, athlete))
        store.close()
    assert results[0] == results[1]
    steps_min = results[0]["steps_moderate_min"]
    # 21 March: the 20 brisk minutes are the logged walk's, not the steps' as well.
    assert steps_min[1] == pytest.approx(0.0)
    # Every other day: only the 17:00 walk from steps (the 07:00 workouts are recorded).
    assert [v for i, v in enumerate(steps_min) if i != 1] == pytest.approx([20.0] * 7)
