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

from stridewise.plan.engine import MIN_RUN_S, build_plan
from stridewise.plan.guards import longest_run_s, spike_clipped
from stridewise.plan.inputs import WALKING, PlanInputs, ScreeningFacts
from stridewise.plan.model import (
    RUN_KINDS,
    PastSession,
    Plan,
    PlanChange,
    PlannedSession,
    SessionKind,
)
from stridewise.plan.templates import SESSION_LABEL, minutes_text
from stridewise.science.pain import Load

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
    #: For a stop: the loads it bars (science.pain.Load values), by the site's body region.
    barred: frozenset[str] = frozenset()
    site: str | None = None

    @classmethod
    def from_decision(cls, decision: Any) -> PainSignal:
        barred: frozenset[Any] = getattr(decision, "barred", frozenset())
        return cls(str(decision.action), str(decision.reason), bool(decision.see_doctor),
                   frozenset(str(load) for load in barred), getattr(decision, "site", None))

    @property
    def bars(self) -> frozenset[str]:
        """What this signal bars: a stop's loads (everything when it names none), or what an
        ache that needs a doctor takes out (science.pain.LINGER_BARRED: the impact work)."""
        if self.action != "stop":
            return self.barred if self.see_doctor else frozenset()
        return self.barred or frozenset(str(load) for load in Load)


@dataclass(frozen=True)
class Replan:
    plan: Plan
    changes: tuple[PlanChange, ...]


def _matches(planned: SessionKind, done: SessionKind) -> bool:
    """Walk with walk, any run (easy, long, run/walk) with any run, otherwise the same kind."""
    return planned == done or (planned in RUN_KINDS and done in RUN_KINDS)


def match_done(planned: Sequence[PlannedSession], done: Sequence[PastSession]) -> list[bool]:
    """For each planned session, whether something the person did that day matches it. One
    activity marks at most one planned session (a walk logged once does not tick two walks)."""
    left = list(done)
    out = []
    for s in planned:
        found = next((d for d in left if d.day == s.day and _matches(s.kind, d.kind)), None)
        if found is not None:
            left.remove(found)
        out.append(found is not None)
    return out


def mark_past(plan: Plan, done: Sequence[PastSession], today: date) -> tuple[PlannedSession, ...]:
    """Past planned sessions become done (something of the same sort that day) or missed."""
    past = [s for s in plan.sessions if s.day < today and s.status == "planned" and s.active]
    matched = dict(zip(map(id, past), match_done(past, done), strict=True))
    return tuple(
        s.with_changes(status="done" if matched[id(s)] else "missed") if id(s) in matched
        else s for s in plan.sessions)


@dataclass(frozen=True)
class Adjustment:
    """Plan inputs after the pain decision, a load flag and missed sessions had their say."""

    inputs: PlanInputs
    causes: tuple[str, ...]
    short_causes: tuple[str, ...]
    see_doctor: bool


