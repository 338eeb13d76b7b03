"""Property tests over random daily loads: shapes, signs, NaN (never inf), conventions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stridewise.science.acwr import acwr_coupled, acwr_ewma, acwr_uncoupled
from stridewise.science.daily import DAILY_METRICS, daily_load_metrics
from stridewise.science.fitness import fitness_fatigue_form, monotony, strain
from stridewise.science.spike import (
    longest_prior_run_m,
    single_run_spike_ratio,
    week_to_week_change,
)

# Whole numbers with many zeros look like real logs (rest days, sRPE in whole AU).
daily_values = st.one_of(st.just(0.0), st.floats(0, 2_000, allow_nan=False).map(round))
cohorts = st.integers(1, 4).flatmap(
    lambda athletes: st.integers(1, 70).flatmap(
        lambda days: arrays(np.float64, (athletes, days), elements=daily_values)
    )
)
RATIO_METRICS = (
    acwr_coupled,
    acwr_uncoupled,
    acwr_ewma,
    monotony,
    strain,
    single_run_spike_ratio,
    week_to_week_change,
)


@settings(max_examples=60, deadline=None)
@given(cohorts)
def test_outputs_non_negative_and_never_infinite(load: np.ndarray) -> None:
    result = fitness_fatigue_form(load)
    assert (result.fitness >= 0).all()
    assert (result.fatigue >= 0).all()
    for metric in RATIO_METRICS:
        values = metric(load)
        assert values.shape == load.shape
        assert not np.isinf(values).any()
        assert (values[~np.isnan(values)] >= 0).all()


@settings(max_examples=60, deadline=None)
@given(cohorts)
def test_rows_of_a_cohort_equal_single_athlete_results(load: np.ndarray) -> None:
    together = fitness_fatigue_form(load)
    for metric in RATIO_METRICS:
        cohort_values = metric(load)
        for row in range(load.shape[0]):
            np.testing.assert_array_equal(cohort_values[row], metric(load[row]))
    for row in range(load.shape[0]):
        alone = fitness_fatigue_form(load[row])
        np.testing.assert_array_equal(together.form[row], alone.form)


@settings(max_examples=60, deadline=None)
@given(cohorts)
def test_form_uses_previous_day_values(load: np.ndarray) -> None:
    result = fitness_fatigue_form(load)
    assert (result.form[:, 0] == 0).all()
    np.testing.assert_allclose(
        result.form[:, 1:], result.fitness[:, :-1] - result.fatigue[:, :-1], rtol=0, atol=1e-9
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(28, 60), st.integers(1, 7), st.floats(1, 1_000))
def test_acwr_nan_when_chronic_window_is_empty(days: int, run_days: int, load_au: float) -> None:
    # Nothing for the whole record: every ratio is NaN, never inf.
    empty = np.zeros(days)
    for metric in (acwr_coupled, acwr_uncoupled, acwr_ewma):
        assert np.isnan(metric(empty, min_history_d=1)).all()
    # Only rest before the last week: the uncoupled chronic window (t-27..t-7) is empty.
    load = np.zeros(days)
    load[-run_days:] = load_au
    assert np.isnan(acwr_uncoupled(load)[-1])


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 5_000).map(round), st.integers(7, 40))
def test_monotony_with_zero_spread_is_nan(daily_au: float, days: int) -> None:
    flat = np.full(days, daily_au)
    assert np.isnan(monotony(flat)).all()
    assert np.isnan(strain(flat)).all()


@settings(max_examples=30, deadline=None)
@given(cohorts, st.integers(1, 5))
def test_daily_load_metrics_equals_the_single_metric_functions(
    load: np.ndarray, block_athletes: int
) -> None:
    runs = load * 12.0
    together = daily_load_metrics(load, runs, block_athletes=block_athletes)
    assert set(together) == set(DAILY_METRICS)
    ffm = fitness_fatigue_form(load)
    expected = {
        "fitness": ffm.fitness,
        "fatigue": ffm.fatigue,
        "form": ffm.form,
        "acwr_coupled": acwr_coupled(load),
        "acwr_uncoupled": acwr_uncoupled(load),
        "acwr_ewma": acwr_ewma(load),
        "monotony": monotony(load),
        "strain": strain(load),
        "longest_prior_run_m": longest_prior_run_m(runs),
        "spike_ratio": single_run_spike_ratio(runs),
        "week_to_week_change": week_to_week_change(runs),
    }
    for name, values in expected.items():
        np.testing.assert_array_equal(together[name], values, err_msg=name)
    one = daily_load_metrics(load[0], runs[0])
    np.testing.assert_array_equal(one["form"], together["form"][0])


@settings(max_examples=30, deadline=None)
@given(cohorts, st.sets(st.sampled_from(DAILY_METRICS), min_size=1), st.booleans())
def test_daily_load_metrics_of_some_metrics_equal_those_of_all(
    load: np.ndarray, wanted: set[str], with_distance: bool
) -> None:
    runs = load * 12.0
    distance = load * 15.0 if with_distance else None
    every = daily_load_metrics(load, runs, distance, block_athletes=2)
    out = {name: np.full_like(load, -1.0) for name in sorted(wanted)[:1]}
    some = daily_load_metrics(load, runs, distance, block_athletes=2, metrics=wanted, out=out)
    assert set(some) == wanted
    for name in wanted:
        np.testing.assert_array_equal(some[name], every[name], err_msg=name)
    for name, array in out.items():
        np.testing.assert_array_equal(array, every[name], err_msg=name)


def test_daily_load_metrics_refuses_an_unknown_metric_or_an_out_it_does_not_compute() -> None:
    load = np.zeros((1, 10))
    with pytest.raises(ValueError, match="unknown daily metrics: acwr"):
        daily_load_metrics(load, load, metrics=["acwr"])
    with pytest.raises(ValueError, match="out"):
        daily_load_metrics(load, load, metrics=["fitness"], out={"form": np.zeros((1, 10))})
    with pytest.raises(ValueError, match="same shape"):
        daily_load_metrics(load, np.zeros((1, 9)), metrics=["fitness"])
