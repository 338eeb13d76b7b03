"""Progression guards: the rules no emitted plan may break, and an independent checker.

The engine clamps sessions as it builds a plan (using the allowance helpers here); then
:func:`check_plan` re-derives every rule from the finished plan plus the person's history and
the engine refuses to return a plan with any violation. The rules (defaults documented in
docs/plans.md, all settable through :class:`GuardSettings`):

1. Spike (Frandsen et al., BJSM 2025): no session's running time exceeds ``spike_ratio_max``
   x the longest running time in the previous 30 days, planned sessions counting as history
   as they pass. With no run in the window the reference is ``first_run_base_s`` (8 min of
   running, given in 60-second bouts by the beginner template), so a first plan is possible.
   The same rule holds for continuous running: no planned bout (a continuous run, or one
   running stretch of a run/walk) exceeds ``spike_ratio_max`` x the longest continuous bout
   in the previous 30 days, with the same 8-minute base. Continuous running is what a
   run/walk runner has actually adapted to; 35 minutes of running in 13-minute bouts does not
   make a 35-minute continuous run safe.
2. Weekly load (session-RPE, Foster 2001): a week's load is at most (1 + cap) x the highest
   weekly load of the previous four weeks, floored at ``entry_week_load_au``; cap 10% for
   beginners, 20% otherwise. What was done before the plan starts counts in its week but is
   not the plan's: a week already over its cap (one long run early in the week) gets no
   planned load on top, and is no violation. For every reference (the spike and bout rules,
   the goals' levels) a recorded run more than 10% longer than the month's longest counts as
   10% longer (:func:`spike_clipped`), so one long run does not set what comes next.
3. EWMA ACWR (Williams 2017, lambda = 2/(N+1), N = 7 and 28, both started at 0 on the first
   day of the record): no planned day's load takes acute / max(chronic, floor) above
   ``acwr_max``. The floor is the entry week's load spread over 7 days, so someone starting
   from nothing is compared with a gentle entry level rather than divided by zero.
4. A lighter week: in every run of ``lighter_every_weeks`` consecutive plan weeks, one week's
   progressing load (runs, walks, impact: everything but the fixed strength and balance
   doses, which a plan promises every week) is at most ``lighter_fraction`` x the highest of
   the three weeks before it.
5. Safety and schedule: no running unless screening permits it, no impact session at the
   walking-only level, beginners never run or do impact work the day after a run, two sessions
   on one day start at least 8 h apart, and a day's sessions fit the minutes available.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise

from stridewise.plan.model import (
    IMPACT_KINDS,
    RUN_KINDS,
    SLOT_START_HOUR,
    PastSession,
    Plan,
    PlannedSession,
    SessionKind,
    week_start,
)
from stridewise.science.acwr import ACUTE_WINDOW_D, CHRONIC_WINDOW_D, ewma_smoothing_factor
from stridewise.science.load import ENTRY_WEEK_LOAD_AU

ACUTE_DAYS = ACUTE_WINDOW_D
CHRONIC_DAYS = CHRONIC_WINDOW_D
LAMBDA_ACUTE = ewma_smoothing_factor(ACUTE_DAYS)
LAMBDA_CHRONIC = ewma_smoothing_factor(CHRONIC_DAYS)


@dataclass(frozen=True)
class GuardSettings:
    spike_ratio_max: float = 1.1
    spike_window_days: int = 30
    first_run_base_s: int = 480
    weekly_increase_max_beginner: float = 0.10
    weekly_increase_max: float = 0.20
    weekly_reference_weeks: int = 4
    entry_week_load_au: float = ENTRY_WEEK_LOAD_AU
    acwr_max: float = 1.5
    lighter_every_weeks: int = 4
    lighter_fraction: float = 0.8
    min_gap_hours: int = 8

    @property
    def acwr_chronic_floor_au(self) -> float:
        return self.entry_week_load_au / 7.0

    def weekly_cap(self, beginner: bool) -> float:
        return self.weekly_increase_max_beginner if beginner else self.weekly_increase_max


@dataclass(frozen=True)
class GuardViolation:
    day: date
    rule: str
    message: str


def longest_run_s(sessions: Iterable[PastSession], before: date, window_days: int = 30) -> float:
    """Longest running time in the ``window_days`` days before ``before`` (0 if none)."""
    first = before - timedelta(days=window_days)
    return max(
        (s.running_s for s in sessions if first <= s.day < before and s.kind in RUN_KINDS),
        default=0.0,
    )


def spike_allowance_s(sessions: Iterable[PastSession], day: date, settings: GuardSettings) -> float:
    reference = max(longest_run_s(sessions, day, settings.spike_window_days),
                    float(settings.first_run_base_s))
    return settings.spike_ratio_max * reference


def spike_clipped(history: Iterable[PastSession], settings: GuardSettings,
                  ratio: float | None = None) -> list[PastSession]:
    """``history`` with every single-run spike counted, as a reference for what comes next,
    as at most ``ratio`` (default ``spike_ratio_max``) x the longest run of the 30 days before
    it (Frandsen et al., BJSM 2025 [V]: a run more than 10% longer than the month's longest
    goes with more injuries; one such run is not a level the body has adapted to). Runs are
    read in order, so a reference grows by at most 10% a run. A run with no run in the 30 days
    before it has no reference and stands as it is; duration (and so load) is what was done.
    """
    limit = settings.spike_ratio_max if ratio is None else ratio
    out: list[PastSession] = []
    for s in sorted(history, key=lambda h: h.day):
        if s.kind in RUN_KINDS:
            reference = longest_run_s(out, s.day, settings.spike_window_days)
            if reference > 0 and s.running_s > limit * reference:
                capped = limit * reference
                bout = s.bout_s
                s = replace(s, run_s=capped,
                            longest_bout_s=min(bout, capped) if bout > 0 else s.longest_bout_s)
        out.append(s)
    return out


def longest_bout_s(sessions: Iterable[PastSession], before: date,
                   window_days: int = 30) -> float:
    """Longest continuous running bout in the ``window_days`` days before ``before``."""
    first = before - timedelta(days=window_days)
    return max((s.bout_s for s in sessions if first <= s.day < before), default=0.0)


def bout_allowance_s(sessions: Iterable[PastSession], day: date, settings: GuardSettings) -> float:
    reference = max(longest_bout_s(sessions, day, settings.spike_window_days),
                    float(settings.first_run_base_s))
    return settings.spike_ratio_max * reference


#: Fixed weekly doses (strength 2-3 a week, balance as stated): planned every week, lighter
#: weeks included, so the lighter-week rule reads the progressing load without them.
FIXED_DOSE_KINDS: frozenset[SessionKind] = frozenset({SessionKind.STRENGTH, SessionKind.BALANCE})


def weekly_loads(sessions: Iterable[PastSession], *,
                 progressing_only: bool = False) -> dict[date, float]:
    loads: dict[date, float] = defaultdict(float)
    for s in sessions:
        if progressing_only and s.kind in FIXED_DOSE_KINDS:
            continue
        loads[week_start(s.day)] += s.load_au
    return loads


def weekly_allowance_au(
    loads: dict[date, float], monday: date, settings: GuardSettings, beginner: bool
) -> float:
    previous = [loads.get(monday - timedelta(weeks=k), 0.0)
                for k in range(1, settings.weekly_reference_weeks + 1)]
    reference = max([*previous, settings.entry_week_load_au])
    return (1.0 + settings.weekly_cap(beginner)) * reference


def lighter_reference_au(loads: dict[date, float], monday: date) -> float:
    return max(loads.get(monday - timedelta(weeks=k), 0.0) for k in (1, 2, 3))


@dataclass
class EwmaState:
    """Acute and chronic EWMA of daily load (Williams 2017), advanced one day at a time."""

    acute: float = 0.0
    chronic: float = 0.0
    days: int = 0

    def advance(self, load_au: float) -> None:
        self.acute = LAMBDA_ACUTE * load_au + (1 - LAMBDA_ACUTE) * self.acute
        self.chronic = LAMBDA_CHRONIC * load_au + (1 - LAMBDA_CHRONIC) * self.chronic
        self.days += 1

    def ratio(self, settings: GuardSettings) -> float:
        return self.acute / max(self.chronic, settings.acwr_chronic_floor_au)

    def max_load_au(self, settings: GuardSettings) -> float:
        """Largest load today that keeps acute / max(chronic, floor) <= acwr_max."""
        u = settings.acwr_max
        kept_acute = (1 - LAMBDA_ACUTE) * self.acute
        under_floor = (u * settings.acwr_chronic_floor_au - kept_acute) / LAMBDA_ACUTE
        over_floor = (u * (1 - LAMBDA_CHRONIC) * self.chronic - kept_acute) / (
            LAMBDA_ACUTE - u * LAMBDA_CHRONIC)
        return max(0.0, under_floor, over_floor)


def ewma_before(history: Sequence[PastSession], day: date) -> EwmaState:
    """EWMA state at the end of the day before ``day``, from the first day of history."""
    state = EwmaState()
    if not history:
        return state
    daily: dict[date, float] = defaultdict(float)
    for s in history:
        daily[s.day] += s.load_au
    current = min(daily)
    while current < day:
        state.advance(daily.get(current, 0.0))
        current += timedelta(days=1)
    return state


def check_plan(
    plan: Plan,
    history: Sequence[PastSession],
    settings: GuardSettings,
    *,
    may_run: bool,
    impact_permitted: bool,
    minutes_per_day: int,
) -> list[GuardViolation]:
    """Every guard, re-derived from the finished plan; an empty list means the plan is safe."""
    planned = sorted((s for s in plan.sessions if s.active and s.day >= plan.start),
                     key=lambda s: (s.day, s.slot))
    past = spike_clipped((h for h in history if h.day < plan.start), settings)
    violations: list[GuardViolation] = []
    violations += _check_safety(planned, plan.beginner, may_run, impact_permitted,
                                minutes_per_day, settings)
    violations += _check_spikes(planned, past, settings)
    violations += _check_weeks(plan, planned, past, settings)
    violations += _check_acwr(plan, planned, past, settings)
    return violations


def _check_safety(
    planned: Sequence[PlannedSession], beginner: bool, may_run: bool, impact_permitted: bool,
    minutes_per_day: int, settings: GuardSettings,
) -> list[GuardViolation]:
    out: list[GuardViolation] = []
    by_day: dict[date, list[PlannedSession]] = defaultdict(list)
    for s in planned:
        by_day[s.day].append(s)
        if s.kind in RUN_KINDS and not may_run:
            out.append(GuardViolation(s.day, "screening", "running planned but not permitted"))
        if s.kind == SessionKind.IMPACT and not impact_permitted:
            out.append(GuardViolation(s.day, "screening", "impact work planned at walking level"))
    run_days = {s.day for s in planned if s.kind in RUN_KINDS}
    for day, sessions in by_day.items():
        if sum(s.duration_s for s in sessions) > minutes_per_day * 60:
            out.append(GuardViolation(day, "minutes", "sessions exceed the minutes available"))
        hours = sorted(SLOT_START_HOUR[s.slot] for s in sessions)
        if any(b - a < settings.min_gap_hours for a, b in pairwise(hours)):
            out.append(GuardViolation(day, "gap", "two sessions less than 8 h apart"))
        if beginner and day - timedelta(days=1) in run_days and any(
            s.kind in IMPACT_KINDS for s in sessions
        ):
            out.append(GuardViolation(day, "recovery", "beginner: impact the day after a run"))
    return out


def _check_spikes(
    planned: Sequence[PlannedSession], past: Sequence[PastSession], settings: GuardSettings
) -> list[GuardViolation]:
    out: list[GuardViolation] = []
    record = list(past)
    for s in planned:
        if s.kind in RUN_KINDS:
            allowed = spike_allowance_s(record, s.day, settings)
            if s.running_s > allowed + 1e-6:
                out.append(GuardViolation(
                    s.day, "spike",
                    f"{s.running_s / 60:.1f} min of running is over 110% of the longest run "
                    f"in the previous 30 days ({allowed / 60:.1f} min allowed)"))
            bout_allowed = bout_allowance_s(record, s.day, settings)
            if s.longest_bout_s > bout_allowed + 1e-6:
                out.append(GuardViolation(
                    s.day, "bout",
                    f"{s.longest_bout_s / 60:.1f} min of continuous running is over 110% of "
                    "the longest continuous bout in the previous 30 days "
                    f"({bout_allowed / 60:.1f} min allowed)"))
        record.append(s.as_past())
    return out


def _check_weeks(
    plan: Plan, planned: Sequence[PlannedSession], past: Sequence[PastSession],
    settings: GuardSettings,
) -> list[GuardViolation]:
    out: list[GuardViolation] = []
    loads = weekly_loads([*past, *(s.as_past() for s in planned)])
    progressing = weekly_loads([*past, *(s.as_past() for s in planned)], progressing_only=True)
    mondays = [week_start(plan.start) + timedelta(weeks=k) for k in range(plan.weeks())]
    lighter: list[bool] = []
    planned_loads = weekly_loads(s.as_past() for s in planned)
    for monday in mondays:
        load = loads.get(monday, 0.0)
        allowed = weekly_allowance_au(loads, monday, settings, plan.beginner)
        # What was already done in a week is not the plan's to change (a long run early in a
        # week can take it over the cap); the plan may only not add load over the cap.
        if load > allowed + 1e-6 and planned_loads.get(monday, 0.0) > 1e-6:
            out.append(GuardViolation(
                monday, "weekly", f"week load {load:.0f} AU is over the {allowed:.0f} AU cap"))
        lighter.append(progressing.get(monday, 0.0) <= settings.lighter_fraction
                       * lighter_reference_au(progressing, monday) + 1e-6)
    n = settings.lighter_every_weeks
    for k in range(len(mondays) - n + 1):
        if not any(lighter[k:k + n]):
            out.append(GuardViolation(mondays[k], "lighter",
                                      f"no lighter week in the {n} weeks from {mondays[k]}"))
    return out


def _check_acwr(
    plan: Plan, planned: Sequence[PlannedSession], past: Sequence[PastSession],
    settings: GuardSettings,
) -> list[GuardViolation]:
    out: list[GuardViolation] = []
    record = [*past, *(s.as_past() for s in planned)]
    if not record:
        return out
    daily: dict[date, float] = defaultdict(float)
    for r in record:
        daily[r.day] += r.load_au
    state = EwmaState()
    current = min(min(daily), plan.start)
    while current <= plan.end:
        load = daily.get(current, 0.0)
        state.advance(load)
        planned_today = current >= plan.start and load > 0
        if planned_today and state.ratio(settings) > settings.acwr_max + 1e-6:
            out.append(GuardViolation(
                current, "acwr",
                f"EWMA acute:chronic ratio {state.ratio(settings):.2f} is over "
                f"{settings.acwr_max}"))
        current += timedelta(days=1)
    return out
