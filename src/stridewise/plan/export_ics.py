"""ICS calendar export. Each session's UID is derived from the plan id, its date and slot,
so re-exporting a changed plan updates the same events in a calendar instead of adding copies;
a cancelled or replaced session (``withdrawn``, possibly of an earlier plan) is exported with
STATUS:CANCELLED and a higher SEQUENCE so calendars remove it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from stridewise.plan.model import SLOT_START_HOUR, Plan, PlannedSession, SessionKind
from stridewise.plan.templates import SESSION_LABEL


@dataclass(frozen=True)
class Withdrawn:
    """An event a calendar may hold that no longer stands: exported as cancelled."""

    plan_id: str
    session: PlannedSession
    sequence: int


def session_uid(plan_id: str, session: PlannedSession) -> str:
    return f"stridewise-{plan_id}-{session.day:%Y%m%d}-{session.slot}@stridewise"


def plan_to_ics(plan: Plan, plan_id: str, *, stamp: datetime, sequence: int = 0,
                units: str = "km", withdrawn: Sequence[Withdrawn] = ()) -> bytes:
    """The plan as an iCalendar file. ``stamp`` is the export time (DTSTAMP, UTC);
    ``sequence`` grows with each re-plan so calendars take the newer version; ``withdrawn``
    events are added as cancelled."""
    cal = Calendar()
    cal.add("prodid", "-//stridewise//training plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"stridewise {plan.goal.value} plan")
    events = [*(Withdrawn(plan_id, s, sequence) for s in plan.sessions), *withdrawn]
    for item in events:
        session = item.session
        if session.kind == SessionKind.REST:
            continue
        start = datetime.combine(session.day, datetime.min.time()) + timedelta(
            hours=SLOT_START_HOUR[session.slot])
        event = Event()
        event.add("uid", session_uid(item.plan_id, session))
        event.add("dtstamp", stamp)
        event.add("sequence", item.sequence)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(seconds=max(session.duration_s, 600)))
        event.add("summary", _summary(session, units))
        event.add("description", _description(session))
        cancelled = session.status in ("cancelled", "changed", "missed")
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


def _summary(session: PlannedSession, units: str) -> str:
    label = SESSION_LABEL[session.kind].capitalize()
    minutes = round(session.duration_s / 60)
    if session.distance_m and session.kind in (SessionKind.EASY_RUN, SessionKind.LONG_RUN):
        distance = session.distance_m / (1609.344 if units == "mi" else 1000.0)
        return f"{label}, {minutes} min (about {distance:.1f} {units})"
    return f"{label}, {minutes} min"


def _description(session: PlannedSession) -> str:
    lines = [session.reason]
    if session.exercises:
        lines.append("Exercises: " + "; ".join(session.exercises) + ".")
    lines.append("Stop and check with a doctor if pain is sharp, on one spot of a bone, or "
                 "there at rest or at night.")
    return "\n".join(lines)
