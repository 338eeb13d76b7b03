"""Osteogenic index, loading cycles, daily stimulus with recovery, walking comparison."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from stridewise.science.bone import (
    daily_bone_stimulus,
    loading_cycles_per_leg,
    osteogenic_index,
    walking_equivalent,
    walking_equivalent_loading,
)


def test_worked_example_run_30_min() -> None:
    assert osteogenic_index(2.5, 2400) == pytest.approx(19.46, abs=0.01)


def test_worked_example_walk_30_min() -> None:
    assert osteogenic_index(1.2, 1650) == pytest.approx(8.89, abs=0.01)


def test_cycles_per_leg_are_half_the_steps() -> None:
    assert loading_cycles_per_leg(steps=4800) == pytest.approx(2400)
    assert loading_cycles_per_leg(cadence_spm=160, duration_min=30) == pytest.approx(2400)
    assert loading_cycles_per_leg(cadence_spm=110, duration_min=30) == pytest.approx(1650)
    with pytest.raises(ValueError):
        loading_cycles_per_leg(cadence_spm=160)


def test_sessions_eight_hours_apart_count_separately() -> None:
    daily = daily_bone_stimulus([7.0, 19.0], [2.5, 2.5], [1200, 1200])
    assert daily == pytest.approx(2 * 2.5 * np.log(1201))


def test_close_sessions_merge_their_cycles_before_the_log() -> None:
    daily = daily_bone_stimulus([7.0, 9.0], [2.5, 2.5], [1200, 1200])
    assert daily == pytest.approx(2.5 * np.log(2401))
    assert daily < daily_bone_stimulus([7.0, 19.0], [2.5, 2.5], [1200, 1200])


def test_gap_is_measured_from_the_end_of_the_previous_session() -> None:
    # 7:00 for 2 h, then 16:00: 7 h of rest, so one bout.
    merged = daily_bone_stimulus([7.0, 16.0], 2.5, 1200, session_duration_h=[2.0, 1.0])
    assert merged == pytest.approx(2.5 * np.log(2401))


def test_merged_mixed_sessions_rank_higher_force_first() -> None:
    daily = daily_bone_stimulus([9.0, 7.0], [1.2, 2.5], [1650, 2400])
    expected = 2.5 * np.log(2401) + 1.2 * (np.log(4051) - np.log(2401))
    assert daily == pytest.approx(expected)


def test_cohort_layout_athletes_by_days_by_sessions() -> None:
    start = np.array([[[7.0, np.nan], [7.0, 8.0]], [[1.0, 12.0], [np.nan, np.nan]]])
    daily = daily_bone_stimulus(start, 2.5, 1200)
    assert daily.shape == (2, 2)
    one = 2.5 * np.log(1201)
    np.testing.assert_allclose(daily, [[one, 2.5 * np.log(2401)], [2 * one, 0.0]])


@given(
    st.lists(
        st.tuples(st.floats(0, 23.5), st.floats(0.5, 5.0), st.integers(0, 5000)),
        min_size=1,
        max_size=5,
    ),
    st.integers(1, 2000),
)
def test_more_cycles_never_lower_the_day_and_order_does_not_matter(
    sessions: list[tuple[float, float, int]], extra_cycles: int
) -> None:
    start, grf, cycles = (np.array(column, dtype=float) for column in zip(*sessions, strict=True))
    # Only for a session that already loads bone: a session without cycles changes nothing
    # (it does not even restart the rest clock), so giving it cycles may join the sessions
    # around it into one bout, which the model (rest restores sensitivity, Robling et al.
    # 2001) rates lower than two: see test_a_session_in_between_restarts_the_rest_clock.
    assume(cycles[-1] > 0)
    day = daily_bone_stimulus(start, grf, cycles)
    more = cycles.copy()
    more[-1] += extra_cycles
    assert daily_bone_stimulus(start, grf, more) >= day - 1e-9
    assert daily_bone_stimulus(start[::-1], grf[::-1], cycles[::-1]) == pytest.approx(day)
    separate = osteogenic_index(grf, cycles).sum()
    assert day <= separate + 1e-9


def test_a_session_without_cycles_changes_nothing() -> None:
    base = daily_bone_stimulus([0.0, 8.0], 1.0, [100, 100])
    assert daily_bone_stimulus([0.0, 8.0, 1.0], 1.0, [100, 100, 0]) == pytest.approx(base)


def test_a_session_in_between_restarts_the_rest_clock() -> None:
    separate = daily_bone_stimulus([0.0, 8.0], 1.0, [100, 100])
    chained = daily_bone_stimulus([0.0, 1.0, 8.0], 1.0, [100, 100, 100])
    assert separate == pytest.approx(2 * np.log(101))
    assert chained == pytest.approx(np.log(301))


def test_running_against_the_same_minutes_walked() -> None:
    comparison = walking_equivalent(
        [[30.0, 40.0, np.nan]], [[2.8, 3.0, np.nan]], [[160, 160, np.nan]]
    )
    walk_30 = 1.2 * np.log1p(110 * 30 / 2)
    walk_40 = 1.2 * np.log1p(110 * 40 / 2)
    np.testing.assert_allclose(comparison.walk_oi, [walk_30 + walk_40])
    assert comparison.run_oi[0] > comparison.walk_oi[0]
    np.testing.assert_allclose(comparison.ratio, comparison.run_oi / comparison.walk_oi)


def test_no_minutes_gives_no_ratio() -> None:
    comparison = walking_equivalent([np.nan], [np.nan], [np.nan])
    assert comparison.walk_oi == 0.0
    assert np.isnan(comparison.ratio)


def test_walking_loading_merges_through_the_daily_stimulus() -> None:
    grf, cycles = walking_equivalent_loading([30.0, 30.0, np.nan])
    np.testing.assert_allclose(grf[:2], 1.2)  # 1.4 m/s walking, Keller's 1.2 BW
    np.testing.assert_allclose(cycles[:2], 110 * 30 / 2)
    assert np.isnan(grf[2]) and np.isnan(cycles[2])
    close = daily_bone_stimulus([7.0, 9.0, np.nan], grf, cycles, session_duration_h=0.5)
    apart = daily_bone_stimulus([7.0, 17.0, np.nan], grf, cycles, session_duration_h=0.5)
    assert close == pytest.approx(1.2 * np.log1p(2 * 1650))
    assert apart == pytest.approx(2 * 1.2 * np.log1p(1650))
    # The plain per-session sum is the spread-out case, an upper bound for close sessions.
    assert walking_equivalent([[30.0, 30.0]], [[3.0, 3.0]], [[160, 160]]).walk_oi[0] == (
        pytest.approx(apart)
    )
