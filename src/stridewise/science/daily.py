"""Every daily load metric of a person or a cohort in one call.

:func:`daily_load_metrics` runs the same kernels as the single-metric functions, so its
results are identical to theirs; it validates the inputs once and works through the
athletes in blocks, which keeps each block's temporaries in cache and out of fresh
memory. That makes a cohort of 10,000 athletes x 3 years several times faster than the
metric-by-metric calls (``bench/bench_metrics.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike

from stridewise.science.acwr import (
    ACUTE_WINDOW_D,
    CHRONIC_WINDOW_D,
    acwr_coupled_from_sums,
    acwr_uncoupled_from_sums,
    ewma_smoothing_factor,
    ratio_or_nan,
)
from stridewise.science.fitness import exponential_scan, form_from, monotony_2d, strain_2d
from stridewise.science.load import (
    FloatArray,
    as_athlete_days,
    exponential_smoothing_factor,
    restore_shape,
    rolling_sum,
)
from stridewise.science.spike import (
    SPIKE_LOOKBACK_D,
    longest_prior_run_m_2d,
    single_run_spike_ratio_2d,
    week_to_week_change_2d,
)

#: The metrics :func:`daily_load_metrics` returns, in order.
DAILY_METRICS: tuple[str, ...] = (
    "fitness",
    "fatigue",
    "form",
    "acwr_coupled",
    "acwr_uncoupled",
    "acwr_ewma",
    "monotony",
    "strain",
    "longest_prior_run_m",
    "spike_ratio",
    "week_to_week_change",
)


def daily_load_metrics(
    load: ArrayLike,
    longest_run_m_per_day: ArrayLike,
    distance_m_per_day: ArrayLike | None = None,
    tau_fitness_d: float = 42.0,
    tau_fatigue_d: float = 7.0,
    block_athletes: int = 128,
    out: dict[str, FloatArray] | None = None,
    metrics: Iterable[str] | None = None,
) -> dict[str, FloatArray]:
    """All daily metrics of :data:`DAILY_METRICS` (or those named in ``metrics``) for
    ``(athletes, days)`` arrays.

    Parameters
    ----------
    load : array-like
        Daily training load (e.g. session-RPE AU); ``(athletes, days)`` or ``(days,)``.
    longest_run_m_per_day : array-like
        Longest single run of each day, metres, same shape (for the spike metrics).
    distance_m_per_day : array-like, optional
        Total running distance of each day, metres, for the week-to-week change; defaults
        to ``longest_run_m_per_day`` (the same thing when there is one run a day).
    tau_fitness_d, tau_fatigue_d : float
        Fitness and fatigue time constants, days.
    block_athletes : int
        Athletes per block; only speed depends on it, never the results.
    out : dict of str to numpy.ndarray, optional
        Arrays (the shape of ``load``, ``float64``) to write some or all metrics into, so a
        caller assembling a larger table avoids a copy; the others are allocated.
    metrics : iterable of str, optional
        The metrics to compute (default: all of :data:`DAILY_METRICS`). A caller that shows
        only some skips the work and memory of the others; each one computed is identical
        to the one of a call for all. ``distance_m_per_day`` is read (and checked) only for
        ``week_to_week_change``.

    Returns
    -------
    dict of str to numpy.ndarray
        One array per metric computed, each the shape of ``load``. Definitions, conventions and
        references: :func:`~stridewise.science.fitness.fitness_fatigue_form`,
        :mod:`~stridewise.science.acwr` (default windows and 28-day minimum history),
        :func:`~stridewise.science.fitness.monotony`, :func:`~stridewise.science.fitness.strain`,
        :func:`~stridewise.science.spike.longest_prior_run_m`,
        :func:`~stridewise.science.spike.single_run_spike_ratio` and
        :func:`~stridewise.science.spike.week_to_week_change`.
    """
    if block_athletes < 1:
        raise ValueError("block_athletes must be at least 1")
    wanted = DAILY_METRICS if metrics is None else tuple(metrics)
    unknown = sorted(set(wanted) - set(DAILY_METRICS))
    if unknown:
        raise ValueError(f"unknown daily metrics: {', '.join(unknown)}")
    values, one_athlete = as_athlete_days(load)
    need_runs = bool({"longest_prior_run_m", "spike_ratio"} & set(wanted)) or (
        distance_m_per_day is None and "week_to_week_change" in wanted)
    runs = (as_athlete_days(longest_run_m_per_day, "longest_run_m_per_day")[0] if need_runs
            else values)
    if "week_to_week_change" not in wanted:
        distances = values
    elif distance_m_per_day is None:
        distances = runs
    else:
        distances = as_athlete_days(distance_m_per_day, "distance_m_per_day")[0]
    if _days_shape(longest_run_m_per_day) != values.shape or (
            distance_m_per_day is not None and _days_shape(distance_m_per_day) != values.shape):
        raise ValueError("load and the distance arrays must have the same shape")
    given = out or {}
    for name, array in given.items():
        if name not in wanted or array.shape != np.shape(load) or array.dtype != np.float64:
            raise ValueError(f"out[{name!r}] must be a float64 array the shape of load")
    # Only the metrics without an out array get one here: unused arrays allocated and freed
    # on each call churn the allocator for a caller that calls block by block.
    results: dict[str, FloatArray] = {}
    for name in wanted:
        if name not in given:
            results[name] = np.empty_like(values)
            continue
        view = given[name].reshape(values.shape)
        if not np.shares_memory(view, given[name]):
            raise ValueError(f"out[{name!r}] must be C-contiguous")
        results[name] = view
    smoothing_factors = (
        exponential_smoothing_factor(tau_fitness_d),
        exponential_smoothing_factor(tau_fatigue_d),
        ewma_smoothing_factor(ACUTE_WINDOW_D),
        ewma_smoothing_factor(CHRONIC_WINDOW_D),
    )
    want = set(wanted)
    scan = bool(want & {"fitness", "fatigue", "form", "acwr_ewma"})
    sums = bool(want & {"acwr_coupled", "acwr_uncoupled", "monotony", "strain"})
    spikes = bool(want & {"longest_prior_run_m", "spike_ratio"})
    for start in range(0, values.shape[0], block_athletes):
        rows = slice(start, start + block_athletes)
        block = values[rows]
        # One scan for all four exponential averages, one pair of rolling sums for the
        # ACWRs, monotony and strain: the shared work is done once per block.
        block_results: dict[str, FloatArray] = {}
        if scan:
            fitness, fatigue, acute_ewma, chronic_ewma = exponential_scan(
                block, smoothing_factors)
            block_results["fitness"], block_results["fatigue"] = fitness, fatigue
            if "form" in want:
                block_results["form"] = form_from(fitness, fatigue)
            if "acwr_ewma" in want:
                block_results["acwr_ewma"] = ratio_or_nan(acute_ewma, chronic_ewma,
                                                          CHRONIC_WINDOW_D)
        if sums:
            week_sum = rolling_sum(block, ACUTE_WINDOW_D)
            month_sum = rolling_sum(block, CHRONIC_WINDOW_D)
            if "acwr_coupled" in want:
                block_results["acwr_coupled"] = acwr_coupled_from_sums(
                    week_sum, month_sum, ACUTE_WINDOW_D, CHRONIC_WINDOW_D, CHRONIC_WINDOW_D
                )
            if "acwr_uncoupled" in want:
                block_results["acwr_uncoupled"] = acwr_uncoupled_from_sums(
                    week_sum, month_sum, ACUTE_WINDOW_D, CHRONIC_WINDOW_D, CHRONIC_WINDOW_D
                )
            if want & {"monotony", "strain"}:
                week_monotony = monotony_2d(block, week_sum)
                block_results["monotony"] = week_monotony
                if "strain" in want:
                    block_results["strain"] = strain_2d(block, week_monotony, week_sum)
        if spikes:
            prior_longest = longest_prior_run_m_2d(runs[rows], SPIKE_LOOKBACK_D)
            block_results["longest_prior_run_m"] = prior_longest
            if "spike_ratio" in want:
                block_results["spike_ratio"] = single_run_spike_ratio_2d(runs[rows],
                                                                         prior_longest)
        if "week_to_week_change" in want:
            block_results["week_to_week_change"] = week_to_week_change_2d(distances[rows])
        for name, result in results.items():
            result[rows] = block_results[name]
    return {name: restore_shape(result, one_athlete) for name, result in results.items()}


def _days_shape(values: ArrayLike) -> tuple[int, ...]:
    """The shape :func:`~stridewise.science.load.as_athlete_days` gives ``values``."""
    shape = np.shape(values)
    return (1, *shape) if len(shape) == 1 else shape
