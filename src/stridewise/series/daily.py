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

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from stridewise import clock
from stridewise.core.validation import DATE_FLOORS
from stridewise.science import benefits, bone
from stridewise.science.benefits import Intensity
from stridewise.science.daily import daily_load_metrics
from stridewise.science.load import daily_load, daily_longest_run_m
from stridewise.store.export import local_time

from . import fused as fused_kernels
from .frames import SeriesFrames, SeriesProfile
from .measures import with_measures
from .sessions import heart_rate_profile, local_times, sessions_frame, sessions_frame_many

FloatArray = NDArray[np.float64]
#: The earliest day any source may carry (core.validation.DATE_FLOORS).
EARLIEST_DAY = min(floor for floor, _ in DATE_FLOORS.values())

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
    loadings: tuple[tuple[FloatArray, FloatArray], ...],
) -> list[FloatArray]:
    """Daily osteogenic index (:func:`stridewise.science.bone.daily_bone_stimulus`: sessions
    under 8 h apart merged, Robling 2001) at each flat athlete-day position, for each
    ``(peak GRF in BW, loading cycles per leg)`` pair of per-session arrays in ``loadings``
    (the real sessions, and the same minutes walked).

    A day with one session scores that session's F ln(1 + N), which is what
    ``daily_bone_stimulus`` gives for a single session; only days with several sessions go
    through it (:func:`_merged_days`)."""
    shared = per_position[positions] > 1
    results = []
    for grf_bw, cycles_per_leg in loadings:
        oi = _zero_nan(bone.osteogenic_index(grf_bw[~shared], cycles_per_leg[~shared]))
        results.append(np.bincount(positions[~shared], weights=oi, minlength=size).astype(
            np.float64, copy=False))
    if not shared.any():
        return results
    days, first, counts, order = _shared_days(positions, shared)
    merged = _merged_days(first, counts, order, start_hour, duration_h, loadings)
    for result, values in zip(results, merged, strict=True):
        result[days] = values
    return results


