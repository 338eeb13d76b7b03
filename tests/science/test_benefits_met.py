"""METs from the 2024 Adult Compendium, intensity bands, MET-minutes and energy."""

from __future__ import annotations

import numpy as np
import pytest

from stridewise.science.benefits import (
    MPS_PER_MPH,
    RUNNING_COMPENDIUM_2024,
    WALKING_COMPENDIUM_2024,
    Intensity,
    energy_kcal,
    intensity,
    met60_from_vo2,
    met_hiking,
    met_minutes,
    met_running,
    met_walking,
)


def mph(speed_mph: float) -> float:
    return speed_mph * MPS_PER_MPH


@pytest.mark.parametrize(
    ("speed_mph", "met"),
    [
        (4.0, 6.5),
        (4.5, 7.8),
        (5.1, 8.5),
        (5.6, 9.0),
        (6.0, 9.3),
        (6.7, 10.5),
        (7.0, 11.0),
        (7.5, 11.8),
        (8.0, 12.0),
        (8.6, 12.5),
        (9.0, 13.0),
        (9.4, 14.8),
        (10.0, 14.8),
        (11.0, 16.8),
        (12.0, 18.5),
        (13.0, 19.8),
        (14.0, 23.0),
    ],
)
def test_running_rows(speed_mph: float, met: float) -> None:
    assert met_running(mph(speed_mph)) == pytest.approx(met)


def test_every_running_row_is_reached_at_its_lower_bound() -> None:
    for _code, lower_mph, met in RUNNING_COMPENDIUM_2024:
        assert met_running(mph(lower_mph) + 1e-9) == pytest.approx(met)


def test_running_step_rule_never_rounds_up() -> None:
    assert met_running(mph(6.5)) == pytest.approx(9.3)
    assert met_running(mph(8.3)) == pytest.approx(12.0)
    assert met_running(mph(11.9)) == pytest.approx(16.8)
    assert met_running(mph(16.0)) == pytest.approx(23.0)  # no extrapolation past 14 mph
    assert met_running(mph(3.5)) == pytest.approx(6.0)
    speeds = np.linspace(mph(3.0), mph(15.0), 200)
    assert np.all(np.diff(met_running(speeds)) >= 0)


@pytest.mark.parametrize(
    ("speed_mph", "met"),
    [(1.0, 2.3), (2.0, 2.8), (2.4, 2.8), (2.5, 3.0), (3.0, 3.8), (3.7, 4.8), (4.2, 5.5),
     (4.5, 7.0), (4.9, 7.0), (6.0, 7.0)],
)
def test_walking_rows(speed_mph: float, met: float) -> None:
    assert met_walking(mph(speed_mph)) == pytest.approx(met)


def test_every_walking_row_is_reached_at_its_lower_bound() -> None:
    for _code, lower_mph, met in WALKING_COMPENDIUM_2024:
        assert met_walking(mph(lower_mph) + 1e-9) == pytest.approx(met)


def test_slow_walking_is_light_not_unknown() -> None:
    # 17151 (< 2.0 mph) 2.3 and 17152 (2.0-2.4 mph) 2.8: both light, neither unknown.
    met = met_walking([mph(1.0), mph(2.2), 1.1])
    np.testing.assert_allclose(met, [2.3, 2.8, 2.8])
    assert (intensity(met) == Intensity.LIGHT).all()
    assert np.isnan(met_walking(np.nan))


def test_hiking_is_cross_country_at_any_speed() -> None:
    # 17080 "Hiking, cross country" 6.0 MET: a 1.1 m/s hike is vigorous, not unknown.
    met = met_hiking([0.6, 1.1, 1.8, np.nan])
    np.testing.assert_allclose(met[:3], 6.0)
    assert np.isnan(met[3])
    assert intensity(met_hiking(1.1)) == Intensity.VIGOROUS


def test_nan_speed_and_shape() -> None:
    met = met_running(np.array([[np.nan, 3.0], [2.5, 4.0]]))
    assert met.shape == (2, 2)
    assert np.isnan(met[0, 0])


def test_intensity_bands() -> None:
    bands = intensity([1.5, 2.99, 3.0, 5.99, 6.0, 14.8, np.nan])
    expected = [
        Intensity.LIGHT,
        Intensity.LIGHT,
        Intensity.MODERATE,
        Intensity.MODERATE,
        Intensity.VIGOROUS,
        Intensity.VIGOROUS,
        Intensity.UNKNOWN,
    ]
    assert bands.tolist() == [int(value) for value in expected]


def test_running_is_vigorous_and_brisk_walking_moderate() -> None:
    assert intensity(met_running(2.7)) == Intensity.VIGOROUS
    assert intensity(met_walking(1.5)) == Intensity.MODERATE


def test_met_minutes_and_energy() -> None:
    assert met_minutes(9.3, 30) == pytest.approx(279.0)
    assert energy_kcal(9.3, 70.0, 30.0) == pytest.approx(9.3 * 70 * 0.5)
    np.testing.assert_allclose(energy_kcal([1.0, 2.0], 60.0, 60.0), [60.0, 120.0])


def test_met60_uses_the_older_adult_resting_rate() -> None:
    assert met60_from_vo2(27.0) == pytest.approx(10.0)
