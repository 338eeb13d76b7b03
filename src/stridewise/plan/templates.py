"""Session recipes: run/walk intervals generated from parameters, runs, walks, strength,
balance and impact work, each with a reason a person can read.

The run/walk progression is in the spirit of the 9-week Couch to 5K structure (three sessions
a week, a 5-minute brisk walk first, running bouts that lengthen while the walks shorten until
30 minutes run continuously) but every interval is computed from two parameters, the running
time of the session and the longest bout the person's history allows; nothing is copied.
"""

from __future__ import annotations

import math
from itertools import combinations

from stridewise.plan.model import RUN_KINDS, PlannedSession, SessionKind, Step
from stridewise.science.bone import TYPICAL_WALK_SPEED_MPS
from stridewise.science.pain import Load

WARMUP_S = 300
COOLDOWN_S = 300
FIRST_BOUT_S = 60
CONTINUOUS_TARGET_S = 1800
#: Beginners' first sessions run 8 minutes in all (8 x 60 s), the engine's first-run base.
FIRST_RUN_S = 480
WALK_SPEED_MPS = TYPICAL_WALK_SPEED_MPS
MAX_WALK_BREAK_S = 180
MIN_LAST_BOUT_S = 30

#: For people new to strength work, over 60, or on a bone-health plan: everyday names, each
#: with one line on how to do it, and a chair, a wall or a counter for support.
STRENGTH_EXERCISES: tuple[tuple[str, ...], ...] = (
    ("Sit to stand: from a firm chair, stand up and sit down again slowly, using your hands "
     "only if you need to",
     "Wall press-up: hands on a wall at shoulder height, bend your elbows to bring your chest "
     "towards the wall, then push back",
     "Heel raise: holding a counter, rise onto your toes and lower yourself slowly",
     "Bridge: lie on your back with knees bent, lift your hips off the floor, lower slowly",
     "Band row: pull an exercise band (or a towel looped round a post) towards your ribs, "
     "squeezing your shoulder blades together"),
    ("Step-up: holding the rail, step up onto the bottom stair and down again slowly; change "
     "the leading leg halfway",
     "Supported lunge: one foot in front of the other, holding a chair, bend both knees a "
     "little, then rise",
     "Leg curl: standing and holding a chair, bend one knee to bring your heel towards your "
     "bottom, then lower",
     "Side leg raise: standing and holding a chair, lift one leg out to the side and lower "
     "it slowly",
     "Carry: walk for about 30 seconds holding a full shopping bag in each hand"),
)
#: For runners used to strength work: the same muscles, loaded harder.
RUNNER_STRENGTH_EXERCISES: tuple[tuple[str, ...], ...] = (
    ("goblet squats", "Romanian deadlifts", "single-leg heel raises", "glute bridges",
     "side planks"),
    ("reverse lunges", "Nordic hamstring lowers (assisted)", "step-ups", "hip thrusts",
     "calf raises, bent knee"),
)
BALANCE_EXERCISES: tuple[str, ...] = (
    "Heel-to-toe stand: one foot straight in front of the other, a hand near a counter; hold "
    "for up to 30 seconds",
    "Stand on one leg: a hand near a counter or chair; hold for up to 30 seconds a side",
    "Heel-to-toe walk: ten steps along a counter, each heel touching the other foot's toes",
    "Sideways walk: ten steps one way along a counter, then back",
    "Slow sit to stand: stand up from a chair without using your hands, as slowly as you can",
)
IMPACT_EXERCISES: tuple[str, ...] = ("heel drops", "stamping on the spot", "low hops (both feet)")

