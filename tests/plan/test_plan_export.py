"""Exports: the ICS parses with a standards parser and keeps UIDs stable; FIT workouts decode
with Garmin's own SDK with the planned steps and durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from stridewise.plan.engine import build_plan
from stridewise.plan.examples import inputs_for
from stridewise.plan.export_fit import session_to_fit
from stridewise.plan.export_ics import plan_to_ics
from stridewise.plan.model import RUN_KINDS, Goal, SessionKind

STAMP = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_ics_parses_and_re_export_keeps_uids() -> None:
    plan = build_plan(inputs_for("45-year-old man returning to running", Goal.START))
    first = Calendar.from_ical(plan_to_ics(plan, "p1", stamp=STAMP))
    events = first.walk("VEVENT")
    active = [s for s in plan.sessions if s.kind != SessionKind.REST]
    assert len(events) == len(active)
    assert len({str(e["UID"]) for e in events}) == len(events)
    run = next(s for s in plan.sessions if s.kind in RUN_KINDS)
    event = next(e for e in events if e.decoded("dtstart").date() == run.day)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(seconds=run.duration_s)
    changed = plan.sessions[0].with_changes(status="cancelled")
    again = Calendar.from_ical(plan_to_ics(
        type(plan)(plan.goal, plan.start, plan.end, (changed, *plan.sessions[1:]), plan.notes,
                   plan.beginner), "p1", stamp=STAMP, sequence=1))
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == {str(e["UID"]) for e in events}
    cancelled = [e for e in again.walk("VEVENT") if str(e["STATUS"]) == "CANCELLED"]
    assert len(cancelled) == 1 and int(str(cancelled[0]["SEQUENCE"])) == 1


def _decode(data: bytes) -> dict[str, list[dict[str, object]]]:
    sdk = pytest.importorskip("garmin_fit_sdk")
    messages, errors = sdk.Decoder(sdk.Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return messages


@pytest.mark.parametrize("goal", [Goal.START, Goal.FIVE_K])
def test_fit_workouts_decode_with_the_planned_steps(goal: Goal) -> None:
    plan = build_plan(inputs_for("45-year-old man returning to running", goal))
    runs = [s for s in plan.sessions if s.kind in RUN_KINDS]
    for session in (runs[0], runs[len(runs) // 2], runs[-1]):
        messages = _decode(session_to_fit(session))
        steps = messages["workout_step_mesgs"]
        assert messages["workout_mesgs"][0]["num_valid_steps"] == len(steps)
        # Expand repeats back into the flat list of timed steps and compare with the plan.
        flat: list[float] = []
        for index, step in enumerate(steps):
            if step["duration_type"] == "repeat_until_steps_cmplt":
                first = int(step["duration_step"])  # type: ignore[call-overload]
                body = [float(s["duration_time"]) for s in steps[first:index]]  # type: ignore[arg-type]
                flat += body * (int(step["repeat_steps"]) - 1)  # type: ignore[call-overload]
            else:
                assert step["duration_type"] == "time"
                flat.append(float(step["duration_time"]))  # type: ignore[arg-type]
        assert flat == [float(s.duration_s) for s in session.steps]


def test_only_running_sessions_become_workouts() -> None:
    plan = build_plan(inputs_for("45-year-old man returning to running", Goal.START))
    strength = next(s for s in plan.sessions if s.kind == SessionKind.STRENGTH)
    with pytest.raises(ValueError):
        session_to_fit(strength)
