"""Fitness/fatigue/form and Foster's monotony and strain."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from stridewise.science.fitness import fitness_fatigue_form, monotony, strain


def test_single_session_decays_with_the_stated_lambda() -> None:
    # One 100-AU session on day 0: CTL_t = 100 λ (1 − λ)^t with λ = 1 − e^(−1/42).
    load = np.zeros(60)
    load[0] = 100.0
    result = fitness_fatigue_form(load)
    lam_42 = 1 - math.exp(-1 / 42)
    lam_7 = 1 - math.exp(-1 / 7)
    assert lam_42 == pytest.approx(0.0235283, abs=1e-7)
    assert lam_7 == pytest.approx(0.1331221, abs=1e-7)
    days = np.arange(60)
    np.testing.assert_allclose(result.fitness, 100 * lam_42 * (1 - lam_42) ** days, rtol=1e-12)
    np.testing.assert_allclose(result.fatigue, 100 * lam_7 * (1 - lam_7) ** days, rtol=1e-12)


def test_form_is_yesterdays_fitness_minus_fatigue() -> None:
    load = np.array([0.0, 120.0, 0.0, 60.0, 200.0, 0.0, 0.0])
    result = fitness_fatigue_form(load)
    assert result.form[0] == 0.0
    np.testing.assert_allclose(result.form[1:], (result.fitness - result.fatigue)[:-1])
    # The session on day 1 leaves day 1's form untouched and lowers day 2's.
    assert result.form[1] == 0.0
    assert result.form[2] < 0.0


def test_time_constants_are_settable() -> None:
    load = np.zeros(10)
    load[0] = 70.0
    result = fitness_fatigue_form(load, tau_fitness_d=10.0, tau_fatigue_d=2.0)
    assert result.fitness[0] == pytest.approx(70 * (1 - math.exp(-1 / 10)))
    assert result.fatigue[0] == pytest.approx(70 * (1 - math.exp(-1 / 2)))
    with pytest.raises(ValueError):
        fitness_fatigue_form(load, tau_fitness_d=0.0)


def test_steady_load_converges_to_the_load() -> None:
    result = fitness_fatigue_form(np.full(1000, 50.0))
    assert result.fitness[-1] == pytest.approx(50.0, rel=1e-9)
    assert result.fatigue[-1] == pytest.approx(50.0, rel=1e-12)


def test_monotony_and_strain_of_a_hand_computed_week() -> None:
    # Foster 1998 gives the definition but no worked week we could retrieve, so this week is
    # computed by hand with the population SD (rest days count as 0):
    # loads 0, 300, 400, 0, 500, 200, 600 AU: mean 2000/7 = 285.714, SD sqrt(328571.4/7) = 216.651.
    week = [0.0, 300.0, 400.0, 0.0, 500.0, 200.0, 600.0]
    expected_monotony = statistics.fmean(week) / statistics.pstdev(week)
    assert expected_monotony == pytest.approx(285.714 / 216.651, abs=1e-4)  # = 1.3188
    assert monotony(week)[-1] == pytest.approx(expected_monotony, rel=1e-12)
    assert strain(week)[-1] == pytest.approx(2000 * expected_monotony, rel=1e-12)
    assert np.isnan(monotony(week)[:6]).all()


def test_flat_week_gives_nan_not_inf() -> None:
    for week in ([350.0] * 7, [0.0] * 7, [0.1] * 7):
        assert np.isnan(monotony(week)[-1])
        assert np.isnan(strain(week)[-1])


def test_negative_or_infinite_load_is_refused() -> None:
    with pytest.raises(ValueError):
        monotony([1.0, -1.0])
    with pytest.raises(ValueError):
        fitness_fatigue_form([1.0, np.inf])
    with pytest.raises(ValueError):
        monotony(np.zeros((2, 3, 4)))


def test_nan_days_read_as_rest_days_and_input_is_untouched() -> None:
    with_gaps = np.array([100.0, np.nan, 50.0, np.nan, 0.0, 80.0, 20.0, np.nan])
    as_zeros = np.nan_to_num(with_gaps)
    np.testing.assert_array_equal(monotony(with_gaps), monotony(as_zeros))
    np.testing.assert_array_equal(
        fitness_fatigue_form(with_gaps).form, fitness_fatigue_form(as_zeros).form
    )
    assert np.isnan(with_gaps[1])
