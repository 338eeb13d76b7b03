"""Monitoring: the pain rules' decision from the check-ins and the load flags read off the daily
series, as warnings shown by `today`, the dashboard, the report and the API, and read by the
planner when it adapts. Each warning is one kind, specific sentence; none diagnoses.

Days are the athlete's local days (their time zone), as everywhere else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from stridewise.science.acwr import ACWR_FLAG_RATIO, CHRONIC_WINDOW_D
from stridewise.science.brain import WHO5_WINDOW_D, wellbeing_text
from stridewise.science.fitness import MONOTONY_HIGH
from stridewise.science.load import ENTRY_WEEK_LOAD_AU
from stridewise.science.pain import PainAction, PainCheck, PainDecision, PainTiming, evaluate_pain
from stridewise.science.spike import SPIKE_FLAG_RATIO, spike_hazard_ratio
from stridewise.science.steadiness import (
    STEADINESS_RECENT_D,
    steadiness_class,
    steadiness_text,
)
from stridewise.store import Store

RECENT_DAYS = 7
#: EWMA ACWR above this is flagged (``science.acwr.ACWR_FLAG_RATIO``).
ACWR_SPIKE = ACWR_FLAG_RATIO
#: Below this 7-day load the ratio is not flagged (the planner's entry week load, kept in
#: science so that the monitor does not import the planner).
ACWR_MIN_WEEK_LOAD_AU = ENTRY_WEEK_LOAD_AU
#: ACWR, monotony and strain compare this week with the weeks before it: until this many days
#: have passed since the first recorded session they say "not enough history yet", never an
#: alarm (a chronic window of 28 days, Hulin 2016 / Williams 2017, docs/science/load.md).
LOAD_RATIO_HISTORY_DAYS = CHRONIC_WINDOW_D
#: Monotony is shown as "over 10" above this (a near-flat week makes the ratio huge).
MONOTONY_SHOWN_MAX = 10.0


@dataclass(frozen=True)
class Warning:
    """One advice item. ``tone`` is ``stop``, ``warn`` or ``info`` (the page colours); ``text``
    is the sentence; ``id`` names the rule that said it (``pain``, ``single-run-spike``,
    ``workload-ratio``, ``monotony``, ``screening``, ...), so faces and tests can tell items
    apart without parsing the words."""

    tone: str
    text: str
    id: str = "advice"


def _as_checks(rows: Any, zone: ZoneInfo) -> list[PainCheck]:
    """Check-ins that report pain or a fall, as pain checks. A fall without a score counts
    with its pain "not rated" (NaN), which the pain rules treat as a reason to stop; a score
    without a timing is read as pain during activity."""
    checks = []
    for row in rows:
        if row.pain_score is None and not row.fell:
            continue
        try:
            day = row.at_utc.astimezone(zone).date()
        except OverflowError:
            # A moment off the calendar in this zone (year 1 or 9999: a bad row stored before
            # dates were checked) is no pain report; skipping it keeps every page up.
            continue
        checks.append(PainCheck(
            day=day,
            score=math.nan if row.pain_score is None else float(row.pain_score),
            timing=PainTiming(row.pain_timing or PainTiming.DURING.value),
            site=row.pain_site,
            localised_bone=bool(row.pain_localised_bone),
            fell=bool(row.fell),
        ))
    return checks


def pain_decision(tx: Any, athlete_id: int, today: date, zone: ZoneInfo, *,
                  doing: frozenset[Any] = frozenset()) -> PainDecision | None:
    """``doing``: what the person actually does (``science.pain.Load``; the plan works it out,
    ``plan.persist.activity_loads``), so the words fit it. The pain rules applied to the
    last two weeks of check-ins, with red flags looked for in every check-in since the last
    screening (so a stop lasts until the person is screened again, after seeing a doctor);
    None without any check-in."""
    until = datetime.combine(today + timedelta(days=1), time(), tzinfo=zone)
    window = datetime.combine(today - timedelta(days=2 * RECENT_DAYS), time(), tzinfo=zone)
    screenings = tx.list_screenings(athlete_id)
    screened_at = screenings[-1].taken_at_utc if screenings else None
    # One read covers both the two-week window and everything since the last screening.
    since = None if screened_at is None else min(window, screened_at)
    rows = tx.list_checkins(athlete_id, since=since, until=until)
    checks = _as_checks([r for r in rows if r.at_utc >= window], zone)
    # A recorded doctor's clearance ends a stop as a re-screen does (issue 10).
    cleared = [r.at_utc for r in rows
               if r.doctor_cleared and (screened_at is None or r.at_utc > screened_at)]
    if cleared:
        screened_at = max(cleared)
    flags = _as_checks([r for r in rows if screened_at is None or r.at_utc > screened_at], zone)
    if not checks and not flags:
        return None
    return evaluate_pain(checks, today, red_flag_history=flags, doing=doing)


def pain_warning(decision: PainDecision | None) -> Warning | None:
    """The pain rules' decision as a warning: none when running may continue."""
    if decision is None or decision.action is PainAction.CONTINUE:
        return None
    tone = "stop" if decision.action is PainAction.STOP or decision.see_doctor else "warn"
    text = decision.reason
    if decision.see_doctor and "doctor" not in text.lower():
        text += " Please see a doctor before you run again."
    return Warning(tone, text, "pain")


