"""The plan as files: an iCalendar feed and FIT workouts, always from the plan as it stands
after the latest data (each download refreshes the plan first, see service.refresh).

Calendars keep events by UID, so the ICS file also carries, as STATUS:CANCELLED, every event an
earlier download may have put there and that no longer holds: sessions superseded by a re-plan
or cancelled (say after a screening that needs a doctor first) and the future sessions of a
plan replaced by a new one. Only sessions still planned become FIT workouts.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from stridewise import clock
from stridewise.plan import persist
from stridewise.plan.export_fit import session_to_fit, workout_name
from stridewise.plan.export_ics import Withdrawn, plan_to_ics
from stridewise.plan.model import RUN_KINDS, PlannedSession, SessionKind
from stridewise.plan.service import refresh
from stridewise.store import Store

SUPERSEDED = ("changed", "cancelled")


def _as_session(row: Any, status: str) -> PlannedSession:
    return PlannedSession.from_dict({**row.details, "status": status})


def _withdrawn(tx: Any, athlete_id: int, plan_id: int, taken: set[tuple[date, str]],
               sequence: int, today: date) -> list[Withdrawn]:
    """Events to cancel: superseded rows of the active plan whose slot no session holds now,
    and the sessions from ``today`` on of the athlete's earlier plans."""
    out: list[Withdrawn] = []
    for row in tx.list_planned_sessions(athlete_id, plan_id):
        session = _as_session(row, "cancelled")
        if (row.status in SUPERSEDED and session.kind != SessionKind.REST
                and (session.day, session.slot) not in taken):
            taken.add((session.day, session.slot))
            out.append(Withdrawn(str(plan_id), session, sequence))
    for old in tx.list_plans(athlete_id):
        if old.id == plan_id:
            continue
        old_sequence = len(tx.list_plan_changes(athlete_id, old.id)) + 1
        seen: set[tuple[date, str]] = set()
        for row in tx.list_planned_sessions(athlete_id, old.id, since=today):
            session = _as_session(row, "cancelled")
            if (row.status in ("planned", *SUPERSEDED) and session.kind != SessionKind.REST
                    and (session.day, session.slot) not in seen):
                seen.add((session.day, session.slot))
                out.append(Withdrawn(str(old.id), session, old_sequence))
    return out


def plan_ics(store: Store, athlete_id: int, today: date) -> bytes | None:
    """The active plan as iCalendar after refreshing it for ``today`` (stable UIDs; SEQUENCE
    counts the plan's changes); None without a plan."""
    refresh(store, athlete_id, today)
    with store.transaction() as tx:
        loaded = persist.load_plan(tx, athlete_id)
        if loaded is None:
            return None
        plan_id, plan, _params = loaded
        sequence = len(tx.list_plan_changes(athlete_id, plan_id))
        # Rest days are not exported, so they do not replace an event.
        taken = {(s.day, s.slot) for s in plan.sessions if s.kind != SessionKind.REST}
        withdrawn = _withdrawn(tx, athlete_id, plan_id, taken, sequence, today)
        athlete = tx.get_athlete(athlete_id)
    return plan_to_ics(plan, str(plan_id), stamp=clock.now_utc(), sequence=sequence,
                       units=athlete.units if athlete else "km", withdrawn=withdrawn)


def is_fit_exportable(session: PlannedSession) -> bool:
    """A running session still planned, with steps a watch can time."""
    return session.kind in RUN_KINDS and session.status == "planned" and bool(session.steps)


def _fit_file(session: PlannedSession, serial_number: int) -> tuple[str, bytes]:
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", workout_name(session)).strip("-")
    return f"{session.day:%Y%m%d}-{name}.fit", session_to_fit(session, serial_number)


def session_fit(store: Store, athlete_id: int, planned_session_id: int, today: date
                ) -> tuple[str, bytes] | None:
    """(file name, FIT workout bytes) for one planned running session, after refreshing the
    plan for ``today``; None when it is not (or no longer) a planned run."""
    refresh(store, athlete_id, today)
    with store.transaction() as tx:
        row = tx.get_planned_session(athlete_id, planned_session_id)
        plan = tx.get_plan(athlete_id, row.plan_id) if row is not None else None
        if row is None or plan is None or not plan.active:
            return None
        session = _as_session(row, row.status)
    return _fit_file(session, planned_session_id) if is_fit_exportable(session) else None


def fit_workouts(store: Store, athlete_id: int, today: date) -> list[tuple[str, bytes]]:
    """FIT workout files for every planned running session from ``today`` on, after refreshing
    the plan for ``today``."""
    refresh(store, athlete_id, today)
    with store.transaction() as tx:
        loaded = persist.load_plan(tx, athlete_id)
    if loaded is None:
        return []
    runs = [s for s in loaded[1].sessions if s.day >= today and is_fit_exportable(s)]
    return [_fit_file(s, number) for number, s in enumerate(runs, start=1)]
