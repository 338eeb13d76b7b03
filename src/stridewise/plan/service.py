"""Plan operations on the store, shared by the CLI, the dashboard, the API and the demo.

The planner stays pure (:func:`stridewise.plan.build_plan`); :mod:`stridewise.plan.persist`
moves plans in and out of the store; this module decides *when* to plan and re-plan:

* :func:`create_plan` from the latest screening, the profile, the last 8 weeks and the current
  pain decision (through :func:`stridewise.plan.adapt.adjust_inputs`, as a re-plan does);
* :func:`refresh` re-plans when something changed since the last look: the pain rules' action,
  the permitted impact level or readiness (a new screening), the number of recently missed
  sessions, or a load flag. Re-planning is idempotent: the state that caused it is stored with
  the plan, so looking twice changes nothing. A screening that does not clear the person to
  start cancels the rest of the plan with a change that says to see a doctor first;
* :func:`today` and :func:`day_answer` give the one answer for a day (refreshing first, for the
  real today only) with every warning, assembled the same way for the CLI, pages and API;
* :func:`record_checkin` and :func:`record_screening` store new answers and re-plan at once;
* :func:`adapt_now` re-plans from a day with everything known (the dashboard's button).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from stridewise import clock
from stridewise.monitor import (
    Warning,
    current_warnings,
    load_warnings,
    pain_decision,
    wellbeing_warnings,
    zone_of,
)
from stridewise.plan import persist
from stridewise.plan.adapt import (
    PainSignal,
    adjust_inputs,
    mark_past,
    match_done,
    replan,
)
from stridewise.plan.engine import PlanGuardError, build_plan
from stridewise.plan.inputs import PlanInputs, PlanUnavailableError
from stridewise.plan.model import Availability, Goal, Profile
from stridewise.plan.today import TodayAdvice, today_advice
from stridewise.science.pain import PainAction, PainDecision
from stridewise.science.screening import BoneInputs, ParqAnswers, ScreeningResult, screen
from stridewise.store import CheckInInput, Store
from stridewise.store.memo import remembered_in

MISSED_LOOKBACK_DAYS = 14
#: Said when a re-plan could not be made safely (a PlanGuardError: a bug, never the person's
#: doing): the page stays up, the plan stays as it was, and the person is told to go easy.
NOT_REMADE = ("Your plan could not be re-made safely just now, so it shows what was planned "
              "before your latest data. Keep today easy (a walk or rest), and please report "
              "this so it can be fixed.")
CHECKIN_NOTE = ("This plan takes your latest check-in into account: see Things to watch for "
                "what it changed and why.")


@dataclass(frozen=True)
class TodayAnswer:
    advice: TodayAdvice
    changes: tuple[str, ...]  # reasons of any re-plan made before answering
    #: Every warning for the day, most serious first (pain, readiness, load): what to show.
    warnings: tuple[Warning, ...] = ()
    #: Whether the person has answered a screening and has an active plan, as the answer
    #: read them (the pages word their next step by these).
    screened: bool = False
    has_plan: bool = False


def _profile(tx: Any, athlete_id: int, today: date) -> Profile:
    athlete = tx.get_athlete(athlete_id)
    age = persist.athlete_age(tx, athlete_id, today)  # the one age rule, as Core.age
    if age is None:
        raise PlanUnavailableError(
            "Please give your year of birth (stridewise profile set --birth-year, or the "
            "Start page of the dashboard): a plan fits its exercises to your age.")
    return Profile(age_years=age, sex=(athlete.sex if athlete and athlete.sex else "other"),
                   units=athlete.units if athlete and athlete.units else "km")


def _inputs(tx: Any, athlete_id: int, params: dict[str, Any], start: date,
            today: date) -> PlanInputs:
    availability = params["availability"]
    since, until = persist.history_window(start)
    screening = persist.latest_screening(tx, athlete_id)
    if screening is None:
        raise PlanUnavailableError(
            "Please answer the health and bone questions first (stridewise screen, or the "
            "Start page of the dashboard): a plan needs to know what is safe for you."
        )
    return PlanInputs(
        screening=screening,
        profile=_profile(tx, athlete_id, today),
        history=persist.load_history(tx, athlete_id, since, until),
        availability=Availability(frozenset(availability["weekdays"]),
                                  int(availability["minutes_per_day"])),
        start=start,
        goal=Goal(params["goal"]),
        weeks=params.get("weeks"),
        device_walking=persist.device_walking(tx, athlete_id, start - timedelta(weeks=4), start),
    )


def create_plan(store: Store, athlete_id: int, goal: str, weekdays: list[int],
                minutes_per_day: int, today: date, *, start: date | None = None,
                weeks: int | None = None) -> int:
    """Build and store a new active plan starting ``start`` (default ``today``), shaped by the
    current pain decision exactly as a re-plan would be: a stop gives a walking-level plan
    without running or impact and says to see a doctor; hold and reduce cap the runs.

    Raises PlanUnavailableError (with a plain reason) when nothing safe can be offered, and
    ValueError for an unknown goal or impossible availability.
    """
    if goal not in {g.value for g in Goal}:
        raise ValueError(f"goal must be one of {', '.join(g.value for g in Goal)}, got {goal!r}")
    first = start or today
    zone = zone_of(store, athlete_id)
    params: dict[str, Any] = {
        "goal": Goal(goal).value,
        "availability": {"weekdays": sorted(set(weekdays)), "minutes_per_day": minutes_per_day},
        "weeks": weeks,
    }
    with store.write_transaction(athlete_id) as tx:
        inputs = _inputs(tx, athlete_id, params, first, today)
        pain = _pain_signal(tx, athlete_id, today, zone)
        adjustment = adjust_inputs(inputs, pain=pain)
        plan = build_plan(adjustment.inputs)
        if adjustment.causes:
            # The causes themselves are advice, said once by the core's advice (Things to
            # watch); the plan only says that it took them into account.
            plan = replace(plan, notes=(CHECKIN_NOTE, *plan.notes))
        params["last_look"] = _state(pain, inputs.screening, missed=0, load_flag=False)
        plan_id = persist.save_plan(tx, athlete_id, plan, params)
        tx.add_plan_change(athlete_id, plan_id, f"Plan made on {today:%A %d %B}."
                           + (" " + " ".join(plan.notes) if plan.notes else ""))
    return plan_id


def _pain_signal(tx: Any, athlete_id: int, today: date, zone: ZoneInfo) -> PainSignal | None:
    return _signal_of(_pain_decision(tx, athlete_id, today, zone))


def _signal_of(decision: PainDecision | None) -> PainSignal | None:
    """What the planner hears of a pain decision: nothing when running may continue."""
    if decision is None or decision.action is PainAction.CONTINUE:
        return None
    return PainSignal.from_decision(decision)


def _pain_decision(tx: Any, athlete_id: int, today: date, zone: ZoneInfo
                   ) -> PainDecision | None:
    """The pain rules, worded for what the person actually does (their plan and recent
    sessions): the monitor does not know plans, so the plan tells it. Worked out once a
    transaction until it writes (a check-in applies the rules, then its answer asks again;
    store.memo)."""
    return remembered_in(
        tx, ("pain decision", athlete_id, today, str(zone)),
        lambda: pain_decision(tx, athlete_id, today, zone,
                              doing=persist.activity_loads(tx, athlete_id, today)))


def _state(pain: PainSignal | None, screening: Any, missed: int,
           load_flag: bool) -> dict[str, Any]:
    """What a plan last answered; a re-plan is due when the current state differs."""
    return {"pain": pain.action if pain else PainAction.CONTINUE.value,
            "bars": sorted(pain.bars) if pain else [],
            "permitted": screening.permitted_impact if screening else None,
            "can_start": screening.can_start if screening else True,
            "missed": missed, "load_flag": load_flag}


@dataclass(frozen=True)
class Look:
    """What the plan answers to on a day: the pain rules' decision (worded for what the person
    does), its signal for the planner, the latest screening's facts, and the state a re-plan
    answers (None without a plan)."""

    decision: PainDecision | None
    pain: PainSignal | None
    screening: Any
    state: dict[str, Any] | None


def _look(tx: Any, athlete_id: int, day: date, zone: ZoneInfo, load_warnings: tuple[str, ...]
          ) -> Look:
    decision = _pain_decision(tx, athlete_id, day, zone)
    pain = _signal_of(decision)
    screening = persist.latest_screening(tx, athlete_id)
    loaded = persist.load_plan(tx, athlete_id)
    if loaded is None:
        return Look(decision, pain, screening, None)
    plan = loaded[1]
    done = persist.load_history(tx, athlete_id, plan.start, day)
    missed = [s for s in mark_past(plan, done, day)
              if s.status == "missed" and s.day >= day - timedelta(days=MISSED_LOOKBACK_DAYS)]
    return Look(decision, pain, screening,
                _state(pain, screening, len(missed), bool(load_warnings)))


def _replan(tx: Any, athlete_id: int, today: date, zone: ZoneInfo,
            load_warnings: tuple[str, ...] = ()) -> list[str]:
    look = _look(tx, athlete_id, today, zone, load_warnings)
    pain, screening, state = look.pain, look.screening, look.state
    loaded = persist.load_plan(tx, athlete_id)
    if loaded is None:
        return []
    plan_id, plan, params = loaded
    inputs = _inputs(tx, athlete_id, params, plan.start, today)
    done = persist.load_history(tx, athlete_id, plan.start, today + timedelta(days=1))
    result = replan(plan, inputs, today, done, pain=pain, screening=screening,
                    load_flag=load_warnings[0] if load_warnings else None)
    cancelled = screening is not None and not screening.can_start
    if cancelled and not any(r.status == "planned"
                             for r in tx.list_planned_sessions(athlete_id, plan_id, since=today)):
        # Already cancelled: nothing left to change, but remember this look.
        tx.get_plan(athlete_id, plan_id).params = {**params, "last_look": state}
        return []
    persist.replace_future(tx, athlete_id, plan_id, result.plan, today, result.changes,
                           {**params, "last_look": state},
                           superseded="cancelled" if cancelled else "changed")
    return [change.reason for change in result.changes]


def _needs_replan(state: dict[str, Any], previous: dict[str, Any]) -> bool:
    """Something changed since the last look that the plan has not yet answered."""
    return (
        (state["pain"] != PainAction.CONTINUE.value and state["pain"] != previous.get("pain"))
        or (previous.get("pain") == PainAction.STOP.value
            and state["pain"] != PainAction.STOP.value)
        or state.get("bars", []) != previous.get("bars", [])
        or state["permitted"] != previous.get("permitted")
        or state["can_start"] != previous.get("can_start", True)
        or (state["missed"] > 0 and state["missed"] != previous.get("missed", 0))
        or (state["load_flag"] and not previous.get("load_flag"))
    )


def _refresh(tx: Any, athlete_id: int, day: date, zone: ZoneInfo,
             load_warnings: tuple[str, ...] = (), look: Look | None = None) -> list[str]:
    """Re-plan when the look (``look``, else taken now) differs from the plan's last one."""
    state = (look or _look(tx, athlete_id, day, zone, load_warnings)).state
    loaded = persist.load_plan(tx, athlete_id)
    if loaded is None or state is None or not _needs_replan(
            state, loaded[2].get("last_look") or {}):
        return []
    return _replan(tx, athlete_id, day, zone, load_warnings)


