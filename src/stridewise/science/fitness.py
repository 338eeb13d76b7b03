"""Fitness, fatigue and form (CTL/ATL/TSB), and Foster's monotony and strain.

Every function takes a daily load array, ``(athletes, days)`` or 1-D for one athlete, and
returns the same shape (conventions in :mod:`stridewise.science.load`).

**The exponential-average convention, used everywhere in stridewise:**
fitness and fatigue use λ = 1 − e^(−1/τ) with τ = 42 and 7 days by default (settable),
seeded at 0 before day 0; form on day *t* is fitness minus fatigue of day *t − 1*, so a
session changes form from the next day on. The ACWR EWMA of Williams 2017 uses a different
λ = 2/(N+1) and lives in :mod:`stridewise.science.acwr`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from stridewise.science.load import (
    FloatArray,
    as_athlete_days,
    exponential_smoothing_factor,
    restore_shape,
    rolling_sum,
    transpose_copy,
)

#: Monotony and strain look at one week.
WEEK_D = 7
#: Foster 1998: weekly monotony above ~2 went with illness and injury [V study, S cut-off].
MONOTONY_HIGH = 2.0


def exponential_scan(values: FloatArray, smoothing_factors: Sequence[float]) -> list[FloatArray]:
    """Exponentially weighted averages of a 2-D daily array, one per smoothing factor.

    ``E_t = E_{t-1} + λ (L_t − E_{t-1})`` with ``E_{-1} = 0``. The loop runs over days and
    is vectorised across athletes and across the smoothing factors at once (the data are
    transposed so each day is one contiguous row): 1,096 days are 1,096 NumPy steps,
    however many athletes and averages.
    """
    by_day = transpose_copy(values)
    factors = np.asarray(smoothing_factors, dtype=np.float64)[:, np.newaxis]
    out = np.empty((by_day.shape[0], factors.shape[0], by_day.shape[1]))
    previous = np.zeros(out.shape[1:])
    step = np.empty(out.shape[1:])
    for day in range(by_day.shape[0]):
        np.subtract(by_day[day], previous, out=step)
        step *= factors
        np.add(previous, step, out=out[day])
        previous = out[day]
    return [transpose_copy(out[:, index, :]) for index in range(factors.shape[0])]


class FitnessFatigueForm(NamedTuple):
    """Daily fitness (CTL), fatigue (ATL) and form (TSB), each in the load's unit per day."""

    fitness: FloatArray
    fatigue: FloatArray
    form: FloatArray


def fitness_fatigue_form(
    load: ArrayLike, tau_fitness_d: float = 42.0, tau_fatigue_d: float = 7.0
) -> FitnessFatigueForm:
    """Fitness (CTL), fatigue (ATL) and form (TSB) from daily load.

    .. math::

        \\lambda = 1 - e^{-1/\\tau}, \\qquad
        CTL_t = CTL_{t-1} + \\lambda_{42} (L_t - CTL_{t-1}), \\qquad
        ATL_t = ATL_{t-1} + \\lambda_{7} (L_t - ATL_{t-1}),

        TSB_t = CTL_{t-1} - ATL_{t-1}, \\qquad CTL_{-1} = ATL_{-1} = 0, \\; TSB_0 = 0.

    Convention: seeded at 0 (no training known before day 0); form uses the previous
    day's values, as TrainingPeaks and GoldenCheetah do (Runalyze uses same-day values;
    Runalyze also uses λ = 2/(N+1), which makes its "42-day" fitness a ~21-day average).

    Parameters
    ----------
    load : array-like
        Daily load, ``(athletes, days)`` or ``(days,)``; ``NaN`` reads as 0.
    tau_fitness_d, tau_fatigue_d : float
        Time constants, days. 42 and 7 are software defaults, not fitted values; fitted
        Banister constants vary widely between people (e.g. 38 d (17-59) and 19 d (6-32),
        Hellard 2006), so both are settable.

    Returns
    -------
    FitnessFatigueForm
        ``fitness``, ``fatigue`` and ``form`` arrays, same shape as ``load``.

    Notes
    -----
    Evidence: [V] for the impulse-response model (Calvert et al. 1976; Morton et al. 1990);
    [S] for the CTL/ATL/TSB simplification (Coggan's Performance Manager), which is a
    description of load, not a validated predictor of performance or injury.

    References
    ----------
    Calvert TW, Banister EW, Savage MV, Bach T. A systems model of the effects of training
    on physical performance. IEEE Trans Syst Man Cybern 1976;6(2):94-102.
    Morton RH, Fitz-Clarke JR, Banister EW. Modeling human performance in running.
    J Appl Physiol 1990;69(3):1171-1177.
    Hellard P, et al. Assessing the limitations of the Banister model in monitoring
    training. J Sports Sci 2006;24(5):509-520.
    """
    values, one_athlete = as_athlete_days(load)
    fitness, fatigue, form = fitness_fatigue_form_2d(values, tau_fitness_d, tau_fatigue_d)
    return FitnessFatigueForm(
        restore_shape(fitness, one_athlete),
        restore_shape(fatigue, one_athlete),
        restore_shape(form, one_athlete),
    )


