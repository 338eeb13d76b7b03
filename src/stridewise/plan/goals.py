"""What each goal asks for, week by week, before guards and the calendar have their say.

A goal turns its progression state into a list of :class:`Want` (a session it would like);
the engine then places them on free days and clamps them to the guards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stridewise.plan.guards import GuardSettings
from stridewise.plan.inputs import HistoryFacts, PlanInputs, walking_baseline
from stridewise.plan.model import MILE_M, Goal, SessionKind
from stridewise.plan.templates import (
    BALANCE_EXERCISES,
    CONTINUOUS_TARGET_S,
    FIRST_BOUT_S,
    FIRST_RUN_S,
    IMPACT_EXERCISES,
    impact_count,
    minutes_text,
    round15,
    starting_bout_s,
    strength_session,
)
from stridewise.science.falls import BALANCE_PHASE_SESSIONS_PER_WEEK, BALANCE_PHASE_WEEKS
from stridewise.science.pain import Load

DEFAULT_WEEKS: dict[Goal, int] = {
    Goal.START: 9, Goal.FIVE_K: 9, Goal.FIVE_MILES: 10, Goal.DAILY_25: 9,
    Goal.MAINTAIN: 8, Goal.BONE: 12,
}
BEGINNER_GROWTH_PER_RUN = 1.065
LONG_RUN_GROWTH_PER_WEEK = 1.08
WALK_GROWTH_PER_WEEK = 1.08
#: 5k, 5mi and maintain use run/walk until the longest bout reaches 20 min, then runs.
CONTINUOUS_FROM_S = 1200
#: The continuous bout grows at most 10% a week (the guard allows 10% a session); below the
#: 8-minute base, which the guards allow from the first day, bouts grow half again a week, as
#: in Couch to 5K's first weeks (60 s, then 90 s).
BOUT_GROWTH_PER_WEEK = 1.10
BOUT_GROWTH_BELOW_BASE = 1.5
LIGHTER_SCALE = 0.7
#: Useful minimum lengths (docs/plans.md): no session is planned shorter than these. Strength:
#: 2 sets of 8-12 repetitions of 5 exercises take about 15 minutes; balance: 10 minutes a
#: session (Too Fit To Fracture's 15-20 a day is built from such blocks [S]); walking: the
#: 10-minute bout the IPAQ and the 2010 WHO guidance counted [S]; impact: 5 minutes.
MIN_STRENGTH_S = 900
MIN_BALANCE_S = 600
MIN_WALK_S = 600.0
MAX_WALK_S = 2700.0
MIN_IMPACT_S = 300
#: Bone plans: strength on 2 days a week (Too Fit To Fracture: at least twice a week; Strong,
#: Steady and Straight: 2-3 times [V]), walks 3 to 5 a week.
BONE_STRENGTH_PER_WEEK = 2
BONE_STRENGTH_MIN = 20
MIN_WALKS = 3
MAX_WALKS = 5
#: From this age the plan offers the plain, supported strength exercises.
PLAIN_STRENGTH_AGE = 60
#: The daily-5 km block: three build weeks, a lighter week, 25 days, then a lighter week.
DAILY_25_RUNS = (4, 5, 6, 3, 7, 7, 7, 4, 3)
DAILY_25_BLOCK_START_WEEK = 4
STUDY_NOTE = (
    "The 25-day block follows the design of a study (Cell, 2025, Geng and colleagues) in which "
    "13 healthy young men ran 5 km a day for 25 days after a 45-day period of restricted "
    "exercise; it measured blood, stool and single-cell markers and found changes in betaine "
    "metabolism. It was small, short, in young men only, and did not measure injuries, fitness "
    "or long-term health, so it does not show that the block is good for you: treat it as an "
    "experiment for someone already running 5 km comfortably.")


@dataclass
class Want:
    kind: SessionKind
    duration_s: int
    rpe: float
    reason: str
    running_s: int = 0
    #: Run/walk: the longest continuous bout the goal asks for.
    bout_s: int = 0
    exercises: tuple[str, ...] = ()
    long: bool = False
    weekday: int | None = None


@dataclass
class Progress:
    """The goal's progression state, advanced by the engine from what was actually planned."""

    run_level_s: float
    walk_level_s: float
    target_run_s: float
    #: The longest continuous bout so far (0 when unknown) and the goal's continuous target.
    bout_level_s: float
    target_bout_s: float
    runs_per_week: int
    weeks: int
    lighter_weeks: frozenset[int]
    notes: list[str] = field(default_factory=list)
    #: Beginners and people over 60 get the plain, described strength exercises.
    plain_strength: bool = False
    #: Bone plans: brisk walks a week, from what the person already does.
    walks_per_week: int = 3