def refresh(store: Store, athlete_id: int, today: date,
            load_warnings: tuple[str, ...] = ()) -> list[str]:
    """Re-plan from ``today`` if anything changed since the last look; the changes' reasons."""
    zone = zone_of(store, athlete_id)
    with store.write_transaction(athlete_id) as tx:
        return _refresh(tx, athlete_id, today, zone, load_warnings)


def adapt_now(store: Store, athlete_id: int, today: date) -> list[str]:
    """Re-plan from ``today`` with everything known; the changes' reasons."""
    zone = zone_of(store, athlete_id)
    with store.write_transaction(athlete_id) as tx:
        return _replan(tx, athlete_id, today, zone)


def _mark_done(tx: Any, athlete_id: int, day: date, done: list[Any]) -> None:
    """Planned sessions of ``day`` that something logged or imported that day matches are
    stored as done, so every face (Today, Plan, the API) shows them done."""
    loaded = persist.load_plan(tx, athlete_id)
    if loaded is None or not done:
        return
    plan_id, plan, _params = loaded
    todays = [s for s in plan.on(day) if s.active]
    rows = [r for r in tx.list_planned_sessions(athlete_id, plan_id, since=day,
                                                until=day + timedelta(days=1))
            if r.status in ("planned", "done")]
    for session, hit in zip(todays, match_done(todays, done), strict=True):
        if not hit or session.status != "planned":
            continue
        row = next((r for r in rows if r.status == "planned" and r.kind == session.kind.value
                    and persist.SLOT_NUMBER[session.slot] == r.slot), None)
        if row is not None:
            tx.set_planned_status(athlete_id, row.id, "done", row.reason)


