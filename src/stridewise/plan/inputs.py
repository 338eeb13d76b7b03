"""What the engine needs to know, gathered in one pure value, plus facts read off history."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from stridewise.errors import StridewiseError
from stridewise.plan.guards import GuardSettings, longest_bout_s, longest_run_s
from stridewise.plan.model import (
    CONTINUOUS_SHARE,
    RUN_KINDS,
    Availability,
    Goal,
    PastSession,
    Profile,
    SessionKind,
)

DEFAULT_PACE_MPS = 2.2  # about 7:35 per km: a gentle pace for people without run history
RUNNING = "running"
MODERATE_IMPACT = "moderate_impact"
WALKING = "up_to_brisk_walking"
#: High falls risk: the balance-and-strength phase (science/falls.py), walking-level impact.
BALANCE_FIRST = "balance_first"
#: Plain words for each level, as the goal-change sentence uses them.
LEVEL_WORDS = {
    RUNNING: "running",
    MODERATE_IMPACT: "moderate impact such as heel drops and stair climbing, without running",
    WALKING: "impact up to brisk walking",
    BALANCE_FIRST: "balance and strength first, with nothing harder than brisk walking",
}
#: Every goal-change sentence starts so; `today` shows the plan's one on every face.
GOAL_CHANGE_PREFIX = "Your plan is a bone-health plan instead of the"


class PlanUnavailableError(StridewiseError):
    """The goal cannot be offered to this person now; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class ScreeningFacts:
    """The parts of a screening result the planner uses (see science/screening.py)."""

    permitted_impact: str = RUNNING
    may_run: bool = True
    can_start: bool = True
    balance_first: bool = False
    summary: str = ""
    #: Why readiness is not cleared (the PAR-Q+ reasons), shown when ``can_start`` is False.
    reasons: tuple[str, ...] = ()
    #: The screening's reason for the impact level, in one clause ("you have had a fracture of
    #: the spine"); used when a goal has to change.
    limit_reason: str = ""
    #: Sentences every face shows while they hold (a fall logged since the last screening).
    notices: tuple[str, ...] = ()
    #: What the person says they already walk (days a week, minutes a day); None if not asked.
    walking_days_per_week: int | None = None
    walking_minutes_per_day: int | None = None

    @property
    def impact_permitted(self) -> bool:
        return self.permitted_impact in (RUNNING, MODERATE_IMPACT)

    @property
    def balance_phase(self) -> bool:
        """High falls risk: balance and strength first, walking-level impact at most."""
        return self.permitted_impact == BALANCE_FIRST

    @classmethod
    def from_screening(cls, result: Any) -> ScreeningFacts:
        """Read a ``ScreeningResult`` (or anything with the same attributes)."""
        bone = getattr(result, "bone", None)
        falls = getattr(result, "falls_result", None)
        permitted = str(result.permitted_impact)
        limit = ""
        if permitted == BALANCE_FIRST:
            limit = "your answers about falls show a high risk of falling"
        elif not bool(getattr(result, "can_start", True)):
            limit = "your health answers mean a doctor should check you first"
        elif bone is not None and bone.reasons:
            limit = _first_sentence(str(bone.reasons[0]))
        return cls(
            permitted_impact=permitted,
            may_run=bool(result.may_run),
            can_start=bool(getattr(result, "can_start", True)),
            balance_first=bool(getattr(bone, "balance_first", False))
            or bool(getattr(falls, "balance_emphasis", False)),
            reasons=tuple(str(r) for r in getattr(getattr(result, "readiness", None),
                                                  "reasons", ())),
            limit_reason=limit,
        )


def _first_sentence(text: str) -> str:
    """'You have had a fracture of the spine (vertebral fracture). Experts...' -> 'you have
    had a fracture of the spine (vertebral fracture)'."""
    first = text.split(". ")[0].rstrip(".")
    return first[:1].lower() + first[1:]


