"""Activities as a table for export, and the one rule for local days.

Days are local days: an activity's own UTC offset when its file recorded one, else the
athlete's display time zone (:func:`local_time`). The per-day export is
:func:`stridewise.series.daily_series_all`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from stridewise.store import models as m
from stridewise.store.core import Store

ACTIVITY_COLUMNS = (
    "id", "athlete_id", "athlete", "sport", "sub_sport", "start_time_utc", "start_time_local",
    "utc_offset_s", "elapsed_s", "moving_s", "distance_m", "ascent_m", "avg_heart_rate_bpm",
    "max_heart_rate_bpm", "avg_cadence_spm", "steps", "avg_speed_mps", "device", "name", "rpe",
    "source_format", "source_name", "source_sha256",
)


def local_time(start_utc: datetime, utc_offset_s: int | None, time_zone: str) -> datetime:
    """Naive local wall-clock time of an instant (the file's offset first, else the zone).

    An instant so close to year 1 or 9999 that its local time falls off the calendar (a bad
    row written before dates were checked) keeps its UTC wall time, so one such row cannot
    break every page that lists days (issue 11)."""
    try:
        if utc_offset_s is not None:
            return (start_utc + timedelta(seconds=utc_offset_s)).replace(tzinfo=None)
        return start_utc.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)
    except OverflowError:
        return start_utc.astimezone(UTC).replace(tzinfo=None)


def _athletes(store: Store, athlete_id: int | None) -> list[m.Athlete]:
    with store.transaction() as tx:
        if athlete_id is None:
            return tx.list_athletes()
        athlete = tx.get_athlete(athlete_id)
    return [] if athlete is None else [athlete]


def activities_frame(store: Store, athlete_id: int | None) -> pd.DataFrame:
    """One row per stored activity of the athlete, oldest first. ``None`` (said explicitly:
    there is no default) is every athlete's, for the owner of the database's own export."""
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


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"):
#: ``=HYPERLINK(...)`` in an activity name would otherwise run when the export is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """A text cell starting with a formula character, prefixed with a single quote (OWASP CSV
    injection rule) so spreadsheets show it as text; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell passed through :func:`neutralise_cell` (numbers, which
    may be negative, are left as numbers)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """The one way stridewise writes a CSV export: text cells neutralised, no index."""
    neutralised(frame).to_csv(path, index=False)
