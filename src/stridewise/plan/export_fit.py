"""FIT workout files for running sessions, through the project's one FIT encoder.

Run/walk sessions become warm-up, a repeat of (run, walk) bouts, a final run bout when it
differs, and a cool-down; continuous runs become one timed step. A watch then beeps at each
change, which is what makes run/walk practical."""

from __future__ import annotations

from stridewise.fit.encode import Repeat, WorkoutStep, encode_workout
from stridewise.plan.model import RUN_KINDS, PlannedSession, Step
from stridewise.plan.templates import SESSION_LABEL

_INTENSITY = {"warmup": "warmup", "cooldown": "cooldown", "run": "active", "walk": "recovery"}


def workout_name(session: PlannedSession) -> str:
    return f"{session.day:%d %b} {SESSION_LABEL[session.kind]}"


def session_to_fit(session: PlannedSession, serial_number: int = 1) -> bytes:
    """One workout file; only running sessions are exported (they are the ones a watch times)."""
    if session.kind not in RUN_KINDS or not session.steps:
        raise ValueError("only planned running sessions with steps can become FIT workouts")
    return encode_workout(workout_name(session), _fit_steps(session.steps), sport="run",
                          serial_number=serial_number)


def _fit_steps(steps: tuple[Step, ...]) -> list[WorkoutStep | Repeat]:
    def one(step: Step) -> WorkoutStep:
        return WorkoutStep(intensity=_INTENSITY.get(step.kind, "active"),
                           duration_s=float(step.duration_s), name=step.label[:15] or None)

    head = [s for s in steps if s.kind == "warmup"]
    tail = [s for s in steps if s.kind == "cooldown"]
    body = [s for s in steps if s.kind not in ("warmup", "cooldown")]
    out: list[WorkoutStep | Repeat] = [one(s) for s in head]
    pairs = len(body) // 2
    if pairs >= 2 and all(body[2 * k] == body[0] and body[2 * k + 1] == body[1]
                          for k in range(pairs)):
        out.append(Repeat([one(body[0]), one(body[1])], pairs))
        out += [one(s) for s in body[2 * pairs:]]
    else:
        out += [one(s) for s in body]
    out += [one(s) for s in tail]
    return out
