"""Adaptation: re-plan from today after missed sessions, pain, load flags or a new screening.

The past stays as it was (each planned session marked done or missed against what the person
actually did); the future is rebuilt by the same pure engine from today, with what was really
done as history, so every guard holds again. Each difference is described in a sentence a
person can read, e.g. "Thursday's run shortened from 30 to 20 min: ...".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from stridewise.plan.engine import build_plan
from stridewise.plan.guards import longest_run_s
from stridewise.plan.inputs import WALKING, PlanInputs, ScreeningFacts
from stridewise.plan.model import RUN_KINDS, Goal, PastSession, Plan, PlanChange, PlannedSession
from stridewise.plan.templates import SESSION_LABEL

REDUCE_FRACTION = 0.6
MISSED_FRACTION = 0.8
CAP_DAYS = 7
MAX_LISTED_CHANGES = 14


@dataclass(frozen=True)
class PainSignal:
    """The plan's view of a pain decision (science/pain.py ``PainDecision``)."""

    action: str  # continue | hold | reduce | stop
    reason: str
    see_doctor: bool = False

    @classmethod
    def from_decision(cls, decision: Any) -> PainSignal:
        return cls(str(decision.action), str(decision.reason), bool(decision.see_doctor))


@dataclass(frozen=True)
class Replan:
    plan: Plan
    changes: tuple[PlanChange, ...]


def mark_past(plan: Plan, done: Sequence[PastSession], today: date) -> tuple[PlannedSession, ...]:
    """Past planned sessions become done (something of the same sort that day) or missed."""
    marked = []
    for s in plan.sessions:
        if s.day >= today or s.status != "planned" or not s.active:
            marked.append(s)
            continue
        same = [d for d in done if d.day == s.day and (
            d.kind == s.kind or (d.kind in RUN_KINDS and s.kind in RUN_KINDS))]
        marked.append(s.with_changes(status="done" if same else "missed"))
    return tuple(marked)


def replan(
    plan: Plan, inputs: PlanInputs, today: date, done: Sequence[PastSession], *,
    pain: PainSignal | None = None, screening: ScreeningFacts | None = None,
    load_flag: str | None = None,
) -> Replan:
    """Rebuild ``plan`` from ``today``. ``inputs`` are the plan's original inputs; ``done`` is
    what the person actually did since the plan began; ``load_flag`` is a plain sentence from
    the load monitor (a spike or a high ACWR) when one fired."""
    past = mark_past(plan, done, today)
    missed = [s for s in past if s.day < today and s.status == "missed"]
    history = [*(h for h in inputs.history if h.day < plan.start),
               *(d for d in done if d.day < today)]
    facts = screening or inputs.screening
    goal = inputs.goal
    causes: list[str] = []
    short_causes: list[str] = []
    if screening is not None and screening.permitted_impact != inputs.screening.permitted_impact:
        causes.append("your new screening permits activity up to "
                      f"{screening.permitted_impact.replace('_', ' ')}")
    if pain is not None and pain.action == "stop":
        facts = replace(facts, permitted_impact=WALKING, may_run=False)
        causes.append(pain.reason.rstrip("."))
        short_causes.append(_first_clause(pain.reason) + ". Please see a doctor")
    if not facts.may_run:
        goal = Goal.BONE
    cap_s: float | None = None
    recent_run = longest_run_s(history, today, 14) or longest_run_s(history, today)
    if pain is not None and pain.action in ("hold", "reduce"):
        causes.append(pain.reason.rstrip("."))
        short_causes.append(_first_clause(pain.reason))
        cap_s = recent_run * (REDUCE_FRACTION if pain.action == "reduce" else 1.0)
    if load_flag:
        causes.append(load_flag.rstrip("."))
        cap_s = recent_run if cap_s is None else min(cap_s, recent_run)
    recent_missed = [s for s in missed if s.day >= today - timedelta(days=14)]
    if recent_missed:
        causes.append(f"{len(recent_missed)} planned session(s) in the last two weeks were not "
                      "done, so the plan restarts from what you actually did")
        # After a gap, the first week back stays below what was last done.
        back_s = longest_run_s(history, today, 14) or MISSED_FRACTION * recent_run
        cap_s = back_s if cap_s is None else min(cap_s, back_s)
    cause = "; ".join(causes) or "the plan was refreshed from your latest data"
    if (pain is not None and pain.see_doctor) or (screening is not None and not screening.may_run
                                                   and inputs.screening.may_run):
        cause += ". Please see a doctor before you run again"
    weeks_left = max(1, (plan.end - today).days // 7 + 1)
    new_inputs = replace(
        inputs, screening=facts, history=history, start=today, goal=goal, weeks=weeks_left,
        run_cap_s=cap_s, run_cap_until=today + timedelta(days=CAP_DAYS) if cap_s else None,
        run_cap_reason=f"Kept shorter for a week: {cause.split(';')[0]}." if cap_s else "",
    )
    future = build_plan(new_inputs)
    kept = tuple(s for s in past if s.day < today)
    merged = Plan(future.goal, plan.start, max(plan.end, future.end), kept + future.sessions,
                  future.notes, future.beginner)
    changes = describe_changes(plan, future, today, cause, short_causes[0] if short_causes
                               else cause)
    return Replan(merged, changes)


def _first_clause(sentence: str) -> str:
    """'Your shin pain was 4/10 the next morning (18 March): hold ...' -> 'your shin pain was
    4/10 the next morning (18 March)': short enough to follow a change."""
    clause = sentence.split(":")[0].split(". ")[0].rstrip(".")
    return clause[:1].lower() + clause[1:]


def describe_changes(old: Plan, new: Plan, today: date, cause: str,
                     short_cause: str) -> tuple[PlanChange, ...]:
    """One change for the re-plan as a whole, then one per changed day in the next two weeks."""
    changes = [PlanChange(today, f"Plan re-made from {today:%A %d %B}: {cause}.",
                          {"goal_before": old.goal.value, "goal_after": new.goal.value})]
    horizon = today + timedelta(days=MAX_LISTED_CHANGES)
    for offset in range((horizon - today).days):
        day = today + timedelta(days=offset)
        before = [s for s in old.on(day) if s.active]
        after = [s for s in new.on(day) if s.active]
        text = _day_change(day, before, after, short_cause)
        if text:
            changes.append(PlanChange(today, text, {"day": day.isoformat()}))
    return tuple(changes)


def _day_change(day: date, before: list[PlannedSession], after: list[PlannedSession],
                cause: str) -> str | None:
    runs_before = [s for s in before if s.kind in RUN_KINDS]
    runs_after = [s for s in after if s.kind in RUN_KINDS]
    weekday = f"{day:%A}"
    if runs_before and runs_after:
        old_min = round(runs_before[0].running_s / 60)
        new_min = round(runs_after[0].running_s / 60)
        if new_min < old_min:
            return f"{weekday}'s run shortened from {old_min} to {new_min} min: {cause}."
        if new_min > old_min:
            return f"{weekday}'s run lengthened from {old_min} to {new_min} min: {cause}."
        return None
    if runs_before:
        instead = ", ".join(SESSION_LABEL[s.kind] for s in after) or "rest"
        return f"{weekday}'s run replaced by {instead}: {cause}."
    kinds_before = sorted(s.kind.value for s in before)
    kinds_after = sorted(s.kind.value for s in after)
    if kinds_before != kinds_after and runs_after:
        return f"{weekday}: a run added ({round(runs_after[0].running_s / 60)} min)."
    return None
