"""Per-day measures from phone and platform exports, as columns of the daily series.

:func:`measures_frame` gives one row per stored day: one source per day (several platforms
count the same steps, so they are never added): the source with the most steps that day,
else the first with a value. :func:`with_measures` adds its columns to the daily series:

- ``steps``, ``walking_distance_device_m``, ``resting_hr_device_bpm``, ``measures_source``;
- ``walking_steadiness_pct``: Apple's walking steadiness of the week ending that day (from
  whichever source has it; read by the monitor's steadiness prompt, science.steadiness);
- ``steps_moderate_min`` / ``steps_vigorous_min``: minutes of brisk walking from step cadence
  (:mod:`stridewise.science.steps`) outside recorded sessions. The brisk spans are stored
  with their times (:func:`brisk_frame`); here, at series time, the seconds any recorded
  activity or hand-logged session covers are taken out (:func:`~stridewise.science.steps.
  seconds_outside`), so a walk logged or imported after the export is not counted twice and
  the order of imports does not change the minutes. Days stored before the spans were kept
  use their stored minutes (taken out at import then). Where a source gives no cadence
  minutes but its own intensity minutes (Garmin, Fitbit), those minus the day's recorded
  session minutes (which they include), never below 0;
- these minutes are added to ``moderate_min``, ``vigorous_min`` and ``who_equivalent_min``;
- ``sleep_hours`` from the device fills days without a check-in (what the person says wins);
  hours asleep only, never time in bed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from stridewise.science.benefits import who_equivalent_minutes
from stridewise.science.steps import seconds_outside
from stridewise.series.empty import empty_frame, frame_of
from stridewise.store import Store, Tx

MEASURE_SERIES_COLUMNS = (
    "steps", "walking_distance_device_m", "resting_hr_device_bpm", "steps_moderate_min",
    "steps_vigorous_min", "measures_source", "walking_steadiness_pct",
)
_FIELDS = (
    "steps", "walking_distance_m", "resting_hr_bpm", "sleep_asleep_s", "steps_moderate_min",
    "steps_vigorous_min", "device_moderate_min", "device_vigorous_min",
    "walking_steadiness_pct",
)


#: Columns of :func:`brisk_frame`: local day, source, UTC seconds, and vigorous (bool).
BRISK_COLUMNS = ("date", "source", "start_s", "end_s", "vigorous")
#: Columns of :func:`busy_frame`: UTC seconds of recorded activities and logged sessions.
BUSY_COLUMNS = ("start_s", "end_s")


def empty_measures() -> pd.DataFrame:
    return empty_frame(("date", "source", *_FIELDS))


def empty_brisk() -> pd.DataFrame:
    return empty_frame(BRISK_COLUMNS)


def empty_busy() -> pd.DataFrame:
    return empty_frame(BUSY_COLUMNS)


def brisk_frame(tx: Tx, athlete_id: int) -> pd.DataFrame:
    """The stored brisk spans (a loader, inside :func:`stridewise.series.frames.load_frames`'s
    transaction)."""
    rows = tx.list_brisk_intervals(athlete_id)
    return frame_of([(r.day, r.source, r.start_utc.timestamp(), r.end_utc.timestamp(),
                      r.intensity == "vigorous") for r in rows], BRISK_COLUMNS)


def busy_frame(tx: Tx, athlete_id: int) -> pd.DataFrame:
    """(start, end) UTC seconds of every recorded activity and logged session (a loader)."""
    return frame_of(list(tx.activity_spans_s(athlete_id)), BUSY_COLUMNS)


def brisk_minutes_outside(brisk: pd.DataFrame, busy: pd.DataFrame,
                          chosen: pd.DataFrame) -> pd.DataFrame:
    """Per (date, source) of ``chosen`` (the day's one source) that has stored spans:
    ``moderate`` and ``vigorous`` minutes of brisk walking outside the ``busy`` spans.
    Pure; the one rule that keeps step minutes from counting a recorded session twice."""
    if brisk is None or not len(brisk) or not len(chosen):
        return empty_frame(("date", "source", "moderate", "vigorous"))
    spans = brisk.merge(chosen[["date", "source"]], on=["date", "source"], how="inner")
    if not len(spans):
        return empty_frame(("date", "source", "moderate", "vigorous"))
    busy_s = (busy["start_s"].to_numpy(dtype=np.float64) if busy is not None and len(busy)
              else np.zeros(0))
    busy_e = (busy["end_s"].to_numpy(dtype=np.float64) if busy is not None and len(busy)
              else np.zeros(0))
    outside_min = seconds_outside(spans["start_s"].to_numpy(dtype=np.float64),
                                  spans["end_s"].to_numpy(dtype=np.float64),
                                  busy_s, busy_e) / 60.0
    vigorous = spans["vigorous"].to_numpy(dtype=bool)
    spans = spans.assign(moderate=np.where(vigorous, 0.0, outside_min),
                         vigorous=np.where(vigorous, outside_min, 0.0))
    return spans.groupby(["date", "source"], as_index=False)[["moderate", "vigorous"]].sum()


def measures_frame(store: Store, athlete_id: int) -> pd.DataFrame:
    """One row per day with stored measures: ``date``, ``source`` and the measure columns
    (a loader: :func:`stridewise.series.frames.load_frames` calls it)."""
    with store.transaction() as tx:
        return measures_rows(tx, athlete_id)


def measures_rows(tx: Tx, athlete_id: int) -> pd.DataFrame:
    """:func:`measures_frame` inside a transaction the caller holds."""
    rows = tx.list_daily_measures(athlete_id)
    if not rows:
        return empty_frame(("date", "source", *_FIELDS))
    frame = pd.DataFrame([{"date": r.day, "source": r.source,
                           **{f: getattr(r, f) for f in _FIELDS}} for r in rows])
    frame[list(_FIELDS)] = frame[list(_FIELDS)].astype(np.float64)
    # One source per day: the most steps, then any value at all (stable by source name).
    frame["_rank"] = frame["steps"].fillna(-1.0)
    # Walking steadiness comes from one platform only (Apple): kept whichever source wins.
    steadiness = frame.dropna(subset=["walking_steadiness_pct"]).drop_duplicates("date")
    frame = frame.sort_values(["date", "_rank", "source"], ascending=[True, False, True])
    frame = frame.drop_duplicates("date").drop(columns=["_rank", "walking_steadiness_pct"])
    return frame.merge(steadiness[["date", "walking_steadiness_pct"]], on="date",
                       how="left").reset_index(drop=True)


def with_measures(daily: pd.DataFrame, measures: pd.DataFrame,
                  brisk: pd.DataFrame | None = None,
                  busy: pd.DataFrame | None = None, *, by: str | None = None) -> pd.DataFrame:
    """``daily`` with the columns of the module docstring (NaN/0 where nothing is stored);
    ``measures`` is :func:`measures_frame`'s table, ``brisk`` :func:`brisk_frame`'s and
    ``busy`` :func:`busy_frame`'s. Pure: no store.

    ``by`` names a column of ``daily`` and ``measures`` telling athletes apart (a cohort's
    series one after the other): measures are then matched on it and the date; each row's
    values are those of its athlete's own call (element by element). Not with brisk spans."""
    if not len(measures) and (brisk is None or not len(brisk)):
        return _without_measures(daily)
    return _with_stored_measures(daily, measures, brisk, busy, by=by)


def _without_measures(daily: pd.DataFrame) -> pd.DataFrame:
    """:func:`with_measures` when nothing was imported from a phone or platform (most
    people): the same frame, built in one step rather than through the joins (whose fixed
    cost was a quarter of the series' refresh after a check-in)."""
    n = len(daily)
    nothing = np.full(n, np.nan)
    zero = np.zeros(n)
    moderate = daily["moderate_min"].to_numpy(dtype=np.float64) + zero
    vigorous = daily["vigorous_min"].to_numpy(dtype=np.float64) + zero
    typed = daily["sleep_hours"].to_numpy(dtype=np.float64)
    columns: dict[str, Any] = {name: daily[name] for name in daily.columns}
    columns.update({
        "moderate_min": moderate, "vigorous_min": vigorous,
        "who_equivalent_min": who_equivalent_minutes(moderate, vigorous),
        "sleep_hours": np.where(np.isfinite(typed), typed, nothing),
        "steps": nothing, "walking_distance_device_m": nothing.copy(),
        "resting_hr_device_bpm": nothing.copy(), "steps_moderate_min": zero,
        "steps_vigorous_min": zero.copy(), "measures_source": np.full(n, None, dtype=object),
        "walking_steadiness_pct": nothing.copy()})
    return pd.DataFrame(columns, index=daily.index)


def _with_stored_measures(daily: pd.DataFrame, measures: pd.DataFrame,
                          brisk: pd.DataFrame | None, busy: pd.DataFrame | None, *,
                          by: str | None) -> pd.DataFrame:
    out = daily.copy()
    n = len(out)
    keys = ["date"] if by is None else [by, "date"]
    if by is not None and brisk is not None and len(brisk):
        raise ValueError("brisk spans are matched to one athlete's sessions: call per athlete")
    if len(measures) and n:
        joined = out[keys].merge(measures, on=keys, how="left")
    else:
        joined = pd.DataFrame({f: np.full(n, np.nan) for f in _FIELDS})
        joined["source"] = None
        joined["date"] = out["date"].to_numpy()
    cadence_mod = joined["steps_moderate_min"].to_numpy(dtype=np.float64)
    cadence_vig = joined["steps_vigorous_min"].to_numpy(dtype=np.float64)
    # Stored spans, where the day's source has them, replace its stored minutes: the
    # recorded sessions are taken out now, whichever was imported first.
    outside = brisk_minutes_outside(
        brisk if brisk is not None else empty_brisk(), busy if busy is not None
        else empty_busy(), joined[["date", "source"]].dropna())
    if len(outside):
        found = joined[["date", "source"]].merge(outside, on=["date", "source"], how="left")
        has_spans = found["moderate"].notna().to_numpy()
        cadence_mod = np.where(has_spans, found["moderate"].to_numpy(dtype=np.float64),
                               cadence_mod)
        cadence_vig = np.where(has_spans, found["vigorous"].to_numpy(dtype=np.float64),
                               cadence_vig)
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
    out["walking_steadiness_pct"] = joined["walking_steadiness_pct"].to_numpy(dtype=np.float64)
    out["moderate_min"] = out["moderate_min"].to_numpy(dtype=np.float64) + extra_mod
    out["vigorous_min"] = out["vigorous_min"].to_numpy(dtype=np.float64) + extra_vig
    out["who_equivalent_min"] = who_equivalent_minutes(out["moderate_min"], out["vigorous_min"])
    device_sleep_h = joined["sleep_asleep_s"].to_numpy(dtype=np.float64) / 3600.0
    typed = out["sleep_hours"].to_numpy(dtype=np.float64)
    out["sleep_hours"] = np.where(np.isfinite(typed), typed, device_sleep_h)
    return out


def device_walking_days(daily: pd.DataFrame) -> tuple[tuple[date, float], ...]:
    """(day, brisk walking minutes outside recorded sessions) for every day of ``daily`` (a
    daily series) on which a phone or platform export measured steps: what the planner's
    walking baseline reads (:func:`stridewise.plan.inputs.walking_baseline`). A day with
    steps but no brisk minute is (day, 0.0): the phone was there, she did not walk briskly.
    """
    if daily.empty or "steps" not in daily:
        return ()
    measured = np.isfinite(daily["steps"].to_numpy(dtype=np.float64))
    minutes = (np.nan_to_num(daily["steps_moderate_min"].to_numpy(dtype=np.float64))
               + np.nan_to_num(daily["steps_vigorous_min"].to_numpy(dtype=np.float64)))
    days = daily["date"].to_numpy()
    return tuple((days[i], float(minutes[i])) for i in np.flatnonzero(measured))
