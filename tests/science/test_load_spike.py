"""Single-run spike ratio (Frandsen 2025) and week-to-week change."""

from __future__ import annotations

import numpy as np
import pytest

from stridewise.science.spike import (
    longest_prior_run_m,
    single_run_spike_ratio,
    spike_hazard_ratio,
    spike_ratio,
    week_to_week_change,
)


def test_longest_prior_run_looks_back_30_days_without_today() -> None:
    runs = np.zeros(40)
    runs[0] = 12_000.0
    runs[5] = 8_000.0
    prior = longest_prior_run_m(runs)
    assert prior[0] == 0.0  # nothing before the first day
    assert prior[1] == 12_000.0
    assert prior[30] == 12_000.0  # day 0 is 30 days before day 30
    assert prior[31] == 8_000.0  # day 0 has left the window
    assert prior[36] == 0.0


def test_spike_ratio_per_day() -> None:
    runs = np.zeros(35)
    runs[0] = 10_000.0
    runs[3] = 11_500.0  # 1.15 x the longest run: flagged
    runs[10] = 23_500.0  # 23.5 / 11.5 = 2.04
    ratio = single_run_spike_ratio(runs)
    assert np.isnan(ratio[0])  # first run: no reference
    assert ratio[3] == pytest.approx(1.15)
    assert ratio[10] == pytest.approx(23_500 / 11_500)
    assert np.isnan(ratio[1])  # no run that day
    assert np.isnan(ratio[ratio.size - 1])


def test_spike_ratio_nan_after_a_month_without_running() -> None:
    runs = np.zeros(45)
    runs[0] = 5_000.0
    runs[40] = 5_000.0
    assert np.isnan(single_run_spike_ratio(runs)[40])


def test_per_session_helper_matches_per_day_version() -> None:
    # A 13 km run today; history: 10 km 3 days ago, 20 km 31 days ago (outside), 15 km today.
    ratio = spike_ratio(13_000.0, [10_000.0, 20_000.0, 15_000.0], [3, 31, 0])
    assert float(ratio) == pytest.approx(1.3)
    runs = np.zeros(32)
    runs[0], runs[28], runs[31] = 20_000.0, 10_000.0, 13_000.0
    assert single_run_spike_ratio(runs)[31] == pytest.approx(float(ratio))
    assert np.isnan(spike_ratio(5_000.0, [], []))
    np.testing.assert_allclose(spike_ratio([5_000.0, 20_000.0], [10_000.0], [1]), [0.5, 2.0])


def test_frandsen_bands() -> None:
    ratios = [0.9, 1.1, 1.11, 1.3, 1.31, 2.0, 2.01, np.nan]
    np.testing.assert_array_equal(
        spike_hazard_ratio(ratios), [1.0, 1.0, 1.64, 1.64, 1.52, 1.52, 2.28, np.nan]
    )


def test_week_to_week_change() -> None:
    distance = np.array([5_000.0] * 7 + [5_500.0] * 7 + [0.0] * 7 + [1_000.0] * 7)
    change = week_to_week_change(distance)
    assert np.isnan(change[:13]).all()
    assert change[13] == pytest.approx(1.1)
    assert change[20] == 0.0
    assert np.isnan(change[27])  # previous week empty
