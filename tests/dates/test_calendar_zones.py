"""Today, logging, the daily series, plans, adaptation and ICS for an athlete in New York,
across the daylight-saving changes, with the machine's zone set elsewhere."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app
from stridewise.science.screening import BoneInputs, ParqAnswers, Sex, screen
from stridewise.series import load_daily_series
from stridewise.store import open_store

PARQ = ParqAnswers(
    heart_condition_or_high_blood_pressure=False, chest_pain=False, dizziness_or_fainting=False,
    other_chronic_condition=False, medication_for_chronic_condition=False,
    bone_joint_or_soft_tissue_problem=False, told_supervised_activity_only=False,
    age_years=45, used_to_vigorous_effort=False,
)

# (id, instant, the athlete's date in America/New_York, that day's weekday name)
NEW_YORK_DATES = [
    # 01:30 EDT, then 01:30 EST an hour later: the repeated hour on Sunday 1 November 2026.
    ("ny-repeated-hour-1", datetime(2026, 11, 1, 5, 30, tzinfo=UTC), date(2026, 11, 1)),
    ("ny-repeated-hour-2", datetime(2026, 11, 1, 6, 30, tzinfo=UTC), date(2026, 11, 1)),
    # Ten seconds before 02:00 EST jumps to 03:00 EDT on Sunday 14 March 2027.
    ("ny-spring-forward", datetime(2027, 3, 14, 6, 59, 50, tzinfo=UTC), date(2027, 3, 14)),
    # 23:30 on 31 December in New York is already 1 January in UTC.
    ("ny-new-year-eve", datetime(2027, 1, 1, 4, 30, tzinfo=UTC), date(2026, 12, 31)),
    ("ny-month-end", datetime(2027, 3, 1, 4, 59, tzinfo=UTC), date(2027, 2, 28)),
]


@pytest.mark.parametrize(("instant", "local_day"),
                         [pytest.param(*row[1:], id=row[0]) for row in NEW_YORK_DATES])
def test_new_york_athlete_across_the_clock_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instant: datetime, local_day: date
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # the machine's zone must never matter
    time.tzset()
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    runner = CliRunner()
    fixed = clock.FixedClock(instant)
    with clock.use_clock(fixed):
        made = runner.invoke(app, ["profile", "set", "--time-zone", "America/New_York",
                                   "--sex", "male", "--birth-year", "1981", "--db", url])
        assert made.exit_code == 0, made.output
        with open_store(url) as store:
            athlete_id = store.default_athlete_id()
            with store.write_transaction() as tx:
                tx.add_screening(athlete_id, {}, screen(
                    PARQ, BoneInputs(sex=Sex.MALE, age_years=45, body_mass_kg=80.0)).to_dict())
        fixed.advance(timedelta(seconds=-120))  # logged two minutes before the instant
        logged = runner.invoke(app, ["log", "session", "--type", "walk", "--duration", "30",
                                     "--db", url])
        assert logged.exit_code == 0, logged.output
        fixed.set(instant + timedelta(seconds=20))  # across the jump where there is one
        planned = runner.invoke(app, ["plan", "new", "--goal", "start", "--days",
                                      "mon,wed,sat", "--minutes", "45", "--db", url])
        assert planned.exit_code == 0, planned.output
        today = runner.invoke(app, ["today", "--db", url])
        assert today.exit_code == 0, today.output
        assert today.output.startswith(f"Today ({local_day:%A %d %B}):")

        with open_store(url) as store:
            athlete_id = store.default_athlete_id()
            series = load_daily_series(store, athlete_id)
        assert series["date"].iloc[-1] == local_day
        walked = series.loc[series["date"] == local_day, "sessions"]
        assert int(walked.iloc[0]) == 1  # the walk is on the athlete's local day

        checked = runner.invoke(app, ["log", "checkin", "--pain-site", "left shin",
                                      "--pain-score", "5", "--pain-timing", "during",
                                      "--db", url])
        assert checked.exit_code == 0, checked.output

        ics = tmp_path / "plan.ics"
        exported = runner.invoke(app, ["plan", "export", "--ics", str(ics), "--db", url])
        assert exported.exit_code == 0, exported.output
        events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
        live = [e.decoded("DTSTART") for e in events if str(e.get("STATUS")) != "CANCELLED"]
        assert live and min(s.date() for s in live) >= local_day
