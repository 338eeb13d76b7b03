"""BPAQ loading values (Weeks & Beck 2008 Table 6) and the current-activity score."""

from __future__ import annotations

import pytest

from stridewise.science.bpaq import (
    BPAQ_LOADING_TABLE,
    SESSION_KIND_TO_BPAQ_ROW,
    bpaq_age_factor,
    bpaq_current_score,
    session_bpaq_score,
)


@pytest.mark.parametrize("activity", sorted(BPAQ_LOADING_TABLE))
def test_every_row_fits_grf_times_rate_over_25(activity: str) -> None:
    row = BPAQ_LOADING_TABLE[activity]
    assert row.peak_grf_bw * row.loading_rate_bw_per_s / 25 == pytest.approx(
        row.loading_value, abs=0.006
    )


@pytest.mark.parametrize(
    ("activity", "grf_bw", "rate_bw_per_s", "loading_value"),
    [
        ("swimming", 0.7, 2.5, 0.07),
        ("cycling", 0.8, 5.0, 0.16),
        ("walking/hiking", 1.2, 8.4, 0.40),
        ("running/jogging", 2.6, 46.9, 4.88),
        ("cross-country", 2.9, 56.2, 6.52),
        ("jump rope", 4.7, 67.3, 12.65),
        ("volleyball", 5.5, 142.6, 31.37),
        ("gymnastics", 10.0, 250.0, 100.0),
    ],
)
def test_verified_rows(
    activity: str, grf_bw: float, rate_bw_per_s: float, loading_value: float
) -> None:
    row = BPAQ_LOADING_TABLE[activity]
    assert (row.peak_grf_bw, row.loading_rate_bw_per_s, row.loading_value) == (
        grf_bw,
        rate_bw_per_s,
        loading_value,
    )


@pytest.mark.parametrize(("age", "factor"), [(8, 1.2), (12, 1.5), (20, 1.1), (35, 1.0), (70, 1.0)])
def test_age_factor(age: float, factor: float) -> None:
    assert bpaq_age_factor(age) == factor


def test_current_score_averages_over_activities() -> None:
    running = 4.88 + 0.2 * 4.88 * 2
    walking = 0.40 + 0.2 * 0.40 * 6
    assert bpaq_current_score([(4.88, 3), (0.40, 7)], 60) == pytest.approx((running + walking) / 2)


def test_current_score_age_weighting_and_caps() -> None:
    assert bpaq_current_score([(4.88, 1)], 25) == pytest.approx(4.88 * 1.1)
    assert bpaq_current_score([(1.0, 100)], 50) == pytest.approx(1.0 + 0.2 * 39)
    # Less than weekly does not score and does not count as an activity.
    assert bpaq_current_score([(4.88, 1), (0.4, 0.5)], 50) == pytest.approx(4.88)
    assert bpaq_current_score([], 50) == 0.0
    assert bpaq_current_score([(0.4, 0)], 50) == 0.0


def test_non_running_sessions_map_to_documented_rows() -> None:
    assert set(SESSION_KIND_TO_BPAQ_ROW) >= {"strength", "impact", "balance"}
    assert session_bpaq_score("strength", 2, 60) == pytest.approx(0.51 * 1.2)
    assert session_bpaq_score("impact", 3, 60) == pytest.approx(12.65 * 1.4)
    assert session_bpaq_score("balance", 3, 60) == pytest.approx(0.40 * 1.4)
    assert session_bpaq_score("balance", 3, 60) < session_bpaq_score("run", 3, 60)