def initial_progress(goal: Goal, inputs: PlanInputs, facts: HistoryFacts) -> Progress:
    weeks = inputs.weeks or DEFAULT_WEEKS[goal]
    if inputs.screening.balance_phase:
        # World Falls Guidelines: progressive balance and strength for at least 12 weeks.
        weeks = max(weeks, BALANCE_PHASE_WEEKS)
    if goal == Goal.DAILY_25:
        weeks = len(DAILY_25_RUNS)
    every = inputs.settings.lighter_every_weeks
    lighter = frozenset(range(every - 1, weeks, every))
    if goal == Goal.DAILY_25:
        lighter = frozenset({3, 7, 8})
    max_s = inputs.availability.minutes_per_day * 60
    targets = {
        Goal.START: CONTINUOUS_TARGET_S,
        Goal.FIVE_K: 5000 / facts.pace_mps,
        Goal.FIVE_MILES: 5 * MILE_M / facts.pace_mps,
        Goal.DAILY_25: 5000 / facts.pace_mps,
        Goal.MAINTAIN: max(facts.longest_run_30d_s, FIRST_RUN_S),
        Goal.BONE: 0.0,
    }
    notes: list[str] = []
    level = max(facts.longest_run_30d_s, FIRST_RUN_S)
    bout = facts.longest_bout_30d_s
    target_run = min(targets[goal], max_s)
    if goal == Goal.START:
        level = min(level, targets[goal])
    elif goal in (Goal.FIVE_K, Goal.FIVE_MILES) and level >= targets[goal]:
        if bout >= min(targets[goal], max_s):
            notes.append("Your longest recent run already covers this distance, so the plan "
                         "holds your current level rather than building further.")
        else:
            notes.append(
                "Your recent sessions already add up to this much running, but with walk "
                f"breaks: your longest continuous stretch was about {bout / 60:.0f} minutes. "
                "The plan first lengthens the running stretches, by no more than 10% a week, "
                "because continuous running is what your body has to get used to.")
    runs = 3
    if goal == Goal.MAINTAIN:
        runs = min(5, max(2, round(facts.runs_per_week)))
    elif goal == Goal.FIVE_MILES and facts.runs_per_week >= 4:
        runs = 4
    target_bout = target_run if goal in (Goal.START, Goal.DAILY_25) else min(
        CONTINUOUS_FROM_S, target_run)
    walking = walking_baseline(inputs.history, inputs.start,
                               days_per_week=inputs.screening.walking_days_per_week,
                               minutes_per_day=inputs.screening.walking_minutes_per_day,
                               device_days=inputs.device_walking)
    if goal == Goal.BONE and walking.source != "default":
        where = {"recorded": "your recorded walks",
                 "phone": "the brisk walking your phone or watch counted"}.get(
            walking.source, "your answer")
        notes.append(f"Your walks start at about {walking.minutes_per_walk:.0f} minutes, "
                     f"what you already walk ({where}).")
    return Progress(
        run_level_s=level,
        walk_level_s=min(MAX_WALK_S, max(MIN_WALK_S, walking.minutes_per_walk * 60.0)),
        walks_per_week=int(min(MAX_WALKS, max(MIN_WALKS, round(walking.walks_per_week)))),
        target_run_s=target_run,
        bout_level_s=bout,
        target_bout_s=target_bout,
        runs_per_week=runs,
        weeks=weeks,
        lighter_weeks=lighter,
        notes=notes,
        plain_strength=(goal == Goal.START or facts.beginner
                        or inputs.profile.age_years >= PLAIN_STRENGTH_AGE),
    )


def week_wants(goal: Goal, inputs: PlanInputs, p: Progress, week: int) -> list[Want]:
    lighter = week in p.lighter_weeks
    wants: list[Want] = []
    if goal == Goal.BONE:
        wants += _bone_wants(inputs, p, week, lighter)
    elif goal == Goal.DAILY_25:
        wants += _daily25_runs(p, week)
    else:
        wants += _run_wants(goal, p, week, lighter, inputs.settings)
    if goal != Goal.BONE:
        n_balance = 2 if inputs.screening.balance_first else 1
        wants += _strength(2, runner=not p.plain_strength, lighter=lighter, minutes=20,
                           barred=_barred(inputs), runs=True)
        wants += _balance(n_balance, lighter, _barred(inputs))
    return wants


def _barred(inputs: PlanInputs) -> frozenset[Load]:
    return frozenset(Load(value) for value in inputs.barred_loads)


