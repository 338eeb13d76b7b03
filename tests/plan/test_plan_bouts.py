"""The bout rule: continuous running grows from the longest continuous bout a person has done,
not from their total running time, and the words never contradict the numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from stridewise.plan.engine import build_plan
from stridewise.plan.guards import GuardSettings, check_plan
from stridewise.plan.inputs import PlanInputs, PlanUnavailableError, ScreeningFacts
from stridewise.plan.model import (
    RUN_KINDS,
    Availability,
    Goal,
    PastSession,
    Plan,
    PlannedSession,
    Profile,
    SessionKind,
    Step,
    week_start,
)
from stridewise.plan.persist import load_history
from stridewise.plan.templates import run_walk_steps

START = date(2026, 3, 2)
MON_WED_SAT = Availability(frozenset({0, 2, 5}), 45)


def _history(bout_min: float | None, run_min: float, duration_min: float,
             weeks: int = 12) -> list[PastSession]:
    """Three sessions a week (Mon, Wed, Sat) for ``weeks`` weeks before START."""
    out = []
    for week in range(weeks, 0, -1):
        for weekday in (0, 2, 5):
            day = START - timedelta(weeks=week) + timedelta(days=weekday)
            out.append(PastSession(
                day, SessionKind.EASY_RUN, duration_min * 60, 5200.0, 5.0, run_min * 60,
                None if bout_min is None else bout_min * 60))
    return out


# The demo's 62-year-old: 12 weeks of run/walk, 5-minute walk then up to 13 minutes of running
# with 90 s walks, about 45 minutes a session and 35 minutes of running.
RUN_WALKER = _history(13.0, 35.0, 45.0)
CONTINUOUS_30 = _history(30.0, 30.0, 31.0)


def _plan(history: list[PastSession], goal: Goal) -> tuple[Plan, PlanInputs]:
    inputs = PlanInputs(ScreeningFacts(), Profile(62, "female"), history, MON_WED_SAT, START,
                        goal)
    return build_plan(inputs), inputs


def _runs(plan: Plan) -> list[PlannedSession]:
    return [s for s in plan.sessions if s.kind in RUN_KINDS and s.active]


@pytest.mark.parametrize("goal", [Goal.START, Goal.FIVE_K, Goal.MAINTAIN])
def test_run_walker_gets_bouts_of_about_14_minutes_in_week_1(goal: Goal) -> None:
    plan, _ = _plan(RUN_WALKER, goal)
    week_1 = [s for s in _runs(plan) if s.day < START + timedelta(weeks=1)]
    assert week_1
    assert all(s.longest_bout_s <= 14.3 * 60 for s in week_1)
    assert all(s.kind == SessionKind.RUN_WALK for s in week_1)
    # Total running still follows the person's 35 minutes (the spike guard, not the bout),
    # less the time the week's strength and balance doses take on these 45-minute days (each
    # of the 3 free days holds a run and a dose).
    assert max(s.running_s for s in week_1) >= 25 * 60


@pytest.mark.parametrize("goal", [Goal.START, Goal.FIVE_K, Goal.FIVE_MILES, Goal.MAINTAIN])
def test_run_walker_bouts_grow_at_most_10_percent_a_week(goal: Goal) -> None:
    plan, _ = _plan(RUN_WALKER, goal)
    longest: dict[date, int] = {}
    for s in _runs(plan):
        monday = week_start(s.day)
        longest[monday] = max(longest.get(monday, 0), s.longest_bout_s)
    previous = 13 * 60.0
    for monday in sorted(longest):
        assert longest[monday] <= 1.1 * previous + 1e-6, (monday, longest[monday], previous)
        previous = max(previous, longest[monday])
    assert previous > 13 * 60 or goal == Goal.MAINTAIN


def test_run_walker_asking_for_5k_is_not_told_the_distance_is_covered() -> None:
    plan, _ = _plan(RUN_WALKER, Goal.FIVE_K)
    assert not any("already covers this distance" in note for note in plan.notes)
    assert any("walk breaks" in note for note in plan.notes)


def test_continuous_30_minute_runner_still_gets_continuous_runs() -> None:
    five_k, _ = _plan(CONTINUOUS_30, Goal.FIVE_K)
    week_1 = [s for s in _runs(five_k) if s.day < START + timedelta(weeks=1)]
    assert {s.kind for s in week_1} == {SessionKind.EASY_RUN, SessionKind.LONG_RUN}
    assert max(s.longest_bout_s for s in week_1) >= 30 * 60
    start, _ = _plan(CONTINUOUS_30, Goal.START)
    week_1 = [s for s in _runs(start) if s.day < START + timedelta(weeks=1)]
    assert all(s.longest_bout_s == s.running_s for s in week_1)  # continuous
    # The 45-minute days hold a strength or balance dose beside the run: the day with the
    # short balance session keeps the full 30 minutes.
    assert max(s.running_s for s in week_1) == 30 * 60


@pytest.mark.parametrize("history", [RUN_WALKER, CONTINUOUS_30, _history(None, 20.0, 21.0), []])
@pytest.mark.parametrize("goal", [Goal.START, Goal.FIVE_K, Goal.FIVE_MILES, Goal.MAINTAIN])
def test_reasons_never_promise_less_than_the_session_gives(
    history: list[PastSession], goal: Goal,
) -> None:
    plan, _ = _plan(history, goal)
    for s in _runs(plan):
        towards = re.search(r"building towards (\d+) minutes", s.reason)
        if towards:
            assert s.longest_bout_s <= int(towards.group(1)) * 60 + 30, s.reason
        assert not re.search(r"5-minute brisk walk", s.reason) or s.steps[0].duration_s == 300


def test_past_session_bout_when_unknown() -> None:
    day = START - timedelta(days=3)
    continuous = PastSession(day, SessionKind.EASY_RUN, 1800.0, run_s=1750.0)
    run_walk = PastSession(day, SessionKind.EASY_RUN, 2700.0, run_s=2100.0)
    no_stream = PastSession(day, SessionKind.EASY_RUN, 1500.0)
    known = PastSession(day, SessionKind.EASY_RUN, 2700.0, run_s=2100.0, longest_bout_s=780.0)
    planned_run_walk = PastSession(day, SessionKind.RUN_WALK, 1500.0)
    walk = PastSession(day, SessionKind.WALK, 1500.0, longest_bout_s=600.0)
    assert continuous.bout_s == 1750.0
    assert run_walk.bout_s == 0.0
    assert no_stream.bout_s == 1500.0
    assert known.bout_s == 780.0
    assert planned_run_walk.bout_s == 0.0
    assert walk.bout_s == 0.0


def test_planned_session_bout_comes_from_its_steps() -> None:
    steps = run_walk_steps(30 * 60, 14 * 60, 45 * 60)
    session = PlannedSession(START, "am", SessionKind.RUN_WALK, sum(s.duration_s for s in steps),
                             "r", steps)
    assert session.longest_bout_s == 14 * 60
    assert session.running_s == 30 * 60
    assert session.as_past().bout_s == 14 * 60
    assert max(s.duration_s for s in steps if s.kind == "run") <= 14 * 60


def test_check_plan_catches_a_continuous_run_past_the_longest_bout() -> None:
    plan, inputs = _plan(RUN_WALKER, Goal.START)
    first = _runs(plan)[0]
    # Same running time, but in one go: the old flaw.
    one_go = first.with_changes(steps=(Step("warmup", 300, "brisk walk"),
                                       Step("run", first.running_s, "easy run"),
                                       Step("cooldown", 300, "easy walk")))
    broken = Plan(plan.goal, plan.start, plan.end,
                  tuple(one_go if s is first else s for s in plan.sessions), plan.notes,
                  plan.beginner)
    found = check_plan(broken, inputs.history, GuardSettings(), may_run=True,
                       impact_permitted=True, minutes_per_day=45)
    assert [v.rule for v in found] == ["bout"]
    assert check_plan(plan, inputs.history, GuardSettings(), may_run=True,
                      impact_permitted=True, minutes_per_day=45) == []


@dataclass
class _Activity:
    id: int
    sport: str
    start_time_utc: datetime
    utc_offset_s: int
    moving_s: float
    distance_m: float
    rpe: float | None = None


class _Tx:
    """The few store calls load_history makes; counts stream fetches."""

    def __init__(self, stream: dict[str, Any]) -> None:
        self.stream = stream
        self.stream_fetches = 0

    def get_athlete(self, athlete_id: int) -> None:
        return None

    def list_activities(self, athlete_id: int, since: datetime, until: datetime) -> list[Any]:
        return [_Activity(1, "run", datetime(2026, 2, 20, 9, tzinfo=UTC), 0, 2700.0, 5200.0)]

    def list_manual_sessions(self, athlete_id: int, since: datetime,
                             until: datetime) -> list[Any]:
        return []

    def get_stream(self, athlete_id: int, activity_id: int) -> dict[str, Any]:
        self.stream_fetches += 1
        return self.stream


def test_load_history_reads_running_time_and_longest_bout_from_one_stream_fetch() -> None:
    # 5 min walk, then 13 min run / 90 s walk twice, then 9 min run, walked cool-down.
    pattern = [(300, 100.0), (780, 165.0), (90, 100.0), (780, 165.0), (90, 100.0),
               (540, 165.0), (120, 100.0)]
    cadence = np.concatenate([np.full(n, c) for n, c in pattern])
    stream = {"time_s": np.arange(cadence.size, dtype=float), "cadence_spm": cadence}
    tx = _Tx(stream)
    history = load_history(tx, 1, date(2026, 2, 1), date(2026, 3, 1))
    assert tx.stream_fetches == 1
    (session,) = history
    assert session.run_s == pytest.approx(2100, abs=3)
    assert session.longest_bout_s == pytest.approx(780, abs=3)
    assert session.bout_s == pytest.approx(780, abs=3)


def test_run_walker_is_not_offered_25_daily_continuous_5_km_runs() -> None:
    inputs = PlanInputs(ScreeningFacts(), Profile(62, "female"), RUN_WALKER,
                        Availability(frozenset(range(7)), 60), START, Goal.DAILY_25)
    with pytest.raises(PlanUnavailableError, match="without walk breaks"):
        build_plan(inputs)
