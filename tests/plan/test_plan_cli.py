"""The plan commands end to end on a temporary database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from icalendar import Calendar
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app
from stridewise.science.screening import BoneInputs, ParqAnswers, Sex, screen
from stridewise.store import open_store

PARQ = ParqAnswers(
    heart_condition_or_high_blood_pressure=False, chest_pain=False, dizziness_or_fainting=False,
    other_chronic_condition=False, medication_for_chronic_condition=False,
    bone_joint_or_soft_tissue_problem=False, told_supervised_activity_only=False,
    age_years=45, used_to_vigorous_effort=False,
)


def test_plan_new_show_export_today(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    bone = BoneInputs(sex=Sex.MALE, age_years=45, body_mass_kg=80.0)
    result = screen(PARQ, bone)
    with open_store(url, raw_dir=tmp_path / "raw") as store:
        athlete_id = store.default_athlete_id()
        with store.transaction() as tx:  # the answers hold the age the plan reads
            tx.add_screening(athlete_id, {"parq": PARQ.to_dict(), "bone": bone.to_dict()},
                             result.to_dict())
    runner = CliRunner()
    # The plan starts on the (fixed) today: a start far from today is refused (issue 11).
    with clock.use_clock(clock.FixedClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))):
        made = runner.invoke(app, ["plan", "new", "--goal", "start", "--start", "2026-03-02",
                                   "--days", "mon,wed,fri,sat", "--minutes", "45", "--db", url])
        assert made.exit_code == 0, made.output
        assert "run/walk" in made.output
        shown = runner.invoke(app, ["plan", "show", "--db", url])
        assert shown.exit_code == 0 and "Plan: start" in shown.output
        ics = tmp_path / "plan.ics"
        fit_dir = tmp_path / "fit"
        exported = runner.invoke(app, ["plan", "export", "--ics", str(ics), "--fit", str(fit_dir),
                                       "--db", url])
        assert exported.exit_code == 0, exported.output
        assert Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
        today = runner.invoke(app, ["today", "--date", "2026-03-02", "--db", url])
        assert today.exit_code == 0, today.output
    assert today.output.startswith("Today (Monday 02 March): Run/walk")


def test_export_says_why_a_walking_plan_has_no_fit_workouts(tmp_path: Path) -> None:
    # Osteoporosis with a fracture in the last 12 months: no running, a walking plan.
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    answers = replace(PARQ, age_years=68)
    bone = BoneInputs(sex=Sex.FEMALE, age_years=68, body_mass_kg=55.0,
                      osteoporosis_diagnosed=True, fracture_last_12_months=True)
    result = screen(answers, bone)
    with open_store(url, raw_dir=tmp_path / "raw") as store:
        athlete_id = store.default_athlete_id()
        with store.transaction() as tx:  # the answers hold the age the plan reads
            tx.add_screening(athlete_id, {"parq": answers.to_dict(), "bone": bone.to_dict()},
                             result.to_dict())
    runner = CliRunner()
    with clock.use_clock(clock.FixedClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))):
        made = runner.invoke(app, ["plan", "new", "--goal", "bone", "--start", "2026-03-02",
                                   "--db", url])
        assert made.exit_code == 0, made.output
        assert "brisk walk" in made.output and "run/walk" not in made.output
        exported = runner.invoke(app, ["plan", "export", "--fit", str(tmp_path / "fit"),
                                       "--db", url])
    assert exported.exit_code == 0, exported.output
    assert exported.output.strip() == ("No FIT workouts written: they are made for running "
                                       "sessions only, and this plan has no running sessions "
                                       "from today on.")
    assert list((tmp_path / "fit").iterdir()) == []
