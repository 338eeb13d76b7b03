"""The stored plan as the Plan page, the report and the API show it: weeks of sessions, each with
its reason, and the changes made to the plan with theirs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from stridewise.plan.templates import minutes_text
from stridewise.store import Store

#: (goal value, name, one-line description), in the order the plan form offers them.
GOAL_WORDS: tuple[tuple[str, str, str], ...] = (
    ("start", "Start running", "A gentle run/walk start, in the spirit of couch-to-5K."),
    ("5k", "Run 5 km", "Build up to running 5 km without stopping."),
    ("5mi", "Run 5 miles", "For people who already run 5 km comfortably."),
    ("maintain", "Keep running", "Keep a steady, healthy running habit."),
    ("bone", "Bone health", "Strength, balance and impact work, with walking; no running."),
    ("25day", "25 days of 5 km",
     "A block of daily 5 km runs, offered only to people already running 5 km often."),
)
KIND_WORDS: dict[str, str] = {
    "run_walk": "Run/walk",
    "easy_run": "Easy run",
    "long_run": "Longer run",
    "walk": "Brisk walk",
    "strength": "Strength exercises",
    "balance": "Balance exercises",
    "impact": "Impact exercises",
    "rest": "Rest day",
}
RUN_KINDS = frozenset({"run_walk", "easy_run", "long_run"})
HIDDEN_STATUSES = frozenset({"changed", "cancelled"})
STATUS_WORDS: dict[str, str] = {
    "planned": "To do",
    "done": "Done",
    "missed": "Missed",
    "changed": "Changed",
    "cancelled": "Cancelled",
}


@dataclass(frozen=True)
class SessionView:
    id: int
    day: date
    kind: str
    kind_words: str
    duration_s: float | None
    distance_m: float | None
    status: str
    status_words: str
    reason: str
    steps: tuple[str, ...]
    fit_exportable: bool = False

    @property
    def can_mark(self) -> bool:
        return self.kind != "rest" and self.status in ("planned", "changed", "done", "missed")


@dataclass(frozen=True)
class WeekView:
    monday: date
    sessions: tuple[SessionView, ...]

    @property
    def planned_minutes(self) -> float:
        return sum((s.duration_s or 0.0) for s in self.sessions
                   if s.kind != "rest" and s.status != "cancelled") / 60.0


@dataclass(frozen=True)
class ChangeView:
    at_utc: datetime
    reason: str


@dataclass(frozen=True)
class PlanView:
    id: int
    goal: str
    goal_words: str
    created_at_utc: datetime
    weeks: tuple[WeekView, ...]
    changes: tuple[ChangeView, ...]
    notes: tuple[str, ...]


def _steps(details: dict[str, Any]) -> tuple[str, ...]:
    described = []
    for step in details.get("steps", ()):
        if isinstance(step, list | tuple) and len(step) >= 2:
            kind, seconds = str(step[0]), float(step[1])
            label = str(step[2]) if len(step) > 2 and step[2] else kind
            described.append(f"{label[:1].upper()}{label[1:]}: {minutes_text(round(seconds))}")
    described.extend(str(e) for e in details.get("exercises", ()))
    return tuple(described)


def session_view(row: Any) -> SessionView:
    return SessionView(
        id=row.id, day=row.date, kind=row.kind,
        kind_words=KIND_WORDS.get(row.kind, row.kind.replace("_", " ").capitalize()),
        duration_s=row.duration_s, distance_m=row.distance_m, status=row.status,
        status_words=STATUS_WORDS.get(row.status, row.status), reason=row.reason or "",
        steps=_steps(row.details or {}),
        fit_exportable=(row.kind in RUN_KINDS and row.status == "planned"
                        and bool((row.details or {}).get("steps"))),
    )


def _newest_first(changes: list[Any]) -> tuple[ChangeView, ...]:
    """Newest re-plan first, each re-plan's summary before its day-by-day changes (those carry
    the day they are about in their details)."""
    batches: list[list[ChangeView]] = []
    for change in changes:
        if "day" not in (change.details or {}) or not batches:
            batches.append([])
        batches[-1].append(ChangeView(change.at_utc, change.reason))
    return tuple(view for batch in reversed(batches) for view in batch)


def active_plan_view(store: Store, athlete_id: int, *, since: date | None = None,
                     weeks: int | None = None) -> PlanView | None:
    """The athlete's active plan, optionally only ``weeks`` weeks from the Monday of ``since``."""
    with store.transaction() as tx:
        plan = tx.active_plan(athlete_id)
        if plan is None:
            return None
        start = None if since is None else since - timedelta(days=since.weekday())
        until = None if start is None or weeks is None else start + timedelta(weeks=weeks)
        rows = tx.list_planned_sessions(athlete_id, plan.id, since=start, until=until)
        changes = tx.list_plan_changes(athlete_id, plan.id)
    by_week: dict[date, list[SessionView]] = {}
    # Superseded rows (a re-plan keeps them as 'changed') are history, not the calendar.
    for row in (r for r in rows if r.status not in HIDDEN_STATUSES):
        view = session_view(row)
        by_week.setdefault(view.day - timedelta(days=view.day.weekday()), []).append(view)
    return PlanView(
        id=plan.id, goal=plan.goal, created_at_utc=plan.created_at_utc,
        goal_words=next((words for value, words, _hint in GOAL_WORDS if value == plan.goal),
                        plan.goal),
        weeks=tuple(WeekView(monday, tuple(sessions))
                    for monday, sessions in sorted(by_week.items())),
        changes=_newest_first(changes),
        notes=tuple(str(n) for n in ((plan.params or {}).get("plan") or {}).get("notes", ())),
    )
