"""Plan generation time for every goal and the people named in issue 4 (budget: 50 ms each)."""

from __future__ import annotations

import statistics
import time

from stridewise.plan.engine import build_plan
from stridewise.plan.examples import PEOPLE, inputs_for
from stridewise.plan.guards import check_plan
from stridewise.plan.inputs import PlanUnavailableError
from stridewise.plan.model import Goal

REPEATS = 20
BUDGET_MS = 50.0


def _median_ms(func: object, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        func()  # type: ignore[operator]
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run() -> str:
    rows = ["| person | goal | plan goal | weeks | build ms (median) | re-check ms |",
            "|---|---|---|---:|---:|---:|"]
    worst = 0.0
    for person in sorted(PEOPLE):
        for goal in Goal:
            inputs = inputs_for(person, goal)
            try:
                plan = build_plan(inputs)
            except PlanUnavailableError:
                rows.append(f"| {person} | {goal.value} | not offered | | | |")
                continue
            build = _median_ms(lambda inputs=inputs: build_plan(inputs))
            check = _median_ms(lambda plan=plan, inputs=inputs: check_plan(
                plan, inputs.history, inputs.settings, may_run=inputs.screening.may_run,
                impact_permitted=inputs.screening.impact_permitted,
                minutes_per_day=inputs.availability.minutes_per_day))
            worst = max(worst, build)
            rows.append(f"| {person} | {goal.value} | {plan.goal.value} | {plan.weeks()} | "
                        f"{build:.1f} | {check:.1f} |")
    verdict = "within" if worst < BUDGET_MS else "OVER"
    return ("## Plan generation\n\nEvery plan is built and then re-checked against every guard "
            f"(the re-check is part of the build time). Slowest: {worst:.1f} ms, {verdict} the "
            f"{BUDGET_MS:.0f} ms budget.\n\n" + "\n".join(rows))