_LEG = frozenset({Load.LEG_STRENGTH})
_ARM = frozenset({Load.ARM_STRENGTH})
_LEG_BACK = frozenset({Load.LEG_STRENGTH, Load.BACK_STRENGTH})
_ALL = frozenset({Load.LEG_STRENGTH, Load.BACK_STRENGTH, Load.ARM_STRENGTH})
#: Stepping and lunging land the body's weight on one leg: leg strength with impact, so an ache
#: that needs a doctor (science.pain.LINGER_BARRED) takes them out with the hops.
_STEP = _LEG | {Load.IMPACT}
#: What each strength exercise loads, so a pain stop at a site can take out exactly the
#: exercises that load it (science/pain.py BARRED_BY_REGION). An exercise not listed here is
#: read as loading everything.
EXERCISE_LOADS: dict[str, frozenset[Load]] = dict(zip(
    (*STRENGTH_EXERCISES[0], *STRENGTH_EXERCISES[1]),
    (_LEG, _ARM, _LEG, _LEG_BACK, _ARM,  # sit to stand, wall press-up, heel raise, bridge, row
     _STEP, _STEP, _LEG, _LEG, _ALL),  # step-up, lunge, leg curl, side leg raise, carry
    strict=True)) | dict(zip(
    (*RUNNER_STRENGTH_EXERCISES[0], *RUNNER_STRENGTH_EXERCISES[1]),
    (_ALL, _ALL, _LEG, _LEG_BACK, frozenset({Load.BACK_STRENGTH, Load.ARM_STRENGTH}),
     _STEP, _LEG, _STEP, _LEG_BACK, _LEG),
    strict=True))


def session_loads(session: PlannedSession) -> frozenset[Load]:
    """What a planned session loads: runs run, walks are exercise walking, impact and balance
    sessions their own load, a strength session the loads of its exercises."""
    if session.kind in RUN_KINDS:
        return frozenset({Load.RUNNING})
    if session.kind == SessionKind.STRENGTH:
        return frozenset().union(*(EXERCISE_LOADS.get(e, _ALL) for e in session.exercises)
                                 ) if session.exercises else _ALL
    return KIND_LOADS.get(session.kind, frozenset())


KIND_LOADS: dict[SessionKind, frozenset[Load]] = {
    SessionKind.WALK: frozenset({Load.EXERCISE_WALKING}),
    SessionKind.IMPACT: frozenset({Load.IMPACT}),
    SessionKind.BALANCE: frozenset({Load.STANDING_BALANCE}),
    SessionKind.STRENGTH: _ALL,
}


