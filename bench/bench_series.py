"""The product's daily series on a cohort already in memory: ``series.daily_columns`` (what the
daily series of Trends, Today, the API and the exports runs) beside the bare
``science.daily.daily_load_metrics`` kernel and pandas, measured in the same run.

10,000 athletes x 1,096 days of generated sessions (one per training day, ~65 % of days, plus
a second short walk on ~5 % of days so the bone stimulus merges bouts). ``daily_columns`` gets
the per-session frame (one row per session, with the columns ``sessions_frame`` produces) and
returns all 25 session-derived daily columns: the per-day sums, the bone stimulus with bouts
merged, WHO minutes and, through ``daily_load_metrics``, the load metrics. The kernel gets the
daily load, longest run and run distance arrays already scattered (not timed). pandas gets the
same per-session frame and computes only what the kernel computes: per-day load and run
distance (``groupby().sum / max`` onto the full athlete x day grid), then the 11 metrics as in
``bench_metrics``.
"""

from __future__ import annotations

import resource
import time

import numpy as np
import pandas as pd

from bench.bench_metrics import N_ATHLETES, N_DAYS, compare, pandas_metrics
from stridewise.science.daily import daily_load_metrics
from stridewise.science.load import daily_load, daily_longest_run_m
from stridewise.series.daily import daily_columns

SEED = 20261202
#: Kernel outputs that are also series columns.
SHARED = (
    "fitness", "fatigue", "form", "acwr_ewma", "acwr_coupled", "acwr_uncoupled", "monotony",
    "strain", "spike_ratio",
)


def generate_sessions(n_athletes: int = N_ATHLETES, n_days: int = N_DAYS) -> pd.DataFrame:
    """One row per session with the per-session columns of ``sessions_frame``."""
    rng = np.random.default_rng(SEED)
    trains = rng.random((n_athletes, n_days)) > 0.35
    athlete, day = np.nonzero(trains)
    n = len(day)
    kind_code = rng.choice(3, n, p=[0.6, 0.25, 0.15])  # run, walk, strength
    extra = rng.random(n) < 0.05
    athlete = np.concatenate([athlete, athlete[extra]])
    day = np.concatenate([day, day[extra]])
    kind_code = np.concatenate([kind_code, np.ones(int(extra.sum()), dtype=np.int64)])
    start = rng.uniform(6.0, 19.0, n)
    start = np.concatenate([start, np.minimum(start[extra] + rng.choice([2.0, 10.0],
                                                                         int(extra.sum())), 23.5)])
    m = len(day)
    minutes = np.round(rng.gamma(4.0, 12.0, m)) + 5.0
    rpe = rng.integers(2, 9, m).astype(np.float64)
    run, walk = kind_code == 0, kind_code == 1
    speed = np.where(run, rng.uniform(2.2, 3.6, m), rng.uniform(1.0, 1.8, m))
    distance = np.where(run | walk, np.round(minutes * 60.0 * speed), np.nan)
    grf = np.where(run, 2.5, np.where(walk, 1.2, np.nan))
    cadence = np.where(run, 160.0, 110.0)
    cycles = np.where(run | walk, cadence * minutes / 2.0, np.nan)
    met = np.where(run, 9.0, np.where(walk, 3.5, np.nan))
    kinds = pd.Categorical.from_codes(kind_code, categories=["run", "walk", "strength"])
    frame = pd.DataFrame({
        "athlete": athlete.astype(np.int64),
        "day": day.astype(np.int64),
        "kind": kinds,
        "duration_min": minutes,
        "distance_m": distance,
        "load_srpe": rpe * minutes,
        "rpe_estimated": rng.random(m) < 0.2,
        "trimp": np.where(run | walk, minutes * 0.5, 0.0),
        "peak_grf_bw": grf,
        "loading_cycles_per_leg": cycles,
        "start_hour": start,
        "met_min": np.nan_to_num(met * minutes),
        "intensity": np.where(run, 2, np.where(walk, 1, -1)).astype(np.int8),
    })
    # A cohort's sessions come grouped by athlete, oldest first, as one athlete's do.
    return frame.sort_values(["athlete", "day", "start_hour"], kind="stable", ignore_index=True)


def core_series(sessions: pd.DataFrame) -> dict[str, np.ndarray]:
    return daily_columns(sessions, sessions["day"].to_numpy(), N_DAYS,
                         sessions["athlete"].to_numpy(), N_ATHLETES)