def fitness_fatigue_form_2d(
    values: FloatArray, tau_fitness_d: float, tau_fatigue_d: float
) -> FitnessFatigueForm:
    """:func:`fitness_fatigue_form` on an already validated 2-D array."""
    fitness, fatigue = exponential_scan(
        values,
        (exponential_smoothing_factor(tau_fitness_d), exponential_smoothing_factor(tau_fatigue_d)),
    )
    return FitnessFatigueForm(fitness, fatigue, form_from(fitness, fatigue))


def form_from(fitness: FloatArray, fatigue: FloatArray) -> FloatArray:
    """Form of day *t* = fitness − fatigue of day *t − 1*; 0 on day 0."""
    form = np.zeros_like(fitness)
    np.subtract(fitness[:, :-1], fatigue[:, :-1], out=form[:, 1:])
    return form


def _weekly_mean_and_sd(
    values: FloatArray, weekly_sum: FloatArray | None
) -> tuple[FloatArray, FloatArray]:
    """7-day mean and population SD (ddof 0), both with days before day 0 counted as 0."""
    mean = (rolling_sum(values, WEEK_D) if weekly_sum is None else weekly_sum) / WEEK_D
    padded = np.concatenate([np.zeros((values.shape[0], WEEK_D - 1)), values], axis=1)
    squared_deviations = np.zeros_like(values)
    deviation = np.empty_like(values)
    n_days = values.shape[1]
    # Two-pass SD over the seven shifted copies: exact where sum-of-squares shortcuts
    # would leave rounding noise (and a spurious huge monotony) on flat weeks.
    for lag in range(WEEK_D):
        start = WEEK_D - 1 - lag
        np.subtract(padded[:, start : start + n_days], mean, out=deviation)
        deviation *= deviation
        squared_deviations += deviation
    return mean, np.sqrt(squared_deviations / WEEK_D)


def monotony(load: ArrayLike) -> FloatArray:
    """Foster's training monotony: the week's mean daily load over its standard deviation.

    .. math:: M_t = \\frac{\\bar L_{t-6..t}}{\\sigma_{t-6..t}}

    over the 7 days ending on day *t*, rest days counted as 0, with the population SD
    (divide by 7: the week is the whole population of interest, not a sample). Foster did
    not state which SD; spreadsheet tools that use the sample SD (divide by 6) give values
    lower by a factor of sqrt(6/7) ≈ 0.93.

    A week with no spread (the same load every day, or no training at all) has no finite
    monotony; it is returned as ``NaN``, never ``inf`` (some tools cap it, e.g. at 10).
    The first 6 days (less than a full week of record) are ``NaN``.

    Parameters
    ----------
    load : array-like
        Daily load, ``(athletes, days)`` or ``(days,)``; ``NaN`` reads as 0.

    Returns
    -------
    numpy.ndarray
        Monotony (dimensionless), same shape as ``load``.

    Notes
    -----
    Evidence: [V] definition and finding: illnesses clustered when athletes exceeded their
    own thresholds, mostly of strain. The popular cut-offs "monotony > 2" and
    "strain > 6000" are folklore [S]; compare an athlete with their own history instead.

    References
    ----------
    Foster C. Monitoring training in athletes with reference to overtraining syndrome.
    Med Sci Sports Exerc 1998;30(7):1164-1168.
    """
    values, one_athlete = as_athlete_days(load)
    return restore_shape(monotony_2d(values), one_athlete)


def monotony_2d(values: FloatArray, weekly_sum: FloatArray | None = None) -> FloatArray:
    """:func:`monotony` on an already validated 2-D array (reusing its 7-day sums if given)."""
    mean, sd = _weekly_mean_and_sd(values, weekly_sum)
    # Flat weeks: treat an SD within rounding of 0 as exactly 0.
    flat = sd <= 1e-12 * np.maximum(mean, np.finfo(np.float64).tiny)
    ratio = np.divide(mean, sd, out=np.full_like(values, np.nan), where=~flat)
    ratio[:, : WEEK_D - 1] = np.nan
    return ratio


def strain(load: ArrayLike) -> FloatArray:
    """Foster's training strain: the week's total load times its monotony.

    .. math:: S_t = \\Big(\\sum_{d=t-6}^{t} L_d\\Big) \\times M_t

    ``NaN`` wherever :func:`monotony` is ``NaN`` (flat weeks, first 6 days).

    Parameters
    ----------
    load : array-like
        Daily load, ``(athletes, days)`` or ``(days,)``; ``NaN`` reads as 0.

    Returns
    -------
    numpy.ndarray
        Strain in load units (e.g. AU), same shape as ``load``.

    Notes
    -----
    Evidence: [V] (Foster 1998: illnesses clustered above individual strain thresholds).

    References
    ----------
    Foster C. Monitoring training in athletes with reference to overtraining syndrome.
    Med Sci Sports Exerc 1998;30(7):1164-1168.
    """
    values, one_athlete = as_athlete_days(load)
    return restore_shape(strain_2d(values), one_athlete)


def strain_2d(
    values: FloatArray,
    week_monotony: FloatArray | None = None,
    weekly_sum: FloatArray | None = None,
) -> FloatArray:
    """:func:`strain` on an already validated 2-D array (reusing monotony and 7-day sums)."""
    if weekly_sum is None:
        weekly_sum = rolling_sum(values, WEEK_D)
    if week_monotony is None:
        week_monotony = monotony_2d(values, weekly_sum)
    return weekly_sum * week_monotony
