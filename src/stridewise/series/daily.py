"""The daily series: one row per local day, every metric the tool shows over time.

Built from :func:`stridewise.series.sessions.sessions_frame` and the check-ins of a
:class:`~stridewise.series.frames.SeriesFrames` (no store, no SQL). :func:`daily_columns` is
the kernel: it takes the sessions of one athlete or of a whole cohort (athletes x days) and
returns every daily column as arrays, with the load metrics from the blocked
:func:`stridewise.science.daily.daily_load_metrics` (fitness/fatigue with λ = 1 − e^(−1/τ),
τ = 42 and 7 d, settable; form from the previous day's values; EWMA ACWR with λ = 2/(N+1),
Williams 2017). Column names are the plain ones, ``fitness``/``fatigue``/``form``; pages may
label them "Fitness (CTL)" and so on.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from stridewise import clock
from stridewise.science import benefits, bone
from stridewise.science.benefits import Intensity
from stridewise.science.daily import daily_load_metrics
from stridewise.science.load import daily_load, daily_longest_run_m
from stridewise.store.export import local_time

from .frames import SeriesFrames
from .sessions import sessions_frame

FloatArray = NDArray[np.float64]

DAILY_SERIES_COLUMNS = (
    "date", "sessions", "duration_min", "distance_m", "run_distance_m", "longest_run_m",
    "load_srpe", "load_estimated", "trimp", "fitness", "fatigue", "form", "acwr_ewma",
    "acwr_coupled", "acwr_uncoupled", "monotony", "strain", "spike_ratio", "bone_stimulus",
    "walking_equivalent_stimulus", "moderate_min", "vigorous_min", "who_equivalent_min",
    "met_min", "strength_session", "balance_session", "pain_max", "sleep_hours", "who5_pct",
)
#: The session-derived columns :func:`daily_columns` returns (the rest come from check-ins).
DAILY_SESSION_COLUMNS = DAILY_SERIES_COLUMNS[1:-3]
#: Columns of :func:`daily_columns` read from ``daily_load_metrics`` under the same name.
_KERNEL_COLUMNS = (
    "fitness", "fatigue", "form", "acwr_ewma", "acwr_coupled", "acwr_uncoupled", "monotony",
    "strain", "spike_ratio",
)


def _kind_masks(kind: ArrayLike | pd.Series, names: tuple[str, ...]) -> list[NDArray[np.bool_]]:
    """One boolean mask per kind name. Categorical kinds (a cohort's) compare their small
    code array instead of millions of strings."""
    series = kind if isinstance(kind, pd.Series) else pd.Series(np.asarray(kind, dtype=object))
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        categories = list(series.cat.categories)
    else:
        codes, uniques = pd.factorize(series)
        categories = list(uniques)
    return [
        codes == categories.index(name) if name in categories else np.zeros(len(codes), bool)
        for name in names
    ]


def _bone_by_day(
    positions: NDArray[np.int64],
    per_position: NDArray[np.int64],
    size: int,
    start_hour: FloatArray,
    duration_h: FloatArray,
    grf_bw: FloatArray,
    cycles_per_leg: FloatArray,
) -> FloatArray:
    """Daily osteogenic index (:func:`stridewise.science.bone.daily_bone_stimulus`: sessions
    under 8 h apart merged, Robling 2001) at each flat athlete-day position.

    A day with one session scores that session's F ln(1 + N), which is what
    ``daily_bone_stimulus`` gives for a single session; only days with several sessions go
    through it, padded to the busiest day's count."""
    oi = np.nan_to_num(bone.osteogenic_index(grf_bw, cycles_per_leg))
    shared = per_position[positions] > 1
    result = np.bincount(positions[~shared], weights=oi[~shared], minlength=size).astype(
        np.float64, copy=False)
    if not shared.any():
        return result
    chosen = np.flatnonzero(shared)
    order = chosen[np.argsort(positions[chosen], kind="stable")]
    ordered = positions[order]
    days, first, counts = np.unique(ordered, return_index=True, return_counts=True)
    row = np.repeat(np.arange(len(days)), counts)
    slot = np.arange(len(order)) - np.repeat(first, counts)
    shape = (len(days), int(counts.max()))
    start, grf, cycles, dur = (np.full(shape, np.nan) for _ in range(4))
    start[row, slot] = start_hour[order]
    grf[row, slot] = grf_bw[order]
    cycles[row, slot] = cycles_per_leg[order]
    dur[row, slot] = duration_h[order]
    result[days] = np.nan_to_num(
        bone.daily_bone_stimulus(start, grf, cycles, session_duration_h=dur)
    )
    return result


def daily_columns(
    sessions: pd.DataFrame,
    day_index: ArrayLike,
    n_days: int,
    athlete_index: ArrayLike | None = None,
    n_athletes: int | None = None,
    *,
    tau_fitness_d: float = 42.0,
    tau_fatigue_d: float = 7.0,
) -> dict[str, NDArray[np.generic]]:
    """Every session-derived daily column (:data:`DAILY_SESSION_COLUMNS`) as arrays.

    ``sessions`` has the per-session columns of
    :data:`~stridewise.series.sessions.SESSION_COLUMNS` (``kind``, ``duration_min``,
    ``distance_m``, ``load_srpe``, ``rpe_estimated``, ``trimp``, ``peak_grf_bw``,
    ``loading_cycles_per_leg``, ``start_hour``, ``met_min``, ``intensity`` are read);
    ``day_index`` (and ``athlete_index``) place each session as in
    :func:`stridewise.science.load.daily_load`. Without ``athlete_index`` every array is 1-D
    (one athlete's days); with it, ``(athletes, days)``. Sums per day, then the load metrics
    from :func:`~stridewise.science.daily.daily_load_metrics`, the WHO moderate-equivalent
    minutes from :func:`~stridewise.science.benefits.who_equivalent_minutes`, the bone
    stimulus from :func:`~stridewise.science.bone.daily_bone_stimulus`.
    """
    days = np.asarray(day_index, dtype=np.int64)
    load = daily_load(days, sessions["load_srpe"].to_numpy(np.float64), n_days, athlete_index,
                      n_athletes)
    shape = load.shape
    size = load.size
    positions = days if athlete_index is None else (
        np.asarray(athlete_index, dtype=np.int64) * n_days + days)

    def per_day(values: ArrayLike) -> FloatArray:
        weights = np.nan_to_num(np.asarray(values, dtype=np.float64))
        sums = np.bincount(positions, weights=weights, minlength=size)
        return sums.astype(np.float64, copy=False).reshape(shape)

    runs, strength, balance = _kind_masks(sessions["kind"], ("run", "strength", "balance"))
    minutes = sessions["duration_min"].to_numpy(np.float64)
    distance = np.nan_to_num(sessions["distance_m"].to_numpy(np.float64))
    run_distance = np.where(runs, distance, 0.0)
    level = sessions["intensity"].to_numpy()
    per_position = np.bincount(positions, minlength=size)
    longest = daily_longest_run_m(days, run_distance, n_days, athlete_index, n_athletes)
    run_per_day = per_day(run_distance)
    metrics = daily_load_metrics(load, longest, run_per_day, tau_fitness_d, tau_fatigue_d)
    moderate = per_day(np.where(level == Intensity.MODERATE, minutes, 0.0))
    vigorous = per_day(np.where(level == Intensity.VIGOROUS, minutes, 0.0))
    grf = sessions["peak_grf_bw"].to_numpy(np.float64)
    cycles = sessions["loading_cycles_per_leg"].to_numpy(np.float64)
    start = sessions["start_hour"].to_numpy(np.float64)
    duration_h = minutes / 60.0
    # Only sessions that score on foot count on the walking side, as on the real side.
    foot = np.isfinite(bone.osteogenic_index(grf, cycles))
    walk_grf, walk_cycles = bone.walking_equivalent_loading(np.where(foot, minutes, np.nan))
    out: dict[str, NDArray[np.generic]] = {
        "sessions": per_position.reshape(shape),
        "duration_min": per_day(minutes),
        "distance_m": per_day(distance),
        "run_distance_m": run_per_day,
        "longest_run_m": longest,
        "load_srpe": load,
        "load_estimated": per_day(sessions["rpe_estimated"].to_numpy(np.float64)) > 0,
        "trimp": per_day(sessions["trimp"].to_numpy(np.float64)),
        **{name: metrics[name] for name in _KERNEL_COLUMNS},
        "bone_stimulus": _bone_by_day(
            positions, per_position, size, start, duration_h, grf, cycles).reshape(shape),
        "walking_equivalent_stimulus": _bone_by_day(
            positions, per_position, size, start, duration_h, walk_grf, walk_cycles
        ).reshape(shape),
        "moderate_min": moderate,
        "vigorous_min": vigorous,
        "who_equivalent_min": benefits.who_equivalent_minutes(moderate, vigorous),
        "met_min": per_day(sessions["met_min"].to_numpy(np.float64)),
        "strength_session": per_day(strength) > 0,
        "balance_session": per_day(balance) > 0,
    }
    return {name: out[name] for name in DAILY_SESSION_COLUMNS}


def _checkins_by_day(frames: SeriesFrames, first: date, n_days: int) -> pd.DataFrame:
    zone = frames.profile.time_zone
    rows = []
    for c in frames.checkins.to_dict("records"):
        offset = (local_time(c["at_utc"], None, zone).date() - first).days
        if 0 <= offset < n_days:
            # WHO-5: the raw score (0-25) x 4 is the percentage score (Topp et al. 2015).
            raw = float("nan") if c["who5_raw"] is None else float(c["who5_raw"])
            rows.append((offset, c["pain_score"], c["sleep_hours"], raw * 4.0))
    frame = pd.DataFrame(rows, columns=["day", "pain", "sleep", "who5"], dtype=float)
    grouped = frame.groupby("day")
    out = pd.DataFrame(index=range(n_days))
    out["pain_max"] = grouped["pain"].max()
    out["sleep_hours"] = grouped["sleep"].mean()
    out["who5_pct"] = grouped["who5"].mean()
    return out


def daily_series(
    frames: SeriesFrames,
    *,
    through: date | None = None,
    start: date | None = None,
    tau_fitness_d: float = 42.0,
    tau_fatigue_d: float = 7.0,
) -> pd.DataFrame:
    """Every day from the first session (or ``start``) to ``through`` (default: the
    athlete's today); 28 days up to ``through`` without any session."""
    if through is None:
        through = clock.today(frames.profile.time_zone)
    sessions = sessions_frame(frames, today=through)
    first = start or (min(sessions["date"]) if len(sessions) else through - timedelta(days=27))
    first = min(first, through)
    n_days = (through - first).days + 1
    if len(sessions):
        offsets = np.array([(d - first).days for d in sessions["date"]], dtype=np.int64)
        keep = (offsets >= 0) & (offsets < n_days)
        sessions, offsets = sessions[keep].reset_index(drop=True), offsets[keep]
    else:
        offsets = np.zeros(0, dtype=np.int64)
    columns = daily_columns(sessions, offsets, n_days, tau_fitness_d=tau_fitness_d,
                            tau_fatigue_d=tau_fatigue_d)
    out = pd.DataFrame({"date": [first + timedelta(days=i) for i in range(n_days)], **columns})
    checkins = _checkins_by_day(frames, first, n_days)
    for column in ("pain_max", "sleep_hours", "who5_pct"):
        out[column] = checkins[column].to_numpy(dtype=np.float64)
    return out[list(DAILY_SERIES_COLUMNS)]


def weekly_summary(daily: pd.DataFrame) -> pd.DataFrame:
    """Monday-to-Sunday weeks: WHO minutes, strength/balance days, distance, bone stimulus,
    and the week-to-week distance ratio."""
    if daily.empty:
        return pd.DataFrame()
    frame = daily.copy()
    frame["week"] = [d - timedelta(days=d.weekday()) for d in frame["date"]]
    grouped = frame.groupby("week")
    weekly = pd.DataFrame({
        "days": grouped.size(),
        "who_equivalent_min": grouped["who_equivalent_min"].sum(),
        "moderate_min": grouped["moderate_min"].sum(),
        "vigorous_min": grouped["vigorous_min"].sum(),
        "strength_days": grouped["strength_session"].sum().astype(int),
        "balance_days": grouped["balance_session"].sum().astype(int),
        "distance_m": grouped["distance_m"].sum(),
        "run_distance_m": grouped["run_distance_m"].sum(),
        "load_srpe": grouped["load_srpe"].sum(),
        "bone_stimulus": grouped["bone_stimulus"].sum(),
        "walking_equivalent_stimulus": grouped["walking_equivalent_stimulus"].sum(),
        "pain_max": grouped["pain_max"].max(),
    })
    previous = weekly["run_distance_m"].shift(1)
    weekly["run_distance_change"] = np.where(previous > 0, weekly["run_distance_m"] / previous,
                                             np.nan)
    return weekly.reset_index()