def adjust_inputs(
    inputs: PlanInputs, *, pain: PainSignal | None = None, load_flag: str | None = None,
    missed_recent: int = 0, done_runs: Sequence[PastSession] = (),
) -> Adjustment:
    """What the pain rules, a load flag and recently missed sessions allow from
    ``inputs.start`` on. The one place where they change a plan, for a new plan and a re-plan
    alike: a stop means walking level (no running, no impact) and a bone-health plan; hold and
    reduce cap every run for a week at the longest recent run (x0.6 for reduce), falling back
    on the runs marked done in the plan, then on the beginner base, so a cap always holds."""
    day = inputs.start
    facts = inputs.screening
    goal = inputs.goal
    causes: list[str] = []
    short_causes: list[str] = []
    barred: frozenset[str] = frozenset()
    if pain is not None and pain.bars:
        # A stop, or an ache that needs a doctor: the same path, barring what the pain
        # decision bars.
        barred = pain.bars
        if Load.RUNNING.value in barred:
            facts = replace(facts, may_run=False, limit_reason="your pain needs a doctor's check")
        if Load.IMPACT.value in barred and facts.impact_permitted:
            facts = replace(facts, permitted_impact=WALKING)
        # The full reason is the pain warning's; a change names it in one clause, so no face
        # says the same paragraph twice.
        where = f"your {pain.site}" if pain.site else "the painful spot"
        if pain.action == "stop":
            causes.append(f"sessions that load {where} are out of the plan: please see a "
                          "doctor, then answer the screening questions again")
            short_causes.append(f"it loads {where}, which a doctor should check first")
        else:
            causes.append(f"running and impact work are out of the plan until a doctor has "
                          f"checked {where}")
            short_causes.append(f"an ache in {where} needs a doctor's check first")
    # A run that spiked counts as no more than the spike rule allows; after a load flag, as
    # the longest run before it ("keep your next runs no longer than that longest run").
    known = spike_clipped([*inputs.history, *done_runs], inputs.settings,
                          1.0 if load_flag else None)
    recent_run = (longest_run_s(known, day, 14) or longest_run_s(known, day)
                  or float(inputs.settings.first_run_base_s))
    cap_s: float | None = None
    if pain is not None and pain.action in ("hold", "reduce"):
        causes.append(_first_clause(pain.reason))
        short_causes.append(_first_clause(pain.reason))
        cap_s = (max(float(MIN_RUN_S), recent_run * REDUCE_FRACTION) if pain.action == "reduce"
                 else recent_run)
    if load_flag:
        causes.append(load_flag.rstrip("."))
        cap_s = recent_run if cap_s is None else min(cap_s, recent_run)
    if missed_recent:
        sessions = "session was" if missed_recent == 1 else "sessions were"
        causes.append(f"{missed_recent} planned {sessions} not done in the last two weeks, "
                      "so the plan restarts from what you actually did")
        # After a gap, the first week back stays below what was last done.
        back_s = longest_run_s(known, day, 14) or max(
            float(MIN_RUN_S), MISSED_FRACTION * recent_run)
        cap_s = back_s if cap_s is None else min(cap_s, back_s)
    adjusted = replace(
        inputs, screening=facts, goal=goal, run_cap_s=cap_s, barred_loads=barred,
        run_cap_until=day + timedelta(days=CAP_DAYS) if cap_s is not None else None,
        run_cap_reason=f"Kept shorter for a week: {causes[0]}." if cap_s is not None else "",
    )
    return Adjustment(adjusted, tuple(causes), tuple(short_causes),
                      pain is not None and pain.see_doctor)


def with_doctor(text: str, see_doctor: bool) -> str:
    """``text`` with a plain 'see a doctor' sentence, unless it already says so."""
    if not see_doctor or "doctor" in text.lower():
        return text
    return text.rstrip(".") + ". Please see a doctor before you run again"