@dataclass(frozen=True)
class PlanInputs:
    screening: ScreeningFacts
    profile: Profile
    history: Sequence[PastSession]
    availability: Availability
    start: date
    goal: Goal
    weeks: int | None = None
    settings: GuardSettings = field(default_factory=GuardSettings)
    #: Adaptation: no session runs longer than this before ``run_cap_until`` (pain, load flags).
    run_cap_s: float | None = None
    run_cap_until: date | None = None
    #: Adaptation: a sentence prefixed to the reason of every capped run.
    run_cap_reason: str = ""
    #: Adaptation: loads a pain stop bars (science.pain.Load values) until a re-screen; no
    #: session that carries one is planned.
    barred_loads: frozenset[str] = frozenset()
    #: (local day, brisk walking minutes outside recorded sessions) for each day of the 4
    #: weeks before ``start`` that a phone or platform export measured steps (the daily
    #: series' rule: series.measures.device_walking_days); read by :func:`walking_baseline`.
    device_walking: tuple[tuple[date, float], ...] = ()


@dataclass(frozen=True)
class HistoryFacts:
    longest_run_30d_s: float
    #: The longest continuous running bout in the last 30 days (0 when none is known).
    longest_bout_30d_s: float
    runs_per_week: float
    pace_mps: float
    beginner: bool
    weeks_with_three_5k: int


@dataclass(frozen=True)
class WalkingBaseline:
    """What the person already walks: a usual walk's minutes and walks a week, and where it
    came from (``recorded``: walks of the last 4 weeks; ``phone``: brisk minutes from the
    steps a phone or watch counted, with any recorded walks; ``answer``: their own answer;
    ``default``: nothing known)."""

    minutes_per_walk: float
    walks_per_week: float
    source: str


#: Recorded walks needed in the last 4 weeks to trust them over the person's own answer.
MIN_RECORDED_WALKS = 4
DEFAULT_WALK_MIN = 20.0
DEFAULT_WALKS_PER_WEEK = 3.0
#: Days of the 4 weeks a phone must have counted steps on before its days are trusted: half
#: of them, so a phone left in a drawer for two weeks does not halve a walker's volume.
MIN_DEVICE_DAYS = 14
#: A walking day holds at least 10 minutes of walking: the IPAQ short form's bout, the same
#: terms as the screening's own question.
WALKING_DAY_MIN = 10.0


def walking_baseline(history: Sequence[PastSession], start: date, *,
                     days_per_week: int | None = None,
                     minutes_per_day: int | None = None,
                     device_days: Sequence[tuple[date, float]] = ()) -> WalkingBaseline:
    """The one place that says how much a person already walks, for every plan: recorded
    walks of the 4 weeks before ``start`` first (median length, count / 4; imported phone
    walks count once imported); then the days a phone or platform counted steps
    (``device_days``: brisk minutes from step cadence outside recorded sessions, the daily
    series' rule), when it did on at least 14 of the 28 days: a day's walking is its brisk
    minutes plus its recorded walks, a walking day has 10 minutes or more, the usual walk is
    the median walking day, walks a week = walking days per measured day x 7 (at least 4
    walking days, else the phone says little and the next source is used); then the
    person's own answer (screening: days a week with a walk of 10 minutes or more, minutes
    on such a day, the IPAQ short form's terms), then a gentle default (20 minutes, 3 times
    a week)."""
    first = start - timedelta(weeks=4)
    walks = [h for h in history if h.kind == SessionKind.WALK and first <= h.day < start]
    if len(walks) >= MIN_RECORDED_WALKS:
        return WalkingBaseline(statistics.median(w.duration_s for w in walks) / 60.0,
                               len(walks) / 4.0, "recorded")
    measured = {day: minutes for day, minutes in device_days if first <= day < start}
    if len(measured) >= MIN_DEVICE_DAYS:
        for w in walks:
            if w.day in measured:
                measured[w.day] += w.duration_s / 60.0
        walking = [m for m in measured.values() if m >= WALKING_DAY_MIN]
        if len(walking) >= MIN_RECORDED_WALKS:
            return WalkingBaseline(statistics.median(walking),
                                   len(walking) / len(measured) * 7.0, "phone")
    if days_per_week and minutes_per_day:
        return WalkingBaseline(float(minutes_per_day), float(days_per_week), "answer")
    return WalkingBaseline(DEFAULT_WALK_MIN, DEFAULT_WALKS_PER_WEEK, "default")


