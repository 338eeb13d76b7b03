"""Pain monitoring: what to do with running after an ache, and when to see a doctor.

Adapted from Silbernagel's pain-monitoring model for Achilles tendinopathy (Silbernagel et al.,
Am J Sports Med 2007;35:897 [U: citation not checked against the journal; the rules are
consistent across secondary sources, S]): pain during activity may reach 5/10, must settle by
the next morning, and must not rise week to week; otherwise the load is held or reduced.
The model comes from tendon pain, not bone. Localised bone pain, pain at rest or at night, pain
rising three days running, severe pain (8/10 or more), or a fall with pain stop every session
that loads the painful site and send the person to a doctor, because they can be signs of a
bone stress injury or fracture [U: clinical inference]. Which sessions load a site follows its
body region (:data:`BARRED_BY_REGION`): lower-limb, pelvis and spine sites stop running, impact,
walking for exercise and loaded strength; an arm or the chest stops only the exercises that load
it. Such a stop does not lapse with time: it stays until the person answers the screening again
after seeing a doctor (the caller passes the checks since the last screening as
``red_flag_history``). A fall without pain is not a pain report: falls change the plan through
the falls rules (science/falls.py).

An ache that lasts escalates too (:data:`LINGER_SCORE`, :data:`LINGER_DAYS_PER_WEEK`): pain of
3/10 or more at the same site on at least 4 of the 7 days in each of the last two weeks means
"see a doctor", not an endless hold, and takes out the impact work (:data:`LINGER_BARRED`)
until a doctor has checked it. The two weeks follow the NHS's advice for shin pain ("see
a GP if the pain has not improved after 2 weeks of treating it yourself", nhs.uk, Shin splints
[S]); "4 of 7 days at 3/10 or more" is our reading of "has not improved" [U].

The plan engine calls :func:`evaluate_pain`. Decisions never diagnose; see docs/science/pain.md.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from stridewise.science.questionnaires import BodyRegion, region_of


class PainAction(StrEnum):
    """What the plan should do with running."""

    CONTINUE = "continue"
    HOLD = "hold"
    REDUCE = "reduce"
    STOP = "stop"


class PainTiming(StrEnum):
    """When the pain was felt."""

    DURING = "during"
    AFTER = "after"
    NEXT_MORNING = "next_morning"
    AT_REST = "at_rest"
    AT_NIGHT = "at_night"


@dataclass(frozen=True)
class PainCheck:
    """One pain report: score 0-10 (NaN when the person did not rate it), when it was felt,
    where, and warning signs."""

    day: datetime.date
    score: float
    timing: PainTiming
    site: str | None = None
    localised_bone: bool = False
    fell: bool = False

    def __post_init__(self) -> None:
        if not (math.isnan(self.score) or 0.0 <= self.score <= 10.0):
            raise ValueError(f"a pain score is 0 to 10, got {self.score}")

    @property
    def rated(self) -> bool:
        return not math.isnan(self.score)


class Load(StrEnum):
    """What a session puts on the body, as the pain rules bar it."""

    RUNNING = "running"
    IMPACT = "impact"
    EXERCISE_WALKING = "exercise_walking"
    LEG_STRENGTH = "leg_strength"
    BACK_STRENGTH = "back_strength"
    ARM_STRENGTH = "arm_strength"
    STANDING_BALANCE = "standing_balance"


#: The words for each load, in the order a sentence lists them.
LOAD_WORDS: dict[Load, str] = {
    Load.RUNNING: "running",
    Load.EXERCISE_WALKING: "walking for exercise",
    Load.IMPACT: "impact exercises such as hops and heel drops",
    Load.LEG_STRENGTH: "strength exercises for your legs",
    Load.BACK_STRENGTH: "strength exercises that load your back",
    Load.ARM_STRENGTH: "strength exercises that use your arms",
    Load.STANDING_BALANCE: "balance exercises on your feet",
}
_LEGS = frozenset({Load.RUNNING, Load.IMPACT, Load.EXERCISE_WALKING, Load.LEG_STRENGTH,
                   Load.STANDING_BALANCE})
#: A bone red flag at a site stops every session that loads its region [U: clinical
#: inference]. Walking, impact and loaded strength load the legs, pelvis and spine; an arm or
#: the chest is loaded only by the exercises that use the arms.
BARRED_BY_REGION: dict[BodyRegion | None, frozenset[Load]] = {
    BodyRegion.LOWER_LIMB: _LEGS,
    BodyRegion.PELVIS: _LEGS | {Load.BACK_STRENGTH},
    BodyRegion.SPINE: _LEGS | {Load.BACK_STRENGTH},
    BodyRegion.UPPER_LIMB: frozenset({Load.ARM_STRENGTH}),
    BodyRegion.TRUNK: frozenset({Load.ARM_STRENGTH, Load.BACK_STRENGTH}),
    # A site not on the list (or none): the cautious reading, everything that loads the body.
    None: frozenset(Load),
}


@dataclass(frozen=True)
class PainDecision:
    """The action, a kind and specific reason, whether to see a doctor, and for a stop the
    loads it bars (:data:`BARRED_BY_REGION` for the site's region)."""

    action: PainAction
    reason: str
    see_doctor: bool
    site: str | None = None
    barred: frozenset[Load] = frozenset()


ACCEPTABLE_ACTIVITY_PAIN = 5.0  # Silbernagel: pain during activity up to 5/10 is acceptable.
SETTLED_MORNING_PAIN = 2.0  # 0-2/10 is the model's "safe" zone: we call that settled.
LOOKBACK_DAYS = 7  # checks older than a week no longer drive today's decision.
RISING_DAYS = 3
SEVERE_PAIN = 8.0  # 8/10 or more: see a doctor whatever the timing [U: clinical inference].
#: Lingering pain: this score or more at one site on this many of the 7 days of each of the last
#: two weeks sends the person to a doctor (NHS: shin pain not better after 2 weeks [S]).
LINGER_SCORE = 3.0
LINGER_DAYS_PER_WEEK = 4
#: An ache that lingers takes out the impact work (running, hops and heel drops, and the
#: stepping and lunging strength exercises, which the plan tags as impact) until a doctor has
#: checked it, as a stop does for its site [U: clinical inference]; the rest goes on held.
LINGER_BARRED: frozenset[Load] = frozenset({Load.RUNNING, Load.IMPACT})

_TIMING_ORDER = {timing: index for index, timing in enumerate(PainTiming)}
_ACTION_RANK = {
    PainAction.CONTINUE: 0,
    PainAction.HOLD: 1,
    PainAction.REDUCE: 2,
    PainAction.STOP: 3,
}


def _sort_key(check: PainCheck) -> tuple[datetime.date, int, float, str, bool, bool]:
    return (
        check.day,
        _TIMING_ORDER[PainTiming(check.timing)],
        check.score if check.rated else -1.0,
        check.site or "",
        check.localised_bone,
        check.fell,
    )


def _worst(checks: Sequence[PainCheck]) -> PainCheck:
    """Highest score, latest day on ties; fully ordered so input order never matters."""
    return max(checks, key=lambda c: (c.score if c.rated else -1.0, _sort_key(c)))


def _date_text(day: datetime.date) -> str:
    return f"{day.day} {day.strftime('%B')}"


def _score_text(score: float) -> str:
    return f"{score:g}/10" if not math.isnan(score) else "not rated"


def _pain_text(check: PainCheck) -> str:
    return f"{check.site} pain" if check.site else "pain"


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _stop(check: PainCheck, what: str, doing: frozenset[Load]) -> PainDecision:
    """A stop that names what the person actually does (``doing``) among what the site's
    region bars; a plan with none of it gets the exercises that load the site."""
    barred = BARRED_BY_REGION[region_of(check.site)]
    shown = [words for load, words in LOAD_WORDS.items() if load in barred and load in doing]
    where = f"your {check.site}" if check.site else "the painful spot"
    stop = _listed(shown) if shown else f"any exercise that loads {where}"
    reason = (
        f"{what} Please stop {stop} and see a doctor before you start again; your pain log "
        "here may help them. When a doctor has checked it, answer the screening questions "
        "again to restart."
    )
    return PainDecision(PainAction.STOP, reason, True, check.site, barred)


def _red_flag(window: Sequence[PainCheck], doing: frozenset[Load]) -> PainDecision | None:
    painful = [check for check in window if check.score > 0]
    # A fall without pain is no pain report: the falls rules answer it (science/falls.py).
    falls = [check for check in window if check.fell and check.rated and check.score > 0]
    if falls:
        check = _worst(falls)
        return _stop(
            check,
            f"You had a fall and {_pain_text(check)} of {_score_text(check.score)} on "
            f"{_date_text(check.day)}. After a fall, pain needs checking.",
            doing,
        )
    severe = [check for check in window if check.score >= SEVERE_PAIN]
    if severe:
        check = _worst(severe)
        return _stop(
            check,
            f"Your {_pain_text(check)} reached {_score_text(check.score)} on "
            f"{_date_text(check.day)}. Pain that strong needs checking.",
            doing,
        )
    bone = [check for check in window if check.localised_bone]
    if bone:
        check = _worst(bone)
        return _stop(
            check,
            f"You noted that your {_pain_text(check)} on {_date_text(check.day)} sits on one "
            "spot of the bone. That can be an early sign of a bone stress injury, which heals "
            "best when caught early.",
            doing,
        )
    resting = [c for c in painful if c.timing in (PainTiming.AT_REST, PainTiming.AT_NIGHT)]
    if resting:
        check = _worst(resting)
        when = "at night" if check.timing == PainTiming.AT_NIGHT else "at rest"
        return _stop(
            check,
            f"Your {_pain_text(check)} was {_score_text(check.score)} {when} on "
            f"{_date_text(check.day)}. Pain {when} is not the usual ache of training.",
            doing,
        )
    return _rising_days(window, doing)


def _daily_peaks(window: Sequence[PainCheck]) -> dict[datetime.date, PainCheck]:
    peaks: dict[datetime.date, PainCheck] = {}
    for check in sorted((c for c in window if c.rated), key=_sort_key):
        best = peaks.get(check.day)
        if best is None or _worst([best, check]) is check:
            peaks[check.day] = check
    return peaks


def _rising_days(window: Sequence[PainCheck], doing: frozenset[Load]) -> PainDecision | None:
    peaks = _daily_peaks(window)
    days = sorted(peaks)
    run: list[PainCheck] = []
    longest: list[PainCheck] = []
    for day in days:
        check = peaks[day]
        if run and run[-1].day == day - datetime.timedelta(days=1) and check.score > run[-1].score:
            run.append(check)
        else:
            run = [check]
        if len(run) >= RISING_DAYS and (len(run) >= len(longest)):
            longest = list(run)
    if not longest:
        return None
    scores = ", ".join(f"{check.score:g}" for check in longest)
    last = longest[-1]
    return _stop(
        last,
        f"Your {_pain_text(last)} has gone up {len(longest)} days in a row ({scores} out of 10, "
        f"{_date_text(longest[0].day)} to {_date_text(last.day)}). Pain that keeps climbing "
        "needs checking.",
        doing,
    )


def _site_key(check: PainCheck) -> str:
    return " ".join((check.site or "").lower().replace("_", " ").split())


def _lingering(window: Sequence[PainCheck], previous_week: Sequence[PainCheck]
               ) -> tuple[PainCheck, int] | None:
    """The site whose pain was LINGER_SCORE or more on at least LINGER_DAYS_PER_WEEK days of
    each of the two weeks, with its number of such days; None when no site qualifies."""
    found: list[tuple[PainCheck, int]] = []
    sites = {_site_key(c) for c in window if c.rated and c.score >= LINGER_SCORE}
    for site in sorted(sites):
        def days(checks: Sequence[PainCheck], site: str = site) -> set[datetime.date]:
            return {c.day for c in checks
                    if c.rated and c.score >= LINGER_SCORE and _site_key(c) == site}
        this_week, last_week = days(window), days(previous_week)
        if len(this_week) >= LINGER_DAYS_PER_WEEK and len(last_week) >= LINGER_DAYS_PER_WEEK:
            latest = _worst([c for c in window if _site_key(c) == site])
            found.append((latest, len(this_week) + len(last_week)))
    return max(found, key=lambda item: (item[1], _sort_key(item[0]))) if found else None


def _linger_words(doing: frozenset[Load]) -> str:
    """What a lingering ache leaves out, in the words of what the person does."""
    shown = [LOAD_WORDS[load] for load in (Load.RUNNING, Load.IMPACT) if load in doing]
    if Load.LEG_STRENGTH in doing:
        shown.append("step-ups and lunges")
    return _listed(shown) if shown else "running, jumping and hopping"


def _load_rules(window: Sequence[PainCheck], previous_week: Sequence[PainCheck],
                doing: frozenset[Load], since: frozenset[PainCheck] | None = None
                ) -> PainDecision:
    runs = Load.RUNNING in doing
    # The activity the load rules speak of: running for runners, exercise for everyone else.
    running, run = ("running", "run") if runs else ("exercise", "session")
    decisions: list[PainDecision] = []
    activity = [c for c in window if c.timing in (PainTiming.DURING, PainTiming.AFTER)]
    if activity:
        latest_day = max(c.day for c in activity)
        check = _worst([c for c in activity if c.day == latest_day])
        if check.score > ACCEPTABLE_ACTIVITY_PAIN:
            when = "during" if check.timing == PainTiming.DURING else "after"
            decisions.append(
                PainDecision(
                    PainAction.REDUCE,
                    f"Your {_pain_text(check)} reached {_score_text(check.score)} {when} your "
                    f"{run} on {_date_text(check.day)}, above the 5/10 limit: reduce this week's "
                    f"{running} (shorter or easier {run}s) so pain stays at 5/10 or less.",
                    False,
                    check.site,
                )
            )
        earlier = _worst(activity)
        if earlier.score > ACCEPTABLE_ACTIVITY_PAIN and earlier is not check:
            decisions.append(
                PainDecision(
                    PainAction.HOLD,
                    f"Your {_pain_text(earlier)} reached {_score_text(earlier.score)} with "
                    f"{running} on {_date_text(earlier.day)}, above the 5/10 limit: hold this "
                    f"week's {running} at last week's level until {run}s stay at 5/10 or less.",
                    False,
                    earlier.site,
                )
            )
    mornings = [c for c in window if c.timing == PainTiming.NEXT_MORNING]
    if mornings:
        latest_day = max(c.day for c in mornings)
        check = _worst([c for c in mornings if c.day == latest_day])
        if check.score > SETTLED_MORNING_PAIN:
            high = check.score > ACCEPTABLE_ACTIVITY_PAIN
            action = PainAction.REDUCE if high else PainAction.HOLD
            advice = (
                f"reduce this week's {running} below last week's"
                if high
                else f"hold this week's {running} at last week's level"
            )
            decisions.append(
                PainDecision(
                    action,
                    f"Your {_pain_text(check)} was {_score_text(check.score)} the next morning "
                    f"({_date_text(check.day)}): {advice} until it has settled by the morning.",
                    False,
                    check.site,
                )
            )
    if window and previous_week:
        this_week, last_week = _worst(window), _worst(previous_week)
        if this_week.score > last_week.score:
            decisions.append(
                PainDecision(
                    PainAction.HOLD,
                    f"Your {_pain_text(this_week)} is higher this week "
                    f"({_score_text(this_week.score)}) than last week "
                    f"({_score_text(last_week.score)}): hold this week's {running} at last "
                    "week's level.",
                    False,
                    this_week.site,
                )
            )
    lingering = (_lingering(window, previous_week) if since is None else
                 _lingering([c for c in window if c in since],
                            [c for c in previous_week if c in since]))
    if lingering is not None:
        check, days = lingering
        held = max(decisions, key=lambda d: _ACTION_RANK[d.action]) if decisions else None
        action = held.action if held is not None else PainAction.HOLD
        rest = ("keep the rest shorter or easier than last week" if action == PainAction.REDUCE
                else "keep the rest at last week's level")
        return PainDecision(
            action,
            f"Your {_pain_text(check)} has been {LINGER_SCORE:g}/10 or more on {days} of the "
            "last 14 days. An ache that lasts two weeks needs checking: please see a doctor "
            f"about it. Until a doctor has checked it, leave out {_linger_words(doing)}, and "
            f"{rest}.",
            True,
            check.site,
            LINGER_BARRED,
        )
    if decisions:
        decision = max(decisions, key=lambda d: _ACTION_RANK[d.action])
        return PainDecision(
            decision.action,
            f"{decision.reason} If it lingers or gets worse, check with a doctor.",
            False,
            decision.site,
        )
    if any(check.score > 0 for check in window):
        check = _worst(window)
        return PainDecision(
            PainAction.CONTINUE,
            f"Your {_pain_text(check)} peaked at {_score_text(check.score)} this week, within "
            f"the limits (5/10 or less with {running}, settled by the next morning, not rising): "
            "carry on with the plan and keep logging it.",
            False,
            check.site,
        )
    return PainDecision(
        PainAction.CONTINUE,
        "No pain logged in the past week: carry on with the plan.",
        False,
        None,
    )


def evaluate_pain(
    history: Sequence[PainCheck],
    today: datetime.date,
    *,
    red_flag_history: Sequence[PainCheck] | None = None,
    doing: frozenset[Load] | None = None,
) -> PainDecision:
    """Decide what to do with running today from the pain log.

    Rules, most serious first (checks after ``today`` are ignored; "this week" is the 7 days
    ending today, "last week" the 7 before):

    1. **Stop and see a doctor** if a fall came with pain, pain was marked as on one spot of
       the bone, pain was felt at rest or at night, pain reached 8/10 or more, or the day's
       highest pain rose on three or more consecutive days. These are looked for in
       ``red_flag_history`` when given (the caller passes every check since the last
       screening, so a stop lasts until the person is screened again), else this week. The
       stop bars the loads of the site's region (``decision.barred``) and names those among
       ``doing`` (what the person's plan and recent sessions hold; all loads when None).
    1b. **See a doctor** (keeping the hold or reduce below for the rest, and barring
       :data:`LINGER_BARRED`, the impact work) when pain of 3/10 or more at one site came on at
       least 4 of the 7 days of both this week and last week (since the last screening or
       clearance, when ``red_flag_history`` is given).
    2. **Reduce** if pain during or after the latest run was above 5/10, or next-morning pain
       was above 5/10.
    3. **Hold** at last week's level if pain with running went above 5/10 earlier this week, the
       latest next-morning pain was above 2/10 (not settled), or this week's highest pain is
       above last week's.
    4. Otherwise **continue**.

    The result depends only on the set of checks and ``today``, never on their order.
    """
    relevant = sorted((check for check in history if check.day <= today), key=_sort_key)
    window_start = today - datetime.timedelta(days=LOOKBACK_DAYS - 1)
    previous_start = window_start - datetime.timedelta(days=LOOKBACK_DAYS)
    window = [check for check in relevant if check.day >= window_start]
    previous_week = [c for c in relevant if previous_start <= c.day < window_start]
    flags_from = window if red_flag_history is None else sorted(
        (c for c in red_flag_history if c.day <= today), key=_sort_key)
    loads = frozenset(Load) if doing is None else doing
    red_flag = _red_flag(flags_from, loads)
    if red_flag is not None:
        return red_flag
    # A re-screen or a recorded doctor's clearance ends the lingering rule as it ends a stop:
    # only checks since then count towards it.
    since = None if red_flag_history is None else frozenset(flags_from)
    return _load_rules(window, previous_week, loads, since)
