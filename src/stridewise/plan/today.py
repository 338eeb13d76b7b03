"""`stridewise today`: one answer, what to do today and why, with any warning.

The plan says what was meant for today; the latest pain decision and screening can only make
it gentler (never harder), and say when to see a doctor. A pain stop, or a screening at the
walking level, bars impact work as well as running; a screening that does not clear the person
to start bars everything and says to see a doctor first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from stridewise.plan.adapt import PainSignal, match_done
from stridewise.plan.inputs import GOAL_CHANGE_PREFIX, ScreeningFacts
from stridewise.plan.model import (
    IMPACT_KINDS,
    RUN_KINDS,
    PastSession,
    Plan,
    PlannedSession,
    SessionKind,
)
from stridewise.plan.templates import SESSION_LABEL, session_loads
from stridewise.science.pain import Load

SEE_DOCTOR_HEADLINE = "Please see a doctor before you go on"
SEE_DOCTOR_WHY = (
    "Your latest health answers mean a doctor should check you before you exercise more, so "
    "there is no training planned for now. Take your screening summary to the appointment. "
    "When your doctor is happy for you to exercise, answer the health questions again and a "
    "new plan can start.")
#: Named on every face while the balance-and-strength phase lasts (science/falls.py).
BALANCE_PHASE_NOTICE = (
    "Your plan is in its balance-and-strength phase because of your answers about falls: "
    "nothing harder than brisk walking until you answer the screening questions again with no "
    "high-risk answer.")


@dataclass(frozen=True)
class TodayAdvice:
    day: date
    headline: str
    why: str
    sessions: tuple[PlannedSession, ...]
    warnings: tuple[str, ...] = ()
    #: The answer is to see a doctor first (pain stop, or not cleared by the screening).
    see_doctor: bool = False


def today_advice(plan: Plan | None, day: date, *, pain: PainSignal | None = None,
                 screening: ScreeningFacts | None = None,
                 load_warnings: tuple[str, ...] = (),
                 done: Sequence[PastSession] = ()) -> TodayAdvice:
    """The answer for ``day``; ``done`` is what was logged or imported that local day, which
    marks the matching planned sessions done (adapt.match_done)."""
    warnings = list(load_warnings)
    if screening is not None:
        warnings += [n for n in screening.notices if n not in warnings]
        if screening.balance_phase and screening.can_start and not screening.notices:
            warnings.append(BALANCE_PHASE_NOTICE)
    if plan is not None:
        warnings += [n for n in plan.notes if n.startswith(GOAL_CHANGE_PREFIX)]
    if screening is not None and not screening.can_start:
        return TodayAdvice(day, SEE_DOCTOR_HEADLINE, SEE_DOCTOR_WHY, (),
                           tuple([*screening.reasons, *warnings]), see_doctor=True)
    stop = pain is not None and pain.action == "stop"
    if plan is None:
        if pain is not None and pain.action != "continue":
            warnings.insert(0, pain.reason)
        return TodayAdvice(day, "No plan yet", "Make one with `stridewise plan new`.", (),
                           tuple(warnings), see_doctor=stop or (pain is not None
                           and pain.see_doctor))
    sessions = tuple(s for s in plan.on(day) if s.active)
    if done:
        sessions = tuple(s.with_changes(status="done") if hit and s.status == "planned" else s
                         for s, hit in zip(sessions, match_done(sessions, done), strict=True))
    may_run = not stop and (screening is None or screening.may_run)
    impact_ok = not stop and (screening is None or screening.impact_permitted)
    bars = frozenset(Load(v) for v in pain.bars) if pain is not None else frozenset()
    if stop:
        may_run = Load.RUNNING not in bars and (screening is None or screening.may_run)
        impact_ok = Load.IMPACT not in bars and (screening is None or screening.impact_permitted)
    barred = [s for s in sessions if (s.kind in RUN_KINDS and not may_run)
              or (s.kind in IMPACT_KINDS and not impact_ok) or session_loads(s) & bars]
    allowed = [s for s in sessions if s not in barred]
    if pain is not None and bars:
        # A stop, or an ache that needs a doctor (its impact work barred): the pain reason is
        # said once, as a warning; the answer only says what is left.
        warnings.append(pain.reason)
        headline = ("No exercise that loads the painful spot today" if stop
                    else "No running or impact work today")
        return TodayAdvice(day, headline, _instead(allowed, bars), tuple(allowed),
                           tuple(warnings), see_doctor=True)
    if barred:
        ran = any(s.kind in RUN_KINDS for s in barred)
        what = "running" if ran else "impact exercises"
        warnings.append(f"Your latest screening does not include {what}; your plan will be "
                        "re-made without it. Talk to your doctor if you are unsure.")
        return TodayAdvice(day, f"No {what} today", _instead(allowed), tuple(allowed),
                           tuple(warnings))
    finished = [s for s in sessions if s.status == "done"]
    if finished and len(finished) == len(sessions):
        return TodayAdvice(day, "Done for today", "You have logged today's "
                           + " and ".join(SESSION_LABEL[s.kind] for s in finished)
                           + ": well done. Rest and recover.", sessions, tuple(warnings))
    if not sessions:
        return TodayAdvice(day, "Rest day", "Muscles and bone adapt between sessions. A gentle "
                           "walk is fine if you feel like it.", (), tuple(warnings))
    todo = [s for s in sessions if s.status != "done"]
    runs = [s for s in todo if s.kind in RUN_KINDS]
    main = runs[0] if runs else todo[0]
    headline = f"{SESSION_LABEL[main.kind].capitalize()}, {round(main.duration_s / 60)} min"
    why = main.reason
    if pain is not None and pain.action in ("hold", "reduce"):
        warnings.append(pain.reason)
        if runs:
            verb = ("no longer than last week's" if pain.action == "hold"
                    else "shorter than planned")
            headline += f": keep it {verb} run"
    if len(sessions) > 1:
        why += " Also today: " + ", ".join(
            f"{SESSION_LABEL[s.kind]} ({round(s.duration_s / 60)} min, {s.slot}"
            + (", done" if s.status == "done" else "") + ")"
            for s in sessions if s is not main) + "."
    return TodayAdvice(day, headline, why, sessions, tuple(warnings))


def _instead(others: list[PlannedSession], bars: frozenset[Load] = frozenset()) -> str:
    if others:
        return "Do today's " + " and ".join(SESSION_LABEL[s.kind] for s in others) + " instead."
    if Load.EXERCISE_WALKING in bars:
        return "Rest today: everyday moving about is fine."
    return f"A {SESSION_LABEL[SessionKind.WALK]} or rest instead, whichever feels better."
