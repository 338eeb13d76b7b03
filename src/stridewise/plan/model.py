"""The plain data the planner works on: inputs, planned sessions, plans and changes.

Everything here is a frozen dataclass or an enum so the engine stays pure: the same inputs
always give the same plan, and tests (including hypothesis) can build inputs directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from stridewise.science.load import DEFAULT_SESSION_RPE_CR10


class Goal(StrEnum):
    START = "start"
    FIVE_K = "5k"
    FIVE_MILES = "5mi"
    DAILY_25 = "25day"
    MAINTAIN = "maintain"
    BONE = "bone"


class SessionKind(StrEnum):
    RUN_WALK = "run_walk"
    EASY_RUN = "easy_run"
    LONG_RUN = "long_run"
    WALK = "walk"
    STRENGTH = "strength"
    BALANCE = "balance"
    IMPACT = "impact"
    REST = "rest"


RUN_KINDS: frozenset[SessionKind] = frozenset(
    {SessionKind.RUN_WALK, SessionKind.EASY_RUN, SessionKind.LONG_RUN}
)
#: Kinds that load bone through impact; beginners never do one the day after a run.
IMPACT_KINDS: frozenset[SessionKind] = RUN_KINDS | {SessionKind.IMPACT}

#: Planned effort (CR-10 RPE) per kind, used for session-RPE load when no rating exists: the
#: one table in ``science.load`` that recorded sessions use too, so a planned walk and a
#: recorded walk carry the same load.
DEFAULT_RPE: dict[SessionKind, float] = {
    kind: DEFAULT_SESSION_RPE_CR10[kind.value] for kind in SessionKind
}

#: Start time of each slot; 08:00 and 18:00 keep two sessions on one day 10 h apart.
SLOT_START_HOUR: dict[str, int] = {"am": 8, "pm": 18}

MILE_M = 1609.344
#: A session whose running time is at least this share of its duration was run without walk
#: breaks, so its running time is one continuous bout.
CONTINUOUS_SHARE = 0.9


@dataclass(frozen=True)
class PastSession:
    """One thing the person actually did. ``kind`` uses the :class:`SessionKind` values;
    activity sports map as run -> easy_run, walk/hike -> walk, strength -> strength."""

    day: date
    kind: SessionKind
    duration_s: float
    distance_m: float | None = None
    rpe: float | None = None
    #: Seconds spent running (a run/walk session runs for less than its duration).
    run_s: float | None = None
    #: The longest continuous running bout, seconds; None when unknown.
    longest_bout_s: float | None = None

    @property
    def running_s(self) -> float:
        if self.kind not in RUN_KINDS:
            return 0.0
        return self.duration_s if self.run_s is None else self.run_s

    @property
    def bout_s(self) -> float:
        """The longest continuous running this session shows. When the bout is unknown, a
        session that ran (nearly) all its duration counts as one bout; an unknown run/walk
        counts as none, since its running time was split by walks of unknown length."""
        if self.kind not in RUN_KINDS:
            return 0.0
        if self.longest_bout_s is not None:
            return min(self.longest_bout_s, self.running_s)
        if self.kind == SessionKind.RUN_WALK:
            return 0.0
        if self.run_s is None or self.run_s >= CONTINUOUS_SHARE * self.duration_s:
            return self.running_s
        return 0.0

    @property
    def load_au(self) -> float:
        """Session-RPE load (Foster 2001): RPE x minutes, the kind's default RPE if unrated."""
        rpe = DEFAULT_RPE[self.kind] if self.rpe is None else self.rpe
        return rpe * self.duration_s / 60.0


@dataclass(frozen=True)
class Profile:
    age_years: int
    sex: str  # "female" | "male" | "other"
    units: str = "km"  # "km" | "mi"