def replan(
    plan: Plan, inputs: PlanInputs, today: date, done: Sequence[PastSession], *,
    pain: PainSignal | None = None, screening: ScreeningFacts | None = None,
    load_flag: str | None = None,
) -> Replan:
    """Rebuild ``plan`` from ``today``. ``inputs`` are the plan's original inputs; ``done`` is
    what the person actually did since the plan began; ``load_flag`` is a plain sentence from
    the load monitor (a spike or a high ACWR) when one fired. A screening that no longer clears
    the person to start cancels the rest of the plan (:func:`cancel_for_screening`)."""
    past = mark_past(plan, done, today)
    if screening is not None and not screening.can_start:
        return cancel_for_screening(past, plan, today)
    missed = [s for s in past if s.day < today and s.status == "missed"]
    history = [*(h for h in inputs.history if h.day < plan.start),
               *(d for d in done if d.day < today)]
    facts = screening or inputs.screening
    causes: list[str] = []
    if screening is not None and screening.balance_phase and screening.notices:
        causes.append(f"{screening.limit_reason or 'your answers about falls'}, so the plan "
                      "moves to its balance-and-strength phase (nothing harder than brisk "
                      "walking) until your next screening")
    elif screening is not None and (
            screening.permitted_impact != inputs.screening.permitted_impact):
        causes.append("your new screening permits activity up to "
                      f"{screening.permitted_impact.replace('_', ' ')}")
    recent_missed = [s for s in missed if s.day >= today - timedelta(days=14)]
    weeks_left = max(1, (plan.end - today).days // 7 + 1)
    done_runs = [s.as_past() for s in past
                 if s.day < today and s.status == "done" and s.kind in RUN_KINDS]
    adjustment = adjust_inputs(
        replace(inputs, screening=facts, history=history, start=today, weeks=weeks_left),
        pain=pain, load_flag=load_flag, missed_recent=len(recent_missed), done_runs=done_runs)
    causes += adjustment.causes
    lost_running = (screening is not None and not screening.may_run
                    and inputs.screening.may_run and not screening.balance_phase)
    cause = with_doctor("; ".join(causes) or "the plan was refreshed from your latest data",
                        adjustment.see_doctor or lost_running)
    future = build_plan(adjustment.inputs)
    kept = tuple(s for s in past if s.day < today)
    merged = Plan(future.goal, plan.start, max(plan.end, future.end), kept + future.sessions,
                  future.notes, future.beginner)
    short = adjustment.short_causes[0] if adjustment.short_causes else cause
    return Replan(merged, describe_changes(plan, future, today, cause, short))


#: Why the rest of a plan is cancelled when a new screening does not clear the person to start.
SCREENING_STOP_REASON = (
    "Your latest health answers mean a doctor should check you before you go on, so the rest "
    "of this plan is cancelled. Please see a doctor before going on with any exercise plan, "
    "and take your screening summary with you. When your doctor is happy for you to exercise, "
    "answer the health questions again and a new plan can start.")


def cancel_for_screening(past: Sequence[PlannedSession], plan: Plan, today: date) -> Replan:
    """The plan up to ``today`` (past sessions marked done or missed) with nothing after it, and
    the change that says why: every session from today on is cancelled."""
    kept = tuple(s for s in past if s.day < today)
    stopped = Plan(plan.goal, plan.start, plan.end, kept, plan.notes, plan.beginner)
    return Replan(stopped, (PlanChange(today, SCREENING_STOP_REASON,
                                       {"cancelled_from": today.isoformat()}),))


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


def _day_words(day: date) -> str:
    """'Monday 23 November': a weekday alone is ambiguous over a two-week horizon."""
    return f"{day:%A} {day.day} {day:%B}"


def _day_change(day: date, before: list[PlannedSession], after: list[PlannedSession],
                cause: str) -> str | None:
    runs_before = [s for s in before if s.kind in RUN_KINDS]
    runs_after = [s for s in after if s.kind in RUN_KINDS]
    when = _day_words(day)
    if runs_before and runs_after:
        # Time spent running, not the session's length (walks and warm-up come on top).
        old_s, new_s = runs_before[0].running_s, runs_after[0].running_s
        change = f"from {minutes_text(old_s)} to {minutes_text(new_s)} of running"
        if new_s < old_s:
            return f"Run on {when} shortened {change}: {cause}."
        if new_s > old_s:
            return (f"Run on {when} lengthened {change}: the re-made plan builds up again from "
                    "what you have actually done.")
        return None
    if runs_before:
        instead = " and ".join(f"a {SESSION_LABEL[s.kind]}" for s in after) or "rest"
        return f"Run on {when} replaced by {instead}: {cause}."
    kinds_before = sorted(s.kind.value for s in before)
    kinds_after = sorted(s.kind.value for s in after)
    if kinds_before != kinds_after and runs_after:
        return f"{when}: a run added ({minutes_text(runs_after[0].running_s)} of running)."
    return None