def history_facts(history: Sequence[PastSession], start: date) -> HistoryFacts:
    """Read the last 4-8 weeks: longest run and bout, runs a week, pace, whether a beginner."""
    recent_4w = [h for h in history if start - timedelta(weeks=4) <= h.day < start]
    recent_8w = [h for h in history if start - timedelta(weeks=8) <= h.day < start]
    runs_4w = [h for h in recent_4w if h.kind in RUN_KINDS]
    runs_8w = [h for h in recent_8w if h.kind in RUN_KINDS]
    paces = [h.distance_m / h.running_s for h in runs_8w
             if h.distance_m and h.running_s > 0 and 1.0 < h.distance_m / h.running_s < 7.0]
    weeks_with_three_5k = 0
    for k in range(1, 5):
        lo, hi = start - timedelta(weeks=k), start - timedelta(weeks=k - 1)
        # 5 km without walk breaks: the block is 25 continuous runs of 5 km.
        comfortable = [h for h in runs_4w if lo <= h.day < hi and (h.distance_m or 0) >= 4900
                       and (h.rpe is None or h.rpe <= 6)
                       and h.bout_s >= CONTINUOUS_SHARE * h.running_s]
        weeks_with_three_5k += len(comfortable) >= 3
    return HistoryFacts(
        longest_run_30d_s=longest_run_s(history, start),
        longest_bout_30d_s=longest_bout_s(history, start),
        runs_per_week=len(runs_4w) / 4.0,
        pace_mps=statistics.median(paces) if paces else DEFAULT_PACE_MPS,
        beginner=len(runs_8w) < 4,
        weeks_with_three_5k=weeks_with_three_5k,
    )


def goal_change_sentence(goal: Goal, s: ScreeningFacts) -> str:
    """One sentence: the goal asked for, the plan made instead, and the screening's reason."""
    level = LEVEL_WORDS.get(s.permitted_impact, s.permitted_impact.replace("_", " "))
    why = f"because {s.limit_reason}" if s.limit_reason else "because of your screening"
    return (f"{GOAL_CHANGE_PREFIX} '{goal.value}' plan you asked for, {why}: for now it "
            f"allows {level}.")


def resolve_goal(inputs: PlanInputs, facts: HistoryFacts) -> tuple[Goal, list[str]]:
    """The goal the plan will follow, with notes; raises when nothing safe can be offered."""
    s = inputs.screening
    notes: list[str] = []
    if not s.can_start:
        raise PlanUnavailableError(
            "Your screening answers mean a doctor should clear you before you start a new "
            "exercise plan. Take the screening summary to your appointment, then screen again.")
    goal = inputs.goal
    if goal != Goal.BONE and not s.may_run:
        notes.append(goal_change_sentence(goal, s))
        goal = Goal.BONE
    if goal == Goal.DAILY_25:
        why = []
        if facts.weeks_with_three_5k < 3:
            why.append("your recent history does not yet show 5 km run comfortably, without "
                       "walk breaks, three times a week (in at least 3 of the last 4 weeks)")
        if len(inputs.availability.weekdays) < 7:
            why.append("the block needs all seven days free")
        needed_min = 5000 / facts.pace_mps / 60 + 5
        if inputs.availability.minutes_per_day < needed_min:
            why.append(f"a 5 km run at your pace needs about {needed_min:.0f} minutes a day")
        if why:
            raise PlanUnavailableError(
                "The 25-day daily 5 km block is not offered yet: " + "; ".join(why) + ". "
                "The 5k or maintain plans are a good way to get there.")
    return goal, notes