def week_bout_s(p: Progress, settings: GuardSettings, hold: bool) -> float:
    """The longest continuous bout this week's runs may hold: last week's longest bout grown
    by at most 10% (half again below the 8-minute base the guards allow anyway), never past
    the goal's continuous target and never past what the bout guard allows."""
    level = p.bout_level_s
    if level < FIRST_BOUT_S:
        # Bouts unknown: the recipe's bout for this running time, within the base.
        return min(starting_bout_s(p.run_level_s), float(settings.first_run_base_s))
    if hold or level >= p.target_bout_s:
        return level
    base = float(settings.first_run_base_s)
    growth = BOUT_GROWTH_BELOW_BASE if level < base else BOUT_GROWTH_PER_WEEK
    return min(level * growth, max(level, base) * settings.spike_ratio_max, p.target_bout_s)


def _run_wants(goal: Goal, p: Progress, week: int, lighter: bool,
               settings: GuardSettings) -> list[Want]:
    wants: list[Want] = []
    level = p.run_level_s
    if lighter:
        light_s = level * LIGHTER_SCALE
        light = Progress(light_s, p.walk_level_s, light_s, min(p.bout_level_s, light_s),
                         min(p.target_bout_s, light_s), p.runs_per_week, p.weeks, frozenset())
        wants = _run_wants(Goal.MAINTAIN, light, week, lighter=False, settings=settings)
        for want in wants:
            want.reason = (f"Lighter week {week + 1}: less running so your body absorbs the "
                           "last few weeks.")
        return wants
    bout = week_bout_s(p, settings, hold=goal == Goal.MAINTAIN)
    if goal == Goal.START or bout < p.target_bout_s:
        for _ in range(p.runs_per_week):
            grow = BEGINNER_GROWTH_PER_RUN if goal != Goal.MAINTAIN else 1.0
            level = min(max(level * grow, level), max(p.target_run_s, level))
            if goal == Goal.MAINTAIN:
                level = p.target_run_s
            wants.append(Want(SessionKind.RUN_WALK, 0, 0.0,
                              _run_walk_reason(goal, p, week, bout, level),
                              running_s=int(level), bout_s=int(min(bout, level))))
        return wants
    grow = 1.0 if goal == Goal.MAINTAIN else LONG_RUN_GROWTH_PER_WEEK
    long_s = min(max(level * grow, level), max(p.target_run_s, level))
    if goal == Goal.MAINTAIN:
        long_s = p.target_run_s
    # A continuous run is one bout: it grows from the longest bout, not from total running
    # time (someone who ran 35 minutes as 2 x 17 has a 17-minute bout, not a 35-minute run).
    long_s = min(long_s, max(bout, p.bout_level_s * grow))
    for _ in range(p.runs_per_week - 1):
        wants.append(Want(SessionKind.EASY_RUN, 0, 0.0,
                          f"Week {week + 1}: easy run at a pace you could chat at.",
                          running_s=int(max(600.0, 0.65 * long_s))))
    wants.append(Want(SessionKind.LONG_RUN, 0, 0.0, _long_run_reason(goal, p, week, long_s),
                      running_s=int(long_s), long=True))
    return wants


def _run_walk_reason(goal: Goal, p: Progress, week: int, bout_s: float, running_s: float) -> str:
    head = f"Week {week + 1} of {p.weeks}: "
    easy = " Easy pace: you should be able to talk."
    target_min = f"{p.target_bout_s / 60:.0f} minutes"
    if goal == Goal.MAINTAIN:
        return (f"{head}run/walk at your current level (running stretches of up to "
                f"{minutes_text(round15(bout_s))}), held steady.{easy}")
    if p.bout_level_s >= p.target_bout_s and running_s >= p.target_run_s:
        return (f"{head}you can already run {target_min} without a break, which is what this "
                f"goal builds towards, so the plan holds your level.{easy}")
    if bout_s >= p.target_bout_s:
        return f"{head}{target_min} of continuous running, what this goal builds towards.{easy}"
    return (f"{head}run/walk, building towards {target_min} of continuous running; the "
            f"running stretches grow by no more than 10% a week.{easy}")


def _long_run_reason(goal: Goal, p: Progress, week: int, long_s: float) -> str:
    head = f"Week {week + 1}: the week's longest run"
    target_min = f"{p.target_run_s / 60:.0f} minutes"
    if goal == Goal.MAINTAIN:
        return f"{head}, held at your current level."
    if long_s >= p.target_run_s and min(p.run_level_s, p.bout_level_s) >= p.target_run_s:
        return (f"{head}. You already run {target_min} or more without a break, which is what "
                "this goal builds towards, so the plan holds your level.")
    if long_s >= p.target_run_s:
        return f"{head} reaches the {target_min} this goal builds towards."
    return (f"{head}, building towards {target_min}; it grows by less than 10% a week.")


