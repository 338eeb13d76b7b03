"""Plan operations on the store, shared by the CLI, the dashboard, the API and the demo.

The planner stays pure (:func:`stridewise.plan.build_plan`); :mod:`stridewise.plan.persist`
moves plans in and out of the store; this module decides *when* to plan and re-plan:

* :func:`create_plan` from the latest screening, the profile and the last 8 weeks;
* :func:`today` gives the one answer for a day, re-planning first when something changed since
  the last look: the pain rules' action, the permitted impact level (a new screening), the
  number of recently missed sessions, or a load flag. Re-planning is idempotent: the state that
  caused it is stored with the plan, so looking twice changes nothing;
* :func:`adapt_now` re-plans from a day with everything known (the dashboard's button, and
  straight after a pain check-in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from stridewise.monitor import pain_decision, zone_of
from stridewise.plan import persist
from stridewise.plan.adapt import PainSignal, mark_past, replan
from stridewise.plan.engine import build_plan
from stridewise.plan.export_fit import session_to_fit, workout_name
from stridewise.plan.export_ics import plan_to_ics
from stridewise.plan.inputs import PlanInputs, PlanUnavailableError
from stridewise.plan.model import Availability, Goal, PlannedSession, Profile, SessionKind
from stridewise.plan.today import TodayAdvice, today_advice
from stridewise.science.pain import PainAction
from stridewise.store import Store

MISSED_LOOKBACK_DAYS = 14
FIT_KINDS = (SessionKind.RUN_WALK, SessionKind.EASY_RUN, SessionKind.LONG_RUN)


@dataclass(frozen=True)
class TodayAnswer:
    advice: TodayAdvice
    changes: tuple[str, ...]  # reasons of any re-plan made before answering


def _profile(tx: Any, athlete_id: int, today: date) -> Profile:
    athlete = tx.get_athlete(athlete_id)
    age = today.year - athlete.birth_year if athlete and athlete.birth_year else 50
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
    )


def create_plan(store: Store, athlete_id: int, goal: str, weekdays: list[int],
                minutes_per_day: int, today: date, *, start: date | None = None,
                weeks: int | None = None) -> int:
    """Build and store a new active plan starting ``start`` (default ``today``).

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
    with store.transaction() as tx:
        inputs = _inputs(tx, athlete_id, params, first, today)
        plan = build_plan(inputs)
        pain = _pain_signal(tx, athlete_id, today, zone)
        params["last_look"] = {"pain": pain.action if pain else PainAction.CONTINUE.value,
                               "permitted": inputs.screening.permitted_impact, "missed": 0,
                               "load_flag": False}
        plan_id = persist.save_plan(tx, athlete_id, plan, params)
        tx.add_plan_change(plan_id, f"Plan made on {today:%A %d %B}."
                           + (" " + " ".join(plan.notes) if plan.notes else ""))
    return plan_id


def _pain_signal(tx: Any, athlete_id: int, today: date, zone: ZoneInfo) -> PainSignal | None:
    decision = pain_decision(tx, athlete_id, today, zone)
    if decision is None or decision.action is PainAction.CONTINUE:
        return None
    return PainSignal.from_decision(decision)


def _look(tx: Any, athlete_id: int, day: date, zone: ZoneInfo, load_warnings: tuple[str, ...]
          ) -> tuple[PainSignal | None, Any, dict[str, Any] | None]:
    """Pain signal, screening facts, and the state a re-plan answers (None without a plan)."""
    pain = _pain_signal(tx, athlete_id, day, zone)
    screening = persist.latest_screening(tx, athlete_id)
    loaded = persist.load_plan(tx, athlete_id)
    if loaded is None:
        return pain, screening, None
    plan = loaded[1]
    done = persist.load_history(tx, athlete_id, plan.start, day)
    missed = [s for s in mark_past(plan, done, day)
              if s.status == "missed" and s.day >= day - timedelta(days=MISSED_LOOKBACK_DAYS)]
    state = {"pain": pain.action if pain else PainAction.CONTINUE.value,
             "permitted": screening.permitted_impact if screening else None,
             "missed": len(missed), "load_flag": bool(load_warnings)}
    return pain, screening, state


def _replan(tx: Any, athlete_id: int, today: date, zone: ZoneInfo,
            load_warnings: tuple[str, ...] = ()) -> list[str]:
    pain, screening, state = _look(tx, athlete_id, today, zone, load_warnings)
    loaded = persist.load_plan(tx, athlete_id)
    if loaded is None:
        return []
    plan_id, plan, params = loaded
    inputs = _inputs(tx, athlete_id, params, plan.start, today)
    done = persist.load_history(tx, athlete_id, plan.start, today + timedelta(days=1))
    result = replan(plan, inputs, today, done, pain=pain, screening=screening,
                    load_flag=load_warnings[0] if load_warnings else None)
    persist.replace_future(tx, plan_id, result.plan, today, result.changes,
                           {**params, "last_look": state})
    return [change.reason for change in result.changes]


