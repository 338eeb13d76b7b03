"""`stridewise today` and `stridewise log checkin` give the same safety answers as the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from stridewise.cli import app
from stridewise.plan import service
from stridewise.science.screening import BoneInputs, ParqAnswers, Sex
from stridewise.store import CheckInInput, open_store

PARQ = ParqAnswers(
    heart_condition_or_high_blood_pressure=False, chest_pain=False, dizziness_or_fainting=False,
    other_chronic_condition=False, medication_for_chronic_condition=False,
    bone_joint_or_soft_tissue_problem=False, told_supervised_activity_only=False,
    age_years=45, used_to_vigorous_effort=False,
)
BONE = BoneInputs(sex=Sex.MALE, age_years=45, body_mass_kg=80.0)


def screened_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    with open_store(url, raw_dir=tmp_path / "raw") as store:
        service.record_screening(store, store.default_athlete_id(), PARQ, BONE)
    return url


def test_today_shows_the_pain_warning_without_a_plan(tmp_path: Path) -> None:
    url = screened_db(tmp_path)
    runner = CliRunner()
    logged = runner.invoke(app, ["log", "checkin", "--pain-site", "left shin", "--pain-score",
                                 "4", "--pain-timing", "next_morning", "--db", url])
    assert logged.exit_code == 0, logged.output
    assert "About your pain: Your left shin pain was 4/10 the next morning" in logged.output
    today = runner.invoke(app, ["today", "--db", url])
    assert today.exit_code == 0, today.output
    assert "No plan yet" in today.output
    assert "Warning: Your left shin pain was 4/10 the next morning" in today.output


def test_log_checkin_prints_the_pain_rules_answer_and_the_plan_change(tmp_path: Path) -> None:
    url = screened_db(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["plan", "new", "--db", url]).exit_code == 0
    logged = runner.invoke(app, ["log", "checkin", "--pain-site", "right shin", "--pain-score",
                                 "5", "--pain-timing", "at_rest", "--db", url])
    assert logged.exit_code == 0, logged.output
    text = " ".join(logged.output.split())
    assert "About your pain: Your right shin pain was 5/10 at rest" in text
    assert "Plan changed: Plan re-made from" in text
    # Said once (issue 10): the answer names what to stop; the change only names the site.
    assert text.count("Please stop running") == 1
    assert "sessions that load your right shin are out of the plan" in text
    today = runner.invoke(app, ["today", "--db", url])
    assert "No exercise that loads the painful spot today" in today.output


def test_today_for_a_future_day_gives_advice_without_changing_the_plan(tmp_path: Path) -> None:
    url = screened_db(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["plan", "new", "--db", url]).exit_code == 0
    # Stored without re-planning, so a re-plan is now due.
    with open_store(url, raw_dir=tmp_path / "raw") as store, store.transaction() as tx:
        tx.add_checkin(store.default_athlete_id(), CheckInInput(
            at_utc=datetime.now(UTC), pain_site="left foot", pain_score=4,
            pain_timing="at_night"))
    shown_before = runner.invoke(app, ["plan", "show", "--db", url]).output
    later = (date.today() + timedelta(days=9)).isoformat()
    future = runner.invoke(app, ["today", "--date", later, "--db", url])
    assert future.exit_code == 0, future.output
    assert "Plan changed" not in future.output and "Warning:" in future.output
    assert runner.invoke(app, ["plan", "show", "--db", url]).output == shown_before
    # The real today re-plans.
    assert "Plan changed" in runner.invoke(app, ["today", "--db", url]).output