def _recent(series: pd.DataFrame, column: str, today: date) -> pd.Series:
    if column not in series or series.empty:
        return pd.Series(dtype=float)
    dates: Any = series["date"].to_numpy()
    if not isinstance(dates[0], date):  # timestamps (a frame from elsewhere): compare as such
        stamps = pd.to_datetime(series["date"])
        start = pd.Timestamp(today - timedelta(days=RECENT_DAYS - 1))
        return series.loc[(stamps >= start) & (stamps <= pd.Timestamp(today)), column].dropna()
    # A daily series holds dates in order: the window is a slice (several times cheaper than
    # a mask over every date, and this runs a few times for every answer).
    first = int(np.searchsorted(dates, today - timedelta(days=RECENT_DAYS - 1)))  # type: ignore[call-overload]
    last = int(np.searchsorted(dates, today, side="right"))  # type: ignore[call-overload]
    return series[column].iloc[first:last].dropna()


def load_warnings(series: pd.DataFrame, today: date) -> list[Warning]:
    """Load flags that change the plan: a single run in the last 7 days more than 10 % longer
    than the longest run of the 30 days before it (Frandsen et al., BJSM 2025 [V]: such runs
    went with more running injuries in 5,205 runners; the one load rule with direct evidence
    in runners). Shown, and passed to the planner, which holds the next runs."""
    found = []
    ratio = _recent(series, "spike_ratio", today)
    if not ratio.empty and float(ratio.max()) > SPIKE_FLAG_RATIO:
        worst = float(ratio.max())
        day = pd.Timestamp(str(series["date"].to_numpy()[series.index.get_loc(ratio.idxmax())]))
        hazard = float(spike_hazard_ratio(worst))
        found.append(Warning("warn", (
            f"Your run on {day.day} {day:%B} was {round((worst - 1) * 100)}% longer than your "
            "longest run in the month before. In a large study of runners, runs more than 10% "
            f"longer than the month's longest went with more injuries (about {hazard:.1f} times "
            "the risk). Keep your next runs no longer than that longest run."), "single-run-spike"))
    return found


def history_days(series: pd.DataFrame, today: date) -> int:
    """Days from the first recorded session up to ``today`` (0 without any session)."""
    if series.empty or "sessions" not in series:
        return 0
    active = series.loc[series["sessions"].to_numpy() > 0, "date"]
    if active.empty:
        return 0
    return (today - pd.Timestamp(active.iloc[0]).date()).days


def enough_history_for_ratios(series: pd.DataFrame, today: date) -> bool:
    """Whether ACWR, monotony and strain mean anything yet (see ``LOAD_RATIO_HISTORY_DAYS``)."""
    return history_days(series, today) >= LOAD_RATIO_HISTORY_DAYS