def _daily25_runs(p: Progress, week: int) -> list[Want]:
    count = DAILY_25_RUNS[week]
    in_block = DAILY_25_BLOCK_START_WEEK <= week < DAILY_25_BLOCK_START_WEEK + 4
    wants = []
    for k in range(count):
        if in_block:
            day_number = (week - DAILY_25_BLOCK_START_WEEK) * 7 + k + 1
            reason = f"Day {day_number} of 25: an easy 5 km. Stop and rest if anything hurts."
            weekday: int | None = k
        else:
            reason = ("Build-up to the 25-day block: one more easy 5 km a week."
                      if week < DAILY_25_BLOCK_START_WEEK
                      else "Lighter week after the block: let your legs recover.")
            weekday = None
        wants.append(Want(SessionKind.EASY_RUN, 0, 0.0, reason, running_s=int(p.target_run_s),
                          weekday=weekday))
    return wants


def _strength(count: int, runner: bool, lighter: bool, minutes: int, *,
              barred: frozenset[Load] = frozenset(), runs: bool = True) -> list[Want]:
    out = []
    for k in range(count):
        exercises, why = strength_session(k, runner, minutes * 60, barred=barred, runs=runs)
        if not exercises:
            continue
        # Lighter weeks lighten walking and impact; strength keeps its useful minimum.
        duration = max(MIN_STRENGTH_S, int(minutes * 60 * (LIGHTER_SCALE if lighter else 1.0)))
        out.append(Want(SessionKind.STRENGTH, duration, 5.0, why, exercises=exercises))
    return out


def _balance(count: int, lighter: bool, barred: frozenset[Load] = frozenset(),
             phase: bool = False) -> list[Want]:
    if Load.STANDING_BALANCE in barred:
        return []
    why = ("Balance practice: steadier on your feet, fewer falls. Stand by a counter or sturdy "
           "chair.")
    if phase:
        why = ("Balance-and-strength phase: balance practice at least 3 times a week, made a "
               "little harder each week (World Falls Guidelines 2022). Stand by a counter or "
               "sturdy chair.")
    # Balance keeps its dose in lighter weeks too: its load is small and falls do not wait.
    return [Want(SessionKind.BALANCE, MIN_BALANCE_S, 2.0, why,
                 exercises=BALANCE_EXERCISES) for _ in range(count)]


def _bone_wants(inputs: PlanInputs, p: Progress, week: int, lighter: bool) -> list[Want]:
    s = inputs.screening
    walk_s = p.walk_level_s * (LIGHTER_SCALE if lighter else 1.0)
    walk_s = max(MIN_WALK_S, min(walk_s, MAX_WALK_S, inputs.availability.minutes_per_day * 60.0))
    # Balance and strength come first in the week's list, so they get the first free days
    # (day 1 of a balance-first phase is a balance or strength session).
    barred = _barred(inputs)
    strength = _strength(BONE_STRENGTH_PER_WEEK, runner=False, lighter=lighter,
                         minutes=BONE_STRENGTH_MIN, barred=barred, runs=False)
    n_balance = BALANCE_PHASE_SESSIONS_PER_WEEK if s.balance_first or s.balance_phase else 2
    balance = _balance(n_balance, lighter, barred, phase=s.balance_phase)
    wants = balance + strength if s.balance_phase else strength + balance
    if Load.EXERCISE_WALKING not in barred:
        wants += [Want(SessionKind.WALK, int(walk_s // 60 * 60), 3.0,
                       "Brisk walk: a pace where you can talk but not sing. Walking keeps you "
                       "moving; the strength and impact work does more for bone.")
                  for _ in range(p.walks_per_week)]
    impact_from_week = 3 if s.balance_first else 0
    if s.impact_permitted and Load.IMPACT not in barred and week >= impact_from_week:
        count = impact_count(week - impact_from_week)
        if lighter:
            count = max(10, int(count * LIGHTER_SCALE))
        wants += [Want(SessionKind.IMPACT, 300 + 5 * count, 4.0,
                       f"{count} moderate impacts (e.g. heel drops or stamping), building "
                       "slowly: bone responds to short, sharp loads. Hold a support.",
                       exercises=tuple(f"{e}: {count // 3 or 1}" for e in IMPACT_EXERCISES))
                   for _ in range(3)]
    # Longest first: first-fit-decreasing packs walks, strength, balance and impact into the
    # free days' minutes (a 40-minute walk finds a day before the short sessions fill them).
    wants.sort(key=lambda w: -w.duration_s)
    return wants


def advance_walk(p: Progress, lighter: bool) -> None:
    if not lighter:
        p.walk_level_s = max(p.walk_level_s, min(MAX_WALK_S, p.walk_level_s
                                                 * WALK_GROWTH_PER_WEEK))
