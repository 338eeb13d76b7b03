"""Session recipes: run/walk intervals generated from parameters, runs, walks, strength,
balance and impact work, each with a reason a person can read.

The run/walk progression is in the spirit of the 9-week Couch to 5K structure (three sessions
a week, a 5-minute brisk walk first, running bouts that lengthen while the walks shorten until
30 minutes run continuously) but every interval is computed from two parameters, the running
time of the session and how far along the progression it is; nothing is copied.
"""

from __future__ import annotations

import math
from itertools import combinations

from stridewise.plan.model import SessionKind, Step

WARMUP_S = 300
COOLDOWN_S = 300
FIRST_BOUT_S = 60
CONTINUOUS_TARGET_S = 1800
#: Beginners' first sessions run 8 minutes in all (8 x 60 s), the engine's first-run base.
FIRST_RUN_S = 480
WALK_SPEED_MPS = 1.4

STRENGTH_EXERCISES: tuple[tuple[str, ...], ...] = (
    ("sit-to-stand from a chair", "wall press-ups", "heel raises", "glute bridges",
     "resistance-band rows"),
    ("step-ups onto a low step", "split squats (hold a support)", "hamstring curls with a band",
     "side-lying leg raises", "farmer's carry with shopping bags"),
)
RUNNER_STRENGTH_EXERCISES: tuple[tuple[str, ...], ...] = (
    ("goblet squats", "Romanian deadlifts", "single-leg heel raises", "glute bridges",
     "side planks"),
    ("reverse lunges", "Nordic hamstring lowers (assisted)", "step-ups", "hip thrusts",
     "calf raises, bent knee"),
)
BALANCE_EXERCISES: tuple[str, ...] = (
    "heel-to-toe stand by a counter", "single-leg stand (hand near support)",
    "heel-to-toe walk", "sideways walking", "slow sit-to-stand without hands",
)
IMPACT_EXERCISES: tuple[str, ...] = ("heel drops", "stamping on the spot", "low hops (both feet)")


def round15(seconds: float) -> int:
    return int(max(0.0, seconds) // 15 * 15)


def run_walk_steps(running_s: float, max_total_s: float) -> tuple[Step, ...]:
    """Warm-up walk, run bouts with walks between, cool-down walk; total within max_total_s.

    Progress p in [0, 1] is how far ``running_s`` is from 8 to 30 minutes on a log scale; the
    bout grows geometrically from 60 s to continuous and the walk between bouts shrinks from
    1.5x to 0.5x the bout, so the structure follows the running time the guards allow.
    """
    running_s = max(60.0, running_s)
    p = math.log(max(running_s, FIRST_RUN_S) / FIRST_RUN_S) / math.log(
        CONTINUOUS_TARGET_S / FIRST_RUN_S)
    p = min(1.0, max(0.0, p))
    bout_s = FIRST_BOUT_S * (CONTINUOUS_TARGET_S / FIRST_BOUT_S) ** p
    walk_ratio = 1.5 - 1.0 * p
    bouts = max(1, round(running_s / bout_s))
    bout_s = round15(running_s / bouts)
    walk_s = round15(bout_s * walk_ratio)
    warm, cool = WARMUP_S, COOLDOWN_S
    total = warm + cool + bouts * bout_s + (bouts - 1) * walk_s
    if total > max_total_s:
        # Squeeze the walks first (never below 30 s), then the running.
        warm, cool = 180, 120
        spare = max_total_s - warm - cool - bouts * bout_s
        walk_s = round15(min(walk_s, spare / (bouts - 1))) if bouts > 1 else 0
        walk_s = max(walk_s, 30) if bouts > 1 else 0
        while bouts * bout_s + (bouts - 1) * walk_s + warm + cool > max_total_s and bout_s > 15:
            bout_s -= 15
    # The last bout carries what 15-second rounding took off the others, so the running
    # time asked for is the running time given.
    last_s = max(bout_s, round15(running_s) - bout_s * (bouts - 1))
    while bouts * bout_s + (bouts - 1) * walk_s + warm + cool + last_s - bout_s > max_total_s \
            and last_s > bout_s:
        last_s -= 15
    steps = [Step("warmup", warm, "brisk walk")]
    for k in range(bouts):
        steps.append(Step("run", bout_s if k < bouts - 1 else last_s, "easy run"))
        if k < bouts - 1:
            steps.append(Step("walk", walk_s, "walk"))
    steps.append(Step("cooldown", cool, "easy walk"))
    return tuple(steps)


def run_walk_rpe(steps: tuple[Step, ...]) -> float:
    run = sum(s.duration_s for s in steps if s.kind == "run")
    total = sum(s.duration_s for s in steps) or 1
    return round((5.5 * run + 3.0 * (total - run)) / total, 2)


def describe_run_walk(steps: tuple[Step, ...]) -> str:
    runs = [s.duration_s for s in steps if s.kind == "run"]
    walks = [s.duration_s for s in steps if s.kind == "walk"]
    if len(runs) == 1:
        return f"5-minute brisk walk, then {_mins(runs[0])} of easy running, then walk to cool down"
    return (f"5-minute brisk walk, then {len(runs)} x {_mins(runs[0])} easy running with "
            f"{_mins(walks[0])} walking between, then walk to cool down")


def _mins(seconds: int) -> str:
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def strength_session(index: int, runner: bool, duration_s: int) -> tuple[tuple[str, ...], str]:
    sets = RUNNER_STRENGTH_EXERCISES if runner else STRENGTH_EXERCISES
    exercises = sets[index % len(sets)]
    why = ("Strength work 2-3 times a week (WHO 2020); stronger hips and legs load bone and "
           "go with fewer running injuries. 2 sets of 8-12 slow repetitions, stop short of pain.")
    return exercises, why


def impact_count(week_index: int) -> int:
    """Moderate impacts a session, building from 10 to 50 (the ROS's public '50 a day')."""
    return min(50, 10 + 5 * week_index)


def choose_days(available: frozenset[int], count: int, spaced: bool) -> tuple[int, ...]:
    """``count`` weekdays from ``available`` with the largest smallest gap (cyclic, so Sunday
    and Monday are neighbours); with ``spaced`` no two chosen days may be adjacent. Returns
    fewer days when that many cannot be placed."""
    days = sorted(available)
    for n in range(min(count, len(days)), 0, -1):
        best: tuple[int, ...] | None = None
        best_gap = -1
        for combo in combinations(days, n):
            gaps = [(combo[(i + 1) % n] - combo[i]) % 7 or 7 for i in range(n)]
            gap = min(gaps)
            if spaced and gap < 2:
                continue
            if gap > best_gap:
                best, best_gap = combo, gap
        if best is not None:
            return best
    return ()


SESSION_LABEL: dict[SessionKind, str] = {
    SessionKind.RUN_WALK: "run/walk",
    SessionKind.EASY_RUN: "easy run",
    SessionKind.LONG_RUN: "long run",
    SessionKind.WALK: "brisk walk",
    SessionKind.STRENGTH: "strength session",
    SessionKind.BALANCE: "balance session",
    SessionKind.IMPACT: "impact session",
    SessionKind.REST: "rest day",
}
