"""Per-day measures from phone and platform exports, as columns of the daily series.

:func:`measures_frame` gives one row per stored day: one source per day (several platforms
count the same steps, so they are never added): the source with the most steps that day,
else the first with a value. :func:`with_measures` adds its columns to the daily series:

- ``steps``, ``walking_distance_device_m``, ``resting_hr_device_bpm``, ``measures_source``;
- ``steps_moderate_min`` / ``steps_vigorous_min``: minutes of brisk walking from step cadence
  (:mod:`stridewise.science.steps`), already outside recorded activities; where a source gives
  no cadence minutes but its own intensity minutes (Garmin, Fitbit), those minus the day's
  recorded session minutes (which they include), never below 0;
- these minutes are added to ``moderate_min``, ``vigorous_min`` and ``who_equivalent_min``;
- ``sleep_hours`` from the device fills days without a check-in (what the person says wins);
  hours asleep only, never time in bed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stridewise.science.benefits import who_equivalent_minutes
from stridewise.store import Store

MEASURE_SERIES_COLUMNS = (
    "steps", "walking_distance_device_m", "resting_hr_device_bpm", "steps_moderate_min",
    "steps_vigorous_min", "measures_source",
)
_FIELDS = (
    "steps", "walking_distance_m", "resting_hr_bpm", "sleep_asleep_s", "steps_moderate_min",
    "steps_vigorous_min", "device_moderate_min", "device_vigorous_min",
)


def empty_measures() -> pd.DataFrame:
    return pd.DataFrame(columns=["date", "source", *_FIELDS])


def measures_frame(store: Store, athlete_id: int) -> pd.DataFrame:
    """One row per day with stored measures: ``date``, ``source`` and the measure columns
    (a loader: :func:`stridewise.series.frames.load_frames` calls it)."""
    with store.transaction() as tx:
        rows = tx.list_daily_measures(athlete_id)
    if not rows:
        return pd.DataFrame(columns=["date", "source", *_FIELDS])
    frame = pd.DataFrame([{"date": r.day, "source": r.source,
                           **{f: getattr(r, f) for f in _FIELDS}} for r in rows])
    frame[list(_FIELDS)] = frame[list(_FIELDS)].astype(np.float64)
    # One source per day: the most steps, then any value at all (stable by source name).
    frame["_rank"] = frame["steps"].fillna(-1.0)
    frame = frame.sort_values(["date", "_rank", "source"], ascending=[True, False, True])
    return frame.drop_duplicates("date").drop(columns="_rank").reset_index(drop=True)


def with_measures(daily: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """``daily`` with the columns of the module docstring (NaN/0 where nothing is stored);
    ``measures`` is :func:`measures_frame`'s table. Pure: no store."""
    out = daily.copy()
    n = len(out)
    if len(measures) and n:
        joined = out[["date"]].merge(measures, on="date", how="left")
    else:
        joined = pd.DataFrame({f: np.full(n, np.nan) for f in _FIELDS})
        joined["source"] = None
    cadence_mod = joined["steps_moderate_min"].to_numpy(dtype=np.float64)
    cadence_vig = joined["steps_vigorous_min"].to_numpy(dtype=np.float64)
    has_cadence = np.isfinite(cadence_mod) | np.isfinite(cadence_vig)
    session_min = (out["moderate_min"].to_numpy(dtype=np.float64)
                   + out["vigorous_min"].to_numpy(dtype=np.float64))
    # Device minutes include the recorded sessions: only what lies beyond them is added.
    dev_mod = joined["device_moderate_min"].to_numpy(dtype=np.float64)
    dev_vig = joined["device_vigorous_min"].to_numpy(dtype=np.float64)
    dev_vig_extra = np.maximum(np.nan_to_num(dev_vig) - session_min, 0.0)
    dev_mod_extra = np.maximum(
        np.nan_to_num(dev_mod) - np.maximum(session_min - np.nan_to_num(dev_vig), 0.0), 0.0)
    extra_mod = np.where(has_cadence, np.nan_to_num(cadence_mod), dev_mod_extra)
    extra_vig = np.where(has_cadence, np.nan_to_num(cadence_vig), dev_vig_extra)
    out["steps"] = joined["steps"].to_numpy(dtype=np.float64)
    out["walking_distance_device_m"] = joined["walking_distance_m"].to_numpy(dtype=np.float64)
    out["resting_hr_device_bpm"] = joined["resting_hr_bpm"].to_numpy(dtype=np.float64)
    out["steps_moderate_min"] = extra_mod
    out["steps_vigorous_min"] = extra_vig
    out["measures_source"] = joined["source"].to_numpy(dtype=object)
    out["moderate_min"] = out["moderate_min"].to_numpy(dtype=np.float64) + extra_mod
    out["vigorous_min"] = out["vigorous_min"].to_numpy(dtype=np.float64) + extra_vig
    out["who_equivalent_min"] = who_equivalent_minutes(out["moderate_min"], out["vigorous_min"])
    device_sleep_h = joined["sleep_asleep_s"].to_numpy(dtype=np.float64) / 3600.0
    typed = out["sleep_hours"].to_numpy(dtype=np.float64)
    out["sleep_hours"] = np.where(np.isfinite(typed), typed, device_sleep_h)
    return out
