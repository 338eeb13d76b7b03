"""Every plan week keeps its strength dose (2 sessions a week, WHO 2020 / Too Fit To Fracture),
swept over goals, free days, minutes, ages and histories; where the free time truly cannot hold
it beside the runs, the plan says so, with the numbers, instead of promising it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stridewise.plan.engine import MIN_RUN_DAY_S, build_plan
from stridewise.plan.goals import MIN_STRENGTH_S
from stridewise.plan.inputs import PlanInputs, ScreeningFacts
from stridewise.plan.model import Availability, Goal, PastSession, Profile, SessionKind

START = date(2026, 11, 30)  # a Monday
DAY_SETS = [(0, 2, 4), (1, 3, 5), (0, 1, 2), (4, 5, 6), (0, 2, 4, 6), (0, 1, 2, 3, 4)]


def _runner() -> list[PastSession]:
    return [PastSession(START - timedelta(weeks=w) + timedelta(days=d), SessionKind.EASY_RUN,
                        1800.0, 5000.0, 5.0) for w in range(1, 7) for d in (0, 2, 4)]


@pytest.mark.parametrize("goal", [Goal.START, Goal.FIVE_K, Goal.FIVE_MILES, Goal.MAINTAIN,
                                  Goal.BONE])
def test_every_week_meets_its_strength_dose_or_says_why(goal: Goal) -> None:
    weeks = short_weeks = 0
    for days in DAY_SETS:
        for minutes in (30, 45, 60, 90):
            for age in (30, 65):
                for history in ([], _runner()):
                    inputs = PlanInputs(ScreeningFacts(), Profile(age, "female"), history,
                                        Availability(frozenset(days), minutes), START, goal)
                    plan = build_plan(inputs)
                    n = (plan.end - START).days // 7 + 1
                    short = [k for k in range(n) if sum(
                        1 for s in plan.sessions if s.active and s.kind == SessionKind.STRENGTH
                        and 0 <= (s.day - START).days - 7 * k < 7) < 2]
                    weeks += n
                    short_weeks += len(short)
                    if not short:
                        continue
                    case = (goal.value, days, minutes, age, len(history), short)
                    # Only where a run day cannot hold a run and the dose's minimum...
                    assert minutes * 60 < MIN_RUN_DAY_S + MIN_STRENGTH_S, case
                    assert goal != Goal.BONE, case  # bone plans always keep their doses
                    # ... and then the plan says so, with the numbers.
                    assert any(f"{len(short)} of the {n} weeks hold fewer than the 2 strength "
                               f"sessions the plan aims for: with {len(days)} free days of "
                               f"{minutes} minutes" in note for note in plan.notes), case
    assert weeks > 0
