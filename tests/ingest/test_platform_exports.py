"""Garmin's account export and Fitbit's Takeout: daily data from the committed fixtures
(tests/fixtures/phone/garmin, .../fitbit; structure in PROVENANCE.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stridewise import clock
from stridewise.core.validation import MEASURE_CHECKS
from stridewise.ingest.exports import platform_in_folder
from stridewise.ingest.platform_exports import read_fitbit, read_garmin

PHONE = Path(__file__).resolve().parents[1] / "fixtures" / "phone"


@pytest.fixture(autouse=True)
def _today():
    with clock.use_clock(clock.FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))):
        yield


def test_garmin_daily_summaries_and_sleep() -> None:
    [source] = platform_in_folder(PHONE / "garmin")
    assert source.kind == "garmin" and len(source.names) == 2
    out = read_garmin(list(source.names), source.route, checks=MEASURE_CHECKS)
    day = out.days[date(2024, 5, 14)]
    assert (day.steps, day.walking_distance_m, day.resting_hr_bpm) == (8234, 6120, 57)
    assert (day.device_moderate_min, day.device_vigorous_min) == (34, 4)
    night = out.days[date(2024, 5, 15)]
    # Asleep = deep + light + REM (7 h); in bed is the 8 h window, never added to it.
    assert night.sleep_asleep_s == 7 * 3600 and night.sleep_in_bed_s == 8 * 3600
    assert night.steps is None and night.resting_hr_bpm is None  # -20 steps, 0 bpm refused
    assert night.walking_distance_m == 5480
    assert out.problems == {"step values that are impossible": 1,
                            "resting heart rate values that are impossible": 1,
                            "days dated before 2007 or in the future": 1}


def test_fitbit_minutes_are_utc_and_dated_in_the_athletes_zone() -> None:
    [source] = platform_in_folder(PHONE / "fitbit")
    assert source.kind == "fitbit" and len(source.names) == 3
    out = read_fitbit(list(source.names), source.route, checks=MEASURE_CHECKS,
                      zone=ZoneInfo("Europe/Berlin"))
    # 07:00-07:03 UTC is the 14th in Berlin; 22:59 and 23:00 UTC are 00:59 and 01:00 on the 15th.
    day = out.days[date(2024, 5, 14)]
    assert day.steps == 105 + 112 + 134 + 40
    assert day.steps_moderate_min == 2 and day.steps_vigorous_min == 1
    assert day.resting_hr_bpm == 58.42
    assert out.days[date(2024, 5, 15)].steps == 30 + 20
    night = out.days[date(2024, 5, 15)]
    assert night.sleep_asleep_s == 420 * 60 and night.sleep_in_bed_s == 480 * 60
    assert night.resting_hr_bpm is None  # Fitbit's 0 for "no reading" is not a value
    assert out.problems == {"step values that are impossible": 1}
    [span] = out.sleep
    assert datetime.fromtimestamp(span.start_utc_s, UTC) == datetime(2024, 5, 14, 20, 40, 30,
                                                                    tzinfo=UTC)


def test_garmin_summaries_give_the_perceived_effort_on_the_cr10_scale() -> None:
    import json

    from stridewise.ingest.exportindex import garmin_metadata

    summary = [{"summarizedActivitiesExport": [
        {"activityId": 1, "name": "Brisk walk", "activityType": {"typeKey": "walking"},
         "directWorkoutRpe": 40},
        {"activityId": 2, "name": "Run", "activityType": "running", "directWorkoutRpe": 250},
        {"activityId": 3, "name": "Hike", "activityType": "hiking"}]}]
    found = garmin_metadata(json.dumps(summary).encode())
    assert (found["id:1"].sport, found["id:1"].rpe) == ("walk", 4.0)
    assert found["id:2"].rpe is None  # 25 on a 0-10 scale is not an effort rating
    assert found["id:3"].rpe is None
