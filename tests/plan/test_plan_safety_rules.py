"""Pure safety rules of the planner: impact on stop days, caps without run history, one
session of a kind a day, and change messages that name their days."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from stridewise.plan.adapt import PainSignal, adjust_inputs, replan
from stridewise.plan.engine import build_plan
from stridewise.plan.examples import EVERY_DAY, PEOPLE, START, inputs_for
from stridewise.plan.inputs import ScreeningFacts
from stridewise.plan.model import IMPACT_KINDS, RUN_KINDS, Availability, Goal, SessionKind
from stridewise.plan.templates import minutes_text
from stridewise.plan.today import today_advice

OSTEOPENIA = "sedentary 68-year-old woman with osteopenia"
RETURNING = "45-year-old man returning to running"
STOP = PainSignal("stop", "Your left shin pain was 4/10 at night on 2 March. Please stop "
                  "running and see a doctor before you run again.", True)


def test_a_stop_day_never_suggests_impact_work() -> None:
    plan = build_plan(inputs_for(OSTEOPENIA, Goal.BONE))
    impact_day = next(s.day for s in plan.sessions if s.kind == SessionKind.IMPACT)
    advice = today_advice(plan, impact_day, pain=STOP)
    assert not any(s.kind in IMPACT_KINDS for s in advice.sessions)
    assert "impact" not in advice.why.lower().replace("no running or impact", "")
    walking = ScreeningFacts("up_to_brisk_walking", may_run=False)
    advice = today_advice(plan, impact_day, screening=walking)
    assert not any(s.kind in IMPACT_KINDS for s in advice.sessions)
    assert advice.headline == "No impact exercises today"


@pytest.mark.parametrize(("action", "limit_s"), [("hold", 480.0), ("reduce", 300.0)])
def test_hold_and_reduce_cap_runs_without_any_run_history(action: str, limit_s: float) -> None:
    inputs = inputs_for(OSTEOPENIA, Goal.START)
    inputs = inputs.__class__(ScreeningFacts(), inputs.profile, [], EVERY_DAY, START, Goal.START)
    pain = PainSignal(action, "Your knee pain was 4/10 the next morning (1 March): hold.")
    adjusted = adjust_inputs(inputs, pain=pain).inputs
    assert adjusted.run_cap_s == limit_s and adjusted.run_cap_until is not None
    plan = build_plan(adjusted)
    first_week = [s for s in plan.sessions if s.kind in RUN_KINDS
                  and s.day < START + timedelta(days=7)]
    assert first_week and max(s.running_s for s in first_week) <= limit_s


def test_missed_sessions_without_run_history_still_cap_the_week_back() -> None:
    inputs = inputs_for(OSTEOPENIA, Goal.START)
    inputs = inputs.__class__(ScreeningFacts(), inputs.profile, [], EVERY_DAY, START, Goal.START)
    assert adjust_inputs(inputs, missed_recent=3).inputs.run_cap_s is not None


@pytest.mark.parametrize("person", sorted(PEOPLE))
@pytest.mark.parametrize("days", [frozenset({0, 2, 4}), frozenset({1, 5}), frozenset(range(7))])
def test_at_most_one_session_of_a_kind_a_day(person: str, days: frozenset[int]) -> None:
    goals = [Goal.BONE] if not PEOPLE[person][0].may_run else [Goal.START, Goal.FIVE_K,
                                                                 Goal.MAINTAIN, Goal.BONE]
    for goal in goals:
        plan = build_plan(inputs_for(person, goal, Availability(days, 90)))
        counts = Counter((s.day, s.kind) for s in plan.sessions if s.kind != SessionKind.REST)
        assert max(counts.values()) == 1, (goal, counts.most_common(1))


def test_change_messages_name_the_date_and_say_see_a_doctor_once() -> None:
    inputs = inputs_for(RETURNING, Goal.FIVE_K)
    plan = build_plan(inputs)
    today = START + timedelta(days=2)
    done = [h for h in inputs.history if h.day < START]
    result = replan(plan, inputs, today, done, pain=STOP)
    headline, *days = [c.reason for c in result.changes]
    assert headline.lower().count("see a doctor") == 1
    assert days and all(" March" in text for text in days)
    assert len(set(days)) == len(days)
    assert all(text.lower().count("see a doctor") <= 1 for text in days)


@pytest.mark.parametrize(("person", "goal", "plain"), [
    ("62-year-old run/walker (13-minute bouts)", Goal.FIVE_K, True),
    (RETURNING, Goal.START, True),
    (OSTEOPENIA, Goal.BONE, True),
    ("runner doing 40 km a week", Goal.MAINTAIN, False),
])
def test_strength_and_balance_are_plain_and_described_for_newcomers_and_over_60s(
        person: str, goal: Goal, plain: bool) -> None:
    plan = build_plan(inputs_for(person, goal))
    exercises = [e for s in plan.sessions if s.kind == SessionKind.STRENGTH for e in s.exercises]
    assert exercises
    described = all(": " in e and len(e.split(": ", 1)[1].split()) >= 5 for e in exercises)
    assert described is plain
    jargon = any(word in e.lower() for e in exercises for word in ("deadlift", "nordic"))
    assert jargon is not plain
    balance = [e for s in plan.sessions if s.kind == SessionKind.BALANCE for e in s.exercises]
    assert balance and all(": " in e for e in balance)


def test_shortened_runs_quote_the_running_time_the_session_has() -> None:
    inputs = inputs_for("62-year-old run/walker (13-minute bouts)", Goal.FIVE_K)
    plan = build_plan(inputs)
    reduce = PainSignal("reduce", "Your knee pain reached 7/10 during your run on 1 March, "
                        "above the 5/10 limit: reduce this week's running.")
    result = replan(plan, inputs, START, [], pain=reduce)
    shortened = [c for c in result.changes if "shortened" in c.reason]
    assert shortened
    for change in shortened:
        day = date.fromisoformat(change.details["day"])
        run = next(s for s in result.plan.on(day) if s.kind in RUN_KINDS)
        assert f"to {minutes_text(run.running_s)} of running" in change.reason
