"""The pure planner: screening, profile, history, free time, start date and goal in; a plan
whose every session carries a reason out. No database, no clock, no randomness.

Each week the goal says what it wants (goals.py), :func:`place_week` puts the wants on free
days, and :func:`_clamp_day` shortens or drops anything a guard forbids, day by day, with the
sessions already planned counting as history. The finished plan is re-checked by
guards.check_plan; a plan with a violation is never returned.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from stridewise.errors import StridewiseError
from stridewise.plan.goals import (
    MIN_BALANCE_S,
    MIN_IMPACT_S,
    MIN_STRENGTH_S,
    MIN_WALK_S,
    STUDY_NOTE,
    Progress,
    Want,
    advance_walk,
    initial_progress,
    week_wants,
)
from stridewise.plan.guards import (
    FIXED_DOSE_KINDS,
    EwmaState,
    bout_allowance_s,
    check_plan,
    ewma_before,
    lighter_reference_au,
    spike_allowance_s,
    spike_clipped,
    weekly_allowance_au,
    weekly_loads,
)
from stridewise.plan.inputs import PlanInputs, history_facts, resolve_goal
from stridewise.plan.model import (
    DEFAULT_RPE,
    IMPACT_KINDS,
    RUN_KINDS,
    Availability,
    Goal,
    PastSession,
    Plan,
    PlannedSession,
    SessionKind,
    Step,
    week_start,
)
from stridewise.plan.templates import (
    SESSION_LABEL,
    WALK_SPEED_MPS,
    choose_days,
    describe_run_walk,
    round15,
    run_walk_rpe,
    run_walk_steps,
)

MIN_RUN_S = 300
MIN_SESSION_S = 300
#: No session shorter than its useful minimum (goals.py; docs/plans.md).
MIN_BY_KIND: dict[SessionKind, int] = {
    SessionKind.STRENGTH: MIN_STRENGTH_S, SessionKind.BALANCE: MIN_BALANCE_S,
    SessionKind.WALK: int(MIN_WALK_S), SessionKind.IMPACT: MIN_IMPACT_S}
#: The doses a plan promises (strength 2-3 a week, balance as stated) are planned first and
#: their load is set aside for the rest of the week, so walks and runs give way, not them.
PROTECTED_KINDS = FIXED_DOSE_KINDS
LIGHTER_MARGIN = 0.97


class PlanGuardError(StridewiseError):
    """Raised instead of returning a plan that breaks a guard (a bug, never user error)."""


def build_plan(inputs: PlanInputs) -> Plan:
    # One long run is history, not a level: it counts as 10% over the month's longest for
    # everything that comes next (guards.spike_clipped), as the spike rule's evidence says.
    inputs = replace(inputs, history=spike_clipped(
        (h for h in inputs.history if h.day < inputs.start), inputs.settings))
    facts = history_facts(inputs.history, inputs.start)
    goal, notes = resolve_goal(inputs, facts)
    beginner = goal == Goal.START or facts.beginner
    progress = initial_progress(goal, inputs, facts)
    if goal == Goal.DAILY_25:
        notes.append(STUDY_NOTE)
    history = sorted((h for h in inputs.history if h.day < inputs.start), key=lambda h: h.day)
    record: list[PastSession] = list(history)
    loads = weekly_loads(history)
    progressing = weekly_loads(history, progressing_only=True)
    ewma = ewma_before(history, inputs.start)
    sessions: list[PlannedSession] = []
    first_monday = week_start(inputs.start)
    end = first_monday + timedelta(weeks=progress.weeks, days=-1)
    for week in range(progress.weeks):
        monday = first_monday + timedelta(weeks=week)
        lighter = week in progress.lighter_weeks
        wants = week_wants(goal, inputs, progress, week)
        placed = (place_bone_week(wants, inputs.availability) if goal == Goal.BONE
                  else place_week(wants, inputs.availability, beginner))
        if inputs.screening.balance_phase:
            first = min((d for d in inputs.availability.weekdays
                         if monday + timedelta(days=d) >= inputs.start), default=None)
            placed = _protected_first(placed, first)
        cap = weekly_allowance_au(loads, monday, inputs.settings, beginner)
        # A lighter week lightens the progressing load; the fixed strength and balance doses
        # stay (guards rule 4).
        lighter_cap = (LIGHTER_MARGIN * inputs.settings.lighter_fraction
                       * lighter_reference_au(progressing, monday)) if lighter else None
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if day < inputs.start:
                continue
            todays = [(slot, want) for weekday, slot, want in placed if weekday == offset]
            reserve = sum(_want_load(w) for weekday, _slot, w in placed
                          if weekday > offset and w.kind in PROTECTED_KINDS
                          and monday + timedelta(days=weekday) >= inputs.start)
            progress_left = (None if lighter_cap is None
                             else lighter_cap - progressing[monday])
            emitted = _clamp_day(day, todays, record, ewma, loads, cap, inputs, facts.pace_mps,
                                 lighter, reserve, progress_left)
            if not emitted:
                emitted = [_rest(day)]
            sessions += emitted
            for s in emitted:
                if s.active:
                    record.append(s.as_past())
                    loads[monday] += s.load_au
                    if s.kind not in PROTECTED_KINDS:
                        progressing[monday] += s.load_au
            ewma.advance(sum(s.load_au for s in emitted if s.active))
        _advance(progress, sessions, monday, lighter)
    short = _weeks_short_of_strength(sessions, first_monday, progress.weeks, inputs.start)
    if short and not inputs.barred_loads:
        # Say so rather than let the strength reason promise what the week cannot hold.
        free = inputs.availability
        progress.notes.append(
            f"{len(short)} of the {progress.weeks} weeks hold fewer than the 2 strength sessions "
            f"the plan aims for: with {len(free.weekdays)} free days of "
            f"{free.minutes_per_day} minutes, the other sessions leave no room for a strength "
            f"session of at least {MIN_STRENGTH_S // 60} minutes. Add a free day or more minutes "
            "to keep strength twice a week.")
    plan = Plan(goal, inputs.start, end, tuple(sessions), tuple(notes + progress.notes), beginner)
    violations = check_plan(plan, history, inputs.settings, may_run=inputs.screening.may_run,
                            impact_permitted=inputs.screening.impact_permitted,
                            minutes_per_day=inputs.availability.minutes_per_day)
    if violations:
        raise PlanGuardError("; ".join(f"{v.day} {v.rule}: {v.message}" for v in violations))
    return plan


def _advance(progress: Progress, sessions: list[PlannedSession], monday: date,
             lighter: bool) -> None:
    advance_walk(progress, lighter)
    if lighter:
        return
    week_runs = [s for s in sessions if s.day >= monday and s.kind in RUN_KINDS and s.active]
    if week_runs:
        progress.run_level_s = max(s.running_s for s in week_runs)
        progress.bout_level_s = max(s.longest_bout_s for s in week_runs)


def place_week(wants: list[Want], availability: Availability,
               beginner: bool) -> list[tuple[int, str, Want]]:
    """Put each want on a weekday and slot: runs spread out (never back to back for
    beginners), then the rest on the emptiest days, a second session only in the evening slot,
    only when the day's minutes allow and never of the same kind as the first; beginners get
    no impact the day after a run. A want with no day left is dropped."""
    budget = availability.minutes_per_day * 60
    used: dict[int, int] = defaultdict(int)
    slots: dict[int, list[str]] = defaultdict(list)
    placed: list[tuple[int, str, Want]] = []
    runs = [w for w in wants if w.kind in RUN_KINDS]
    fixed = [w for w in runs if w.weekday is not None]
    free_runs = [w for w in runs if w.weekday is None]
    run_days = list(choose_days(availability.weekdays, len(free_runs), spaced=beginner))
    free_runs.sort(key=lambda w: w.long)
    for weekday, want in [*zip(run_days, free_runs, strict=False),
                          *((w.weekday, w) for w in fixed if w.weekday is not None)]:
        placed.append((weekday, "am", want))
        slots[weekday].append("am")
        used[weekday] += _nominal_s(want)
    run_weekdays = {d for d, _, _ in placed}
    for want in (w for w in wants if w.kind not in RUN_KINDS):
        need = _nominal_s(want)
        candidates = sorted(availability.weekdays,
                            key=lambda d: (len(slots[d]), _same_kind(placed, d, want.kind), d))
        for d in candidates:
            if len(slots[d]) >= 2 or used[d] + need > budget:
                continue
            # One session of a kind a day: a second strength session in the evening is
            # neither needed nor recovered from.
            if any(day == d and w.kind == want.kind for day, _, w in placed):
                continue
            if beginner and want.kind in IMPACT_KINDS and (d - 1) % 7 in run_weekdays:
                continue
            slot = "pm" if slots[d] else "am"
            placed.append((d, slot, want))
            slots[d].append(slot)
            used[d] += need
            break
        else:
            if want.kind in PROTECTED_KINDS:
                _share_a_run_day(want, placed, slots, used, budget, run_weekdays)
    return placed


#: A run day that also holds a strength or balance session keeps at least this long for its
#: run (a 5-minute walk each side of 10 minutes of running); the dose shrinks first, never
#: below its useful minimum (MIN_BY_KIND).
MIN_RUN_DAY_S = 1200


def _share_a_run_day(want: Want, placed: list[tuple[int, str, Want]],
                     slots: dict[int, list[str]], used: dict[int, int], budget: int,
                     run_weekdays: set[int]) -> None:
    """A promised dose (strength 2-3 a week, balance) with no free day left goes into a run
    day's evening, shortened (not below its useful minimum) to what the day holds beside the
    run, which keeps at least MIN_RUN_DAY_S (the clamp fits the run to the time left, doses
    first). Nothing is placed when even the
    dose's minimum does not fit: the plan then says so (build_plan's note)."""
    for d in sorted(run_weekdays, key=lambda day: (-(budget - used[day]), day)):
        if len(slots[d]) >= 2 or any(day == d and w.kind == want.kind for day, _, w in placed):
            continue
        run_s = sum(_nominal_s(w) for day, _, w in placed if day == d and w.kind in RUN_KINDS)
        others = used[d] - run_s
        room = budget - others - min(run_s, MIN_RUN_DAY_S)
        least = MIN_BY_KIND.get(want.kind, MIN_SESSION_S)
        # The run keeps what it can: the dose takes its useful minimum, more if time is left.
        duration = min(want.duration_s, room // 60 * 60,
                       max(least, (budget - others - run_s) // 60 * 60))
        if duration >= least:
            placed.append((d, "pm", replace(want, duration_s=duration)))
            slots[d].append("pm")
            used[d] += duration
            return


def place_bone_week(wants: list[Want],
                    availability: Availability) -> list[tuple[int, str, Want]]:
    """A bone plan's week (no runs): the promised doses first, each strength session paired
    with a balance session on one day when both fit, spread over the week; then walks, longest
    first, on the days with most minutes left; then impact. At most two sessions a day (am and
    pm) and one of a kind; a want with no room is dropped."""
    budget = availability.minutes_per_day * 60
    strength = [w for w in wants if w.kind == SessionKind.STRENGTH]
    balance = [w for w in wants if w.kind == SessionKind.BALANCE]
    blocks: list[list[Want]] = []
    for k in range(max(len(strength), len(balance))):
        pair = [w for w in (strength[k:k + 1] + balance[k:k + 1])]
        if len(pair) == 2 and sum(_nominal_s(w) for w in pair) > budget:
            blocks += [[pair[0]], [pair[1]]]
        else:
            blocks.append(pair)
    days = list(choose_days(availability.weekdays, len(blocks), spaced=False))
    day_of: dict[int, list[Want]] = defaultdict(list)
    for day, block in zip(days, blocks, strict=False):
        day_of[day] += block
    rest = sorted((w for w in wants if w.kind not in PROTECTED_KINDS),
                  key=lambda w: (w.kind != SessionKind.WALK, -w.duration_s))
    for want in rest:
        def room(d: int) -> int:
            return budget - sum(_nominal_s(w) for w in day_of[d])
        fits = [d for d in availability.weekdays
                if len(day_of[d]) < 2 and room(d) >= _nominal_s(want)
                and not any(w.kind == want.kind for w in day_of[d])]
        if fits:
            day_of[max(fits, key=lambda d: (room(d), -d))].append(want)
    return [(d, "am" if k == 0 else "pm", w)
            for d in sorted(day_of) for k, w in enumerate(day_of[d])]


def _same_kind(placed: list[tuple[int, str, Want]], day: int, kind: SessionKind) -> int:
    """How many sessions of ``kind`` sit on or next to ``day``: spreads like sessions out."""
    return sum(1 for d, _, w in placed if w.kind == kind and abs(d - day) <= 1)


def _nominal_s(want: Want) -> int:
    if want.kind == SessionKind.RUN_WALK:
        # The recipe's own length: warm-up, bouts, walks between and cool-down.
        steps = run_walk_steps(want.running_s, want.bout_s or want.running_s, 24 * 3600)
        return sum(step.duration_s for step in steps)
    if want.kind in RUN_KINDS:
        return want.running_s
    return want.duration_s


def _weeks_short_of_strength(sessions: list[PlannedSession], first_monday: date, weeks: int,
                             start: date) -> list[int]:
    """Full plan weeks with fewer than 2 strength sessions."""
    short = []
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        if monday < start:
            continue  # a part week
        count = sum(1 for s in sessions if s.active and s.kind == SessionKind.STRENGTH
                    and monday <= s.day < monday + timedelta(days=7))
        if count < 2:
            short.append(week)
    return short


def _protected_first(placed: list[tuple[int, str, Want]],
                     first: int | None) -> list[tuple[int, str, Want]]:
    """The balance phase opens each week with balance or strength: when the week's first free
    day holds neither, it swaps sessions with the first day that does (free days have the same
    minutes, and a bone plan has no runs whose spacing a swap could break)."""
    if first is None or any(d == first and w.kind in PROTECTED_KINDS for d, _, w in placed):
        return placed
    other = min((d for d, _, w in placed if w.kind in PROTECTED_KINDS), default=None)
    if other is None:
        return placed
    swap = {first: other, other: first}
    return [(swap.get(d, d), slot, w) for d, slot, w in placed]


def _want_load(want: Want) -> float:
    return want.rpe * want.duration_s / 60.0


def _clamp_day(
    day: date, todays: list[tuple[str, Want]], record: list[PastSession], ewma: EwmaState,
    loads: dict[date, float], week_cap: float, inputs: PlanInputs, pace_mps: float,
    lighter: bool, reserve_au: float = 0.0, progress_left_au: float | None = None,
) -> list[PlannedSession]:
    """Fit the day's wants: the protected doses (strength, balance) first, then the rest
    within what is left after ``reserve_au``, the load the week's later protected sessions
    need."""
    budget_s = inputs.availability.minutes_per_day * 60
    load_left = min(ewma.max_load_au(inputs.settings), week_cap - loads[week_start(day)])
    out: list[PlannedSession] = []
    ordered = sorted(todays, key=lambda t: (t[1].kind not in PROTECTED_KINDS, t[0]))
    for slot, want in ordered:
        time_left = budget_s - sum(s.duration_s for s in out)
        protected = want.kind in PROTECTED_KINDS
        allowance = load_left if protected else load_left - reserve_au
        if not protected and progress_left_au is not None:
            allowance = min(allowance, progress_left_au)
        if want.kind in RUN_KINDS:
            session = _fit_run(day, slot, want, record, inputs, time_left, allowance, pace_mps)
        else:
            session = _fit_other(day, slot, want, time_left, allowance)
        if session is None:
            continue
        session = session.with_changes(lighter_week=lighter)
        load_left -= session.load_au
        if not protected and progress_left_au is not None:
            progress_left_au -= session.load_au
        out.append(session)
    return sorted(out, key=lambda s: s.slot)


def _fit_run(day: date, slot: str, want: Want, record: list[PastSession], inputs: PlanInputs,
             time_left_s: int, load_left: float, pace_mps: float) -> PlannedSession | None:
    allowed = spike_allowance_s(record, day, inputs.settings)
    bout_allowed = bout_allowance_s(record, day, inputs.settings)
    capped = (inputs.run_cap_s is not None and inputs.run_cap_until is not None
              and day < inputs.run_cap_until)
    if capped and inputs.run_cap_s is not None:
        allowed = min(allowed, inputs.run_cap_s)
    if want.kind == SessionKind.RUN_WALK:
        bout = float(round15(min(want.bout_s or want.running_s, bout_allowed)))
        clamped = bout < min(want.bout_s, want.running_s) - 15
    else:
        # A continuous run is a single bout.
        allowed = min(allowed, bout_allowed)
        bout = allowed
        clamped = False
    running = float(round15(min(want.running_s, allowed)))
    clamped = clamped or running < want.running_s - 15
    if capped:
        want = replace(want, reason=f"{inputs.run_cap_reason} {want.reason}".strip())
    while running >= MIN_RUN_S:
        session = _run_session(day, slot, want, running, bout, time_left_s, pace_mps)
        if session.load_au <= load_left and session.running_s <= allowed \
                and session.longest_bout_s <= bout_allowed \
                and session.duration_s <= time_left_s:
            if clamped:
                session = session.with_changes(
                    reason=session.reason + " Kept shorter than the recipe so it stays within "
                    "your safe limits for this week.")
            return session
        running = float(round15(running * 0.9))
        clamped = True
    return None


def _run_session(day: date, slot: str, want: Want, running_s: float, bout_s: float,
                 time_left_s: int, pace_mps: float) -> PlannedSession:
    if want.kind == SessionKind.RUN_WALK:
        steps = run_walk_steps(running_s, bout_s, time_left_s)
        rpe = run_walk_rpe(steps)
        detail = describe_run_walk(steps)
    else:
        steps = (Step("run", int(running_s), "easy run" if not want.long else "long run, easy"),)
        rpe = DEFAULT_RPE[want.kind]
        detail = f"{int(running_s) // 60} minutes of easy running"
    run_s = sum(s.duration_s for s in steps if s.kind == "run")
    walk_s = sum(s.duration_s for s in steps) - run_s
    return PlannedSession(
        day=day, slot=slot, kind=want.kind, duration_s=sum(s.duration_s for s in steps),
        reason=f"{detail}. {want.reason}", steps=steps, rpe=rpe,
        distance_m=round(run_s * pace_mps + walk_s * WALK_SPEED_MPS, -1),
    )


def _fit_other(day: date, slot: str, want: Want, time_left_s: int,
               load_left: float) -> PlannedSession | None:
    duration = min(want.duration_s, time_left_s)
    if want.rpe > 0:
        duration = min(duration, int(max(0.0, load_left) * 60 / want.rpe))
    duration = int(duration // 60 * 60)
    if duration < MIN_BY_KIND.get(want.kind, MIN_SESSION_S) and duration < want.duration_s:
        return None
    reason = want.reason
    if duration < want.duration_s:
        reason += " Kept shorter this time to stay within your safe weekly load."
    steps = (Step("walk" if want.kind == SessionKind.WALK else "exercise", duration,
                  SESSION_LABEL[want.kind]),)
    return PlannedSession(
        day=day, slot=slot, kind=want.kind, duration_s=duration, reason=reason, steps=steps,
        rpe=want.rpe, exercises=want.exercises,
        distance_m=round(duration * WALK_SPEED_MPS, -1) if want.kind == SessionKind.WALK else None,
    )


def _rest(day: date) -> PlannedSession:
    return PlannedSession(day=day, slot="am", kind=SessionKind.REST, duration_s=0,
                          reason="Rest: muscles and bone adapt between sessions.")
