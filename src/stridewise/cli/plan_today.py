"""`stridewise today`: read the latest data, re-plan when something changed, answer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

REPLAN_LOOKBACK_DAYS = 14


def today_answer(tx: Any, athlete_id: int, day: date) -> list[str]:
    from stridewise.plan.adapt import PainSignal, mark_past, replan
    from stridewise.plan.inputs import PlanInputs
    from stridewise.plan.model import Availability, Goal, Profile
    from stridewise.plan.persist import (
        latest_screening,
        load_history,
        load_plan,
        pain_checks,
        replace_future,
    )
    from stridewise.plan.today import today_advice
    from stridewise.science.pain import evaluate_pain

    found = load_plan(tx, athlete_id)
    if found is None:
        return ["No plan yet: make one with `stridewise plan new`."]
    plan_id, plan, params = found
    decision = evaluate_pain(pain_checks(tx, athlete_id, day - timedelta(days=14),
                                         day + timedelta(days=1)), day)
    pain = PainSignal.from_decision(decision)
    screening = latest_screening(tx, athlete_id)
    done = load_history(tx, athlete_id, plan.start, day)
    missed = [s for s in mark_past(plan, done, day)
              if s.status == "missed" and s.day >= day - timedelta(days=REPLAN_LOOKBACK_DAYS)]
    state = {"day": day.isoformat(), "pain": pain.action,
             "permitted": screening.permitted_impact if screening else None,
             "missed": len(missed)}
    previous = params.get("last_replan", {})
    trigger = (pain.action != "continue" and previous.get("pain") != pain.action) or (
        screening is not None and screening.permitted_impact
        != params.get("screening", {}).get("permitted_impact")) or (
        missed and previous.get("missed") != len(missed))
    lines: list[str] = []
    if trigger and screening is not None:
        history = load_history(tx, athlete_id, plan.start - timedelta(weeks=8), plan.start)
        inputs = PlanInputs(screening, Profile(50, "other"), history,
                            Availability(frozenset(params["weekdays"]),
                                         int(params["minutes_per_day"])),
                            plan.start, Goal(params["goal"]), params.get("weeks"))
        result = replan(plan, inputs, day, done,
                        pain=pain if pain.action != "continue" else None, screening=screening)
        new_params = {**params, "last_replan": state,
                      "screening": {**params.get("screening", {}),
                                    "permitted_impact": screening.permitted_impact}}
        replace_future(tx, plan_id, result.plan, day, result.changes, new_params)
        plan = result.plan
        lines += [f"Plan changed: {c.reason}" for c in result.changes[:4]]
    advice = today_advice(plan, day, pain=pain if pain.action != "continue" else None,
                          screening=screening)
    lines = [f"Today ({day:%A %d %B}): {advice.headline}", f"Why: {advice.why}",
             *(f"Warning: {w}" for w in advice.warnings), *lines]
    return lines
