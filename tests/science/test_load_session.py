"""Session loads (sRPE, Banister and Edwards TRIMP) and the daily scatter helpers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stridewise.science.load import (
    banister_trimp,
    daily_load,
    daily_longest_run_m,
    edwards_trimp,
    session_rpe_load,
)

ONE_HOUR_S = np.arange(3601, dtype=np.float64)


def test_session_rpe_is_rpe_times_minutes() -> None:
    # Foster 2001: a 60-min session rated 5 ("hard") is 300 AU.
    assert session_rpe_load(5, 60) == pytest.approx(300.0)
    np.testing.assert_allclose(session_rpe_load([3, 7], [40, 90]), [120.0, 630.0])


def test_session_rpe_keeps_unknown_as_nan_and_rejects_bad_inputs() -> None:
    assert np.isnan(session_rpe_load(np.nan, 30))
    with pytest.raises(ValueError):
        session_rpe_load(11, 30)
    with pytest.raises(ValueError):
        session_rpe_load(5, -1)


def test_banister_constant_hour_matches_hand_computation() -> None:
    # HR 130, rest 60, max 200: x = 70/140 = 0.5.
    # Men:   60 min x 0.5 x 0.64 e^(1.92 x 0.5) = 30 x 0.64 x 2.61170 = 50.1446
    # Women: 60 min x 0.5 x 0.86 e^(1.67 x 0.5) = 30 x 0.86 x 2.30481 = 59.4642
    heart_rate = np.full(ONE_HOUR_S.size, 130.0)
    male = banister_trimp(heart_rate, ONE_HOUR_S, 60, 200, "male")
    female = banister_trimp(heart_rate, ONE_HOUR_S, 60, 200, "female")
    assert male == pytest.approx(30 * 0.64 * math.exp(0.96), rel=1e-12)
    assert male == pytest.approx(50.1446, abs=1e-4)
    assert female == pytest.approx(59.4642, abs=1e-4)


def test_banister_skips_gaps_over_30_s_and_nan_samples() -> None:
    # Two 10-minute blocks at 1 Hz with a 5-minute pause between them: 20 minutes count.
    first = np.arange(601, dtype=np.float64)
    second = first + 600 + 300
    times = np.concatenate([first, second])
    heart_rate = np.full(times.size, 130.0)
    expected_per_min = 0.5 * 0.64 * math.exp(0.96)
    assert banister_trimp(heart_rate, times, 60, 200, "male") == pytest.approx(
        20 * expected_per_min
    )
    # A NaN sample removes the two 1-s intervals that touch it; 5-s recording keeps its time.
    heart_rate[100] = np.nan
    assert banister_trimp(heart_rate, times, 60, 200, "male") == pytest.approx(
        (20 - 2 / 60) * expected_per_min
    )
    sparse = np.arange(0, 3601, 5, dtype=np.float64)
    assert banister_trimp(np.full(sparse.size, 130.0), sparse, 60, 200, "male") == pytest.approx(
        60 * expected_per_min
    )


def test_banister_below_rest_adds_nothing_and_bad_inputs_raise() -> None:
    assert banister_trimp(np.full(61, 50.0), np.arange(61.0), 60, 200, "male") == 0.0
    with pytest.raises(ValueError):
        banister_trimp(np.full(61, 130.0), np.arange(61.0), 60, 200, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        banister_trimp(np.full(61, 130.0), np.arange(61.0), 200, 60, "male")


def test_edwards_weights_minutes_by_zone() -> None:
    # 60 min at 75 % HRmax (zone 3) = 180; 30 min at 95 % (zone 5) = 150; 45 % = 0.
    assert edwards_trimp(np.full(ONE_HOUR_S.size, 150.0), ONE_HOUR_S, 200) == pytest.approx(180)
    half_hour = np.arange(1801, dtype=np.float64)
    assert edwards_trimp(np.full(half_hour.size, 190.0), half_hour, 200) == pytest.approx(150)
    assert edwards_trimp(np.full(half_hour.size, 90.0), half_hour, 200) == 0.0


def test_daily_load_sums_sessions_per_day() -> None:
    one = daily_load([0, 0, 2], [100.0, 50.0, 30.0], n_days=4)
    np.testing.assert_array_equal(one, [150.0, 0.0, 30.0, 0.0])
    cohort = daily_load([0, 1, 1], [10.0, np.nan, 5.0], n_days=2, athlete_index=[1, 0, 0])
    np.testing.assert_array_equal(cohort, [[0.0, 5.0], [10.0, 0.0]])
    with pytest.raises(ValueError):
        daily_load([5], [1.0], n_days=4)


def test_daily_longest_run_keeps_the_max_not_the_sum() -> None:
    longest = daily_longest_run_m([0, 0, 1], [5000.0, 8000.0, 3000.0], n_days=3)
    np.testing.assert_array_equal(longest, [8000.0, 3000.0, 0.0])
