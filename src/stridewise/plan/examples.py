"""Example people (those named in issue 4) as planner inputs: used by the tests, the benchmark
and the docs, so all three talk about the same people."""

from __future__ import annotations

from datetime import date, timedelta

from stridewise.plan.inputs import PlanInputs, ScreeningFacts
from stridewise.plan.model import Availability, Goal, PastSession, Profile, SessionKind

START = date(2026, 3, 2)
EVERY_DAY = Availability(frozenset(range(7)), 60)


def weekly_runs(weeks: int, weekdays: tuple[int, ...], distance_m: float,
                speed_mps: float = 2.8, long_weekday: int | None = None,
                long_distance_m: float = 0.0) -> list[PastSession]:
    history = []
    for offset in range(weeks * 7, 0, -1):
        day = START - timedelta(days=offset)
        if day.weekday() in weekdays:
            dist = long_distance_m if day.weekday() == long_weekday else distance_m
            history.append(PastSession(day, SessionKind.EASY_RUN, dist / speed_mps, dist, 4.0))
    return history


def run_walk_sessions(weeks: int, weekdays: tuple[int, ...], bout_s: float, running_s: float,
                      duration_s: float, distance_m: float) -> list[PastSession]:
    """Run/walk sessions: ``running_s`` of running in bouts of at most ``bout_s``."""
    return [PastSession(START - timedelta(days=offset), SessionKind.EASY_RUN, duration_s,
                        distance_m, 5.0, running_s, bout_s)
            for offset in range(weeks * 7, 0, -1)
            if (START - timedelta(days=offset)).weekday() in weekdays]


PEOPLE: dict[str, tuple[ScreeningFacts, Profile, list[PastSession]]] = {
    "sedentary 68-year-old woman with osteopenia": (
        ScreeningFacts("moderate_impact", may_run=False, balance_first=True),
        Profile(68, "female"), []),
    "70-year-old with a vertebral fracture": (
        ScreeningFacts("up_to_brisk_walking", may_run=False, balance_first=True),
        Profile(70, "female"), []),
    "45-year-old man returning to running": (
        ScreeningFacts(), Profile(45, "male"),
        weekly_runs(4, (2,), 2500.0, speed_mps=2.3)),
    "62-year-old run/walker (13-minute bouts)": (
        ScreeningFacts(), Profile(62, "female"),
        run_walk_sessions(12, (0, 2, 5), 780.0, 2100.0, 2700.0, 5200.0)),
    "runner doing 40 km a week": (
        ScreeningFacts(), Profile(38, "male"),
        weekly_runs(8, (1, 3, 5, 6), 8000.0, long_weekday=6, long_distance_m=16000.0)),
}


def inputs_for(person: str, goal: Goal, availability: Availability = EVERY_DAY) -> PlanInputs:
    screening, profile, history = PEOPLE[person]
    return PlanInputs(screening, profile, history, availability, START, goal)