def round15(seconds: float) -> int:
    return int(max(0.0, seconds) // 15 * 15)


def starting_bout_s(running_s: float) -> float:
    """The recipe's bout for a session with ``running_s`` of running when nothing is known about
    the person's bouts: 60 s at 8 minutes, growing geometrically to continuous at 30 minutes
    (progress p = log(R/8 min)/log(30 min/8 min), bout = 60 s x 30^p)."""
    return FIRST_BOUT_S * (CONTINUOUS_TARGET_S / FIRST_BOUT_S) ** _progress(running_s)


def walk_break_s(bout_s: float) -> int:
    """The walk between two bouts: 1.5x the bout at 60 s, shrinking to 0.5x at 30 minutes,
    never over 3 minutes (Couch to 5K's walks stay at 1-3 minutes as the runs lengthen)."""
    p = min(1.0, max(0.0, math.log(max(bout_s, FIRST_BOUT_S) / FIRST_BOUT_S)
                     / math.log(CONTINUOUS_TARGET_S / FIRST_BOUT_S)))
    return min(MAX_WALK_BREAK_S, max(30, round15((1.5 - p) * bout_s)))


def _progress(running_s: float) -> float:
    p = math.log(max(running_s, FIRST_RUN_S) / FIRST_RUN_S) / math.log(
        CONTINUOUS_TARGET_S / FIRST_RUN_S)
    return min(1.0, max(0.0, p))


def run_walk_steps(running_s: float, bout_s: float, max_total_s: float) -> tuple[Step, ...]:
    """Warm-up walk, run bouts of at most ``bout_s`` with walks between, cool-down walk; the
    total within ``max_total_s``.

    The running time is given as whole bouts of ``bout_s`` plus a shorter last bout for what is
    left (dropped when under 30 s), so no bout is ever longer than the bout the guards allow
    and the running time asked for is, to within 30 s, the running time given. When time is
    short the walks shrink to 90 s, then the short last bout, then the warm-up, cool-down and
    walks (never below 30 s), then running comes off the end.
    """
    running = round15(max(60.0, running_s))
    bout = max(15, round15(min(max(bout_s, 15.0), running)))
    runs = [bout] * (running // bout)
    rest = running - bout * len(runs)
    if rest >= MIN_LAST_BOUT_S:
        runs.append(rest)
    walk = walk_break_s(bout)
    warm, cool = WARMUP_S, COOLDOWN_S

    def total() -> int:
        return warm + cool + sum(runs) + (len(runs) - 1) * walk

    def squeeze_walks(shortest_s: int) -> int:
        if len(runs) < 2:
            return walk
        spare = max_total_s - warm - cool - sum(runs)
        return max(shortest_s, min(walk, round15(spare / (len(runs) - 1))))

    # When time is short: walks down to 90 s, then the short last bout, then the warm-up,
    # cool-down and walks (never below 30 s), then running from the end.
    walk = squeeze_walks(90)
    while total() > max_total_s and len(runs) > 1 and runs[-1] < bout:
        runs[-1] -= 15
        if runs[-1] < MIN_LAST_BOUT_S:
            runs.pop()
    if total() > max_total_s:
        warm, cool = 180, 120
        walk = squeeze_walks(30)
    while total() > max_total_s and (len(runs) > 1 or runs[0] > 15):
        runs[-1] -= 15
        if runs[-1] < 60 and len(runs) > 1:
            runs.pop()
    steps = [Step("warmup", warm, "brisk walk")]
    for k, run in enumerate(runs):
        steps.append(Step("run", run, "easy run"))
        if k < len(runs) - 1:
            steps.append(Step("walk", walk, "walk"))
    steps.append(Step("cooldown", cool, "easy walk"))
    return tuple(steps)


def run_walk_rpe(steps: tuple[Step, ...]) -> float:
    run = sum(s.duration_s for s in steps if s.kind == "run")
    total = sum(s.duration_s for s in steps) or 1
    return round((5.5 * run + 3.0 * (total - run)) / total, 2)


def describe_run_walk(steps: tuple[Step, ...]) -> str:
    """The session in words, with the durations the steps really have."""
    warm = next((s.duration_s for s in steps if s.kind == "warmup"), 0)
    runs = [s.duration_s for s in steps if s.kind == "run"]
    walks = [s.duration_s for s in steps if s.kind == "walk"]
    first = f"{_minutes_adj(warm)} brisk walk, then " if warm else ""
    if len(runs) == 1:
        running = f"{minutes_text(runs[0])} of easy running"
    elif all(r == runs[0] for r in runs):
        running = (f"{len(runs)} x {minutes_text(runs[0])} easy running with "
                   f"{minutes_text(walks[0])} walking between")
    else:
        first_bouts = minutes_text(runs[0])
        firsts = first_bouts if len(runs) == 2 else f"{len(runs) - 1} x {first_bouts}"
        running = (f"{firsts} and a last {minutes_text(runs[-1])} of easy running, with "
                   f"{minutes_text(walks[0])} walking between")
    return f"{first}{running}, then walk to cool down"


def _minutes_adj(seconds: int) -> str:
    """'5-minute' (as in 'a 5-minute brisk walk'), or '2 min 30 s'."""
    return f"{seconds // 60}-minute" if seconds % 60 == 0 else minutes_text(seconds)


def minutes_text(seconds: int) -> str:
    """'8 min', '1 min 30 s' or '45 s': the exact time, as the steps give it."""
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def strength_session(index: int, runner: bool, duration_s: int, *,
                     barred: frozenset[Load] = frozenset(),
                     runs: bool = True) -> tuple[tuple[str, ...], str]:
    """The exercises of a strength session: ``runner`` for runners used to strength work, the
    plain, described set otherwise; none that loads a ``barred`` load (a pain stop). The
    reason speaks of running only in a plan that has running (``runs``)."""
    sets = RUNNER_STRENGTH_EXERCISES if runner else STRENGTH_EXERCISES
    exercises = tuple(e for e in sets[index % len(sets)]
                      if not EXERCISE_LOADS.get(e, _ALL) & barred)
    if barred & _ALL:
        # Keep the exercises that spare the painful site, from both sets.
        exercises = tuple(dict.fromkeys(
            e for group in sets for e in group if not EXERCISE_LOADS.get(e, _ALL) & barred))
    why = ("Strength work 2-3 times a week (WHO 2020; Too Fit To Fracture: at least twice a "
           "week); stronger muscles load bone and ")
    why += ("go with fewer running injuries." if runs
            else "make everyday tasks and keeping your balance easier.")
    why += " 2 sets of 8-12 slow repetitions, stop short of pain."
    if barred & _ALL:
        why += " Only exercises that spare the painful spot until a doctor has checked it."
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