@dataclass(frozen=True)
class Availability:
    """Weekdays as 0 = Monday ... 6 = Sunday, and the minutes the person has on each."""

    weekdays: frozenset[int]
    minutes_per_day: int

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise ValueError("weekdays must be a non-empty subset of 0..6")
        if self.minutes_per_day < 15:
            raise ValueError("a plan needs at least 15 minutes on the days you are free")


@dataclass(frozen=True)
class Step:
    """One step of a structured session: ``kind`` is warmup, run, walk, cooldown or exercise."""

    kind: str
    duration_s: int
    label: str = ""


@dataclass(frozen=True)
class PlannedSession:
    day: date
    slot: str
    kind: SessionKind
    duration_s: int
    reason: str
    steps: tuple[Step, ...] = ()
    rpe: float = 0.0
    distance_m: float | None = None
    exercises: tuple[str, ...] = ()
    status: str = "planned"
    lighter_week: bool = False

    @property
    def running_s(self) -> int:
        if self.kind not in RUN_KINDS:
            return 0
        if self.steps:
            return sum(s.duration_s for s in self.steps if s.kind == "run")
        return self.duration_s

    @property
    def longest_bout_s(self) -> int:
        """The longest stretch of running steps with no walk between them."""
        if self.kind not in RUN_KINDS:
            return 0
        if not self.steps:
            return self.duration_s
        longest = current = 0
        for step in self.steps:
            current = current + step.duration_s if step.kind == "run" else 0
            longest = max(longest, current)
        return longest

    @property
    def load_au(self) -> float:
        return self.rpe * self.duration_s / 60.0

    @property
    def active(self) -> bool:
        """Still part of the plan (not cancelled or replaced) and not a rest day."""
        return self.status in ("planned", "done", "changed") and self.kind != SessionKind.REST

    def as_past(self) -> PastSession:
        return PastSession(
            self.day, self.kind, float(self.duration_s), self.distance_m, self.rpe,
            float(self.running_s), float(self.longest_bout_s),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(), "slot": self.slot, "kind": self.kind.value,
            "duration_s": self.duration_s, "reason": self.reason,
            "steps": [[s.kind, s.duration_s, s.label] for s in self.steps],
            "rpe": self.rpe, "distance_m": self.distance_m, "exercises": list(self.exercises),
            "status": self.status, "lighter_week": self.lighter_week,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannedSession:
        return cls(
            day=date.fromisoformat(data["day"]), slot=data["slot"],
            kind=SessionKind(data["kind"]), duration_s=int(data["duration_s"]),
            reason=data["reason"], steps=tuple(Step(k, int(d), lab) for k, d, lab in data["steps"]),
            rpe=float(data["rpe"]), distance_m=data.get("distance_m"),
            exercises=tuple(data.get("exercises", ())), status=data.get("status", "planned"),
            lighter_week=bool(data.get("lighter_week", False)),
        )

    def with_changes(self, **changes: Any) -> PlannedSession:
        return replace(self, **changes)


@dataclass(frozen=True)
class PlanChange:
    """One change to a plan, with a sentence a person can read."""

    at: date
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    goal: Goal
    start: date
    end: date
    sessions: tuple[PlannedSession, ...]
    notes: tuple[str, ...] = ()
    beginner: bool = False

    def on(self, day: date) -> list[PlannedSession]:
        return [s for s in self.sessions if s.day == day]

    def weeks(self) -> int:
        return (self.end - self.start).days // 7 + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "goal": self.goal.value, "start": self.start.isoformat(),
            "end": self.end.isoformat(), "notes": list(self.notes), "beginner": self.beginner,
            "sessions": [s.to_dict() for s in self.sessions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        return cls(
            goal=Goal(data["goal"]), start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            sessions=tuple(PlannedSession.from_dict(s) for s in data["sessions"]),
            notes=tuple(data.get("notes", ())), beginner=bool(data.get("beginner", False)),
        )


def week_start(day: date) -> date:
    """The Monday of ``day``'s week: weeks run Monday to Sunday everywhere in the planner."""
    return day - timedelta(days=day.weekday())