def today(store: Store, athlete_id: int, day: date, load_warnings: tuple[str, ...] = (), *,
          advice_only: bool = False) -> TodayAnswer:
    """What to do on ``day``, after re-planning if anything changed since the last look.
    ``advice_only`` (for a day other than the real today) answers without changing the plan:
    a plan is only ever re-made from the day it really is."""
    return _today(store, athlete_id, day, load_warnings, advice_only=advice_only,
                  zone=zone_of(store, athlete_id))[0]


def _today(store: Store, athlete_id: int, day: date, load_warnings: tuple[str, ...], *,
           advice_only: bool, zone: ZoneInfo) -> tuple[TodayAnswer, Look]:
    """:func:`today`, and the look it answered from (after any re-plan). One transaction:
    the look, the re-plan it may call for (in a savepoint, so a re-plan that would break a
    guard is rolled back alone), and planned sessions marked done."""
    changes: list[str] = []
    with store.write_transaction(athlete_id) as tx:
        look = _look(tx, athlete_id, day, zone, load_warnings)
        if not advice_only:
            try:
                with tx.session.begin_nested():
                    changes = _refresh(tx, athlete_id, day, zone, load_warnings, look)
            except PlanGuardError:
                # Never a crashed page: the re-plan is rolled back and the answer says so.
                load_warnings = (*load_warnings, NOT_REMADE)
            if changes:
                # The re-plan changed what the person does, so the pain words may change.
                look = _look(tx, athlete_id, day, zone, load_warnings)
        done = persist.load_history(tx, athlete_id, day, day + timedelta(days=1))
        if not advice_only:
            _mark_done(tx, athlete_id, day, done)
        loaded = persist.load_plan(tx, athlete_id)
    advice = today_advice(loaded[1] if loaded else None, day, pain=look.pain,
                          screening=look.screening, load_warnings=load_warnings, done=done)
    return TodayAnswer(advice, tuple(changes), screened=look.screening is not None,
                       has_plan=loaded is not None), look


