"""Issue 10's numbered cases, each run through the CLI faces (`screen`, `plan new`, `log`,
`today`) on a real store at a fixed time, checking what a person would read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app
from stridewise.plan import persist, service
from stridewise.plan.model import IMPACT_KINDS, SessionKind
from stridewise.science.screening import BoneInputs, ParqAnswers, Sex
from stridewise.store import Store, open_store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday morning in London
MONDAY = date(2026, 11, 30)


def parq(age: int, **yes: bool) -> ParqAnswers:
    answers = {"heart_condition_or_high_blood_pressure": False, "chest_pain": False,
               "dizziness_or_fainting": False, "other_chronic_condition": False,
               "medication_for_chronic_condition": False,
               "bone_joint_or_soft_tissue_problem": False, "told_supervised_activity_only": False}
    return ParqAnswers(**{**answers, **yes}, age_years=age, used_to_vigorous_effort=False)


@pytest.fixture()
def fixed() -> Iterator[None]:
    with clock.use_clock(clock.FixedClock(NOW)):
        yield


def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sw.db'}"


def screened(url: str, age: int, bone: BoneInputs,
             at: datetime = NOW - timedelta(hours=12)) -> None:
    """Screened (by default the evening before), as the person would before planning."""
    with open_store(url) as store:
        athlete_id = store.default_athlete_id()
        with store.write_transaction() as tx:
            tx.update_athlete(athlete_id, sex=bone.sex.value, birth_year=2026 - age,
                              time_zone="Europe/London")
        with clock.use_clock(clock.FixedClock(at)):
            service.record_screening(store, athlete_id, parq(age), bone)


def active_plan(store: Store) -> list:  # type: ignore[type-arg]
    with store.transaction() as tx:
        loaded = persist.load_plan(tx, store.default_athlete_id())
    assert loaded is not None
    return [s for s in loaded[1].sessions if s.active and s.status in ("planned", "done")]


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


# Case 1 ----------------------------------------------------------------------------------------


def test_case1_two_falls_at_80_start_with_balance_and_no_running(tmp_path: Path,
                                                                 fixed: None) -> None:
    url = db(tmp_path)
    screened(url, 80, BoneInputs(sex=Sex.FEMALE, age_years=80, falls_last_12_months=2))
    made = run("plan", "new", "--goal", "start", "--days", "mon,tue,wed,thu,fri", "--db", url)
    with open_store(url) as store:
        sessions = active_plan(store)
    first_day = min(s.day for s in sessions)
    assert first_day == MONDAY
    assert {s.kind for s in sessions if s.day == first_day} <= {SessionKind.BALANCE,
                                                                SessionKind.STRENGTH}
    assert not [s for s in sessions if s.kind in IMPACT_KINDS]  # no run/walk, no impact
    weeks = {(s.day - MONDAY).days // 7 for s in sessions}
    assert len(weeks) >= 12  # the World Falls Guidelines' 12 weeks at least
    for week in weeks:
        in_week = [s for s in sessions if (s.day - MONDAY).days // 7 == week]
        assert sum(s.kind == SessionKind.BALANCE for s in in_week) >= 3
    today = run("today", "--db", url)
    assert today.count("balance-and-strength phase because of your answers about falls") == 1
    # Case 7 on the same person: the goal change is said once, with the reason.
    sentence = ("Your plan is a bone-health plan instead of the 'start' plan you asked for, "
                "because your answers about falls show a high risk of falling")
    assert made.count(sentence) == 1
    assert today.count(sentence) == 1


# Case 3 ----------------------------------------------------------------------------------------

OSTEOPENIA = BoneInputs(sex=Sex.FEMALE, age_years=68, body_mass_kg=62.0,
                        femoral_neck_t_score=-1.8)
LOADING_LEGS = ("Step-up", "Supported lunge", "Carry", "Sit to stand", "Heel raise")


def test_case3_bone_pain_at_night_stops_what_loads_her_hip_and_is_said_once(
        tmp_path: Path, fixed: None) -> None:
    url = db(tmp_path)
    screened(url, 68, OSTEOPENIA)
    run("plan", "new", "--goal", "bone", "--days", "mon,tue,wed,thu,fri", "--db", url)
    logged = run("log", "checkin", "--pain-site", "left hip", "--pain-score", "6",
                 "--pain-timing", "at_night", "--bone-tender", "--db", url)
    assert "running" not in logged
    assert "walking for exercise" in logged
    assert logged.count("sits on one spot of the bone") == 1
    today = run("today", "--db", url)
    assert "running" not in today
    assert today.count("sits on one spot of the bone") == 1
    with open_store(url) as store:
        future = [s for s in active_plan(store) if s.day >= MONDAY]
    assert future, "the plan keeps what spares the hip"
    assert not [s for s in future if s.kind in (SessionKind.WALK, SessionKind.IMPACT,
                                                SessionKind.BALANCE)]
    exercises = [e for s in future for e in s.exercises]
    assert exercises and not [e for e in exercises if e.startswith(LOADING_LEGS)]


# Case 4 ----------------------------------------------------------------------------------------


def test_case4_a_fall_checkin_asks_for_a_rescreen_and_moves_to_the_balance_phase(
        tmp_path: Path, fixed: None) -> None:
    url = db(tmp_path)
    screened(url, 68, OSTEOPENIA)
    run("plan", "new", "--goal", "bone", "--days", "mon,tue,wed,thu,fri", "--db", url)
    logged = run("log", "checkin", "--fell", "--notes", "tripped on kerb", "--db", url)
    assert "did not rate" not in logged and "stop running" not in logged
    assert logged.count("answer the screening questions again") == 1
    assert "balance-and-strength phase" in logged  # the plan change says so
    today = run("today", "--db", url)
    assert "did not rate" not in today
    assert today.count("You logged a fall on 30 November. Please answer the screening "
                       "questions again") == 1
    with open_store(url) as store:
        future = [s for s in active_plan(store) if s.day >= MONDAY]
        assert not [s for s in future if s.kind == SessionKind.IMPACT]
        assert sum(s.kind == SessionKind.BALANCE for s in future
                   if s.day < MONDAY + timedelta(days=7)) >= 3
        # A re-screen with no high-risk answer ends the phase: impact comes back.
        with clock.use_clock(clock.FixedClock(NOW + timedelta(hours=2))):
            service.record_screening(store, store.default_athlete_id(), parq(68), OSTEOPENIA)
        after = [s for s in active_plan(store) if s.day >= MONDAY + timedelta(days=7)]
        assert [s for s in after if s.kind == SessionKind.IMPACT]


# Case 9 ----------------------------------------------------------------------------------------


def test_case9_sessions_logged_today_mark_todays_plan_done(tmp_path: Path, fixed: None) -> None:
    url = db(tmp_path)
    screened(url, 68, OSTEOPENIA)
    run("plan", "new", "--goal", "bone", "--days", "mon,tue,wed,thu,fri", "--minutes", "60",
        "--db", url)
    with open_store(url) as store:
        todays = [s for s in active_plan(store) if s.day == MONDAY]
    kinds = sorted(s.kind.value for s in todays)
    assert kinds and set(kinds) <= {"walk", "strength", "balance"}
    for kind in kinds:  # log each planned session once, as the person did it
        run("log", "session", "--type", kind, "--duration", "20", "--start", "2026-11-30 08:00",
            "--db", url)
    today = run("today", "--db", url)
    assert "Today (Monday 30 November): Done for today" in today
    with open_store(url) as store, store.transaction() as tx:
        athlete_id = store.default_athlete_id()
        loaded = persist.load_plan(tx, athlete_id)
        assert loaded is not None
        rows = [r for r in tx.list_planned_sessions(athlete_id, loaded[0], since=MONDAY,
                                                    until=MONDAY + timedelta(days=1))
                if r.status != "changed"]
    assert sorted(r.status for r in rows) == ["done"] * len(kinds)


def test_case9_one_walk_marks_one_planned_walk_and_a_run_marks_a_run_walk() -> None:
    from stridewise.plan.adapt import match_done
    from stridewise.plan.model import PastSession, PlannedSession

    walk = PlannedSession(MONDAY, "am", SessionKind.WALK, 1800, "walk")
    walk_pm = PlannedSession(MONDAY, "pm", SessionKind.WALK, 1800, "walk")
    run_walk = PlannedSession(MONDAY, "am", SessionKind.RUN_WALK, 1800, "run/walk")
    strength = PlannedSession(MONDAY, "pm", SessionKind.STRENGTH, 1500, "strength")
    one_walk = [PastSession(MONDAY, SessionKind.WALK, 1500.0)]
    assert match_done([walk, walk_pm], one_walk) == [True, False]
    assert match_done([run_walk, strength],
                      [PastSession(MONDAY, SessionKind.EASY_RUN, 1200.0)]) == [True, False]
    assert match_done([walk], [PastSession(MONDAY + timedelta(days=1), SessionKind.WALK,
                                           1500.0)]) == [False]
    assert match_done([run_walk], one_walk) == [False]  # a walk is not a run/walk


# Case 5 ----------------------------------------------------------------------------------------


def test_case5_a_wrist_fracture_this_year_is_recent_without_the_tick(tmp_path: Path,
                                                                      fixed: None) -> None:
    from stridewise.science.fracture_history import FractureSite, fractures_at

    url = db(tmp_path)
    wrist = BoneInputs(sex=Sex.FEMALE, age_years=45,
                       fractures=fractures_at(FractureSite.WRIST, 1, dates=[(2026, None)]))
    assert not wrist.fracture_last_12_months  # left unticked
    screened(url, 45, wrist)
    with open_store(url) as store:
        with store.transaction() as tx:
            stored = tx.list_screenings(store.default_athlete_id())[-1]
        assert stored.result["bone"]["impact_level"] == "up_to_brisk_walking"
        assert "in the last 12 months" in stored.result["bone"]["reasons"][0]
    made = run("plan", "new", "--goal", "start", "--db", url)
    assert "because you broke a bone in the last 12 months" in made


# Case 6 ----------------------------------------------------------------------------------------

#: The useful minimums docs/plans.md states, in minutes.
MINIMUM_MIN = {SessionKind.STRENGTH: 15, SessionKind.BALANCE: 10, SessionKind.WALK: 10,
               SessionKind.IMPACT: 5}


def test_case6_a_bone_plan_keeps_its_doses_every_week(tmp_path: Path, fixed: None) -> None:
    url = db(tmp_path)
    walker = BoneInputs(sex=Sex.FEMALE, age_years=68, body_mass_kg=62.0,
                        femoral_neck_t_score=-1.8, walking_days_per_week=5,
                        walking_minutes_per_day=30)
    screened(url, 68, walker)
    made = run("plan", "new", "--goal", "bone", "--days", "mon,tue,wed,thu,fri", "--db", url)
    assert "Your walks start at about 30 minutes, what you already walk" in made
    with open_store(url) as store:
        sessions = active_plan(store)
    weeks = sorted({(s.day - MONDAY).days // 7 for s in sessions})
    assert len(weeks) == 12
    for week in weeks:
        in_week = [s for s in sessions if (s.day - MONDAY).days // 7 == week]
        assert 2 <= sum(s.kind == SessionKind.STRENGTH for s in in_week) <= 3, week
        assert sum(s.kind == SessionKind.BALANCE for s in in_week) >= 2, week
    for s in sessions:
        assert s.duration_s >= MINIMUM_MIN[s.kind] * 60, (s.day, s.kind, s.duration_s)
        assert "running" not in s.reason.lower(), s.reason
    first_walk = min((s for s in sessions if s.kind == SessionKind.WALK), key=lambda s: s.day)
    assert first_walk.duration_s == 30 * 60


def test_case6_recorded_walks_come_before_the_answer() -> None:
    from stridewise.plan.inputs import walking_baseline
    from stridewise.plan.model import PastSession

    walks = [PastSession(MONDAY - timedelta(days=k), SessionKind.WALK, 40 * 60.0)
             for k in range(1, 15, 2)]  # 7 walks of 40 minutes in the last 2 weeks
    recorded = walking_baseline(walks, MONDAY, days_per_week=5, minutes_per_day=30)
    assert (recorded.minutes_per_walk, recorded.walks_per_week, recorded.source) == (
        40.0, 1.75, "recorded")
    answered = walking_baseline(walks[:3], MONDAY, days_per_week=5, minutes_per_day=30)
    assert (answered.minutes_per_walk, answered.source) == (30.0, "answer")
    assert walking_baseline([], MONDAY).source == "default"


def test_a_recorded_doctors_clearance_ends_a_pain_stop(tmp_path: Path, fixed: None) -> None:
    url = db(tmp_path)
    screened(url, 68, OSTEOPENIA)
    run("plan", "new", "--goal", "bone", "--days", "mon,tue,wed,thu,fri", "--db", url)
    run("log", "checkin", "--pain-site", "left hip", "--pain-score", "6", "--pain-timing",
        "at_night", "--bone-tender", "--at", "2026-11-30 08:00", "--db", url)
    assert "sits on one spot of the bone" in run("today", "--db", url)
    run("log", "checkin", "--doctor-cleared", "--at", "2026-11-30 08:30", "--db", url)
    today = run("today", "--db", url)
    assert "sits on one spot of the bone" not in today
    with open_store(url) as store:
        future = [s for s in active_plan(store) if s.day > MONDAY]
    assert [s for s in future if s.kind == SessionKind.WALK]  # walking is back


# Case 2 ----------------------------------------------------------------------------------------


def test_case2_a_lingering_shin_ache_reaches_a_doctor_by_day_14(tmp_path: Path) -> None:
    url = db(tmp_path)
    start = NOW - timedelta(days=14)
    screened(url, 45, BoneInputs(sex=Sex.MALE, age_years=45, body_mass_kg=80.0),
             at=start - timedelta(days=1))
    with clock.use_clock(clock.FixedClock(start)):
        run("plan", "new", "--goal", "start", "--db", url)
    for day in range(14):  # 4/10 next-morning shin pain every day for 14 days
        at = start + timedelta(days=day)
        with clock.use_clock(clock.FixedClock(at)):
            logged = run("log", "checkin", "--pain-site", "left shin", "--pain-score", "4",
                         "--pain-timing", "next_morning", "--db", url)
        if day < 9:
            assert "please see a doctor" not in logged, day
    assert logged.count("An ache that lasts two weeks needs checking: please see a doctor") == 1
    with clock.use_clock(clock.FixedClock(start + timedelta(days=13, hours=2))):
        today = run("today", "--db", url)
    assert today.count("An ache that lasts two weeks needs checking: please see a doctor") == 1
