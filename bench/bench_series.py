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
from collections.abc import Callable

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


#: The series columns that carry the kernel's work: the day's load and longest run, and the
#: load metrics computed from them.
LOAD_COLUMNS = ("load_srpe", "run_distance_m", "longest_run_m", *SHARED)


def core_series(sessions: pd.DataFrame, columns: tuple[str, ...] | None = None
                ) -> dict[str, np.ndarray]:
    return daily_columns(sessions, sessions["day"].to_numpy(), N_DAYS,
                         sessions["athlete"].to_numpy(), N_ATHLETES, columns=columns)


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


def _timed(work: Callable[[], dict[str, np.ndarray]]
           ) -> tuple[float, float, dict[str, np.ndarray]]:
    """Wall and CPU seconds of one call, and its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def run() -> str:
    sessions = generate_sessions()
    load, longest, run_per_day = kernel_inputs(sessions)
    times: dict[str, list[tuple[float, float]]] = {"kernel": [], "load": [], "full": []}
    results: dict[str, dict[str, np.ndarray]] = {}
    work = {
        "kernel": lambda: daily_load_metrics(load, longest, run_per_day),
        "load": lambda: core_series(sessions, LOAD_COLUMNS),
        "full": lambda: core_series(sessions),
    }
    for _ in range(3):  # interleaved, so a busy moment on the shared machine hits all three
        for name, job in work.items():
            results.pop(name, None)
            wall, cpu, results[name] = _timed(job)
            times[name].append((wall, cpu))
    pandas_times = []
    theirs: dict[str, np.ndarray] = {}
    for _ in range(2):
        theirs = {}
        wall, cpu, theirs = _timed(lambda: pandas_series(sessions))
        pandas_times.append((wall, cpu))
    times["pandas"] = pandas_times
    wall_best = {name: min(w for w, _ in runs) for name, runs in times.items()}
    cpu_best = {name: min(c for _, c in runs) for name, runs in times.items()}
    kernel, core = results["kernel"], results["full"]
    same_as_kernel = all(
        np.array_equal(results[which][name], kernel[name], equal_nan=True)
        for which in ("load", "full") for name in SHARED
    )
    rows = []
    all_close = True
    for name in SHARED:
        same_nan, max_abs, max_rel = compare(core[name], theirs[name])
        all_close &= same_nan and max_rel < 1e-9
        rows.append(f"| {name} | {'yes' if same_nan else 'NO'} | {max_abs:.2e} | {max_rel:.2e} |")
    peak_rss_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    labels = {
        "load": "`series.daily_columns`, the load columns (12: load, run distance, longest "
                "run, 9 load metrics) from sessions",
        "full": "`series.daily_columns`, every column (25) from sessions",
        "kernel": "`science.daily.daily_load_metrics` (11 metrics) from daily arrays",
        "pandas": "pandas: per-day groupby + the 11 metrics, from sessions",
    }

    def line(name: str) -> str:
        runs = ", ".join(f"{w:.2f}/{c:.2f}" for w, c in times[name])
        return (f"| {labels[name]} | {wall_best[name]:.2f} | {cpu_best[name]:.2f} | {runs} | "
                f"{wall_best[name] / wall_best['kernel']:.2f} | "
                f"{cpu_best[name] / cpu_best['kernel']:.2f} |")

    return "\n".join([
        "## The product's daily series on a cohort in memory (series vs kernel vs pandas)",
        "",
        f"{N_ATHLETES:,} athletes x {N_DAYS:,} days, {len(sessions) / 1e6:.1f} M generated "
        "sessions already in memory as a per-session frame (the columns `sessions_frame` "
        "produces, grouped by athlete). `series.daily_columns` is the function behind every "
        "face's daily series (`daily_series` calls it for one athlete); it scatters the "
        "sessions into days and runs `daily_load_metrics` block by block. The bare kernel "
        "`daily_load_metrics` gets the daily arrays already scattered (not timed). pandas gets "
        "the per-session frame and computes only the kernel's metrics. Series and kernel best "
        "of 3, interleaved; pandas best of 2. This machine's 2 cores are shared with other "
        "processes, so CPU seconds of this process are given beside wall seconds; the ratios "
        "use the best of each.",
        "",
        "| implementation | wall s | CPU s | all runs (wall/CPU s) | x kernel (wall) "
        "| x kernel (CPU) |",
        "|---|---|---|---|---|---|",
        line("load"),
        line("full"),
        line("kernel"),
        line("pandas"),
        "",
        f"Series (load columns) vs kernel: **{wall_best['load'] / wall_best['kernel']:.2f}x** "
        f"wall, **{cpu_best['load'] / cpu_best['kernel']:.2f}x** CPU (target <= 1.2x). "
        f"Series (all 25 columns) vs kernel: {wall_best['full'] / wall_best['kernel']:.2f}x "
        f"wall, {cpu_best['full'] / cpu_best['kernel']:.2f}x CPU. "
        f"pandas takes **{wall_best['pandas'] / wall_best['load']:.1f}x** (wall) and "
        f"**{cpu_best['pandas'] / cpu_best['load']:.1f}x** (CPU) the time of the load columns, "
        f"{wall_best['pandas'] / wall_best['full']:.1f}x / "
        f"{cpu_best['pandas'] / cpu_best['full']:.1f}x that of all 25 columns (target >= 5x). "
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
