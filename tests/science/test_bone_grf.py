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


def test_walking_follows_keller_line_through_both_anchors() -> None:
    speeds = np.linspace(1.5, 3.0, 7)
    walk = peak_vgrf_bw(speeds, Gait.WALK)
    # The line through (1.5 m/s, 1.2 BW) and (6.0 m/s, 2.5 BW), Keller et al. 1996.
    np.testing.assert_allclose(walk, 1.2 + (2.5 - 1.2) / (6.0 - 1.5) * (speeds - 1.5))
    assert peak_vgrf_bw(4.0, Gait.WALK) == pytest.approx(walk[-1])


def test_running_is_near_the_bpaq_running_value() -> None:
    # Weeks & Beck 2008 Table 6: running/jogging 2.6 BW.
    grf = peak_vgrf_bw(np.linspace(2.0, 6.0, 9), Gait.RUN)
    assert np.all(np.abs(grf - 2.6) <= 0.1 + 1e-12)


def test_running_never_falls_with_speed_nor_below_the_plateau() -> None:
    speeds = np.linspace(1.0, 9.0, 161)
    grf = peak_vgrf_bw(speeds, Gait.RUN)
    assert np.all(np.diff(grf) >= 0)
    assert np.all(grf >= 2.5 - 1e-12)
    # The reviewer's case: 3.5 and 4.0 m/s running no longer score below 2.8 m/s jogging.
    assert peak_vgrf_bw(3.5, Gait.RUN) >= peak_vgrf_bw(2.8, Gait.RUN)
    assert peak_vgrf_bw(4.0, Gait.RUN) >= peak_vgrf_bw(2.8, Gait.RUN)


@pytest.mark.parametrize("speed_mps", [1.5, 2.0, 2.5, 3.0])
def test_slow_jogging_is_at_least_50_percent_above_walking(speed_mps: float) -> None:
    jog = peak_vgrf_bw(speed_mps, Gait.RUN)
    walk = peak_vgrf_bw(speed_mps, Gait.WALK)
    assert jog >= 1.5 * walk - 1e-12


@pytest.mark.parametrize("speed_mps", [1.5, 2.5, 3.5, 5.0, 6.0, 8.0])
def test_running_loads_more_than_walking_at_every_speed(speed_mps: float) -> None:
    assert peak_vgrf_bw(speed_mps, Gait.RUN) > peak_vgrf_bw(speed_mps, Gait.WALK)


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