def day_answer(store: Store, athlete_id: int, day: date, series: pd.DataFrame, *,
               advice_only: bool = False,
               wellbeing_series: pd.DataFrame | None = None) -> TodayAnswer:
    """:func:`today` with every warning that applies (monitor.current_warnings: pain and load,
    then the advice's own, such as the readiness reasons), so the CLI, the Today page and the
    API show the same answer. ``series`` is the athlete's daily series; ``wellbeing_series``
    (default ``series``) one that covers the last two weeks for the WHO-5 item, which may
    reach back before the first session."""
    zone = zone_of(store, athlete_id)
    flags = tuple(w.text for w in load_warnings(series, day))
    answer, look = _today(store, athlete_id, day, flags, advice_only=advice_only, zone=zone)
    warnings = current_warnings(store, athlete_id, series, day, look.decision)
    known = [w.text for w in warnings]
    tone = "stop" if answer.advice.see_doctor else "warn"
    screening = set(look.screening.reasons) if look.screening is not None else set()
    for text in answer.advice.warnings:
        if not any(k.startswith(text[:60]) for k in known):
            warnings.append(Warning(tone, text, "screening" if text in screening else "plan"))
            known.append(text)
    warnings.extend(wellbeing_warnings(series if wellbeing_series is None
                                       else wellbeing_series, day))  # WHO-5 cut-offs (issue 14)
    ranked = sorted(warnings, key=lambda w: {"stop": 0, "warn": 1}.get(w.tone, 2))
    return replace(answer, warnings=tuple(ranked))


