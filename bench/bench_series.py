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

import os
import resource
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from bench.bench_metrics import N_DAYS, compare, pandas_metrics
from stridewise.science.daily import daily_load_metrics
from stridewise.science.load import daily_load, daily_longest_run_m
from stridewise.series.daily import FUSED_MIN_SESSIONS, daily_columns

SEED = 20261202
#: Athletes in the cohort: 10,000 in ``make bench``; set ``STRIDEWISE_BENCH_SERIES_ATHLETES``
#: (and ``STRIDEWISE_BENCH_SERIES_REPEATS``) to measure a smaller cohort on a shared machine.
N_ATHLETES = int(os.environ.get("STRIDEWISE_BENCH_SERIES_ATHLETES", "10000"))
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


def core_series(sessions: pd.DataFrame, columns: tuple[str, ...] | None = None,
                fused: bool | None = None) -> dict[str, np.ndarray]:
    return daily_columns(sessions, sessions["day"].to_numpy(), N_DAYS,
                         sessions["athlete"].to_numpy(), N_ATHLETES, columns=columns,
                         fused=fused)


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


#: Targets of issue 9: the product's series within 1.2x the kernel's CPU time, pandas at
#: least 5x the series'.
SERIES_TARGET = 1.2
PANDAS_TARGET = 5.0
REPEATS = int(os.environ.get("STRIDEWISE_BENCH_SERIES_REPEATS", "3"))


def _timed(work: Callable[[], dict[str, np.ndarray]]
           ) -> tuple[tuple[float, float, float], dict[str, np.ndarray]]:
    """Wall, user CPU and system CPU seconds of one call (this process), and its result."""
    wall, before = time.perf_counter(), os.times()
    result = work()
    after = os.times()
    return (time.perf_counter() - wall, after.user - before.user,
            after.system - before.system), result


def _warm_up(sessions: pd.DataFrame) -> float:
    """Load numba and the compiled pass (from its disk cache, or compile it) on a few
    athletes, as any process does once; seconds taken."""
    few = sessions[sessions["athlete"] < 2]
    started = time.perf_counter()
    daily_columns(few, few["day"].to_numpy(), N_DAYS, few["athlete"].to_numpy(), 2, fused=True)
    return time.perf_counter() - started


def _yes(flag: bool) -> str:
    return "**met**" if flag else "**not met**"


