"""The per-session science the series and the pages share, against published values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stridewise.plan.model import DEFAULT_RPE, SessionKind
from stridewise.science.benefits import who_equivalent_minutes, who_weekly_minutes
from stridewise.science.bone import session_bone_loading
from stridewise.science.load import (
    banister_trimp_mean_hr,
    default_session_rpe,
    tanaka_max_hr_bpm,
)


def test_tanaka_max_heart_rate() -> None:
    # Tanaka, Monahan & Seals 2001: 208 - 0.7 x age; 166 bpm at 60, 45 assumed when unknown.
    np.testing.assert_allclose(tanaka_max_hr_bpm([60.0, 20.0, np.nan]), [166.0, 194.0, 176.5])


def test_banister_trimp_from_the_average_heart_rate() -> None:
    # 30 min at half the reserve: 30 x 0.5 x A e^(B 0.5), men 0.64/1.92, women 0.86/1.67.
    trimp = [float(banister_trimp_mean_hr(30.0, 0.5, sex)[()]) for sex in ("male", "female")]
    assert trimp == pytest.approx([15 * 0.64 * math.exp(0.96), 15 * 0.86 * math.exp(0.835)])
    unknown = float(banister_trimp_mean_hr(30.0, 0.5, None)[()])
    assert unknown == pytest.approx(15 * 0.725215 * math.exp(0.8975))  # Runalyze, unknown sex
    assert float(banister_trimp_mean_hr(30.0, np.nan, "male")[()]) == 0.0  # no heart rate


def test_one_default_effort_for_planned_and_recorded_sessions() -> None:
    # Walk = 3, "moderate" on CR-10 (brisk walking is moderate activity: CR-10 3-4).
    np.testing.assert_array_equal(default_session_rpe(["walk", "run", "strength", "kayak"]),
                                  [3.0, 4.0, 5.0, 3.0])
    assert DEFAULT_RPE[SessionKind.WALK] == 3.0
    assert DEFAULT_RPE[SessionKind.REST] == 0.0


def test_who_counts_a_vigorous_minute_as_two() -> None:
    np.testing.assert_array_equal(who_equivalent_minutes([30.0, 0.0], [0.0, 75.0]), [30.0, 150.0])
    assert float(who_weekly_minutes([100.0, 50.0], [10.0, 15.0])) == 200.0


def test_session_bone_loading_matches_the_worked_examples() -> None:
    loading = session_bone_loading(
        ["run", "walk", "run", "strength"], [30.0, 30.0, 30.0, 40.0],
        [np.nan, 1.3, 3.0, np.nan], [np.nan, np.nan, 5000.0, np.nan], [np.nan] * 4,
    )
    # science.md: a 30-min run at 2.5 BW with 2,400 cycles per leg (160 spm) scores 19.5;
    # a 30-min walk at 1.2 BW with 1,650 cycles per leg (110 spm) scores 8.9.
    assert loading.osteogenic_index[0] == pytest.approx(2.5 * math.log(2401))
    assert round(float(loading.osteogenic_index[0]), 1) == 19.5
    assert loading.osteogenic_index[1] == pytest.approx(1.2 * math.log(1651))
    assert round(float(loading.osteogenic_index[1]), 1) == 8.9
    assert loading.loading_cycles_per_leg[2] == 2500.0  # recorded steps / 2
    assert loading.cadence_estimated.tolist() == [True, True, False, False]
    assert loading.speed_mps[0] == 2.5  # a run without distance: an easy jog assumed
    assert np.isnan(loading.osteogenic_index[3]) and np.isnan(loading.walking_equivalent_oi[3])
    assert loading.walking_equivalent_oi[0] == pytest.approx(1.2 * math.log(1651))
