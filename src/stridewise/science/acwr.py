"""Acute:chronic workload ratio (ACWR): coupled, uncoupled and EWMA forms.

All three take a daily load array, ``(athletes, days)`` or 1-D for one athlete, and return
the same shape (conventions in :mod:`stridewise.science.load`). In all three:

- a chronic value of 0 gives ``NaN``, never ``inf``;
- days before a full chronic window of record (``min_history_d``, 28 by default) are
  ``NaN``: a ratio against a month that was not recorded is not a ratio of anything.

**Read with care.** The ACWR was popularised in team sports (Gabbett 2016, with a 0.8-1.3
"sweet spot" and > 1.5 "danger zone" [U]). It has been criticised: the coupled ratio shares
its acute week with its chronic month, which alone produces correlation (Lolli et al. 2019
[V]); ratios hide the absolute load, and the thresholds rest on few data (Impellizzeri et
al. 2020 [U details]). In 5,205 recreational runners followed with Garmin data, the ACWR
showed a *negative* dose-response with injury (Frandsen et al. 2025 [V]); the size of a
single run relative to the longest recent run was the signal
(:mod:`stridewise.science.spike`). stridewise therefore shows the ACWR for information and
does not build plan guards on it.

References
----------
Williams S, West S, Cross MJ, Stokes KA. Better way to determine the acute:chronic
workload ratio? Br J Sports Med 2017;51(3):209-210. doi:10.1136/bjsports-2016-096589
Lolli L, Batterham AM, Hawkins R, et al. Mathematical coupling causes spurious correlation
within the conventional acute-to-chronic workload ratio calculations. Br J Sports Med
2019;53(15):921-922.
Windt J, Gabbett TJ. Is it all for naught? What does mathematical coupling mean for
acute:chronic workload ratios? Br J Sports Med 2019. doi:10.1136/bjsports-2017-098925
Impellizzeri FM, Tenan MS, Kempton T, Novak A, Coutts AJ. Acute:chronic workload ratio:
conceptual issues and fundamental pitfalls. Int J Sports Physiol Perform 2020;15:907-913.
Frandsen et al. How much running is too much? Br J Sports Med 2025;59(17):1203-1210.
doi:10.1136/bjsports-2024-109380
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from stridewise.science.fitness import exponential_scan
from stridewise.science.load import FloatArray, as_athlete_days, restore_shape, rolling_sum

ACUTE_WINDOW_D = 7
CHRONIC_WINDOW_D = 28
#: EWMA ACWR above this is flagged (Gabbett 2016's "danger zone" [U]; see docs/science/load.md:
#: shown as a prompt to keep the next days easy, never as a risk prediction).
ACWR_FLAG_RATIO = 1.5
#: The ratio's "usual range" drawn on the chart: Gabbett 2016's "sweet spot" [U].
ACWR_USUAL_RANGE: tuple[float, float] = (0.8, 1.3)


def ratio_or_nan(numerator: FloatArray, denominator: FloatArray, min_history_d: int) -> FloatArray:
    """``numerator / denominator``; ``NaN`` where the denominator is 0 or history is short."""
    ratio = np.divide(
        numerator,
        denominator,
        out=np.full_like(numerator, np.nan),
        where=denominator > 0,
    )
    ratio[:, : max(min_history_d - 1, 0)] = np.nan
    return ratio


def acwr_coupled(
    load: ArrayLike,
    acute_d: int = ACUTE_WINDOW_D,
    chronic_d: int = CHRONIC_WINDOW_D,
    min_history_d: int = CHRONIC_WINDOW_D,
) -> FloatArray:
    """Coupled rolling-average ACWR: the last 7 days' mean over the last 28 days' mean.

    .. math:: ACWR_t = \\frac{\\frac{1}{7}\\sum_{d=t-6}^{t} L_d}
                              {\\frac{1}{28}\\sum_{d=t-27}^{t} L_d}

    The chronic window *includes* the acute week (hence "coupled"), so the ratio cannot
    exceed ``chronic_d / acute_d`` = 4 and is mathematically correlated with its own
    numerator (Lolli 2019). Used by Garmin and Athlytics.

    Parameters
    ----------
    load : array-like
        Daily load, ``(athletes, days)`` or ``(days,)``; ``NaN`` reads as 0.
    acute_d, chronic_d : int
        Window lengths, days.
    min_history_d : int
        Days of record needed before a ratio is given; earlier days are ``NaN``.

    Returns
    -------
    numpy.ndarray
        Dimensionless ratio, same shape as ``load``; ``NaN`` where the chronic mean is 0.

    Notes
    -----
    Evidence: [S] for the formula; see the module notes for the criticism and the
    negative dose-response in runners (Frandsen 2025 [V]).
    """
    values, one_athlete = as_athlete_days(load)
    return restore_shape(acwr_coupled_2d(values, acute_d, chronic_d, min_history_d), one_athlete)


def acwr_coupled_2d(
    values: FloatArray, acute_d: int, chronic_d: int, min_history_d: int
) -> FloatArray:
    """:func:`acwr_coupled` on an already validated 2-D array."""
    return acwr_coupled_from_sums(
        rolling_sum(values, acute_d),
        rolling_sum(values, chronic_d),
        acute_d,
        chronic_d,
        min_history_d,
    )


def acwr_coupled_from_sums(
    acute_sum: FloatArray,
    chronic_sum: FloatArray,
    acute_d: int,
    chronic_d: int,
    min_history_d: int,
) -> FloatArray:
    """:func:`acwr_coupled` from the rolling sums over its two windows."""
    return ratio_or_nan(acute_sum / acute_d, chronic_sum / chronic_d, min_history_d)


def acwr_uncoupled(
    load: ArrayLike,
    acute_d: int = ACUTE_WINDOW_D,
    chronic_d: int = CHRONIC_WINDOW_D,
    min_history_d: int = CHRONIC_WINDOW_D,
) -> FloatArray:
    """Uncoupled rolling-average ACWR: the last 7 days against the 21 days before them.

    .. math:: ACWR_t = \\frac{\\frac{1}{7}\\sum_{d=t-6}^{t} L_d}
                              {\\frac{1}{21}\\sum_{d=t-27}^{t-7} L_d}

    Both windows are daily means, so a steady load gives 1. This removes the shared-week
    coupling of :func:`acwr_coupled` (the "RAU" method of the R ``ACWR`` package, after
    Windt & Gabbett 2019).

    Parameters
    ----------
    load : array-like
        Daily load, ``(athletes, days)`` or ``(days,)``; ``NaN`` reads as 0.
    acute_d, chronic_d : int
        The acute window is the last ``acute_d`` days; the chronic window is days
        ``t - chronic_d + 1`` to ``t - acute_d``.
    min_history_d : int
        Days of record needed before a ratio is given; earlier days are ``NaN``.

    Returns
    -------
    numpy.ndarray
        Dimensionless ratio, same shape as ``load``; ``NaN`` where the chronic mean is 0
        (e.g. three weeks off followed by any running).

    Notes
    -----
    Evidence: [S]; see the module notes.
    """
    values, one_athlete = as_athlete_days(load)
    return restore_shape(acwr_uncoupled_2d(values, acute_d, chronic_d, min_history_d), one_athlete)


def acwr_uncoupled_2d(
    values: FloatArray, acute_d: int, chronic_d: int, min_history_d: int
) -> FloatArray:
    """:func:`acwr_uncoupled` on an already validated 2-D array."""
    return acwr_uncoupled_from_sums(
        rolling_sum(values, acute_d),
        rolling_sum(values, chronic_d),
        acute_d,
        chronic_d,
        min_history_d,
    )


def acwr_uncoupled_from_sums(
    acute_sum: FloatArray,
    whole_sum: FloatArray,
    acute_d: int,
    chronic_d: int,
    min_history_d: int,
) -> FloatArray:
    """:func:`acwr_uncoupled` from the rolling sums over the last ``acute_d`` and the
    last ``chronic_d`` days (the chronic window is their difference)."""
    if chronic_d <= acute_d:
        raise ValueError("chronic_d must be longer than acute_d")
    chronic_sum = np.maximum(whole_sum - acute_sum, 0.0)
    return ratio_or_nan(acute_sum / acute_d, chronic_sum / (chronic_d - acute_d), min_history_d)


def ewma_smoothing_factor(span_d: float) -> float:
    """Williams 2017: λ = 2/(N+1) (0.25 for N = 7, 2/29 ≈ 0.069 for N = 28)."""
    if not span_d > 0:
        raise ValueError("span must be > 0 days")
    return 2.0 / (span_d + 1.0)


def acwr_ewma(
    load: ArrayLike,
    acute_d: float = ACUTE_WINDOW_D,
    chronic_d: float = CHRONIC_WINDOW_D,
    min_history_d: int = CHRONIC_WINDOW_D,
) -> FloatArray:
    """EWMA ACWR (Williams et al. 2017): acute over chronic exponentially weighted average.

    .. math::

        EWMA_t = \\lambda L_t + (1 - \\lambda) EWMA_{t-1}, \\qquad
        \\lambda = \\frac{2}{N + 1}, \\qquad ACWR_t = \\frac{EWMA_t^{(N=7)}}{EWMA_t^{(N=28)}}

    Convention: both averages are seeded at 0 before day 0, as fitness and fatigue are
    (:mod:`stridewise.science.fitness`). Early values are inflated while the chronic
    average fills up, which is one reason for ``min_history_d``. Note λ = 2/(N+1) is not
    the λ = 1 − e^(−1/τ) of fitness/fatigue: N = 7 here weighs yesterday like τ ≈ 3.5 d.

    Williams et al. showed that, unlike rolling averages, the EWMA separates athletes with
    the same 28-day total but a different order of loads: on Menaspà's three fictitious
    athletes EWMA gave 1.25, 1.41 and 1.55 on day 28, rolling averages 1.43 for all three.

    Parameters
    ----------
    load : array-like
        Daily load, ``(athletes, days)`` or ``(days,)``; ``NaN`` reads as 0.
    acute_d, chronic_d : float
        The N of each average, days.
    min_history_d : int
        Days of record needed before a ratio is given; earlier days are ``NaN``.
        Set 1 to see every day.

    Returns
    -------
    numpy.ndarray
        Dimensionless ratio, same shape as ``load``; ``NaN`` where the chronic average is 0.

    Notes
    -----
    Evidence: [V] (Williams 2017 for the method); see the module notes for the criticism.
    """
    values, one_athlete = as_athlete_days(load)
    return restore_shape(acwr_ewma_2d(values, acute_d, chronic_d, min_history_d), one_athlete)


def acwr_ewma_2d(
    values: FloatArray, acute_d: float, chronic_d: float, min_history_d: int
) -> FloatArray:
    """:func:`acwr_ewma` on an already validated 2-D array."""
    acute, chronic = exponential_scan(
        values, (ewma_smoothing_factor(acute_d), ewma_smoothing_factor(chronic_d))
    )
    return ratio_or_nan(acute, chronic, min_history_d)
