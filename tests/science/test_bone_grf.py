"""Peak GRF and loading rate reproduce the figures Keller et al. (1996) report."""

from __future__ import annotations

import numpy as np
import pytest

from stridewise.science.bone import Gait, loading_rate_bw_per_s, peak_vgrf_bw


def test_walking_starts_at_keller_1_2_bw() -> None:
    assert peak_vgrf_bw(1.5, Gait.WALK) == pytest.approx(1.2)
    assert peak_vgrf_bw(1.0, "walk") == pytest.approx(1.2)


def test_running_reaches_2_5_bw_at_6_mps_then_plateaus() -> None:
    speeds = np.array([6.0, 7.0, 9.0])
    np.testing.assert_allclose(peak_vgrf_bw(speeds, Gait.RUN), 2.5)


def test_running_rises_linearly_between_3_5_and_6_mps() -> None:
    speeds = np.linspace(3.5, 6.0, 6)
    grf = peak_vgrf_bw(speeds, Gait.RUN)
    np.testing.assert_allclose(np.diff(grf, 2), 0.0, atol=1e-12)
    assert np.all(np.diff(grf) > 0)
    # The same line passes through Keller's walking anchor (1.5 m/s, 1.2 BW).
    slope = (grf[-1] - grf[0]) / (6.0 - 3.5)
    assert grf[0] - slope * (3.5 - 1.5) == pytest.approx(1.2)


@pytest.mark.parametrize("speed_mps", [1.5, 2.0, 2.5, 3.0])
def test_slow_jogging_is_at_least_50_percent_above_walking(speed_mps: float) -> None:
    jog = peak_vgrf_bw(speed_mps, Gait.RUN)
    walk = peak_vgrf_bw(speed_mps, Gait.WALK)
    assert jog >= 1.5 * walk - 1e-12


def test_slow_jogging_loads_more_than_moderate_running() -> None:
    assert peak_vgrf_bw(3.0, Gait.RUN) > peak_vgrf_bw(3.5, Gait.RUN)


def test_nan_speed_stays_nan_and_shape_is_kept() -> None:
    grf = peak_vgrf_bw(np.array([[np.nan, 4.0], [2.0, 6.5]]), Gait.RUN)
    assert grf.shape == (2, 2)
    assert np.isnan(grf[0, 0])
    assert np.isnan(peak_vgrf_bw(np.nan, Gait.WALK))


def test_unknown_gait_is_refused() -> None:
    with pytest.raises(ValueError):
        peak_vgrf_bw(3.0, "cycle")


def test_keller_loading_rate_spans_8_to_30_bw_per_s() -> None:
    assert loading_rate_bw_per_s(1.5, Gait.WALK) == pytest.approx(8.0)
    assert loading_rate_bw_per_s(6.0, Gait.RUN) == pytest.approx(30.0)
    rates = loading_rate_bw_per_s(np.linspace(1.5, 6.0, 10), Gait.RUN)
    assert np.all((rates >= 8.0 - 1e-9) & (rates <= 30.0 + 1e-9))


def test_slow_jog_loading_rate_is_50_percent_above_walking() -> None:
    assert loading_rate_bw_per_s(2.5, Gait.RUN) >= 1.5 * loading_rate_bw_per_s(2.5, Gait.WALK)


def test_bpaq_loading_rates_are_the_table_values() -> None:
    np.testing.assert_allclose(loading_rate_bw_per_s([1.2, 2.0], Gait.WALK, method="bpaq"), 8.4)
    assert loading_rate_bw_per_s(3.0, Gait.RUN, method="bpaq") == pytest.approx(46.9)
    with pytest.raises(ValueError):
        loading_rate_bw_per_s(3.0, Gait.RUN, method="guess")
