"""The daily series: one row per local day, every metric the tool shows over time.

Built from :func:`stridewise.series.sessions.sessions_frame` and the check-ins, through the
science kernels (which take athletes x days arrays; here one athlete is one row). The
conventions are those of the kernels: fitness/fatigue with λ = 1 − e^(−1/τ) (τ = 42 and 7 d,
settable), form from the previous day's values, EWMA ACWR with λ = 2/(N+1) (Williams 2017).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from stridewise import clock
from stridewise.science import acwr, bone, fitness, spike
from stridewise.science.benefits import Intensity
from stridewise.science.load import daily_load, daily_longest_run_m
from stridewise.store import Store
from stridewise.store.export import local_time

from .measures import with_measures
from .sessions import sessions_frame

#: Days shown before the first session, so a new user's chronic windows start empty.
LEAD_IN_D = 0

DAILY_SERIES_COLUMNS = (
    "date", "sessions", "duration_min", "distance_m", "run_distance_m", "longest_run_m",
    "load_srpe", "load_estimated", "trimp", "ctl", "atl", "tsb", "acwr_ewma", "acwr_coupled",
    "acwr_uncoupled", "monotony", "strain", "spike_ratio", "bone_stimulus",
    "walking_equivalent_stimulus", "moderate_min", "vigorous_min", "who_equivalent_min",
    "met_min", "strength_session", "balance_session", "pain_max", "sleep_hours", "who5_pct",
)


def _scatter(day: np.ndarray, values: np.ndarray, n_days: int) -> np.ndarray:
    return daily_load(day, np.nan_to_num(np.asarray(values, dtype=np.float64)), n_days)


def _bone_by_day(
    sessions: pd.DataFrame,
    day: np.ndarray,
    n_days: int,
    grf_bw: np.ndarray,
    cycles_per_leg: np.ndarray,
) -> np.ndarray:
    """Daily osteogenic index of foot sessions with the given forces and cycles, sessions
    under 8 h apart merged (Robling 2001). The walking comparison passes the walking forces and
    cycles for the same sessions, so both columns merge and rest alike."""
    foot = np.isfinite(sessions["osteogenic_index"].to_numpy(dtype=np.float64))
    result = np.zeros(n_days)
    if not foot.any():
        return result
    fs = sessions[foot]
    fday = day[foot]
    per_day = np.bincount(fday, minlength=n_days)
    width = int(per_day.max())
    slot = np.zeros(len(fs), dtype=np.int64)
    seen: dict[int, int] = {}
    for i, d in enumerate(fday.tolist()):
        slot[i] = seen.get(d, 0)
        seen[d] = slot[i] + 1
    shape = (n_days, width)
    start, grf, cycles, dur = (np.full(shape, np.nan) for _ in range(4))
    start[fday, slot] = fs["start_hour"].to_numpy(dtype=np.float64)
    grf[fday, slot] = grf_bw[foot]
    cycles[fday, slot] = cycles_per_leg[foot]
    dur[fday, slot] = fs["duration_min"].to_numpy(dtype=np.float64) / 60.0
    return np.nan_to_num(bone.daily_bone_stimulus(start, grf, cycles, session_duration_h=dur))


def _checkins_by_day(store: Store, athlete_id: int, first: date, n_days: int) -> pd.DataFrame:
    with store.transaction() as tx:
        athlete = tx.get_athlete(athlete_id)
        checkins = tx.list_checkins(athlete_id)
    assert athlete is not None
    rows = []
    for c in checkins:
        d = local_time(c.at_utc, None, athlete.time_zone).date()
        offset = (d - first).days
        if 0 <= offset < n_days:
            who5 = sum(c.who5) * 4.0 if c.who5 else np.nan
            rows.append((offset, c.pain_score, c.sleep_hours, who5))
    frame = pd.DataFrame(rows, columns=["day", "pain", "sleep", "who5"], dtype=float)
    grouped = frame.groupby("day")
    out = pd.DataFrame(index=range(n_days))
    out["pain_max"] = grouped["pain"].max()
    out["sleep_hours"] = grouped["sleep"].mean()
    out["who5_pct"] = grouped["who5"].mean()
    return out


def daily_series(
    store: Store,
    athlete_id: int,
    *,
    through: date | None = None,
    start: date | None = None,
    tau_fitness_d: float = 42.0,
    tau_fatigue_d: float = 7.0,
) -> pd.DataFrame:
    """Every day from the first session (or ``start``) to ``through`` (default today)."""
    if through is None:
        with store.transaction() as tx:
            athlete = tx.get_athlete(athlete_id)
        through = clock.today(athlete.time_zone if athlete is not None else None)
    sessions = sessions_frame(store, athlete_id, today=through)
    first = start or (min(sessions["date"]) if len(sessions) else through - timedelta(days=27))
    first = min(first, through)
    n_days = (through - first).days + 1
    dates = [first + timedelta(days=i) for i in range(n_days)]
    if len(sessions):
        offsets = np.array([(d - first).days for d in sessions["date"]], dtype=np.int64)
        keep = (offsets >= 0) & (offsets < n_days)
        sessions, offsets = sessions[keep].reset_index(drop=True), offsets[keep]
    else:
        offsets = np.zeros(0, dtype=np.int64)

    kind = sessions["kind"].to_numpy(dtype=object)
    minutes = sessions["duration_min"].to_numpy(dtype=np.float64)
    distance = sessions["distance_m"].to_numpy(dtype=np.float64)
    run_distance = np.where(kind == "run", np.nan_to_num(distance), 0.0)
    level = sessions["intensity"].to_numpy()
    load = _scatter(offsets, sessions["load_srpe"].to_numpy(dtype=np.float64), n_days)
    ffm = fitness.fitness_fatigue_form(load, tau_fitness_d, tau_fatigue_d)
    longest = daily_longest_run_m(offsets, run_distance, n_days)
    moderate = _scatter(offsets, np.where(level == Intensity.MODERATE, minutes, 0.0), n_days)
    walk_grf, walk_cycles = bone.walking_equivalent_loading(minutes)
    vigorous = _scatter(offsets, np.where(level == Intensity.VIGOROUS, minutes, 0.0), n_days)

    out = pd.DataFrame({
        "date": dates,
        "sessions": np.bincount(offsets, minlength=n_days),
        "duration_min": _scatter(offsets, minutes, n_days),
        "distance_m": _scatter(offsets, distance, n_days),
        "run_distance_m": _scatter(offsets, run_distance, n_days),
        "longest_run_m": longest,
        "load_srpe": load,
        "load_estimated": _scatter(offsets, sessions["rpe_estimated"].to_numpy(float), n_days) > 0,
        "trimp": _scatter(offsets, sessions["trimp"].to_numpy(dtype=np.float64), n_days),
        "ctl": ffm.fitness,
        "atl": ffm.fatigue,
        "tsb": ffm.form,
        "acwr_ewma": acwr.acwr_ewma(load),
        "acwr_coupled": acwr.acwr_coupled(load),
        "acwr_uncoupled": acwr.acwr_uncoupled(load),
        "monotony": fitness.monotony(load),
        "strain": fitness.strain(load),
        "spike_ratio": spike.single_run_spike_ratio(longest),
        "bone_stimulus": _bone_by_day(
            sessions, offsets, n_days, sessions["peak_grf_bw"].to_numpy(dtype=np.float64),
            sessions["loading_cycles_per_leg"].to_numpy(dtype=np.float64),
        ),
        "walking_equivalent_stimulus": _bone_by_day(
            sessions, offsets, n_days, walk_grf, walk_cycles
        ),
        "moderate_min": moderate,
        "vigorous_min": vigorous,
        "who_equivalent_min": moderate + 2.0 * vigorous,
        "met_min": _scatter(offsets, sessions["met_min"].to_numpy(dtype=np.float64), n_days),
        "strength_session": _scatter(offsets, (kind == "strength").astype(float), n_days) > 0,
        "balance_session": _scatter(offsets, (kind == "balance").astype(float), n_days) > 0,
    })
    checkins = _checkins_by_day(store, athlete_id, first, n_days)
    for column in ("pain_max", "sleep_hours", "who5_pct"):
        out[column] = checkins[column].to_numpy(dtype=np.float64)
    return with_measures(out[list(DAILY_SERIES_COLUMNS)], store, athlete_id)  # phone exports


def daily_series_all(store: Store, athlete_id: int | None = None) -> pd.DataFrame:
    """The daily series of every athlete (or one), with ``athlete_id`` and ``athlete`` columns,
    for export. Each athlete's rows run from their first session to today."""
    with store.transaction() as tx:
        athletes = [a for a in tx.list_athletes() if athlete_id is None or a.id == athlete_id]
    frames = []
    for athlete in athletes:
        frame = daily_series(store, athlete.id)
        frame.insert(0, "athlete", athlete.name)
        frame.insert(0, "athlete_id", athlete.id)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["athlete_id", "athlete", *DAILY_SERIES_COLUMNS])
    return pd.concat(frames, ignore_index=True)


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