def _shared_days(positions: NDArray[np.int64], shared: NDArray[np.bool_]) -> tuple[
        NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """The positions of days with several sessions, where each day's sessions start in
    ``order`` (session indices grouped by day, in their given order) and how many it has."""
    chosen = np.flatnonzero(shared)
    order = chosen[np.argsort(positions[chosen], kind="stable")]
    ordered = positions[order]
    first = np.flatnonzero(np.diff(ordered, prepend=-1))  # where each day's sessions start
    counts = np.diff(first, append=len(ordered))
    return ordered[first], first, counts, order


def _merged_days(
    first: NDArray[np.int64],
    counts: NDArray[np.int64],
    order: NDArray[np.int64],
    start_hour: FloatArray,
    duration_h: FloatArray,
    loadings: tuple[tuple[FloatArray, FloatArray], ...],
) -> list[FloatArray]:
    """``daily_bone_stimulus`` of each day ``order[first[k]:first[k] + counts[k]]``, for each
    loading. Days are padded to no more than their own session count (one call per count), so
    each day's value never depends on the other days passed with it."""
    results = [np.empty(len(first)) for _ in loadings]
    for width in np.unique(counts):
        pick = np.flatnonzero(counts == width)
        sessions = order[first[pick][:, np.newaxis] + np.arange(width)]
        shape = (len(loadings), len(pick), int(width))
        start, grf, cycles, dur = (np.empty(shape) for _ in range(4))
        start[:] = start_hour[sessions]
        dur[:] = duration_h[sessions]
        for i, (grf_bw, cycles_per_leg) in enumerate(loadings):
            grf[i] = grf_bw[sessions]
            cycles[i] = cycles_per_leg[sessions]
        merged = _zero_nan(bone.daily_bone_stimulus(start, grf, cycles, session_duration_h=dur))
        for result, values in zip(results, merged, strict=True):
            result[pick] = values
    return results


def daily_columns(
    sessions: pd.DataFrame,
    day_index: ArrayLike,
    n_days: int,
    athlete_index: ArrayLike | None = None,
    n_athletes: int | None = None,
    *,
    columns: Iterable[str] | None = None,
    tau_fitness_d: float = 42.0,
    tau_fatigue_d: float = 7.0,
    block_athletes: int = 128,
    fused: bool | None = None,
) -> dict[str, NDArray[np.generic]]:
    """Session-derived daily columns (:data:`DAILY_SESSION_COLUMNS`, or those named in
    ``columns``) as arrays.

    ``sessions`` has the per-session columns of
    :data:`~stridewise.series.sessions.SESSION_COLUMNS` that the wanted columns need (all:
    ``kind``, ``duration_min``, ``distance_m``, ``load_srpe``, ``rpe_estimated``, ``trimp``,
    ``peak_grf_bw``, ``loading_cycles_per_leg``, ``start_hour``, ``met_min``, ``intensity``);
    ``day_index`` (and ``athlete_index``) place each session as in
    :func:`stridewise.science.load.daily_load`. Without ``athlete_index`` every array is 1-D
    (one athlete's days); with it, ``(athletes, days)``. Per day: sums by
    :func:`~stridewise.science.load.daily_load`, the longest run by
    :func:`~stridewise.science.load.daily_longest_run_m`, the load metrics by
    :func:`~stridewise.science.daily.daily_load_metrics`, WHO moderate-equivalent minutes by
    :func:`~stridewise.science.benefits.who_equivalent_minutes` and the bone stimulus by
    :func:`~stridewise.science.bone.daily_bone_stimulus`.

    A cohort is worked through ``block_athletes`` athletes at a time (sessions grouped by
    athlete first if they are not), so each block's sums and metrics stay in cache; only speed
    depends on the block size, never the results. (The compiled path scatters every block and
    then runs ``daily_load_metrics``, itself blocked, once over the cohort.)
    """
    wanted = tuple(DAILY_SESSION_COLUMNS if columns is None else columns)
    unknown = sorted(set(wanted) - set(DAILY_SESSION_COLUMNS))
    if unknown:
        raise ValueError(f"unknown daily columns: {', '.join(unknown)}")
    if block_athletes < 1:
        raise ValueError("block_athletes must be at least 1")
    days = np.asarray(day_index, dtype=np.int64)
    one_athlete = athlete_index is None
    athletes = np.zeros_like(days) if one_athlete else np.asarray(athlete_index, dtype=np.int64)
    if athletes.shape != days.shape or len(days) != len(sessions):
        raise ValueError("day_index and athlete_index need one entry per session")
    count = 1 if one_athlete else (
        int(n_athletes) if n_athletes is not None else int(athletes.max(initial=-1)) + 1)
    if days.size and (days.min() < 0 or days.max() >= n_days):
        raise ValueError(f"day_index must lie in 0..{n_days - 1}")
    if athletes.size and (athletes.min() < 0 or athletes.max() >= count):
        raise ValueError(f"athlete_index must lie in 0..{count - 1}")
    order = None if np.all(athletes[1:] >= athletes[:-1]) else np.argsort(athletes, kind="stable")
    if order is not None:
        days, athletes = days[order], athletes[order]

    needed = {name for column in wanted for name in _NEEDS.get(column, ())}
    inputs: dict[str, NDArray[Any]] = {}
    kinds = [k for k in ("run", "strength", "balance") if k in needed]
    for kind, mask in zip(kinds, _kind_masks(sessions["kind"], tuple(kinds)) if kinds else [],
                          strict=True):
        inputs[kind] = mask
    for name in sorted(needed - {"run", "strength", "balance"}):
        dtype = bool if name == "rpe_estimated" else (
            np.int64 if name == "intensity" else np.float64)
        values = sessions[name].to_numpy()
        # Small integer levels stay as they are (a cohort's int8 would cost a big copy); the
        # compiled pass widens one block at a time.
        keep = name == "intensity" and np.issubdtype(values.dtype, np.signedinteger)
        inputs[name] = values if keep else sessions[name].to_numpy(dtype)
    if order is not None:
        inputs = {name: values[order] for name, values in inputs.items()}

    compiled = _compiled_kernels(fused, len(days))
    # The compiled pass adds into its columns, which start at zero: np.zeros asks for pages
    # the operating system zeroes when they are first touched (calloc), so the pass does not
    # write every result byte twice. The columns written whole are left uninitialised.
    out: dict[str, NDArray[np.generic]] = {
        name: (np.zeros if compiled is not None and name in _SCATTERED else np.empty)(
            (count, n_days), dtype=_DTYPES.get(name, np.float64)) for name in wanted
    }
    if compiled is not None:
        _check_non_negative(inputs)
    kernel = [name for name in _KERNEL_COLUMNS if name in wanted]
    # The compiled path scatters every block first and then runs the load metrics once over
    # the whole cohort, as the bare kernel does, so their temporaries are the kernel's own;
    # the daily arrays the metrics read are result columns, or whole scratch arrays when the
    # series is not asked for them.
    daily_inputs = {name: out[name] if name in out else np.zeros((count, n_days))
                    for name in _LOAD_DAILY_COLUMNS} if compiled is not None and kernel else {}
    bounds = np.searchsorted(athletes, np.arange(0, count + block_athletes, block_athletes))
    for block, first in enumerate(range(0, count, block_athletes)):
        rows = slice(first, min(first + block_athletes, count))
        s = slice(int(bounds[block]), int(bounds[block + 1]))
        block_inputs = {name: values[s] for name, values in inputs.items()}
        if compiled is None:
            _block_columns(out, rows, rows.stop - rows.start, n_days, days[s],
                           athletes[s] - first, block_inputs, tau_fitness_d, tau_fatigue_d)
        else:
            _block_columns_fused(compiled, out, daily_inputs, rows, rows.stop - rows.start,
                                 n_days, days[s], athletes[s] - first, block_inputs)
    if daily_inputs:
        # Only the metrics the series shows (not the week-to-week change nor the longest
        # prior run, which it never returns), each written straight into its result rows.
        daily_load_metrics(
            daily_inputs["load_srpe"], daily_inputs["longest_run_m"],
            daily_inputs["run_distance_m"], tau_fitness_d, tau_fatigue_d,
            block_athletes=block_athletes, metrics=kernel,
            out={name: np.asarray(out[name], dtype=np.float64) for name in kernel},  # no copy
        )
    return {name: out[name][0] if one_athlete else out[name] for name in wanted}


_DTYPES: dict[str, type] = {
    "sessions": np.int64, "load_estimated": bool, "strength_session": bool,
    "balance_session": bool,
}
_LOAD_INPUTS = ("load_srpe", "run", "distance_m")
_BONE_INPUTS = ("peak_grf_bw", "loading_cycles_per_leg", "start_hour", "duration_min")
#: The per-session inputs of each daily column.
_NEEDS: dict[str, tuple[str, ...]] = {
    "duration_min": ("duration_min",),
    "distance_m": ("distance_m",),
    "run_distance_m": ("run", "distance_m"),
    "longest_run_m": ("run", "distance_m"),
    "load_srpe": ("load_srpe",),
    "load_estimated": ("rpe_estimated",),
    "trimp": ("trimp",),
    **{name: _LOAD_INPUTS for name in _KERNEL_COLUMNS},
    "bone_stimulus": _BONE_INPUTS,
    "walking_equivalent_stimulus": _BONE_INPUTS,
    "moderate_min": ("intensity", "duration_min"),
    "vigorous_min": ("intensity", "duration_min"),
    "who_equivalent_min": ("intensity", "duration_min"),
    "met_min": ("met_min",),
    "strength_session": ("strength",),
    "balance_session": ("balance",),
}


def _block_columns(
    out: dict[str, NDArray[np.generic]],
    rows: slice,
    n_block: int,
    n_days: int,
    days: NDArray[np.int64],
    athletes: NDArray[np.int64],
    inputs: dict[str, NDArray[Any]],
    tau_fitness_d: float,
    tau_fatigue_d: float,
) -> None:
    """The wanted columns (the keys of ``out``) of one block of athletes (``athletes`` counted
    from the block's first), written into rows ``rows`` of ``out``."""
    size = n_block * n_days
    shape = (n_block, n_days)
    positions = athletes * n_days + days
    wanted = out.keys()
    block: dict[str, NDArray[np.generic]] = {}

    def per_day(values: NDArray[Any]) -> FloatArray:
        sums = np.bincount(positions, weights=values, minlength=size)
        return sums.astype(np.float64, copy=False).reshape(shape)

    def any_on_day(mask: NDArray[np.generic]) -> NDArray[np.bool_]:
        flags = np.zeros(size, dtype=bool)
        flags[positions[np.asarray(mask, dtype=bool)]] = True
        return flags.reshape(shape)

    per_position = (np.bincount(positions, minlength=size)
                    if "sessions" in wanted or "peak_grf_bw" in inputs else positions[:0])
    if "sessions" in wanted:
        block["sessions"] = per_position.reshape(shape)
    minutes = _zero_nan(inputs["duration_min"]) if "duration_min" in inputs else None
    distance = _zero_nan(inputs["distance_m"]) if "distance_m" in inputs else None
    if minutes is not None and "duration_min" in wanted:
        block["duration_min"] = per_day(minutes)
    if distance is not None and "distance_m" in wanted:
        block["distance_m"] = per_day(distance)
    if "run" in inputs and distance is not None:
        run_distance = np.where(inputs["run"], distance, 0.0)
        longest = daily_longest_run_m(days, run_distance, n_days, athletes, n_block)
        run_per_day = per_day(run_distance)
        block["run_distance_m"], block["longest_run_m"] = run_per_day, longest
    if "load_srpe" in inputs:
        load = daily_load(days, inputs["load_srpe"], n_days, athletes, n_block)
        block["load_srpe"] = load
        kernel = [name for name in _KERNEL_COLUMNS if name in wanted]
        if kernel:
            # Written straight into the result rows: no copy of the metrics.
            daily_load_metrics(load, longest, run_per_day, tau_fitness_d, tau_fatigue_d,
                               block_athletes=n_block, metrics=kernel,
                               out={name: np.asarray(out[name][rows]) for name in kernel})
    if "rpe_estimated" in inputs:
        block["load_estimated"] = any_on_day(inputs["rpe_estimated"])
    if "trimp" in inputs:
        block["trimp"] = per_day(_zero_nan(inputs["trimp"]))
    if "peak_grf_bw" in inputs and minutes is not None:
        grf, cycles = inputs["peak_grf_bw"], inputs["loading_cycles_per_leg"]
        # Only sessions that score on foot count on the walking side, as on the real side.
        foot = np.isfinite(grf) & np.isfinite(cycles)
        walking = bone.walking_equivalent_loading(np.where(foot, minutes, np.nan))
        block["bone_stimulus"], block["walking_equivalent_stimulus"] = _bone_by_day(
            positions, per_position, size, inputs["start_hour"], minutes / 60.0,
            ((grf, cycles), walking))
    if "intensity" in inputs and minutes is not None:
        level = inputs["intensity"]
        moderate = per_day(np.where(level == Intensity.MODERATE, minutes, 0.0))
        vigorous = per_day(np.where(level == Intensity.VIGOROUS, minutes, 0.0))
        block["moderate_min"], block["vigorous_min"] = moderate, vigorous
        block["who_equivalent_min"] = benefits.who_equivalent_minutes(moderate, vigorous)
    if "met_min" in inputs:
        block["met_min"] = per_day(_zero_nan(inputs["met_min"]))
    if "strength" in inputs:
        block["strength_session"] = any_on_day(inputs["strength"])
    if "balance" in inputs:
        block["balance_session"] = any_on_day(inputs["balance"])
    for name in wanted:
        if name in block:
            out[name][rows] = block[name].reshape(shape)


#: Sessions from which :func:`daily_columns` uses the compiled pass by default: below it
#: (one athlete's whole history is a few thousand) loading numba costs more than it saves.
FUSED_MIN_SESSIONS = 200_000


def _compiled_kernels(fused: bool | None, n_sessions: int) -> tuple[Any, ...] | None:
    if fused is False or (fused is None and n_sessions < FUSED_MIN_SESSIONS):
        return None
    kernels = fused_kernels.kernels()
    if kernels is None and fused:
        raise RuntimeError("the compiled daily series needs numba, which is not installed")
    return kernels


def _check_non_negative(inputs: dict[str, NDArray[Any]]) -> None:
    """The input checks of ``daily_load`` and ``daily_longest_run_m``, which the compiled
    pass replaces."""
    if "load_srpe" in inputs and bool(np.any(inputs["load_srpe"] < 0)):
        raise ValueError("session_load must be finite and >= 0")
    if "run" in inputs and "distance_m" in inputs and bool(
            np.any((inputs["distance_m"] < 0) & inputs["run"])):
        raise ValueError("run_distance_m must be finite and >= 0")


#: The switches of the compiled scatter (:func:`stridewise.series.fused._scatter_py`), in
#: order, and the columns that turn each on.
_SCATTER_SWITCHES: tuple[tuple[str, ...], ...] = (
    ("duration_min",),
    ("distance_m",),
    ("run_distance_m", "longest_run_m", *_KERNEL_COLUMNS),
    ("load_srpe", *_KERNEL_COLUMNS),
    ("load_estimated",),
    ("trimp",),
    ("moderate_min", "vigorous_min", "who_equivalent_min"),
    ("met_min",),
    ("strength_session",),
    ("balance_session",),
    ("bone_stimulus", "walking_equivalent_stimulus"),
)


#: The columns the compiled scatter (:func:`stridewise.series.fused._scatter_py`) adds into.
_SCATTERED = frozenset({
    "sessions", "duration_min", "distance_m", "run_distance_m", "longest_run_m", "load_srpe",
    "load_estimated", "trimp", "moderate_min", "vigorous_min", "met_min", "strength_session",
    "balance_session", "bone_stimulus", "walking_equivalent_stimulus",
})
#: The daily arrays :func:`daily_load_metrics` reads, all of them series columns.
_LOAD_DAILY_COLUMNS = ("load_srpe", "longest_run_m", "run_distance_m")


def _block_columns_fused(
    compiled: tuple[Any, ...],
    out: dict[str, NDArray[np.generic]],
    daily_inputs: dict[str, NDArray[np.generic]],
    rows: slice,
    n_block: int,
    n_days: int,
    days: NDArray[np.int64],
    athletes: NDArray[np.int64],
    inputs: dict[str, NDArray[Any]],
) -> None:
    """:func:`_block_columns` with the per-day sums of one compiled pass written straight
    into the result rows, and the bout terms of days with several sessions compiled too,
    except the load metrics: the load, longest run and run distance of each day go into
    ``daily_inputs`` (whole arrays), from which the caller computes the metrics at the end."""
    scatter, cycles_pass, bout_terms, day_sums = compiled
    size = n_block * n_days
    shape = (n_block, n_days)
    positions = athletes * n_days + days
    wanted = out.keys()
    want = np.array([any(name in wanted for name in names) for names in _SCATTER_SWITCHES])
    n = len(positions)

    def column(name: str, dtype: type, needed: bool) -> NDArray[Any]:
        """The flat result row block of ``name``, scratch when only needed, else empty."""
        if name in wanted or name in daily_inputs:
            whole = out[name] if name in wanted else daily_inputs[name]
            return whole[rows].reshape(-1)  # a view: the rows are contiguous
        return np.zeros(size if needed else 0, dtype=dtype)

    def given(name: str, dtype: type) -> NDArray[Any]:
        return inputs[name] if name in inputs else np.empty(0, dtype=dtype)

    run_on, load_on, intensity_on, bone_on = bool(want[2]), bool(want[3]), bool(want[6]), bool(
        want[10])
    minutes = given("duration_min", np.float64)
    oi_real = oi_walk = np.empty(0)
    if bone_on:
        # bone.osteogenic_index (F ln(1 + max(N, 0))) of each session and of the same minutes
        # walked: the compiled pass gives the cycles, NumPy takes the logarithm (as
        # osteogenic_index does; see fused.py) in place, and the force multiplies it.
        grf, cycles = inputs["peak_grf_bw"], inputs["loading_cycles_per_leg"]
        oi_real, oi_walk = np.empty(n), np.empty(n)
        cycles_pass(grf, cycles, minutes, bone.TYPICAL_WALK_CADENCE_SPM, oi_real, oi_walk)
        np.log1p(oi_real, out=oi_real)
        np.multiply(grf, oi_real, out=oi_real)
        np.log1p(oi_walk, out=oi_walk)
        np.multiply(_walking_grf(), oi_walk, out=oi_walk)
    counts = column("sessions", np.int64, True)
    outputs = {
        "duration_min": column("duration_min", np.float64, False),
        "distance_m": column("distance_m", np.float64, False),
        "run_distance_m": column("run_distance_m", np.float64, run_on),
        "longest_run_m": column("longest_run_m", np.float64, run_on),
        "load_srpe": column("load_srpe", np.float64, load_on),
        "load_estimated": column("load_estimated", np.bool_, False),
        "trimp": column("trimp", np.float64, False),
        "moderate_min": column("moderate_min", np.float64, intensity_on),
        "vigorous_min": column("vigorous_min", np.float64, intensity_on),
        "met_min": column("met_min", np.float64, False),
        "strength_session": column("strength_session", np.bool_, False),
        "balance_session": column("balance_session", np.bool_, False),
        "bone_stimulus": column("bone_stimulus", np.float64, bone_on),
        "walking_equivalent_stimulus": column("walking_equivalent_stimulus", np.float64,
                                              bone_on),
    }
    shared = np.empty(n if bone_on else 0, dtype=np.bool_)
    scatter(
        positions, want, int(Intensity.MODERATE), int(Intensity.VIGOROUS), minutes,
        given("distance_m", np.float64), given("run", np.bool_), given("load_srpe", np.float64),
        given("rpe_estimated", np.bool_), given("trimp", np.float64),
        given("intensity", np.int64).astype(np.int64, copy=False), given("met_min", np.float64),
        given("strength", np.bool_), given("balance", np.bool_), oi_real, oi_walk, counts,
        *outputs.values(), shared,
    )
    if bone_on and shared.any():
        days_at, first, per_day, order = _shared_days(positions, shared)
        bounds = np.append(first, len(order))
        # The sessions of days with several, in day order; everything below indexes them.
        start_hour = inputs["start_hour"][order]
        grf_shared, cycles_shared = grf[order], cycles[order]
        minutes_z = _zero_nan(minutes[order])
        foot = np.isfinite(grf_shared) & np.isfinite(cycles_shared)
        walking = bone.walking_equivalent_loading(np.where(foot, minutes_z, np.nan))
        duration_h = minutes_z / 60.0
        loadings = ((grf_shared, cycles_shared), walking)
        long_days = per_day > fused_kernels.MAX_SEQUENTIAL_SESSIONS
        # Days with many sessions: NumPy adds their terms pairwise, so NumPy does them.
        merged_long = _merged_days(first[long_days], per_day[long_days],
                                   np.arange(len(order)), start_hour, duration_h,
                                   loadings) if long_days.any() else None
        for i, ((grf_bw, cycles_per_leg), name) in enumerate(zip(
                loadings, ("bone_stimulus", "walking_equivalent_stimulus"), strict=True)):
            ranked, bout_cycles, before = (np.empty(len(order)) for _ in range(3))
            bout_terms(bounds, start_hour, grf_bw, cycles_per_leg, duration_h,
                       bone.BONE_RECOVERY_GAP_H, ranked, bout_cycles, before)
            gain = ranked * (np.log1p(bout_cycles) - np.log1p(before))
            day_sums(bounds, gain, days_at, outputs[name])
            if merged_long is not None:
                outputs[name][days_at[long_days]] = merged_long[i]
    if "who_equivalent_min" in wanted:
        out["who_equivalent_min"][rows] = benefits.who_equivalent_minutes(
            outputs["moderate_min"].reshape(shape), outputs["vigorous_min"].reshape(shape))


def _walking_grf() -> float:
    """Peak GRF (BW) of the walk in :func:`stridewise.science.bone.walking_equivalent_loading`."""
    return float(bone.walking_equivalent_loading(np.zeros(1))[0][0])


def _zero_nan(values: FloatArray) -> FloatArray:
    """NaN (not recorded) as 0, without copying when there is none."""
    missing = np.isnan(values)
    return np.where(missing, 0.0, values) if missing.any() else values


def _checkins_by_day(frames: SeriesFrames, first: date, n_days: int) -> dict[str, FloatArray]:
    zone = frames.profile.time_zone
    checkins = frames.checkins
    days = np.array([(local_time(at, None, zone).date() - first).days
                     for at in checkins["at_utc"]], dtype=np.int64)
    on = (days >= 0) & (days < n_days)
    return _checkin_columns(days[on], checkins["pain_score"].to_numpy(dtype=np.float64)[on],
                            checkins["sleep_hours"].to_numpy(dtype=np.float64)[on],
                            checkins["who5_raw"].to_numpy(dtype=np.float64)[on], n_days)


def _checkin_columns(position: NDArray[np.int64], pain: FloatArray, sleep: FloatArray,
                     who5_raw: FloatArray, size: int) -> dict[str, FloatArray]:
    """Per position 0..size-1 (``position``: each check-in's day, or a cohort's athlete-day):
    the highest pain, the mean sleep and the mean WHO-5 percentage of the check-ins there,
    NaN where none has a value (pandas' groupby max and mean, without its fixed cost: this
    runs on every refresh after a check-in)."""
    rated = ~np.isnan(pain)
    highest = np.full(size, -np.inf)
    np.maximum.at(highest, position[rated], pain[rated])
    # WHO-5: the raw score (0-25) x 4 is the percentage score (Topp et al. 2015).
    return {"pain_max": np.where(np.isneginf(highest), np.nan, highest),
            "sleep_hours": _mean_at(position, sleep, size),
            "who5_pct": _mean_at(position, who5_raw * 4.0, size)}


def _mean_at(position: NDArray[np.int64], values: FloatArray, size: int) -> FloatArray:
    """The mean of ``values`` at each position, NaN values left out; NaN where none."""
    known = ~np.isnan(values)
    total = np.bincount(position[known], weights=values[known], minlength=size)
    count = np.bincount(position[known], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def first_series_day(first_session: date | None, through: date,
                     start: date | None = None) -> date:
    """The first day of a series through ``through``: ``start``, else the first session's
    day, else 27 days before ``through`` (28 days without any session)."""
    first = start or (first_session if first_session is not None
                      else through - timedelta(days=27))
    # No stored day can predate the earliest date floor; a bad row from before dates were
    # checked (year 1) would otherwise stretch the series over two thousand years.
    return min(max(first, EARLIEST_DAY), through)


def session_days(
    frames: SeriesFrames,
    *,
    through: date | None = None,
    start: date | None = None,
    tau_fitness_d: float = 42.0,
    tau_fatigue_d: float = 7.0,
) -> pd.DataFrame:
    """The part of :func:`daily_series` that comes from the profile, activities and
    hand-logged sessions alone (the date and the session columns, before check-ins and
    phone measures), so a cache can keep it while only check-ins change."""
    if through is None:
        through = clock.today(frames.profile.time_zone)
    sessions = sessions_frame(frames, today=through)
    first = first_series_day(min(sessions["date"]) if len(sessions) else None, through, start)
    n_days = (through - first).days + 1
    if len(sessions):
        offsets = np.array([(d - first).days for d in sessions["date"]], dtype=np.int64)
        keep = (offsets >= 0) & (offsets < n_days)
        sessions, offsets = sessions[keep].reset_index(drop=True), offsets[keep]
    else:
        offsets = np.zeros(0, dtype=np.int64)
    columns = daily_columns(sessions, offsets, n_days, tau_fitness_d=tau_fitness_d,
                            tau_fatigue_d=tau_fatigue_d)
    return pd.DataFrame({"date": [first + timedelta(days=i) for i in range(n_days)],
                         **columns})


def with_checkins_and_measures(days: pd.DataFrame, frames: SeriesFrames) -> pd.DataFrame:
    """:func:`session_days` completed into :func:`daily_series`: each day's check-ins
    (highest pain, sleep, WHO-5) and phone measures from ``frames`` (whose activities and
    sessions are not read). Does not change ``days``."""
    first, n_days = (days["date"].iloc[0], len(days)) if len(days) else (EARLIEST_DAY, 0)
    checkins = _checkins_by_day(frames, first, n_days)
    out = pd.DataFrame({name: checkins[name] if name in checkins else days[name]
                        for name in DAILY_SERIES_COLUMNS}, index=days.index)
    return with_measures(out, frames.measures, frames.brisk, frames.busy)  # phone exports


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
    days = session_days(frames, through=through, start=start, tau_fitness_d=tau_fitness_d,
                        tau_fatigue_d=tau_fatigue_d)
    return with_checkins_and_measures(days, frames)


def daily_series_many(
    profiles: list[SeriesProfile],
    through: list[date],
    activities: pd.DataFrame,
    manual: pd.DataFrame,
    checkins: pd.DataFrame,
    measures: pd.DataFrame,
    *,
    fused: bool | None = None,
) -> tuple[pd.DataFrame, NDArray[np.int64]]:
    """:func:`daily_series` of many athletes at once (a cohort's partition), through each
    one's own last day in their own zone: the tables hold every athlete's rows with an
    ``athlete`` column (the index in ``profiles``); ``activities``, ``manual`` and
    ``checkins`` have the columns of :class:`SeriesFrames`' tables, ``measures`` those of
    :func:`stridewise.series.measures.measures_frame` (no brisk spans).

    Returns the athletes' series one after the other (each as its own :func:`daily_series`,
    bit for bit: the same session metrics, :func:`daily_columns` on ``(athletes, days)``
    arrays, whose kernels only look back, the same check-in and measure columns), with an
    ``athlete`` column, and the number of days of each athlete."""
    n = len(profiles)
    hr = [heart_rate_profile(p, day) for p, day in zip(profiles, through, strict=True)]
    zones = [p.time_zone for p in profiles]
    sessions = sessions_frame_many(activities, manual, hr, zones)
    athlete = sessions["athlete"].to_numpy(dtype=np.int64)
    session_day = sessions["date"].to_numpy(dtype="datetime64[D]")
    starts = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if len(sessions):  # sessions are grouped by athlete, oldest first
        heads = np.flatnonzero(np.diff(athlete, prepend=-1))
        starts[athlete[heads]] = session_day[heads]
    first = np.asarray([
        first_series_day(None if np.isnat(starts[i]) else starts[i].item(), through[i])
        for i in range(n)], dtype="datetime64[D]")
    last = np.asarray(through, dtype="datetime64[D]")
    n_days = (last - first).astype(np.int64) + 1
    width = int(n_days.max(initial=1))
    offsets = (session_day - first[athlete]).astype(np.int64)
    keep = (offsets >= 0) & (offsets < n_days[athlete])
    if not keep.all():
        sessions, offsets, athlete = sessions[keep].reset_index(drop=True), offsets[keep], \
            athlete[keep]
    # Athletes with fewer days than the widest have trailing empty days; every daily kernel
    # looks back only, so those never change a day inside the athlete's series.
    columns = daily_columns(sessions, offsets, width, athlete, n, fused=fused)
    inside = np.arange(width)[np.newaxis, :] < n_days[:, np.newaxis]
    row_athlete = np.repeat(np.arange(n), n_days)
    day = np.arange(len(row_athlete)) - np.repeat(np.cumsum(n_days) - n_days, n_days)
    dates = first[row_athlete] + day
    out = pd.DataFrame({"athlete": row_athlete, "date": dates.astype(object),
                        **{name: values[inside] for name, values in columns.items()}})
    offset_of = np.cumsum(n_days) - n_days  # each athlete's first row
    if len(checkins):
        c_athlete = checkins["athlete"].to_numpy(dtype=np.int64)
        local = local_times(checkins["at_utc"], None, np.asarray(zones, dtype=object)[c_athlete])
        c_day = (local.to_numpy(dtype="datetime64[D]") - first[c_athlete]).astype(np.int64)
        on = (c_day >= 0) & (c_day < n_days[c_athlete])
        checked = _checkin_columns(
            offset_of[c_athlete[on]] + c_day[on],
            checkins["pain_score"].to_numpy(dtype=np.float64)[on],
            checkins["sleep_hours"].to_numpy(dtype=np.float64)[on],
            checkins["who5_raw"].to_numpy(dtype=np.float64)[on], len(out))
    else:
        nothing = np.zeros(0)
        checked = _checkin_columns(np.zeros(0, dtype=np.int64), nothing, nothing, nothing,
                                   len(out))
    for column in ("pain_max", "sleep_hours", "who5_pct"):
        out[column] = checked[column]
    daily = with_measures(out[["athlete", *DAILY_SERIES_COLUMNS]], measures, by="athlete")
    return daily, n_days


def weekly_summary(daily: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """Monday-to-Sunday weeks: WHO minutes, strength/balance days, distance, bone stimulus,
    and the week-to-week distance ratio.

    ``by`` names a column telling athletes apart (a cohort's series one after the other):
    the weeks are then per athlete, first column ``by``, each athlete's rows those of their
    own call."""
    if daily.empty:
        return pd.DataFrame()
    # Days as proleptic Gregorian ordinals (date.toordinal: day 1 was a Monday), whose
    # weekday is (ordinal + 6) % 7, as date.weekday() gives.
    ordinals = np.fromiter((d.toordinal() for d in daily["date"]), dtype=np.int64,
                           count=len(daily))
    mondays = ordinals - (ordinals + 6) % 7
    sums = ["who_equivalent_min", "moderate_min", "vigorous_min", "strength_session",
            "balance_session", "distance_m", "run_distance_m", "load_srpe", "bone_stimulus",
            "walking_equivalent_stimulus"]
    frame = daily[[*([] if by is None else [by]), *sums, "pain_max"]].assign(week=mondays)
    keys = ["week"] if by is None else [by, "week"]
    grouped = frame.groupby(keys)
    summed = grouped[sums].sum()
    weekly = pd.DataFrame({
        "days": grouped.size(),
        "who_equivalent_min": summed["who_equivalent_min"],
        "moderate_min": summed["moderate_min"],
        "vigorous_min": summed["vigorous_min"],
        "strength_days": summed["strength_session"].astype(int),
        "balance_days": summed["balance_session"].astype(int),
        "distance_m": summed["distance_m"],
        "run_distance_m": summed["run_distance_m"],
        "load_srpe": summed["load_srpe"],
        "bone_stimulus": summed["bone_stimulus"],
        "walking_equivalent_stimulus": summed["walking_equivalent_stimulus"],
        "pain_max": grouped["pain_max"].max(),
    })
    distance = weekly["run_distance_m"]
    previous = distance.shift(1) if by is None else distance.groupby(level=by).shift(1)
    weekly["run_distance_change"] = np.where(previous > 0, weekly["run_distance_m"] / previous,
                                             np.nan)
    weekly = weekly.reset_index()
    weekly["week"] = [date.fromordinal(int(d)) for d in weekly["week"]]
    return weekly
