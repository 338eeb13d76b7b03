"""Adaptation: a missed week, rising pain, and a fracture reported mid-plan."""

from __future__ import annotations

from datetime import timedelta

from stridewise.plan.adapt import PainSignal, mark_past, replan
from stridewise.plan.engine import build_plan
from stridewise.plan.examples import inputs_for
from stridewise.plan.inputs import ScreeningFacts
from stridewise.plan.model import RUN_KINDS, Goal, PastSession
from stridewise.science.pain import PainCheck, PainTiming, evaluate_pain

BEGINNER = "45-year-old man returning to running"


def _done_until(plan, day):  # type: ignore[no-untyped-def]
    return [s.as_past() for s in plan.sessions if s.active and s.day < day]


def test_missed_week_restarts_from_what_was_done() -> None:
    inputs = inputs_for(BEGINNER, Goal.START)
    plan = build_plan(inputs)
    today = plan.start + timedelta(weeks=3)
    done = [p for p in _done_until(plan, today) if p.day < plan.start + timedelta(weeks=2)]
    result = replan(plan, inputs, today, done)
    missed = [s for s in result.plan.sessions if s.status == "missed"]
    assert missed and all(plan.start + timedelta(weeks=2) <= s.day < today for s in missed)
    assert "not done" in result.changes[0].reason
    longest_done = max(p.running_s for p in done)
    new_next = [s.running_s for s in result.plan.sessions
                if s.day >= today and s.kind in RUN_KINDS]
    # A week off: the first week back holds at the longest run actually done.
    assert new_next[0] <= longest_done
    assert "Kept shorter for a week" in next(
        s.reason for s in result.plan.sessions if s.day >= today and s.kind in RUN_KINDS)


def test_rising_pain_shortens_runs_with_a_readable_reason() -> None:
    inputs = inputs_for(BEGINNER, Goal.FIVE_K)
    plan = build_plan(inputs)
    today = plan.start + timedelta(weeks=2, days=3)
    checks = [PainCheck(today - timedelta(days=8), 2, PainTiming.AFTER, "shin"),
              PainCheck(today - timedelta(days=1), 6, PainTiming.NEXT_MORNING, "shin")]
    decision = evaluate_pain(checks, today)
    assert decision.action in ("hold", "reduce")
    result = replan(plan, inputs, today, _done_until(plan, today),
                    pain=PainSignal.from_decision(decision))
    shortened = [c.reason for c in result.changes if "shortened from" in c.reason]
    assert shortened, [c.reason for c in result.changes]
    assert "shin" in shortened[0]
    week = [s for s in result.plan.sessions
            if today <= s.day < today + timedelta(days=7) and s.kind in RUN_KINDS]
    before = [s for s in plan.sessions
              if today <= s.day < today + timedelta(days=7) and s.kind in RUN_KINDS]
    assert sum(s.running_s for s in week) < sum(s.running_s for s in before)


def test_fracture_mid_plan_switches_to_bone_and_says_see_a_doctor() -> None:
    inputs = inputs_for(BEGINNER, Goal.FIVE_K)
    plan = build_plan(inputs)
    today = plan.start + timedelta(weeks=4)
    checks = [PainCheck(today - timedelta(days=1), 7, PainTiming.AT_REST, "wrist", fell=True)]
    decision = evaluate_pain(checks, today)
    assert decision.action == "stop" and decision.see_doctor
    rescreen = ScreeningFacts("up_to_brisk_walking", may_run=False, balance_first=True)
    result = replan(plan, inputs, today, _done_until(plan, today),
                    pain=PainSignal.from_decision(decision), screening=rescreen)
    assert result.plan.goal == Goal.BONE
    future = [s for s in result.plan.sessions if s.day >= today]
    assert not any(s.kind in RUN_KINDS or s.kind == "impact" for s in future)
    assert "see a doctor" in result.changes[0].reason
    assert any("replaced by" in c.reason for c in result.changes)
    assert all(s.status == "done" for s in result.plan.sessions if s.day < today and s.active)


def test_mark_past_matches_any_run_to_a_planned_run() -> None:
    inputs = inputs_for(BEGINNER, Goal.START)
    plan = build_plan(inputs)
    first_run = next(s for s in plan.sessions if s.kind in RUN_KINDS)
    done = [PastSession(first_run.day, first_run.kind, 900.0)]
    marked = mark_past(plan, done, first_run.day + timedelta(days=1))
    matched = next(s for s in marked if s.day == first_run.day and s.kind in RUN_KINDS)
    assert matched.status == "done"
