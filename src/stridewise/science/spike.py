"""Single-run spikes (Frandsen 2025) and the week-to-week change in distance.

The strongest load signal for running injuries in the largest cohort to date (5,205
runners, 588,071 Garmin sessions) was the distance of one run compared with the longest
run of the previous 30 days (Frandsen et al. 2025 [V]). Rule: flag any run longer than
1.1 x that longest run.

Daily functions take ``(athletes, days)`` arrays (1-D for one athlete) and return the same
shape, as everywhere in :mod:`stridewise.science`.

References
----------
Frandsen et al. How much running is too much? Br J Sports Med 2025;59(17):1203-1210.
doi:10.1136/bjsports-2024-109380
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from stridewise.science.load import (
    FloatArray,
    as_athlete_days,
    restore_shape,
    rolling_sum,
    shift_days,
)

#: The look-back of the spike rule, days (the day itself not included).
SPIKE_LOOKBACK_D = 30
#: A run longer than this multiple of the longest run in the look-back is flagged.
SPIKE_FLAG_RATIO = 1.1
#: Frandsen 2025 bands: (lower bound exclusive, upper bound inclusive, hazard ratio, 95 % CI).
#: Relative to runs up to 1.1 x the longest run of the previous 30 days.
SPIKE_BANDS: tuple[tuple[float, float, float, tuple[float, float]], ...] = (
    (1.1, 1.3, 1.64, (1.31, 2.05)),
    (1.3, 2.0, 1.52, (1.16, 2.00)),
    (2.0, np.inf, 2.28, (1.50, 3.48)),
)


def _rolling_max(values: FloatArray, window_d: int) -> FloatArray:
    """Max of each day and the ``window_d - 1`` days before it (days before 0 count as 0).

    Sparse-table doubling: the max over 2^k days is built from two 2^(k-1) maxima, and
    any window is covered by two overlapping power-of-two blocks; log2(window) passes.
    """
    block = values.copy()
    width = 1
    while width * 2 <= window_d:
        block = np.maximum(block, shift_days(block, width))
        width *= 2
    if width == window_d:
        return block
    return np.maximum(block, shift_days(block, window_d - width))


def longest_prior_run_m(
    longest_run_m_per_day: ArrayLike, lookback_d: int = SPIKE_LOOKBACK_D
) -> FloatArray:
    """The longest single run in the ``lookback_d`` days before each day, metres.

    .. math:: P_t = \\max_{t-30 \\le d \\le t-1} R_d

    where :math:`R_d` is the longest run of day *d* (0 without a run); the day itself is
    not included. 0 when there was no run in the look-back (or before the record starts).

    Parameters
    ----------
    longest_run_m_per_day : array-like
        Longest single run of each day, metres, from
        :func:`stridewise.science.load.daily_longest_run_m`; ``NaN`` reads as 0.
    lookback_d : int
        Days looked back, 30 in Frandsen 2025.

    Returns
    -------
    numpy.ndarray
        Metres, same shape as the input.

    Notes
    -----
    Evidence: [V] (the reference of the spike rule in Frandsen et al. 2025).
    """
    values, one_athlete = as_athlete_days(longest_run_m_per_day, "longest_run_m_per_day")
    return restore_shape(longest_prior_run_m_2d(values, lookback_d), one_athlete)


def longest_prior_run_m_2d(values: FloatArray, lookback_d: int) -> FloatArray:
    """:func:`longest_prior_run_m` on an already validated 2-D array."""
    return shift_days(_rolling_max(values, lookback_d), 1)


def single_run_spike_ratio(
    longest_run_m_per_day: ArrayLike, lookback_d: int = SPIKE_LOOKBACK_D
) -> FloatArray:
    """Each day's longest run over the longest run of the previous 30 days.

    .. math:: r_t = R_t / P_t

    with :math:`P_t` from :func:`longest_prior_run_m`. Using the day's longest run rates
    the run that matters most when a day has two. ``NaN`` on days without a run, and when
    there was no run in the previous 30 days (no reference: a first run, or a return after
    a month off, needs its own caution). Above :data:`SPIKE_FLAG_RATIO` (1.1) is a spike;
    :func:`spike_hazard_ratio` gives the Frandsen band.

    Parameters
    ----------
    longest_run_m_per_day : array-like
        Longest single run of each day, metres; ``(athletes, days)`` or ``(days,)``.
    lookback_d : int
        Days looked back, 30 in Frandsen 2025.

    Returns
    -------
    numpy.ndarray
        Dimensionless ratio, same shape as the input.

    Notes
    -----
    Evidence: [V] (Frandsen 2025: > 10-30 % longer HR 1.64, 30-100 % HR 1.52, > 100 %
    HR 2.28). An association in an observational cohort, not proof that a spike causes
    injury; it is the best-supported load rule for runners available.
    """
    values, one_athlete = as_athlete_days(longest_run_m_per_day, "longest_run_m_per_day")
    return restore_shape(
        single_run_spike_ratio_2d(values, longest_prior_run_m_2d(values, lookback_d)),
        one_athlete,
    )


def single_run_spike_ratio_2d(values: FloatArray, prior_longest_m: FloatArray) -> FloatArray:
    """:func:`single_run_spike_ratio` on a validated 2-D array and its prior longest runs."""
    ratio = np.divide(
        values, prior_longest_m, out=np.full_like(values, np.nan), where=(prior_longest_m > 0)
    )
    ratio[values <= 0] = np.nan
    return ratio


def spike_ratio(
    distance_m: ArrayLike,
    history_run_distances_m: ArrayLike,
    history_days_ago: ArrayLike,
    lookback_d: int = SPIKE_LOOKBACK_D,
) -> FloatArray:
    """Spike ratio of a planned or just-finished run against the runner's history.

    For the planner: ``distance_m`` over the longest past run done 1 to ``lookback_d``
    days ago (runs on the same day, ``days_ago == 0``, do not count, matching
    :func:`single_run_spike_ratio`).

    Parameters
    ----------
    distance_m : array-like
        Candidate run distance(s), metres; a scalar gives a 0-d array (use ``float()``).
    history_run_distances_m : array-like
        Distances of past runs, metres (``NaN`` ignored).
    history_days_ago : array-like
        How many calendar days ago each past run was, same length.
    lookback_d : int
        Days looked back, 30 in Frandsen 2025.

    Returns
    -------
    numpy.ndarray
        Ratio, shape of ``distance_m``; ``NaN`` when no run falls in the look-back.

    Notes
    -----
    Evidence: [V] (Frandsen et al. 2025); flag above :data:`SPIKE_FLAG_RATIO`.
    """
    candidates = np.asarray(distance_m, dtype=np.float64)
    distances = np.asarray(history_run_distances_m, dtype=np.float64)
    days_ago = np.asarray(history_days_ago, dtype=np.float64)
    if distances.shape != days_ago.shape:
        raise ValueError("history_run_distances_m and history_days_ago must match in shape")
    in_window = (days_ago >= 1) & (days_ago <= lookback_d) & (distances > 0)
    longest = float(distances[in_window].max()) if in_window.any() else 0.0
    if longest <= 0:
        return np.full_like(candidates, np.nan)
    return np.asarray(candidates / longest, dtype=np.float64)


def spike_hazard_ratio(ratio: ArrayLike) -> FloatArray:
    """The Frandsen 2025 hazard ratio of the band a spike ratio falls in.

    1.0 up to 1.1 (the reference), 1.64 for > 1.1-1.3, 1.52 for > 1.3-2.0, 2.28 above 2.0;
    ``NaN`` stays ``NaN``. The middle band's lower HR than the first is what the study
    found (overlapping confidence intervals), not a sign that bigger spikes are safer.
    Evidence: [V] (Frandsen et al. 2025); bands and 95 % CIs in :data:`SPIKE_BANDS`.
    """
    ratios = np.asarray(ratio, dtype=np.float64)
    hazard = np.where(np.isnan(ratios), np.nan, 1.0)
    for lower, upper, hazard_ratio, _ in SPIKE_BANDS:
        hazard = np.where((ratios > lower) & (ratios <= upper), hazard_ratio, hazard)
    return np.asarray(hazard, dtype=np.float64)


def week_to_week_change(distance_m_per_day: ArrayLike) -> FloatArray:
    """The last 7 days' distance over the 7 days before them (a ratio; 1.1 = +10 %).

    .. math:: w_t = \\frac{\\sum_{d=t-6}^{t} D_d}{\\sum_{d=t-13}^{t-7} D_d}

    ``NaN`` when the previous week had no distance and for the first 13 days.

    Parameters
    ----------
    distance_m_per_day : array-like
        Daily distance, metres; ``(athletes, days)`` or ``(days,)``; ``NaN`` reads as 0.

    Returns
    -------
    numpy.ndarray
        Dimensionless ratio, same shape as the input.

    Notes
    -----
    Evidence: weak. The "10 % rule" did not prevent injuries in a randomised trial
    (Buist 2008 [V]: 20.8 % vs 20.3 % injured); in novices, > 30 % progression over two
    weeks was associated with more distance-related injuries (Nielsen 2014 [V]: HR 1.59,
    95 % CI 0.96-2.66, p = .07), not with injuries overall; Frandsen 2025 [V] found no
    association for the week-to-week ratio. Shown for information, not used as a guard.

    References
    ----------
    Nielsen RO, Parner ET, Nohr EA, et al. Excessive progression in weekly running
    distance and risk of running-related injuries. J Orthop Sports Phys Ther
    2014;44(10):739-747.
    Buist I, Bredeweg SW, van Mechelen W, et al. No effect of a graded training program on
    the number of running-related injuries in novice runners. Am J Sports Med
    2008;36(1):33-39. doi:10.1177/0363546507307505
    """
    values, one_athlete = as_athlete_days(distance_m_per_day, "distance_m_per_day")
    return restore_shape(week_to_week_change_2d(values), one_athlete)


def week_to_week_change_2d(values: FloatArray) -> FloatArray:
    """:func:`week_to_week_change` on an already validated 2-D array."""
    this_week = rolling_sum(values, 7)
    last_week = shift_days(this_week, 7)
    ratio = np.divide(this_week, last_week, out=np.full_like(values, np.nan), where=last_week > 0)
    ratio[:, :13] = np.nan
    return ratio
