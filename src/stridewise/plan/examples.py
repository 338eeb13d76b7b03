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
    "runner doing 40 km a week": (
        ScreeningFacts(), Profile(38, "male"),
        weekly_runs(8, (1, 3, 5, 6), 8000.0, long_weekday=6, long_distance_m=16000.0)),
}


def inputs_for(person: str, goal: Goal, availability: Availability = EVERY_DAY) -> PlanInputs:
    screening, profile, history = PEOPLE[person]
    return PlanInputs(screening, profile, history, availability, START, goal)