def load_notes(series: pd.DataFrame, today: date) -> list[Warning]:
    """Information about load, shown but not acted on (docs/science/load.md explains why):
    the EWMA workload ratio above 1.5 over a real training week (7-day load of at least the
    planner's entry load, 600 AU; with almost no chronic load any session sends the ratio up),
    and monotony above 2 (Foster 1998 [V study; the cut-off is S])."""
    found: list[Warning] = []
    if not enough_history_for_ratios(series, today):
        return found
    acwr = _recent(series, "acwr_ewma", today)
    week_load = float(_recent(series, "load_srpe", today).sum())
    if not acwr.empty and float(acwr.max()) > ACWR_SPIKE and week_load >= ACWR_MIN_WEEK_LOAD_AU:
        found.append(Warning("info", (
            f"Your training load rose quickly this week (workload ratio {float(acwr.max()):.2f}, "
            f"above {ACWR_SPIKE}). In runners the evidence for this ratio is mixed, so take it as "
            "a nudge: if you feel tired or sore, keep the next few days easy."), "workload-ratio"))
    monotony = _recent(series, "monotony", today)
    if not monotony.empty and float(monotony.iloc[-1]) > MONOTONY_HIGH:
        shown = "over 10" if float(monotony.iloc[-1]) > MONOTONY_SHOWN_MAX else (
            f"{float(monotony.iloc[-1]):.1f}")
        found.append(Warning("info", (
            f"Your days have been very similar in effort (monotony {shown}). Mixing easier and "
            "harder days, and keeping rest days, helps you recover."), "monotony"))
    return found


def current_warnings(store: Store, athlete_id: int, series: pd.DataFrame, today: date,
                     pain: PainDecision | None) -> list[Warning]:
    """Every warning that applies today, most serious first. ``pain``: the pain rules'
    decision for today (:func:`pain_decision`, worded for what the person does)."""
    found = [w for w in [pain_warning(pain)] if w is not None]
    found.extend(load_warnings(series, today))
    found.extend(load_notes(series, today))
    found.extend(steadiness_warnings(store, athlete_id, series, today))
    return sorted(found, key=lambda w: {"stop": 0, "warn": 1}.get(w.tone, 2))


def zone_of(store: Store, athlete_id: int) -> ZoneInfo:
    with store.transaction() as tx:
        athlete = tx.get_athlete(athlete_id)
    return zone_named(athlete.time_zone if athlete is not None else None)


def zone_named(name: str | None) -> ZoneInfo:
    """The zone of a stored name; UTC for none, or for a name this machine does not know."""
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def wellbeing_warnings(series: pd.DataFrame, today: date) -> list[Warning]:
    """The WHO-5 item for the current two-week window (the 14 days up to ``today``): none at
    50 or more, a kind suggestion to talk to a doctor below 50, to see one soon at 28 or
    below (Topp 2015, :mod:`stridewise.science.brain`). One item, id ``wellbeing``; it ends
    when the window holds no low answer."""
    if series.empty or "who5_pct" not in series:
        return []
    start = today - timedelta(days=WHO5_WINDOW_D - 1)
    inside = [(start <= d <= today) for d in series["date"]]
    values = series.loc[inside, "who5_pct"].dropna()
    if values.empty:
        return []
    text = wellbeing_text(float(values.mean()))
    return [Warning("warn", text, "wellbeing")] if text else []


def steadiness_warnings(store: Store, athlete_id: int, series: pd.DataFrame,
                        today: date) -> list[Warning]:
    """Apple's walking steadiness, when the latest reading of the last 28 days is Low or Very
    Low (:mod:`stridewise.science.steadiness`): one kind item, id ``walking-steadiness``,
    suggesting the screening's falls questions again and a word with a doctor. It never
    changes the falls risk or the plan by itself; it goes quiet once the person has screened
    again after the low readings began (until steadiness is OK again and then drops)."""
    if series.empty or "walking_steadiness_pct" not in series:
        return []
    start = today - timedelta(days=STEADINESS_RECENT_D - 1)
    dates = list(series["date"])
    values = series["walking_steadiness_pct"].to_numpy(dtype=float)
    readings = [(d, v) for d, v in zip(dates, values, strict=True)
                if start <= d <= today and math.isfinite(v)]
    if not readings:
        return []
    every = [(d, v) for d, v in zip(dates, values, strict=True)
             if d <= today and math.isfinite(v)]
    levels = steadiness_class([v for _, v in every])
    day, pct = readings[-1]
    text = steadiness_text(str(levels[-1]), pct, f"{day.day} {day:%B}")
    if text is None:
        return []
    low_since = day
    for (d, _), level in zip(reversed(every), reversed(levels), strict=True):
        if level == "ok":
            break
        low_since = d
    with store.transaction() as tx:
        screenings = tx.list_screenings(athlete_id)
    zone = zone_of(store, athlete_id)
    if screenings and screenings[-1].taken_at_utc.astimezone(zone).date() >= low_since:
        return []
    return [Warning("warn", text, "walking-steadiness")]
