"""Every daily load metric of a person or a cohort in one call.

:func:`daily_load_metrics` runs the same kernels as the single-metric functions, so its
results are identical to theirs; it validates the inputs once and works through the
athletes in blocks, which keeps each block's temporaries in cache and out of fresh
memory. That makes a cohort of 10,000 athletes x 3 years several times faster than the
metric-by-metric calls (``bench/bench_metrics.py``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from stridewise.science.acwr import (
    ACUTE_WINDOW_D,
    CHRONIC_WINDOW_D,
    acwr_coupled_2d,
    acwr_ewma_2d,
    acwr_uncoupled_2d,
)
from stridewise.science.fitness import fitness_fatigue_form_2d, monotony_2d, strain_2d
from stridewise.science.load import FloatArray, as_athlete_days, restore_shape
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
) -> dict[str, FloatArray]:
    """All daily metrics of :data:`DAILY_METRICS` for ``(athletes, days)`` arrays.

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

    Returns
    -------
    dict of str to numpy.ndarray
        One array per metric, each the shape of ``load``. Definitions, conventions and
        references: :func:`~stridewise.science.fitness.fitness_fatigue_form`,
        :mod:`~stridewise.science.acwr` (default windows and 28-day minimum history),
        :func:`~stridewise.science.fitness.monotony`, :func:`~stridewise.science.fitness.strain`,
        :func:`~stridewise.science.spike.longest_prior_run_m`,
        :func:`~stridewise.science.spike.single_run_spike_ratio` and
        :func:`~stridewise.science.spike.week_to_week_change`.
    """
    if block_athletes < 1:
        raise ValueError("block_athletes must be at least 1")
    values, one_athlete = as_athlete_days(load)
    runs, _ = as_athlete_days(longest_run_m_per_day, "longest_run_m_per_day")
    distances = (
        runs
        if distance_m_per_day is None
        else as_athlete_days(distance_m_per_day, "distance_m_per_day")[0]
    )
    if runs.shape != values.shape or distances.shape != values.shape:
        raise ValueError("load and the distance arrays must have the same shape")
    results = {name: np.empty_like(values) for name in DAILY_METRICS}
    for start in range(0, values.shape[0], block_athletes):
        rows = slice(start, start + block_athletes)
        block = values[rows]
        fitness, fatigue, form = fitness_fatigue_form_2d(block, tau_fitness_d, tau_fatigue_d)
        week_monotony = monotony_2d(block)
        prior_longest = longest_prior_run_m_2d(runs[rows], SPIKE_LOOKBACK_D)
        block_results = {
            "fitness": fitness,
            "fatigue": fatigue,
            "form": form,
            "acwr_coupled": acwr_coupled_2d(
                block, ACUTE_WINDOW_D, CHRONIC_WINDOW_D, CHRONIC_WINDOW_D
            ),
            "acwr_uncoupled": acwr_uncoupled_2d(
                block, ACUTE_WINDOW_D, CHRONIC_WINDOW_D, CHRONIC_WINDOW_D
            ),
            "acwr_ewma": acwr_ewma_2d(block, ACUTE_WINDOW_D, CHRONIC_WINDOW_D, CHRONIC_WINDOW_D),
            "monotony": week_monotony,
            "strain": strain_2d(block, week_monotony),
            "longest_prior_run_m": prior_longest,
            "spike_ratio": single_run_spike_ratio_2d(runs[rows], prior_longest),
            "week_to_week_change": week_to_week_change_2d(distances[rows]),
        }
        for name, block_values in block_results.items():
            results[name][rows] = block_values
    return {name: restore_shape(result, one_athlete) for name, result in results.items()}