def run() -> str:
    sessions = generate_sessions(N_ATHLETES, N_DAYS)
    load, longest, run_per_day = kernel_inputs(sessions)
    warm_up_s = _warm_up(sessions)
    names = ("kernel", "load", "full", "numpy", "pandas")
    times: dict[str, list[tuple[float, float, float]]] = {name: [] for name in names}
    results: dict[str, dict[str, np.ndarray]] = {}
    work = {
        "kernel": lambda: daily_load_metrics(load, longest, run_per_day),
        "load": lambda: core_series(sessions, LOAD_COLUMNS),
        "full": lambda: core_series(sessions),
        "numpy": lambda: core_series(sessions, fused=False),
        "pandas": lambda: pandas_series(sessions),
    }
    # Interleaved, so a busy moment on the shared machine hits every implementation.
    for _ in range(REPEATS):
        for name, job in work.items():
            results.pop(name, None)
            measured, results[name] = _timed(job)
            times[name].append(measured)
    cpu = {name: [u + s for _, u, s in runs] for name, runs in times.items()}
    user = {name: [u for _, u, _ in runs] for name, runs in times.items()}
    wall = {name: [w for w, _, _ in runs] for name, runs in times.items()}

    def ratio(of: dict[str, list[float]], top: str, bottom: str) -> float:
        """Median over the repeats of each repeat's ratio (same moment, same machine load)."""
        return float(np.median([a / b for a, b in zip(of[top], of[bottom], strict=True)]))

    kernel, core, theirs = results["kernel"], results["full"], results["pandas"]
    same_as_kernel = all(
        np.array_equal(results[which][name], kernel[name], equal_nan=True)
        for which in ("load", "full") for name in SHARED
    )
    fused_same = all(np.array_equal(core[name], results["numpy"][name], equal_nan=True)
                     for name in core)
    rows = []
    all_close = True
    for name in SHARED:
        same_nan, max_abs, max_rel = compare(core[name], theirs[name])
        all_close &= same_nan and max_rel < 1e-9
        rows.append(f"| {name} | {'yes' if same_nan else 'NO'} | {max_abs:.2e} | {max_rel:.2e} |")
    assert same_as_kernel and fused_same and all_close, "results differ (see the tables)"
    peak_rss_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    labels = {
        "load": "`series.daily_columns`, the load columns (12: load, run distance, longest "
                "run, 9 load metrics) from sessions",
        "full": "`series.daily_columns`, every column (25) from sessions: the product",
        "numpy": "the same 25 columns, NumPy path (`fused=False`, one call per column; the "
                 "product before this change)",
        "kernel": "`science.daily.daily_load_metrics` (11 metrics) from daily arrays",
        "pandas": "pandas: per-day groupby + the 11 metrics, from sessions",
    }

    def median(values: list[float]) -> float:
        return float(np.median(values))

    def line(name: str) -> str:
        runs = ", ".join(f"{c:.2f}" for c in cpu[name])
        system = [c - u for c, u in zip(cpu[name], user[name], strict=True)]
        return (f"| {labels[name]} | {median(cpu[name]):.2f} | {median(user[name]):.2f} | "
                f"{median(system):.2f} | "
                f"{median(wall[name]):.2f} | {runs} | {ratio(cpu, name, 'kernel'):.2f} | "
                f"{ratio(user, name, 'kernel'):.2f} | {ratio(wall, name, 'kernel'):.2f} |")

    full_cpu, load_cpu = ratio(cpu, "full", "kernel"), ratio(cpu, "load", "kernel")
    pandas_full, pandas_load = ratio(cpu, "pandas", "full"), ratio(cpu, "pandas", "load")
    gain = ratio(cpu, "numpy", "full")
    print(f"series (25 columns) / kernel, CPU: {full_cpu:.2f}x (target <= {SERIES_TARGET}x: "
          f"{'met' if full_cpu <= SERIES_TARGET else 'NOT met'}); pandas / series: "
          f"{pandas_full:.1f}x (target >= {PANDAS_TARGET}x: "
          f"{'met' if pandas_full >= PANDAS_TARGET else 'NOT met'})", flush=True)
    load_avg = os.getloadavg()[0]
    return "\n".join([
        "## The product's daily series on a cohort in memory (series vs kernel vs pandas)",
        "",
        f"{N_ATHLETES:,} athletes x {N_DAYS:,} days, {len(sessions) / 1e6:.1f} M generated "
        "sessions already in memory as a per-session frame (the columns `sessions_frame` "
        "produces, grouped by athlete). `series.daily_columns` is the function behind every "
        "face's daily series (`daily_series` calls it for one athlete). For a cohort it makes "
        "one compiled (numba) pass per block of 128 athletes that adds every per-day sum "
        "and flag straight into the (zero-allocated) result rows and finds the days whose "
        "bone-loading bouts merge, then runs `daily_load_metrics` once over the cohort for "
        "the 9 metrics the series shows, written into their result columns "
        "(`series/fused.py`); its results "
        "equal the NumPy path's bit for bit (checked here and in "
        "`tests/series/test_series_fused.py`). The bare kernel `daily_load_metrics` gets the "
        "daily arrays already scattered (not timed). pandas gets the per-session frame and "
        "computes only the kernel's metrics.",
        "",
        f"Method: {REPEATS} repeats, each running every implementation once in turn "
        "(interleaved, so a busy moment hits all); CPU seconds are this process's user + "
        "system time (`os.times`), which other processes on the machine's 2 shared cores "
        "disturb far less than wall time. Each ratio is the median of the repeats' ratios. "
        "System time is mostly the first touch of fresh result memory (the 25 columns are "
        f"{N_ATHLETES * N_DAYS * 8 * 22 / 2**30:.1f} GiB, the kernel's 11 "
        f"{N_ATHLETES * N_DAYS * 8 * 11 / 2**30:.1f} GiB). On this virtual machine that cost "
        "depends on what the process freed in the last second or so: memory freed longer ago "
        "has been handed back to the host (free page reporting) and costs about 3 s of "
        "system time a GiB to touch again, memory freed just before about 0.1 s. Each "
        "implementation frees its previous result just before it runs, and the kernel runs "
        "right after pandas has freed several GiB, so system time swings severalfold from run "
        "to run and user-time ratios are given too. Loading numba "
        f"and the cached compiled pass took {warm_up_s:.1f} s once before timing (a process "
        f"loads it only for {FUSED_MIN_SESSIONS:,} sessions or more; one athlete's series "
        "stays on the NumPy path).",
        "",
        "| implementation | CPU s | user s | system s | wall s | CPU s, each repeat "
        "| x kernel (CPU) | x kernel (user) | x kernel (wall) |",
        "|---|---|---|---|---|---|---|---|---|",
        line("full"),
        line("load"),
        line("numpy"),
        line("kernel"),
        line("pandas"),
        "",
        f"- The product's series (all 25 columns) vs the kernel: **{full_cpu:.2f}x** CPU "
        f"({ratio(user, 'full', 'kernel'):.2f}x user, {ratio(wall, 'full', 'kernel'):.2f}x "
        f"wall); target <= {SERIES_TARGET}x: {_yes(full_cpu <= SERIES_TARGET)}.",
        f"- The load columns alone vs the kernel: **{load_cpu:.2f}x** CPU; target <= "
        f"{SERIES_TARGET}x: {_yes(load_cpu <= SERIES_TARGET)}.",
        f"- pandas vs the product's series: **{pandas_full:.1f}x** CPU "
        f"({ratio(wall, 'pandas', 'full'):.1f}x wall); vs the load columns "
        f"{pandas_load:.1f}x CPU; target >= {PANDAS_TARGET}x: "
        f"{_yes(pandas_full >= PANDAS_TARGET)} (all 25 columns), "
        f"{_yes(pandas_load >= PANDAS_TARGET)} (load columns).",
        f"- The compiled pass vs the NumPy path for the same 25 columns: {gain:.2f}x less CPU.",
        f"- Peak RSS of the bench process: {peak_rss_gib:.1f} GiB (budget 16 GiB); load "
        f"average when done: {load_avg:.1f} on 2 cores.",
        "",
        "The series' load metrics equal the kernel's exactly: "
        + ("**yes**." if same_as_kernel else "**NO**.")
        + " The compiled pass equals the NumPy path exactly: "
        + ("**yes**." if fused_same else "**NO**."),
        "",
        "| metric | same NaN days | max abs diff vs pandas | / max value |",
        "|---|---|---|---|",
        *rows,
        "",
        "Series and pandas agree within floating-point rounding: "
        + ("**yes**." if all_close else "**NO** (see table)."),
    ])