def record_checkin(store: Store, athlete_id: int, checkin: CheckInInput, today: date
                   ) -> tuple[Any, PainDecision | None, list[str]]:
    """Store a check-in, apply the pain rules for ``today`` and re-plan when their answer
    changed: (the stored row, the pain decision or None without pain reports, the reasons of
    any plan change). One transaction, so a check-in is never stored without its re-plan."""
    zone = zone_of(store, athlete_id)
    with store.write_transaction(athlete_id) as tx:
        row = tx.add_checkin(athlete_id, checkin)
        look = _look(tx, athlete_id, today, zone, ())
        changes = _refresh(tx, athlete_id, today, zone, look=look)
        # After any re-plan, as Today asks it: the same decision and words on every face.
        decision = _pain_decision(tx, athlete_id, today, zone) if changes else look.decision
    return row, decision, changes


def record_screening(store: Store, athlete_id: int, parq: ParqAnswers, bone: BoneInputs, *,
                     today: date | None = None) -> tuple[Any, ScreeningResult, list[str]]:
    """Screen the answers, store answers and result, and re-plan from ``today`` (default: the
    athlete's local today) when the result changes what is safe: (the stored row, the result,
    the reasons of any plan change). A result that does not clear the person to start cancels
    the rest of the plan and says to see a doctor first."""
    zone = zone_of(store, athlete_id)
    day = today or clock.today(zone)
    with store.transaction() as tx:
        athlete = tx.get_athlete(athlete_id)
        born = athlete.birth_year if athlete is not None else None
    # Dated fractures: recency and "since 50" from the screening day and the birth year.
    bone = replace(bone, screened_on=bone.screened_on or day,
                   birth_year=bone.birth_year or born)
    result = screen(parq, bone)
    with store.write_transaction(athlete_id) as tx:
        row = tx.add_screening(athlete_id, {"parq": parq.to_dict(), "bone": bone.to_dict()},
                               result.to_dict())
        changes = _refresh(tx, athlete_id, day, zone)
    return row, result, changes


def mark_session(store: Store, athlete_id: int, planned_session_id: int, status: str) -> Any:
    """Mark one of the athlete's planned sessions done or missed; the updated row."""
    if status not in ("done", "missed"):
        raise ValueError("a session can be marked done or missed")
    with store.write_transaction(athlete_id) as tx:
        row = tx.get_planned_session(athlete_id, planned_session_id)
        if row is None:
            raise LookupError("no such planned session")
        words = "marked done" if status == "done" else "marked missed"
        return tx.set_planned_status(athlete_id, planned_session_id, status,
                                     row.reason or words)
