"""Training load of one session, and the daily load series every other metric reads.

Session loads (arbitrary units, AU) come from perceived effort (:func:`session_rpe_load`)
or from a heart-rate stream (:func:`banister_trimp`, :func:`edwards_trimp`). They are
scattered into a daily array by :func:`daily_load` (the sum of the day's sessions).

Daily arrays follow one convention throughout ``stridewise.science``: a 2-D ``float64``
array of shape ``(athletes, days)``, day 0 first, one column per calendar day. A 1-D array
is one athlete and gives 1-D results, so one function serves a person and a cohort.
A day without a session is a 0-load day; ``NaN`` in a daily load array means "nothing
recorded" and is therefore also read as 0. Negative or infinite loads raise ``ValueError``.

Evidence grades follow ``reference/science.md``: **[V]** checked against the primary source,
**[S]** secondary sources only, **[U]** not verified.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Longest gap between two heart-rate samples that still counts as recorded time, seconds.
#: Longer gaps are pauses or dropouts and add nothing (same limit as moving time).
MAX_HEART_RATE_GAP_S = 30.0

#: Banister TRIMP weighting y = A·e^(B·x): (A, B) by sex (Morton, Fitz-Clarke & Banister 1990).
BANISTER_COEFFICIENTS: dict[str, tuple[float, float]] = {
    "male": (0.64, 1.92),
    "female": (0.86, 1.67),
}

#: Edwards zones: lower bound of each zone as a fraction of HRmax, weight 1..5.
EDWARDS_ZONE_LOWER_FRACTIONS: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9)


def as_athlete_days(load: ArrayLike, name: str = "load") -> tuple[FloatArray, bool]:
    """Validate a daily series and return it as a 2-D array plus "was it 1-D".

    The array is a view of the input when nothing needed replacing (the kernels never
    write into it), else a copy. ``NaN`` becomes 0 (an unrecorded day is a rest day);
    negative or infinite values raise ``ValueError`` naming ``name``.
    """
    # No copy unless NaN must be replaced: the kernels never write into their input.
    values = np.asarray(load, dtype=np.float64)
    if values.ndim == 1:
        values = values.reshape(1, -1)
        one_athlete = True
    elif values.ndim == 2:
        one_athlete = False
    else:
        raise ValueError(f"{name} must be 1-D (days) or 2-D (athletes x days), got {values.ndim}-D")
    if np.isnan(values).any():
        values = np.nan_to_num(values, nan=0.0, posinf=np.inf, neginf=-np.inf)
    # min/max reductions are cheaper than elementwise masks on cohort-sized arrays.
    if values.size and (values.min() < 0 or values.max() == np.inf):
        raise ValueError(f"{name} must be finite and >= 0 (loads and distances)")
    return values, one_athlete


def transpose_copy(values: FloatArray, tile: int = 256) -> FloatArray:
    """A C-contiguous transpose, copied tile by tile (about twice as fast as a plain
    ``np.ascontiguousarray(values.T)`` on cohort-sized arrays, which thrashes the cache)."""
    out = np.empty((values.shape[1], values.shape[0]), dtype=values.dtype)
    for row in range(0, values.shape[0], tile):
        for col in range(0, values.shape[1], tile):
            out[col : col + tile, row : row + tile] = values[row : row + tile, col : col + tile].T
    return out


def restore_shape(values: FloatArray, one_athlete: bool) -> FloatArray:
    """Undo :func:`as_athlete_days`: a 1-D input gets a 1-D result."""
    return values[0] if one_athlete else values


def rolling_sum(values: FloatArray, window_d: int) -> FloatArray:
    """Sum of each day and the ``window_d - 1`` days before it, along axis 1.

    Days before day 0 count as 0. Computed from one cumulative sum, so the cost does not
    grow with the window. A window of zeros gives exactly 0 (the cumulative sum does not
    move), which the ratio metrics rely on to return ``NaN`` instead of a huge number.
    """
    if window_d < 1:
        raise ValueError("window_d must be at least 1 day")
    cumulative = np.cumsum(values, axis=1)
    sums = cumulative.copy()
    if window_d < values.shape[1]:
        sums[:, window_d:] -= cumulative[:, :-window_d]
    # Rounding in the difference of two large cumulative sums can dip a hair below 0.
    np.maximum(sums, 0.0, out=sums)
    return sums


def shift_days(values: FloatArray, days: int, fill: float = 0.0) -> FloatArray:
    """Values from ``days`` days earlier (axis 1); the first ``days`` columns get ``fill``."""
    shifted = np.full_like(values, fill)
    if days < values.shape[1]:
        shifted[:, days:] = values[:, : values.shape[1] - days]
    return shifted


def session_rpe_load(rpe: ArrayLike, duration_min: ArrayLike) -> FloatArray:
    """Session-RPE training load (Foster et al. 2001).

    .. math:: L = \\text{RPE}_{CR10} \\times D_{min}

    Parameters
    ----------
    rpe : array-like
        Session rating of perceived exertion on Foster's CR-10 scale, 0 (rest) to 10
        (maximal), rated about 30 minutes after the session [U on the delay].
    duration_min : array-like
        Session duration, minutes. Broadcast against ``rpe``.

    Returns
    -------
    numpy.ndarray
        Load in arbitrary units (AU). ``NaN`` where either input is ``NaN`` (unknown
        session load; :func:`daily_load` reads it as 0).

    Raises
    ------
    ValueError
        If an RPE lies outside 0..10 or a duration is negative.

    Notes
    -----
    Evidence: [V] definition (Foster et al. 2001 validated it against heart-rate TRIMP in
    cycling and basketball).

    References
    ----------
    Foster C, Florhaug JA, Franklin J, et al. A new approach to monitoring exercise
    training. J Strength Cond Res 2001;15(1):109-115.
    """
    rpe_arr = np.asarray(rpe, dtype=np.float64)
    duration_arr = np.asarray(duration_min, dtype=np.float64)
    if ((rpe_arr < 0) | (rpe_arr > 10)).any():
        raise ValueError("rpe must be on the CR-10 scale, 0 to 10")
    if (duration_arr < 0).any():
        raise ValueError("duration_min must be >= 0")
    return np.asarray(rpe_arr * duration_arr, dtype=np.float64)


def _interval_weights(
    time_s: ArrayLike, heart_rate_bpm: ArrayLike
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """Interval lengths (min), the HR stream, and which intervals count towards a TRIMP."""
    times = np.asarray(time_s, dtype=np.float64)
    heart_rates = np.asarray(heart_rate_bpm, dtype=np.float64)
    if times.ndim != 1 or heart_rates.shape != times.shape:
        raise ValueError("heart_rate_bpm and time_s must be 1-D arrays of equal length")
    gaps_s = np.diff(times)
    finite_ends = np.isfinite(heart_rates[:-1]) & np.isfinite(heart_rates[1:])
    counted = (gaps_s > 0) & (gaps_s <= MAX_HEART_RATE_GAP_S) & finite_ends
    return gaps_s / 60.0, heart_rates, counted


def banister_trimp(
    heart_rate_bpm: ArrayLike,
    time_s: ArrayLike,
    hr_rest_bpm: float,
    hr_max_bpm: float,
    sex: Literal["male", "female"],
) -> float:
    """Banister's training impulse (TRIMP) of one session from a heart-rate stream.

    .. math::

        x = \\frac{HR - HR_{rest}}{HR_{max} - HR_{rest}}, \\qquad
        \\text{TRIMP} = \\int x \\, A e^{B x} \\, dt_{min}

    with :math:`(A, B) = (0.64, 1.92)` for men and :math:`(0.86, 1.67)` for women.

    The integral is taken with the trapezoid rule over real time: each interval between
    two consecutive samples adds ``minutes x mean(w at both ends)``, where
    ``w = x·A·e^(B·x)``. An interval counts only when it is longer than 0 s and at most
    :data:`MAX_HEART_RATE_GAP_S` (30 s) and both ends have a heart rate; pauses, dropouts
    and ``NaN`` samples therefore add nothing. ``x`` is clipped to 0..1: a heart rate below
    rest adds nothing, and one above ``hr_max_bpm`` counts as the maximum (such samples
    mean the stated maximum is too low and should be updated).

    Parameters
    ----------
    heart_rate_bpm : array-like
        Heart rate samples, beats per minute, ``NaN`` where missing.
    time_s : array-like
        Sample times, seconds (any origin), non-decreasing.
    hr_rest_bpm, hr_max_bpm : float
        Resting and maximal heart rate, beats per minute.
    sex : {"male", "female"}
        Selects the weighting curve.

    Returns
    -------
    float
        TRIMP in arbitrary units (weighted minutes).

    Notes
    -----
    Evidence: [S] (formula consistent across secondary sources). The curves come from
    the blood-lactate response (Morton 1990; Banister 1991). Implementations differ for
    women: GoldenCheetah (``TRIMPPoints.cpp``) keeps A = 0.64 and only changes B to 1.67;
    Runalyze (``Trimp/Factor.php``) uses A = 0.821776, B = 1.67; the literature value used
    here is A = 0.86, B = 1.67. For men all agree on 0.64 / 1.92.

    References
    ----------
    Morton RH, Fitz-Clarke JR, Banister EW. Modeling human performance in running.
    J Appl Physiol 1990;69(3):1171-1177.
    Banister EW. Modeling elite athletic performance. In: Physiological Testing of
    Elite Athletes. Human Kinetics; 1991.
    """
    if sex not in BANISTER_COEFFICIENTS:
        raise ValueError(f"sex must be one of {sorted(BANISTER_COEFFICIENTS)}, got {sex!r}")
    if not hr_max_bpm > hr_rest_bpm > 0:
        raise ValueError("need 0 < hr_rest_bpm < hr_max_bpm")
    minutes, heart_rates, counted = _interval_weights(time_s, heart_rate_bpm)
    if heart_rates.size < 2:
        return 0.0
    scale, exponent = BANISTER_COEFFICIENTS[sex]
    reserve = np.clip((heart_rates - hr_rest_bpm) / (hr_max_bpm - hr_rest_bpm), 0.0, 1.0)
    weighted = reserve * scale * np.exp(exponent * reserve)
    per_interval = minutes * 0.5 * (weighted[:-1] + weighted[1:])
    return float(per_interval[counted].sum())


def edwards_trimp(heart_rate_bpm: ArrayLike, time_s: ArrayLike, hr_max_bpm: float) -> float:
    """Edwards' summated heart-rate-zone TRIMP of one session.

    .. math:: \\text{TRIMP} = \\sum_{z=1}^{5} z \\cdot t_{z,\\,min}

    where :math:`t_z` is the time with heart rate in zone *z*: 50-60, 60-70, 70-80, 80-90
    and 90-100 % of HRmax (weights 1 to 5). Below 50 % weighs 0; above HRmax weighs 5.
    Integration over real time as in :func:`banister_trimp` (trapezoid on the zone weight,
    gaps over 30 s and ``NaN`` samples add nothing).

    Parameters
    ----------
    heart_rate_bpm : array-like
        Heart rate samples, beats per minute.
    time_s : array-like
        Sample times, seconds.
    hr_max_bpm : float
        Maximal heart rate, beats per minute.

    Returns
    -------
    float
        TRIMP in arbitrary units (weighted minutes).

    Notes
    -----
    Evidence: [S]. The zone weights are a convention, not validated physiology.

    References
    ----------
    Edwards S. The Heart Rate Monitor Book. Polar Electro; 1993.
    """
    if not hr_max_bpm > 0:
        raise ValueError("hr_max_bpm must be > 0")
    minutes, heart_rates, counted = _interval_weights(time_s, heart_rate_bpm)
    if heart_rates.size < 2:
        return 0.0
    # np.digitize counts how many zone floors each fraction reaches: 0 below 50 %, 5 at 90+.
    fraction = heart_rates / hr_max_bpm
    weight = np.digitize(np.nan_to_num(fraction), EDWARDS_ZONE_LOWER_FRACTIONS).astype(np.float64)
    per_interval = minutes * 0.5 * (weight[:-1] + weight[1:])
    return float(per_interval[counted].sum())


def _flat_day_positions(
    day_index: ArrayLike,
    n_days: int,
    athlete_index: ArrayLike | None,
    n_athletes: int | None,
) -> tuple[IntArray, int]:
    """Flat positions in an (athletes x days) array, and the number of athletes."""
    days = np.asarray(day_index)
    if days.size and not np.issubdtype(days.dtype, np.integer):
        raise ValueError("day_index must hold integers")
    days = days.astype(np.int64)
    if days.size and (days.min() < 0 or days.max() >= n_days):
        raise ValueError(f"day_index must lie in 0..{n_days - 1}")
    if athlete_index is None:
        return days, 1
    athletes = np.asarray(athlete_index).astype(np.int64)
    if athletes.shape != days.shape:
        raise ValueError("athlete_index and day_index must have the same shape")
    count = int(n_athletes) if n_athletes is not None else int(athletes.max(initial=-1)) + 1
    if athletes.size and (athletes.min() < 0 or athletes.max() >= count):
        raise ValueError(f"athlete_index must lie in 0..{count - 1}")
    return athletes * n_days + days, count


def daily_load(
    day_index: ArrayLike,
    session_load: ArrayLike,
    n_days: int,
    athlete_index: ArrayLike | None = None,
    n_athletes: int | None = None,
) -> FloatArray:
    """Scatter session loads into a daily series: each day holds the sum of its sessions.

    Parameters
    ----------
    day_index : array-like of int
        Day of each session, 0-based (e.g. days since the athlete's first day, local time).
    session_load : array-like of float
        Load of each session (any unit: AU, TRIMP, metres). ``NaN`` adds nothing.
    n_days : int
        Length of the daily series.
    athlete_index : array-like of int, optional
        Athlete (row) of each session. Without it the result is 1-D (one athlete).
    n_athletes : int, optional
        Number of rows; defaults to ``max(athlete_index) + 1``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_days,)`` or ``(n_athletes, n_days)``; days without sessions are 0.
    """
    positions, count = _flat_day_positions(day_index, n_days, athlete_index, n_athletes)
    loads = np.nan_to_num(np.asarray(session_load, dtype=np.float64), nan=0.0)
    if loads.shape != positions.shape:
        raise ValueError("session_load and day_index must have the same shape")
    if (loads < 0).any() or not np.isfinite(loads).all():
        raise ValueError("session_load must be finite and >= 0")
    totals = np.bincount(positions, weights=loads, minlength=count * n_days).astype(np.float64)
    return totals if athlete_index is None else totals.reshape(count, n_days)


def daily_longest_run_m(
    day_index: ArrayLike,
    run_distance_m: ArrayLike,
    n_days: int,
    athlete_index: ArrayLike | None = None,
    n_athletes: int | None = None,
) -> FloatArray:
    """The longest single run of each day, metres (0 on days without a run).

    Same arguments as :func:`daily_load`, with one distance per run; ``NaN`` distances are
    ignored. This is the input of :func:`stridewise.science.spike.single_run_spike_ratio`.
    """
    positions, count = _flat_day_positions(day_index, n_days, athlete_index, n_athletes)
    distances = np.nan_to_num(np.asarray(run_distance_m, dtype=np.float64), nan=0.0)
    if distances.shape != positions.shape:
        raise ValueError("run_distance_m and day_index must have the same shape")
    if (distances < 0).any() or not np.isfinite(distances).all():
        raise ValueError("run_distance_m must be finite and >= 0")
    longest = np.zeros(count * n_days)
    np.maximum.at(longest, positions, distances)
    return longest if athlete_index is None else longest.reshape(count, n_days)


def exponential_smoothing_factor(time_constant_d: float) -> float:
    """λ = 1 − e^(−1/τ), the daily weight of a fitness/fatigue average with time constant τ."""
    if not time_constant_d > 0:
        raise ValueError("time constants must be > 0 days")
    return 1.0 - math.exp(-1.0 / time_constant_d)


#: Banister weighting for a person without a recorded sex: Runalyze's values for unknown
#: gender (``Trimp/Factor.php``: B is the mean of 1.92 and 1.67; the factor 0.725215 is
#: theirs) [S].
UNKNOWN_SEX_BANISTER_COEFFICIENTS: tuple[float, float] = (0.725215, 1.795)


def banister_coefficients(sex: str | None) -> tuple[float, float]:
    """``(A, B)`` of Banister's weighting y = A·e^(B·x) for ``sex``; the unknown-sex pair for
    anything but "male" or "female" (see :data:`UNKNOWN_SEX_BANISTER_COEFFICIENTS`)."""
    return BANISTER_COEFFICIENTS.get(sex or "", UNKNOWN_SEX_BANISTER_COEFFICIENTS)


def banister_trimp_mean_hr(
    duration_min: ArrayLike, heart_rate_reserve_fraction: ArrayLike, sex: str | None
) -> FloatArray:
    """Banister TRIMP of sessions known only by their average heart rate.

    .. math:: \\text{TRIMP} = D_{min} \\cdot x \\cdot A e^{B x}, \\qquad
              x = \\frac{\\overline{HR} - HR_{rest}}{HR_{max} - HR_{rest}}

    Banister's original definition (duration x ΔHR x y(ΔHR)) [S]; :func:`banister_trimp` is
    the per-sample integral of the same weighting for a recorded stream. ``x`` is clipped to
    0..1; ``NaN`` reserve (no heart rate) gives 0, the load of a session without a pulse
    record. ``(A, B)`` from :func:`banister_coefficients`. Vectorised over sessions.
    """
    minutes = np.asarray(duration_min, dtype=np.float64)
    reserve = np.clip(np.asarray(heart_rate_reserve_fraction, dtype=np.float64), 0.0, 1.0)
    scale, exponent = banister_coefficients(sex)
    trimp = minutes * reserve * scale * np.exp(exponent * reserve)
    return np.asarray(np.where(np.isfinite(reserve), trimp, 0.0), dtype=np.float64)


# Tanaka, Monahan & Seals, JACC 2001;37:153-156 [V]: HRmax = 208 - 0.7 x age.
TANAKA_INTERCEPT_BPM = 208.0
TANAKA_SLOPE_BPM_PER_YEAR = 0.7
#: Age used for the Tanaka estimate when the profile has no birth year [U: a mid-life default;
#: the estimate is flagged "estimated" wherever it is shown].
ASSUMED_AGE_YEARS = 45.0
#: Resting heart rate assumed when none was recorded: the usual adult figure [U], flagged
#: "estimated" wherever it is shown.
ASSUMED_RESTING_HR_BPM = 70.0


def tanaka_max_hr_bpm(age_years: ArrayLike) -> FloatArray:
    """Estimated maximal heart rate, bpm: HRmax = 208 - 0.7 x age (Tanaka 2001) [V].
    ``NaN`` age uses :data:`ASSUMED_AGE_YEARS`."""
    age = np.asarray(age_years, dtype=np.float64)
    age = np.where(np.isfinite(age), age, ASSUMED_AGE_YEARS)
    return np.asarray(TANAKA_INTERCEPT_BPM - TANAKA_SLOPE_BPM_PER_YEAR * age, dtype=np.float64)


# ACSM intensity bands by % heart-rate reserve and Borg 6-20 RPE (Garber et al., MSSE
# 2011;43:1334, Table 4, as reproduced in a BJSM table [S]): light 30-39 % = RPE 9-11, moderate
# 40-59 % = 12-13, vigorous 60-89 % = 14-17, near-maximal >= 90 % = 18-20. CR-10 values for each
# band's lower edge by the scales' verbal anchors [U]: 9 "very light" ~ 1, 12 ~ 3 "moderate",
# 14 ~ 5 "hard", 18 ~ 8, 20 "maximal" = 10. Linear between edges, 1 below 30 %.
RPE_BAND_HRR_FRACTION: tuple[float, ...] = (0.30, 0.40, 0.60, 0.90, 1.00)
RPE_BAND_CR10: tuple[float, ...] = (1.0, 3.0, 5.0, 8.0, 10.0)


def rpe_from_heart_rate_reserve(reserve_fraction: ArrayLike) -> FloatArray:
    """Estimated CR-10 RPE from the fraction of heart-rate reserve, through ACSM's bands.

    Band edges map to 1 (30 % HRR), 3 (40 %), 5 (60 %), 8 (90 %) and 10 (100 %), linear in
    between, 1 below 30 %, rounded to 0.1; so moderate (40-59 %) gives 3 to just under 5 and
    vigorous (60-89 %) 5 to just under 8. NaN stays NaN. See ``RPE_BAND_CR10`` for sources.
    """
    reserve = np.asarray(reserve_fraction, dtype=np.float64)
    rpe = np.interp(np.clip(reserve, 0.0, 1.0), RPE_BAND_HRR_FRACTION, RPE_BAND_CR10)
    return np.asarray(np.where(np.isnan(reserve), np.nan, np.round(rpe, 1)), dtype=np.float64)


#: Effort (CR-10 RPE) assumed for a session nobody rated and without heart rate, by kind: the
#: one table behind planned load (the planner's session kinds) and recorded load (activity
#: sports and hand-logged kinds), so the same walk has the same load planned and done.
#: Walk = 3 ("moderate"): WHO/ACSM count brisk walking as moderate-intensity activity, and
#: moderate is 3-4 on Borg's CR-10 (Heliyon 2022;8:e11259, Table 4: "moderate, e.g. brisk
#: walk, RPE (Borg CR10) 3-4") and Borg 12-13, i.e. CR-10 ~3, in ACSM's bands (Garber 2011,
#: as ``RPE_BAND_CR10`` above) [S]; the tool also scores a walk at the default pace as moderate
#: by METs. A self-paced walk can feel lighter (Flairty & Scheadler 2020, Int J Exerc Sci
#: 13:677, mean ~2.4 on their intensity ranking) [S], which a rating entered by the person
#: overrides. The other values are conventions [U]: light work 2, steady aerobic work 3,
#: running and impact 4, a long run and strength 5, rest 0.
DEFAULT_SESSION_RPE_CR10: dict[str, float] = {
    "run": 4.0,
    "run_walk": 4.0,
    "easy_run": 4.0,
    "long_run": 5.0,
    "walk": 3.0,
    "hike": 3.0,
    "ride": 3.0,
    "swim": 3.0,
    "strength": 5.0,
    "balance": 2.0,
    "impact": 4.0,
    "rest": 0.0,
    "other": 3.0,
}


def default_session_rpe(kind: ArrayLike) -> FloatArray:
    """:data:`DEFAULT_SESSION_RPE_CR10` of each session kind (an unknown kind counts as
    "other")."""
    kinds = np.asarray(kind, dtype=object).ravel()
    other = DEFAULT_SESSION_RPE_CR10["other"]
    values = [DEFAULT_SESSION_RPE_CR10.get(str(k), other) for k in kinds.tolist()]
    return np.asarray(values, dtype=np.float64).reshape(np.shape(kind))


#: A gentle first training week, session-RPE AU (about 3 x 40 min at RPE 5) [U: the planner's
#: convention]: the floor of the planner's weekly-load cap and ACWR comparison, and the 7-day
#: load below which the monitor does not flag a high workload ratio.
ENTRY_WEEK_LOAD_AU = 600.0
