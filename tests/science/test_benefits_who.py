"""WHO 2020 weekly minutes and the evidence texts."""

from __future__ import annotations

import numpy as np
import pytest

from stridewise.science import benefits
from stridewise.science.benefits import who_week, who_weekly_minutes


def test_vigorous_counts_double() -> None:
    assert who_weekly_minutes([30, 30], [20, 0]) == pytest.approx(100.0)
    assert who_weekly_minutes([0] * 7, [75 / 7] * 7) == pytest.approx(150.0)


def test_athletes_by_days_layout_sums_each_athlete() -> None:
    moderate = np.array([[30.0] * 5 + [0.0, np.nan], [0.0] * 7])
    vigorous = np.array([[0.0] * 7, [25.0, 0, 25.0, 0, 0, 0, 0]])
    np.testing.assert_allclose(who_weekly_minutes(moderate, vigorous), [150.0, 100.0])


def test_week_against_who_for_an_adult_and_an_older_adult() -> None:
    moderate = np.array([[30.0] * 5 + [0.0, 0.0], [30.0] * 5 + [0.0, 0.0]])
    vigorous = np.zeros((2, 7))
    strength = np.array([[1, 0, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0]])
    balance = np.array([[0] * 7, [1, 0, 1, 0, 1, 0, 0]])
    week = who_week(moderate, vigorous, strength, balance, age_years=np.array([45, 72]))
    assert week.meets_aerobic.tolist() == [True, True]
    assert week.meets_upper_aerobic.tolist() == [False, False]
    assert week.strength_days.tolist() == [2, 1]
    assert week.meets_strength.tolist() == [True, False]
    assert week.multicomponent_applies.tolist() == [False, True]
    assert week.meets_multicomponent.tolist() == [True, True]


def test_older_adult_without_balance_work_does_not_meet_it() -> None:
    week = who_week([[60.0] * 7], [[0.0] * 7], [[1, 1, 0, 0, 0, 0, 0]], [[1, 0, 0, 0, 0, 0, 0]], 70)
    assert week.meets_upper_aerobic.tolist() == [True]
    assert week.meets_multicomponent.tolist() == [False]


def test_dementia_text_reports_the_published_figures_and_limits() -> None:
    found = benefits.DEMENTIA_STUDY_FOUND
    for figure in ("0.60", "0.59", "0.64", "0.55", "1,943", "885", "45-64", "65-88"):
        assert figure in found
    limits = benefits.DEMENTIA_STUDY_LIMITS.lower()
    for caveat in ("association", "different set of people", "own report", "not a prediction"):
        assert caveat in limits
    assert "e2544439" in benefits.DEMENTIA_STUDY_REFERENCE


def test_daily_5km_text_is_honest_about_the_study() -> None:
    found = benefits.DAILY_5KM_STUDY_FOUND
    assert "Thirteen healthy young men" in found
    assert "25 days" in found
    limits = benefits.DAILY_5KM_STUDY_LIMITS.lower()
    for caveat in ("13 young men", "no women", "blood markers", "mice", "supplement"):
        assert caveat in limits
