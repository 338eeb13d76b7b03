"""Issue 10's follow-ups, each through the core so every face gets it: an ache that reaches a
doctor takes out the impact work; one wording for a pain stop; falls wording; fracture years;
strength doses; age from one place."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app
from stridewise.core.app import Core
from stridewise.plan import persist, service
from stridewise.plan.model import IMPACT_KINDS, RUN_KINDS
from stridewise.science.screening import BoneInputs, ParqAnswers, Sex
from stridewise.store import Store, open_store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday morning in London
MONDAY = date(2026, 11, 30)
STEPPING = ("Step-up", "Supported lunge", "step-ups", "reverse lunges")


def parq(age: int, **yes: bool) -> ParqAnswers:
    answers = {"heart_condition_or_high_blood_pressure": False, "chest_pain": False,
               "dizziness_or_fainting": False, "other_chronic_condition": False,
               "medication_for_chronic_condition": False,
               "bone_joint_or_soft_tissue_problem": False, "told_supervised_activity_only": False}
    return ParqAnswers(**{**answers, **yes}, age_years=age, used_to_vigorous_effort=False)


def screened(url: str, age: int, bone: BoneInputs, at: datetime) -> None:
    with open_store(url) as store:
        athlete_id = store.default_athlete_id()
        with store.write_transaction() as tx:
            tx.update_athlete(athlete_id, sex=bone.sex.value, birth_year=2026 - age,
                              time_zone="Europe/London")
        with clock.use_clock(clock.FixedClock(at)):
            service.record_screening(store, athlete_id, parq(age), bone)


def plan_from(store: Store, day: date) -> list:  # type: ignore[type-arg]
    with store.transaction() as tx:
        loaded = persist.load_plan(tx, store.default_athlete_id())
    assert loaded is not None
    return [s for s in loaded[1].sessions
            if s.active and s.status == "planned" and s.day >= day]


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


@pytest.fixture()
def fixed() -> Iterator[None]:
    with clock.use_clock(clock.FixedClock(NOW)):
        yield


# 2. An ache that reaches a doctor takes out the impact work ---------------------------------

def test_a_lingering_ache_that_needs_a_doctor_takes_runs_hops_and_stepping_out(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    start = NOW - timedelta(days=14)
    screened(url, 45, BoneInputs(sex=Sex.MALE, age_years=45, body_mass_kg=80.0),
             start - timedelta(days=1))
    with clock.use_clock(clock.FixedClock(start)):
        run("plan", "new", "--goal", "start", "--days", "mon,tue,wed,thu,fri,sat", "--db", url)
    for day in range(14):
        with clock.use_clock(clock.FixedClock(start + timedelta(days=day))):
            run("log", "checkin", "--pain-site", "left shin", "--pain-score", "4",
                "--pain-timing", "next_morning", "--db", url)
    day = (start + timedelta(days=13)).date()
    with clock.use_clock(clock.FixedClock(start + timedelta(days=13, hours=2))):
        today = run("today", "--db", url)
        with open_store(url) as store:
            core = Core(store)
            answer = core.advice(core.context())
            future = plan_from(store, day)
    assert "please see a doctor" in today and "No running or impact work today" in today
    assert answer.advice.see_doctor
    assert not [s for s in answer.advice.sessions if s.kind in IMPACT_KINDS]
    assert future, "what spares the shin goes on"
    assert not [s for s in future if s.kind in IMPACT_KINDS or s.kind in RUN_KINDS]
    assert not [e for s in future for e in s.exercises if e.startswith(STEPPING)]


# 3. One voice for a pain stop: the check-in says what Today says --------------------------

OSTEOPENIA = BoneInputs(sex=Sex.FEMALE, age_years=68, body_mass_kg=62.0,
                        femoral_neck_t_score=-1.8)


def test_the_checkin_and_today_say_the_same_pain_stop_sentence(tmp_path: Path,
                                                                fixed: None) -> None:
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    screened(url, 68, OSTEOPENIA, NOW - timedelta(hours=12))
    run("plan", "new", "--goal", "bone", "--days", "mon,tue,wed,thu,fri", "--db", url)
    said = run("log", "checkin", "--pain-site", "left hip", "--pain-score", "6",
               "--pain-timing", "at_night", "--bone-tender", "--db", url)
    with open_store(url) as store:
        core = Core(store)
        warned = [" ".join(w.text.split())
                  for w in core.advice(core.context()).warnings if w.id == "pain"]
    assert len(warned) == 1 and said.count("About your pain:") == 1
    assert f"About your pain: {warned[0]}" in said
    assert "walking for exercise" in warned[0]  # what she does, named


# 7. One place for age: no silent 50 ----------------------------------------------------------

def test_without_a_birth_year_the_plan_uses_the_screened_age_not_50(tmp_path: Path,
                                                                     fixed: None) -> None:
    from stridewise.activity import ManualSession
    from stridewise.plan.templates import RUNNER_STRENGTH_EXERCISES, STRENGTH_EXERCISES

    url = f"sqlite:///{tmp_path / 'sw.db'}"
    with open_store(url) as store:
        athlete_id = store.default_athlete_id()
        with store.write_transaction() as tx:  # no birth year in the profile
            tx.update_athlete(athlete_id, sex="male", time_zone="Europe/London")
            for days_ago in range(3, 40, 3):  # a runner: not a beginner
                tx.add_manual_session(athlete_id, ManualSession(
                    NOW - timedelta(days=days_ago), "run", 1800.0, 5000.0, 5.0))
        with clock.use_clock(clock.FixedClock(NOW - timedelta(hours=12))):
            service.record_screening(store, athlete_id, parq(68),
                                     BoneInputs(sex=Sex.MALE, age_years=68, body_mass_kg=75.0))
        core = Core(store)
        ctx = core.context()
        assert core.age(ctx) == 68
        core.make_plan(ctx, "maintain", [0, 2, 4, 5], 60)
        exercises = {e for s in plan_from(store, MONDAY) for e in s.exercises
                     if s.kind.value == "strength"}
    plain = {e for group in STRENGTH_EXERCISES for e in group}
    runner = {e for group in RUNNER_STRENGTH_EXERCISES for e in group}
    assert exercises and exercises <= plain and not exercises & runner  # 68, not 50
