"""`stridewise today`: one answer, what to do today and why, with any warning.

The plan says what was meant for today; the latest pain decision and screening can only make
it gentler (never harder), and say when to see a doctor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stridewise.plan.adapt import PainSignal
from stridewise.plan.inputs import ScreeningFacts
from stridewise.plan.model import RUN_KINDS, Plan, PlannedSession, SessionKind
from stridewise.plan.templates import SESSION_LABEL


@dataclass(frozen=True)
class TodayAdvice:
    day: date
    headline: str
    why: str
    sessions: tuple[PlannedSession, ...]
    warnings: tuple[str, ...] = ()


def today_advice(plan: Plan | None, day: date, *, pain: PainSignal | None = None,
                 screening: ScreeningFacts | None = None,
                 load_warnings: tuple[str, ...] = ()) -> TodayAdvice:
    if plan is None:
        return TodayAdvice(day, "No plan yet", "Make one with `stridewise plan new`.", (),
                           load_warnings)
    sessions = tuple(s for s in plan.on(day) if s.active)
    runs = [s for s in sessions if s.kind in RUN_KINDS]
    others = [s for s in sessions if s.kind not in RUN_KINDS]
    warnings = list(load_warnings)
    if pain is not None and pain.action == "stop":
        warnings.append(pain.reason)
        return TodayAdvice(day, "No running today", _instead(others) + " " + pain.reason,
                           tuple(others), tuple(warnings))
    if runs and screening is not None and not screening.may_run:
        warnings.append("Your latest screening does not include running; your plan will be "
                        "re-made without it. Talk to your doctor if you are unsure.")
        return TodayAdvice(day, "No running today", _instead(others), tuple(others),
                           tuple(warnings))
    if not sessions:
        return TodayAdvice(day, "Rest day", "Muscles and bone adapt between sessions. A gentle "
                           "walk is fine if you feel like it.", (), tuple(warnings))
    main = runs[0] if runs else sessions[0]
    headline = f"{SESSION_LABEL[main.kind].capitalize()}, {round(main.duration_s / 60)} min"
    why = main.reason
    if runs and pain is not None and pain.action in ("hold", "reduce"):
        warnings.append(pain.reason)
        verb = "no longer than last week's" if pain.action == "hold" else "shorter than planned"
        headline += f": keep it {verb} run"
    if len(sessions) > 1:
        why += " Also today: " + ", ".join(
            f"{SESSION_LABEL[s.kind]} ({round(s.duration_s / 60)} min, {s.slot})"
            for s in sessions if s is not main) + "."
    return TodayAdvice(day, headline, why, sessions, tuple(warnings))


def _instead(others: list[PlannedSession]) -> str:
    if others:
        return "Do today's " + " and ".join(SESSION_LABEL[s.kind] for s in others) + " instead."
    return f"A {SESSION_LABEL[SessionKind.WALK]} or rest instead, whichever feels better."