def adapt_now(store: Store, athlete_id: int, today: date) -> list[str]:
    """Re-plan from ``today`` with everything known; the changes' reasons."""
    zone = zone_of(store, athlete_id)
    with store.transaction() as tx:
        return _replan(tx, athlete_id, today, zone)


def adapt_after_checkin(store: Store, athlete_id: int, today: date) -> list[str]:
    """Re-plan when the pain rules now say hold, reduce or stop (empty when the plan stands)."""
    zone = zone_of(store, athlete_id)
    with store.transaction() as tx:
        if _pain_signal(tx, athlete_id, today, zone) is None:
            return []
        return _replan(tx, athlete_id, today, zone)


def _needs_replan(state: dict[str, Any], previous: dict[str, Any]) -> bool:
    """Something changed since the last look that the plan has not yet answered."""
    return (
        (state["pain"] != PainAction.CONTINUE.value and state["pain"] != previous.get("pain"))
        or (previous.get("pain") == PainAction.STOP.value
            and state["pain"] != PainAction.STOP.value)
        or state["permitted"] != previous.get("permitted")
        or (state["missed"] > 0 and state["missed"] != previous.get("missed", 0))
        or (state["load_flag"] and not previous.get("load_flag"))
    )


def today(store: Store, athlete_id: int, day: date,
          load_warnings: tuple[str, ...] = ()) -> TodayAnswer:
    """What to do on ``day``, after re-planning if anything changed since the last look."""
    zone = zone_of(store, athlete_id)
    changes: list[str] = []
    with store.transaction() as tx:
        pain, screening, state = _look(tx, athlete_id, day, zone, load_warnings)
        loaded = persist.load_plan(tx, athlete_id)
        if loaded is not None and state is not None and _needs_replan(
                state, loaded[2].get("last_look") or {}):
            changes = _replan(tx, athlete_id, day, zone, load_warnings)
            loaded = persist.load_plan(tx, athlete_id)
    advice = today_advice(loaded[1] if loaded else None, day, pain=pain, screening=screening,
                          load_warnings=load_warnings)
    return TodayAnswer(advice, tuple(changes))


def plan_ics(store: Store, athlete_id: int) -> bytes | None:
    """The active plan as iCalendar (stable UIDs; SEQUENCE counts the plan's changes)."""
    with store.transaction() as tx:
        loaded = persist.load_plan(tx, athlete_id)
        changes = len(tx.list_plan_changes(loaded[0])) if loaded else 0
        athlete = tx.get_athlete(athlete_id)
    if loaded is None:
        return None
    plan_id, plan, _params = loaded
    return plan_to_ics(plan, str(plan_id), stamp=datetime.now(UTC), sequence=changes,
                       units=athlete.units if athlete else "km")


def is_fit_exportable(session: PlannedSession) -> bool:
    return session.kind in FIT_KINDS and bool(session.steps)


def _fit_file(session: PlannedSession, serial_number: int) -> tuple[str, bytes]:
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", workout_name(session)).strip("-")
    return f"{session.day:%Y%m%d}-{name}.fit", session_to_fit(session, serial_number)


def session_fit(store: Store, athlete_id: int, planned_session_id: int
                ) -> tuple[str, bytes] | None:
    """(file name, FIT workout bytes) for one planned running session, else None."""
    with store.transaction() as tx:
        row = tx.get_planned_session(planned_session_id)
        plan = tx.get_plan(row.plan_id) if row is not None else None
    if row is None or plan is None or plan.athlete_id != athlete_id:
        return None
    session = PlannedSession.from_dict({**row.details, "status": row.status})
    return _fit_file(session, planned_session_id) if is_fit_exportable(session) else None


def fit_workouts(store: Store, athlete_id: int, since: date) -> list[tuple[str, bytes]]:
    """FIT workout files for every planned running session from ``since`` on."""
    with store.transaction() as tx:
        loaded = persist.load_plan(tx, athlete_id)
    if loaded is None:
        return []
    runs = [s for s in loaded[1].sessions
            if s.status == "planned" and s.day >= since and is_fit_exportable(s)]
    return [_fit_file(s, number) for number, s in enumerate(runs, start=1)]


def mark_session(store: Store, athlete_id: int, planned_session_id: int, status: str) -> Any:
    """Mark one of the athlete's planned sessions done or missed; the updated row."""
    if status not in ("done", "missed"):
        raise ValueError("a session can be marked done or missed")
    with store.transaction() as tx:
        row = tx.get_planned_session(planned_session_id)
        plan = tx.get_plan(row.plan_id) if row is not None else None
        if row is None or plan is None or plan.athlete_id != athlete_id:
            raise LookupError("no such planned session")
        words = "marked done" if status == "done" else "marked missed"
        return tx.set_planned_status(planned_session_id, status, row.reason or words)
