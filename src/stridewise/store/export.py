"""Tables for export and for the series layer: activities, and per-day totals per athlete.

Days are local days: an activity's own UTC offset when its file recorded one, else the
athlete's display time zone. Manual sessions count their whole duration as moving time (a
person logging "30 min run" reports time spent moving).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import select

from stridewise.store import models as m
from stridewise.store.core import Store

ACTIVITY_COLUMNS = (
    "id", "athlete_id", "athlete", "sport", "sub_sport", "start_time_utc", "start_time_local",
    "utc_offset_s", "elapsed_s", "moving_s", "distance_m", "ascent_m", "avg_heart_rate_bpm",
    "max_heart_rate_bpm", "avg_cadence_spm", "steps", "avg_speed_mps", "device", "name", "rpe",
    "source_format", "source_name", "source_sha256",
)
DAILY_COLUMNS = (
    "athlete_id", "athlete", "date", "duration_s", "moving_s", "distance_m", "run_distance_m",
    "longest_run_m", "sessions",
)


def local_time(start_utc: datetime, utc_offset_s: int | None, time_zone: str) -> datetime:
    """Naive local wall-clock time of an instant (the file's offset first, else the zone)."""
    if utc_offset_s is not None:
        return (start_utc + timedelta(seconds=utc_offset_s)).replace(tzinfo=None)
    return start_utc.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)


def _athletes(store: Store, athlete_id: int | None) -> list[m.Athlete]:
    with store.transaction() as tx:
        athletes = tx.list_athletes()
    return [a for a in athletes if athlete_id is None or a.id == athlete_id]


def activities_frame(store: Store, athlete_id: int | None = None) -> pd.DataFrame:
    """One row per stored activity (all athletes unless one is given), oldest first."""
    rows = []
    for athlete in _athletes(store, athlete_id):
        with store.transaction() as tx:
            activities = tx.list_activities(athlete.id)
        for a in activities:
            row = {c: getattr(a, c) for c in ACTIVITY_COLUMNS if hasattr(m.Activity, c)}
            row["athlete"] = athlete.name
            row["start_time_local"] = local_time(
                a.start_time_utc, a.utc_offset_s, athlete.time_zone
            )
            rows.append(row)
    return pd.DataFrame(rows, columns=list(ACTIVITY_COLUMNS))


def daily_totals(store: Store, athlete_id: int | None = None) -> pd.DataFrame:
    """Per athlete and local day, every day from the first to the last session (rest days
    as zeros): duration, moving time, distance, run distance, longest run, sessions."""
    frames = []
    for athlete in _athletes(store, athlete_id):
        entries = _entries(store, athlete)
        if entries.empty:
            continue
        grouped = entries.groupby("date")
        daily = pd.DataFrame(
            {
                "duration_s": grouped["duration_s"].sum(),
                "moving_s": grouped["moving_s"].sum(),
                "distance_m": grouped["distance_m"].sum(),
                "run_distance_m": grouped["run_distance_m"].sum(),
                "longest_run_m": grouped["run_distance_m"].max(),
                "sessions": grouped.size(),
            }
        )
        days = pd.date_range(daily.index.min(), daily.index.max(), freq="D").date
        daily = daily.reindex(days, fill_value=0).rename_axis("date").reset_index()
        daily["sessions"] = daily["sessions"].astype("int64")
        daily.insert(0, "athlete", athlete.name)
        daily.insert(0, "athlete_id", athlete.id)
        frames.append(daily)
    if not frames:
        return pd.DataFrame(columns=list(DAILY_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(DAILY_COLUMNS)]


def _entries(store: Store, athlete: m.Athlete) -> pd.DataFrame:
    with store.transaction() as tx:
        activities = tx.session.execute(
            select(
                m.Activity.start_time_utc, m.Activity.utc_offset_s, m.Activity.elapsed_s,
                m.Activity.moving_s, m.Activity.distance_m, m.Activity.sport,
            ).where(m.Activity.athlete_id == athlete.id)
        ).all()
        manual = tx.list_manual_sessions(athlete.id)
    rows = []
    for start, offset, elapsed, moving, distance, sport in activities:
        dist = distance or 0.0
        rows.append((local_time(start, offset, athlete.time_zone).date(), elapsed, moving,
                     dist, dist if sport == "run" else 0.0))
    for s in manual:
        dist = s.distance_m or 0.0
        rows.append((local_time(s.start_time_utc, None, athlete.time_zone).date(), s.duration_s,
                     s.duration_s, dist, dist if s.kind == "run" else 0.0))
    return pd.DataFrame(
        rows, columns=["date", "duration_s", "moving_s", "distance_m", "run_distance_m"]
    )
