"""What the Plan and Today pages do with the planner: make a plan from the latest screening,
profile and history; re-plan after pain (each change with its reason); today's one answer;
ICS and FIT exports. The planner stays pure; :mod:`stridewise.plan.persist` moves plans in and
out of the store; this module only wires the two for the dashboard."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from stridewise.plan import (
    Availability,
    Goal,
    PlanInputs,
    Profile,
    ScreeningFacts,
    build_plan,
    persist,
)
from stridewise.plan.adapt import PainSignal, replan
from stridewise.plan.export_fit import session_to_fit, workout_name
from stridewise.plan.export_ics import plan_to_ics
from stridewise.plan.model import PlannedSession, SessionKind
from stridewise.plan.today import TodayAdvice, today_advice
from stridewise.science.pain import PainAction, evaluate_pain
from stridewise.store import Store

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_WEEKDAYS = (0, 2, 4, 5)
DEFAULT_MINUTES = 45
PAIN_LOOKBACK_DAYS = 14


def _profile(tx: Any, athlete_id: int, today: date) -> Profile:
    athlete = tx.get_athlete(athlete_id)
    age = today.year - athlete.birth_year if athlete and athlete.birth_year else 50
    return Profile(age_years=age, sex=(athlete.sex if athlete and athlete.sex else "other"),
                   units=athlete.units if athlete else "km")


def _inputs(tx: Any, athlete_id: int, params: dict[str, Any], start: date,
            today: date) -> PlanInputs:
    """Plan inputs from stored plan parameters (the same keys `stridewise plan new` writes)."""
    since, until = persist.history_window(start)
    return PlanInputs(
        screening=persist.latest_screening(tx, athlete_id) or ScreeningFacts(),
        profile=_profile(tx, athlete_id, today),
        history=persist.load_history(tx, athlete_id, since, until),
        availability=Availability(frozenset(params["weekdays"]), int(params["minutes_per_day"])),
        start=start,
        goal=Goal(params["goal"]),
        weeks=params.get("weeks"),
    )


def create_plan(store: Store, athlete_id: int, goal: str, weekdays: list[int],
                minutes_per_day: int, today: date) -> int:
    """Build and store a new active plan; raises PlanUnavailableError (with a plain reason)
    when nothing safe can be offered, and ValueError for impossible availability."""
    params: dict[str, Any] = {"goal": Goal(goal).value, "weekdays": sorted(set(weekdays)),
                              "minutes_per_day": minutes_per_day, "weeks": None}
    with store.transaction() as tx:
        inputs = _inputs(tx, athlete_id, params, today, today)
        plan = build_plan(inputs)
        params["screening"] = asdict(inputs.screening)
        plan_id = persist.save_plan(tx, athlete_id, plan, params)
        tx.add_plan_change(plan_id, f"Plan made on {today:%A %d %B}."
                           + (" " + " ".join(plan.notes) if plan.notes else ""))
    return plan_id


def pain_signal(tx: Any, athlete_id: int, today: date) -> PainSignal | None:
    checks = persist.pain_checks(tx, athlete_id, today - timedelta(days=PAIN_LOOKBACK_DAYS),
                                 today + timedelta(days=1))
    if not checks:
        return None
    return PainSignal.from_decision(evaluate_pain(checks, today))


def adapt_after_checkin(store: Store, athlete_id: int, today: date) -> list[str]:
    """Re-plan from today when the pain rules say hold, reduce or stop; the changes' reasons
    (empty when the plan stands or there is no plan)."""
    with store.transaction() as tx:
        pain = pain_signal(tx, athlete_id, today)
        if pain is None or pain.action == PainAction.CONTINUE.value:
            return []
        return _replan(tx, athlete_id, today, pain)


def adapt_now(store: Store, athlete_id: int, today: date) -> list[str]:
    """Re-plan from today with everything known (missed sessions, pain, a new screening)."""
    with store.transaction() as tx:
        return _replan(tx, athlete_id, today, pain_signal(tx, athlete_id, today))


def _replan(tx: Any, athlete_id: int, today: date, pain: PainSignal | None) -> list[str]:
    loaded = persist.load_plan(tx, athlete_id)
    if loaded is None:
        return []
    plan_id, plan, params = loaded
    inputs = _inputs(tx, athlete_id, params, plan.start, today)
    done = persist.load_history(tx, athlete_id, plan.start, today + timedelta(days=1))
    screening = persist.latest_screening(tx, athlete_id)
    result = replan(plan, inputs, today, done, pain=pain, screening=screening)
    # The same bookkeeping as `stridewise today`, so the CLI does not re-plan again for it.
    missed = [s for s in result.plan.sessions if s.status == "missed"
              and s.day >= today - timedelta(days=PAIN_LOOKBACK_DAYS)]
    new_params = {
        **params,
        "last_replan": {"day": today.isoformat(), "pain": pain.action if pain else "continue",
                        "permitted": screening.permitted_impact if screening else None,
                        "missed": len(missed)},
        "screening": {**params.get("screening", {}),
                      "permitted_impact": inputs.screening.permitted_impact},
    }
    persist.replace_future(tx, plan_id, result.plan, today, result.changes, new_params)
    return [change.reason for change in result.changes]


def advice_for_today(store: Store, athlete_id: int, today: date,
                     load_warnings: tuple[str, ...]) -> TodayAdvice:
    with store.transaction() as tx:
        loaded = persist.load_plan(tx, athlete_id)
        pain = pain_signal(tx, athlete_id, today)
        screening = persist.latest_screening(tx, athlete_id)
    return today_advice(loaded[1] if loaded else None, today, pain=pain, screening=screening,
                        load_warnings=load_warnings)


def plan_ics(store: Store, athlete_id: int) -> bytes | None:
    with store.transaction() as tx:
        loaded = persist.load_plan(tx, athlete_id)
        changes = len(tx.list_plan_changes(loaded[0])) if loaded else 0
        athlete = tx.get_athlete(athlete_id)
    if loaded is None:
        return None
    plan_id, plan, _params = loaded
    return plan_to_ics(plan, str(plan_id), stamp=datetime.now(UTC), sequence=changes,
                       units=athlete.units if athlete else "km")


def session_fit(store: Store, athlete_id: int, planned_session_id: int
                ) -> tuple[str, bytes] | None:
    """(file name, FIT workout bytes) for one planned running session, else None."""
    with store.transaction() as tx:
        row = tx.get_planned_session(planned_session_id)
        plan = tx.get_plan(row.plan_id) if row is not None else None
    if row is None or plan is None or plan.athlete_id != athlete_id:
        return None
    session = PlannedSession.from_dict({**row.details, "status": row.status})
    if not is_fit_exportable(session):
        return None
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", workout_name(session)).strip("-")
    return f"{name}.fit", session_to_fit(session, serial_number=planned_session_id)


def is_fit_exportable(session: PlannedSession) -> bool:
    return session.kind in (SessionKind.RUN_WALK, SessionKind.EASY_RUN,
                            SessionKind.LONG_RUN) and bool(session.steps)


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
