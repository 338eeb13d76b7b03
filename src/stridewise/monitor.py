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

import pandas as pd

from stridewise.plan.guards import GuardSettings
from stridewise.science.pain import PainAction, PainCheck, PainDecision, PainTiming, evaluate_pain
from stridewise.store import Store

RECENT_DAYS = 7
#: EWMA ACWR above this is flagged (Gabbett 2016's "danger zone" [U]; see docs/science/load.md:
#: shown as a prompt to keep the next days easy, never as a risk prediction).
ACWR_SPIKE = 1.5
#: Below this 7-day load the ratio is not flagged (the planner's ``entry_week_load_au``).
ACWR_MIN_WEEK_LOAD_AU = GuardSettings().entry_week_load_au
#: Foster 1998: weekly monotony above ~2 went with illness and injury [V study, S cut-off].
MONOTONY_HIGH = 2.0


@dataclass(frozen=True)
class Warning:
    """``tone`` is ``stop``, ``warn`` or ``ok`` (the page colours); ``text`` is the sentence."""

    tone: str
    text: str


def _as_checks(rows: Any, zone: ZoneInfo) -> list[PainCheck]:
    """Check-ins that report pain or a fall, as pain checks. A fall without a score counts
    with its pain "not rated" (NaN), which the pain rules treat as a reason to stop; a score
    without a timing is read as pain during activity."""
    checks = []
    for row in rows:
        if row.pain_score is None and not row.fell:
            continue
        checks.append(PainCheck(
            day=row.at_utc.astimezone(zone).date(),
            score=math.nan if row.pain_score is None else float(row.pain_score),
            timing=PainTiming(row.pain_timing or PainTiming.DURING.value),
            site=row.pain_site,
            localised_bone=bool(row.pain_localised_bone),
            fell=bool(row.fell),
        ))
    return checks


def pain_checks(tx: Any, athlete_id: int, since: date, until: date,
                zone: ZoneInfo) -> list[PainCheck]:
    """Pain checks from local day ``since`` up to (not including) ``until``."""
    rows = tx.list_checkins(athlete_id, since=datetime.combine(since, time(), tzinfo=zone),
                            until=datetime.combine(until, time(), tzinfo=zone))
    return _as_checks(rows, zone)


def pain_decision(tx: Any, athlete_id: int, today: date, zone: ZoneInfo) -> PainDecision | None:
    """The pain rules applied to the last two weeks of check-ins, with red flags looked for in
    every check-in since the last screening (so a stop lasts until the person is screened
    again, after seeing a doctor); None without any check-in."""
    until = datetime.combine(today + timedelta(days=1), time(), tzinfo=zone)
    checks = pain_checks(tx, athlete_id, today - timedelta(days=2 * RECENT_DAYS),
                         today + timedelta(days=1), zone)
    screenings = tx.list_screenings(athlete_id)
    screened_at = screenings[-1].taken_at_utc if screenings else None
    rows = tx.list_checkins(athlete_id, since=screened_at, until=until)
    flags = _as_checks([r for r in rows if screened_at is None or r.at_utc > screened_at], zone)
    if not checks and not flags:
        return None
    return evaluate_pain(checks, today, red_flag_history=flags)


def pain_warning(store: Store, athlete_id: int, today: date, zone: ZoneInfo) -> Warning | None:
    with store.transaction() as tx:
        decision = pain_decision(tx, athlete_id, today, zone)
    if decision is None or decision.action is PainAction.CONTINUE:
        return None
    tone = "stop" if decision.action is PainAction.STOP or decision.see_doctor else "warn"
    text = decision.reason
    if decision.see_doctor and "doctor" not in text.lower():
        text += " Please see a doctor before you run again."
    return Warning(tone, text)


def _recent(series: pd.DataFrame, column: str, today: date) -> pd.Series:
    if column not in series or series.empty:
        return pd.Series(dtype=float)
    dates = pd.to_datetime(series["date"])
    start = pd.Timestamp(today - timedelta(days=RECENT_DAYS - 1))
    return series.loc[(dates >= start) & (dates <= pd.Timestamp(today)), column].dropna()


def load_warnings(series: pd.DataFrame, today: date) -> list[Warning]:
    """Load flags of the last 7 days. The workload-ratio flag needs a week of real training
    (the planner's entry load, 600 AU, e.g. three 40-minute sessions at RPE 5): with almost no
    chronic load, as after months off, any session sends the ratio up and the flag would only
    be noise; the single-run spike rule still guards that case."""
    found = []
    acwr = _recent(series, "acwr_ewma", today)
    week_load = float(_recent(series, "load_srpe", today).sum())
    if not acwr.empty and float(acwr.max()) > ACWR_SPIKE and week_load >= ACWR_MIN_WEEK_LOAD_AU:
        found.append(Warning("warn", (
            f"Your training load rose quickly this week (workload ratio {float(acwr.max()):.2f}, "
            f"above {ACWR_SPIKE}). Sudden jumps go with more injuries: keep the next few days "
            "easy.")))
    monotony = _recent(series, "monotony", today)
    if not monotony.empty and float(monotony.iloc[-1]) > MONOTONY_HIGH:
        found.append(Warning("warn", (
            f"Your days have been very similar in effort (monotony {float(monotony.iloc[-1]):.1f}"
            "). Mix easier and harder days, and keep your rest days.")))
    return found


def current_warnings(store: Store, athlete_id: int, series: pd.DataFrame, today: date,
                     zone: ZoneInfo) -> list[Warning]:
    """Every warning that applies today, most serious first."""
    found = [w for w in [pain_warning(store, athlete_id, today, zone)] if w is not None]
    found.extend(load_warnings(series, today))
    return sorted(found, key=lambda w: {"stop": 0, "warn": 1}.get(w.tone, 2))


def zone_of(store: Store, athlete_id: int) -> ZoneInfo:
    with store.transaction() as tx:
        athlete = tx.get_athlete(athlete_id)
    try:
        return ZoneInfo(athlete.time_zone if athlete is not None else "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")
