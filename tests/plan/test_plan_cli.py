"""The plan commands end to end on a temporary database."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar
from typer.testing import CliRunner

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
    result = screen(PARQ, BoneInputs(sex=Sex.MALE, age_years=45, body_mass_kg=80.0))
    with open_store(url, raw_dir=tmp_path / "raw") as store:
        athlete_id = store.default_athlete_id()
        with store.transaction() as tx:
            tx.add_screening(athlete_id, {}, result.to_dict())
    runner = CliRunner()
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
