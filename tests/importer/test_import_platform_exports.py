"""Garmin account export and Fitbit Takeout zips through the importer: daily data stored by
(day, source), a re-import writes nothing, and the series takes one source per day."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from stridewise import clock
from stridewise.core.validation import MEASURE_CHECKS
from stridewise.importer import import_paths
from stridewise.store import Store

PHONE = Path(__file__).resolve().parents[1] / "fixtures" / "phone"


@pytest.fixture(autouse=True)
def _today():
    with clock.use_clock(clock.FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))):
        yield


def _zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*.json")):
            archive.write(path, path.relative_to(folder).as_posix())
    return target


def test_garmin_and_fitbit_days_sit_side_by_side(store: Store, tmp_path: Path) -> None:
    athlete = store.default_athlete_id()
    garmin = _zip(PHONE / "garmin", tmp_path / "garmin.zip")
    fitbit = _zip(PHONE / "fitbit", tmp_path / "takeout.zip")
    report = import_paths(store, [garmin, fitbit], athlete_id=athlete, checks=MEASURE_CHECKS)
    assert [f.status for f in report.files] == ["imported", "imported"]
    assert "refused step values that are impossible: 1" in report.files[0].warnings
    with store.transaction() as tx:
        rows = {(r.day, r.source): r for r in tx.list_daily_measures(athlete)}
        profile = tx.get_athlete(athlete)
    assert rows[(date(2024, 5, 14), "garmin")].steps == 8234
    assert rows[(date(2024, 5, 14), "fitbit")].steps == 441  # the athlete lives in UTC
    assert profile is not None and profile.resting_hr_source in ("garmin", "fitbit")
    again = import_paths(store, [garmin, fitbit], athlete_id=athlete, checks=MEASURE_CHECKS)
    assert [f.status for f in again.files] == ["duplicate", "duplicate"]


def test_the_summary_counts_days_of_an_export_without_workouts(store: Store,
                                                                tmp_path: Path) -> None:
    """An export that adds only days is imported, not "imported 0": the one report the CLI
    and the web page show counts its days (and the web row does not call it replaced)."""
    from stridewise.web.imports import report_rows

    athlete = store.default_athlete_id()
    garmin = _zip(PHONE / "garmin", tmp_path / "garmin.zip")
    report = import_paths(store, [garmin], athlete_id=athlete, checks=MEASURE_CHECKS)
    result = report.files[0]
    assert result.days_added > 0 and not result.activity_ids
    assert report.summary_line() == (
        f"imported 1 (0 sessions, {result.days_added} days of daily measures), duplicate 0, "
        "failed 0")
    assert len(report.stored) == 1
    [row] = report_rows(report)
    assert row.status == "imported"
    assert row.detail.startswith(f"{result.days_added} days of daily measures added")
    assert "workout(s) added" not in row.detail
