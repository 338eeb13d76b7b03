"""Every emitted plan passes every guard: the named people, then hypothesis over random ones
(histories with continuous runs and run/walk sessions of random bout lengths)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stridewise.plan.engine import build_plan
from stridewise.plan.examples import PEOPLE, inputs_for
from stridewise.plan.guards import GuardSettings, check_plan, longest_run_s
from stridewise.plan.inputs import PlanInputs, PlanUnavailableError, ScreeningFacts
from stridewise.plan.model import (
    RUN_KINDS,
    Availability,
    Goal,
    PastSession,
    Plan,
    Profile,
    SessionKind,
)


def _violations(plan: Plan, inputs: PlanInputs) -> list[str]:
    found = check_plan(plan, inputs.history, inputs.settings,
                       may_run=inputs.screening.may_run,
                       impact_permitted=inputs.screening.impact_permitted,
                       minutes_per_day=inputs.availability.minutes_per_day)
    return [f"{v.day} {v.rule} {v.message}" for v in found]


@pytest.mark.parametrize("person", sorted(PEOPLE))
@pytest.mark.parametrize("goal", list(Goal))
def test_named_people_get_guarded_plans(person: str, goal: Goal) -> None:
    inputs = inputs_for(person, goal)
    try:
        plan = build_plan(inputs)
    except PlanUnavailableError as refusal:
        assert goal == Goal.DAILY_25
        assert "not offered" in refusal.reason
        return
    assert _violations(plan, inputs) == []
    if not inputs.screening.may_run:
        assert plan.goal == Goal.BONE
        assert not any(s.kind in RUN_KINDS for s in plan.sessions)
    if inputs.screening.permitted_impact == "up_to_brisk_walking":
        assert not any(s.kind == SessionKind.IMPACT for s in plan.sessions)
    assert all(s.reason for s in plan.sessions)


def test_runner_is_offered_the_25_day_block_with_the_study_described() -> None:
    plan = build_plan(inputs_for("runner doing 40 km a week", Goal.DAILY_25))
    assert any("13 healthy young men" in note for note in plan.notes)
    block_days = [s for s in plan.sessions if " of 25: " in s.reason]
    assert len(block_days) == 25
    assert len({s.day for s in block_days}) == 25


def test_beginner_reaches_near_continuous_running_and_never_runs_two_days_running() -> None:
    inputs = inputs_for("45-year-old man returning to running", Goal.START)
    plan = build_plan(inputs)
    runs = [s for s in plan.sessions if s.kind in RUN_KINDS]
    assert runs[0].running_s <= 1.1 * max(480, longest_run_s(inputs.history, plan.start))
    assert max(s.running_s for s in runs) >= 25 * 60
    run_days = {s.day for s in runs}
    assert not any(d + timedelta(days=1) in run_days for d in run_days)


def test_a_guard_violation_is_detected() -> None:
    inputs = inputs_for("45-year-old man returning to running", Goal.START)
    plan = build_plan(inputs)
    first_run = next(s for s in plan.sessions if s.kind in RUN_KINDS)
    doubled = first_run.with_changes(duration_s=first_run.duration_s * 3, steps=())
    broken = Plan(plan.goal, plan.start, plan.end,
                  tuple(doubled if s is first_run else s for s in plan.sessions),
                  plan.notes, plan.beginner)
    rules = {v.split()[1] for v in _violations(broken, inputs)}
    assert "spike" in rules


START = date(2026, 3, 2)

@st.composite
def history_item(draw: st.DrawFn) -> PastSession:
    """A past session; runs may be run/walk, with running time and the longest continuous
    bout each a random share of the one before (or unknown)."""
    kind = draw(st.sampled_from([SessionKind.EASY_RUN, SessionKind.LONG_RUN,
                                 SessionKind.RUN_WALK, SessionKind.WALK,
                                 SessionKind.STRENGTH]))
    duration_s = draw(st.floats(300, 9000))
    run_s = bout_s = None
    if kind in RUN_KINDS:
        run_s = draw(st.one_of(st.none(), st.floats(0.2, 1.0).map(lambda f: f * duration_s)))
        bout_s = draw(st.one_of(st.none(), st.floats(0.02, 1.0).map(
            lambda f: f * (duration_s if run_s is None else run_s))))
    return PastSession(
        day=START - timedelta(days=draw(st.integers(1, 56))), kind=kind, duration_s=duration_s,
        distance_m=draw(st.one_of(st.none(), st.floats(500, 30000))),
        rpe=draw(st.one_of(st.none(), st.floats(1, 9))), run_s=run_s, longest_bout_s=bout_s,
    )


screening = st.sampled_from([
    ScreeningFacts(),
    ScreeningFacts(balance_first=True),
    ScreeningFacts("moderate_impact", may_run=False),
    ScreeningFacts("moderate_impact", may_run=False, balance_first=True),
    ScreeningFacts("up_to_brisk_walking", may_run=False, balance_first=True),
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    history=st.lists(history_item(), max_size=40),
    screening=screening,
    age=st.integers(18, 95),
    sex=st.sampled_from(["female", "male"]),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    minutes=st.integers(15, 150),
    start_offset=st.integers(0, 6),
    goal=st.sampled_from(list(Goal)),
    weeks=st.one_of(st.none(), st.integers(1, 16)),
    beginner_cap=st.sampled_from([0.05, 0.10, 0.15]),
    lighter_every=st.sampled_from([3, 4]),
)
def test_no_random_plan_breaks_a_guard(
    history: list[PastSession], screening: ScreeningFacts, age: int, sex: str,
    weekdays: frozenset[int], minutes: int, start_offset: int, goal: Goal, weeks: int | None,
    beginner_cap: float, lighter_every: int,
) -> None:
    inputs = PlanInputs(
        screening, Profile(age, sex), history, Availability(weekdays, minutes),
        START + timedelta(days=start_offset), goal, weeks,
        GuardSettings(weekly_increase_max_beginner=beginner_cap,
                      lighter_every_weeks=lighter_every),
    )
    try:
        plan = build_plan(inputs)
    except PlanUnavailableError:
        assert goal == Goal.DAILY_25
        return
    assert _violations(plan, inputs) == []
    if not screening.may_run:
        assert not any(s.kind in RUN_KINDS for s in plan.sessions)