def kernel_inputs(sessions: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    day, athlete = sessions["day"].to_numpy(), sessions["athlete"].to_numpy()
    run_m = np.where(sessions["kind"].to_numpy() == "run",
                     np.nan_to_num(sessions["distance_m"].to_numpy()), 0.0)
    load = daily_load(day, sessions["load_srpe"].to_numpy(), N_DAYS, athlete, N_ATHLETES)
    longest = daily_longest_run_m(day, run_m, N_DAYS, athlete, N_ATHLETES)
    per_day = daily_load(day, run_m, N_DAYS, athlete, N_ATHLETES)
    return load, longest, per_day


def pandas_series(sessions: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per-day load and run distance with pandas, then the metrics of ``bench_metrics``."""
    runs = sessions["kind"] == "run"
    frame = pd.DataFrame({
        "athlete": sessions["athlete"], "day": sessions["day"], "load": sessions["load_srpe"],
        "run_m": sessions["distance_m"].where(runs, 0.0).fillna(0.0),
    })
    daily = frame.groupby(["athlete", "day"]).agg(load=("load", "sum"), run_m=("run_m", "max"))
    # One leading 0-load day (day -1) per athlete, as pandas_metrics expects.
    grid = pd.MultiIndex.from_product([range(N_ATHLETES), range(-1, N_DAYS)],
                                      names=["athlete", "day"])
    daily = daily.reindex(grid, fill_value=0.0).reset_index()
    return pandas_metrics(daily, N_DAYS)


def run() -> str:
    sessions = generate_sessions()
    load, longest, run_per_day = kernel_inputs(sessions)
    core_times, kernel_times = [], []
    core: dict[str, np.ndarray] = {}
    kernel: dict[str, np.ndarray] = {}
    for _ in range(3):  # interleaved, so a busy moment on the shared machine hits both
        start = time.perf_counter()
        kernel = daily_load_metrics(load, longest, run_per_day)
        kernel_times.append(time.perf_counter() - start)
        del core
        start = time.perf_counter()
        core = core_series(sessions)
        core_times.append(time.perf_counter() - start)
    pandas_times = []
    theirs: dict[str, np.ndarray] = {}
    for _ in range(2):
        start = time.perf_counter()
        theirs = pandas_series(sessions)
        pandas_times.append(time.perf_counter() - start)
    core_s, kernel_s, pandas_s = min(core_times), min(kernel_times), min(pandas_times)
    same_as_kernel = all(np.array_equal(core[name], kernel[name], equal_nan=True)
                         for name in SHARED)
    rows = []
    all_close = True
    for name in SHARED:
        same_nan, max_abs, max_rel = compare(core[name], theirs[name])
        all_close &= same_nan and max_rel < 1e-9
        rows.append(f"| {name} | {'yes' if same_nan else 'NO'} | {max_abs:.2e} | {max_rel:.2e} |")
    peak_rss_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return "\n".join([
        "## The product's daily series on a cohort in memory (series vs kernel vs pandas)",
        "",
        f"{N_ATHLETES:,} athletes x {N_DAYS:,} days, {len(sessions) / 1e6:.1f} M generated "
        "sessions already in memory as a per-session frame (the columns `sessions_frame` "
        "produces). `series.daily_columns`, the function behind every face's daily series, "
        "returns all 25 session-derived daily columns (sums, bone stimulus with bouts merged, "
        "WHO minutes, and the load metrics through `daily_load_metrics`). The bare kernel "
        "`daily_load_metrics` gets the daily arrays already scattered; pandas gets the "
        "per-session frame and computes only the kernel's metrics (per-day load and run "
        "distance by `groupby`, then `groupby().rolling / ewm`). Series and kernel best of 3, "
        "interleaved; pandas best of 2 (other processes share this machine's 2 cores).",
        "",
        "| implementation | wall s (best) | all runs s | x kernel |",
        "|---|---|---|---|",
        f"| `series.daily_columns` (25 columns from sessions) | {core_s:.2f} | "
        f"{', '.join(f'{t:.2f}' for t in core_times)} | {core_s / kernel_s:.2f} |",
        f"| `science.daily.daily_load_metrics` (11 metrics from daily arrays) | {kernel_s:.2f} | "
        f"{', '.join(f'{t:.2f}' for t in kernel_times)} | 1.00 |",
        f"| pandas (per-day groupby + 11 metrics) | {pandas_s:.2f} | "
        f"{', '.join(f'{t:.2f}' for t in pandas_times)} | {pandas_s / kernel_s:.2f} |",
        "",
        f"Series vs kernel: **{core_s / kernel_s:.2f}x** the kernel's time (target <= 1.2x); "
        f"series vs pandas: **{pandas_s / core_s:.1f}x** faster (target >= 5x). "
        f"Peak RSS of the bench process: {peak_rss_gib:.1f} GiB (budget 16 GiB).",
        "",
        "The series' load metrics equal the kernel's exactly: "
        + ("**yes**." if same_as_kernel else "**NO**."),
        "",
        "| metric | same NaN days | max abs diff vs pandas | / max value |",
        "|---|---|---|---|",
        *rows,
        "",
        "Series and pandas agree within floating-point rounding: "
        + ("**yes**." if all_close else "**NO** (see table)."),
    ])
