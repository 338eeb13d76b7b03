"""Fracture dates (issue 10 case 5): recency and "since 50" from the year (and month) and the
birth year; undated fractures keep their old, ticked meaning."""

from __future__ import annotations

import datetime

import pytest

from stridewise.science.bone_health import BoneInputs, ImpactLevel, screen_bone
from stridewise.science.fracture_history import (
    Fracture,
    FractureSite,
    fractures_from_dicts,
    parse_fracture_dates,
    within_12_months,
)
from stridewise.science.fracture_risk import Sex

ON = datetime.date(2026, 11, 30)


@pytest.mark.parametrize(("year", "month", "recent"), [
    (2026, None, True), (2025, None, True),  # year only: the cautious reading
    (2024, None, False), (2025, 11, True), (2025, 10, False), (2026, 11, True),
    (2027, None, False)])
def test_within_12_months(year: int, month: int | None, recent: bool) -> None:
    assert within_12_months(Fracture(FractureSite.WRIST, True, year=year, month=month),
                            ON) is recent


@pytest.mark.parametrize(("birth_year", "year", "since_50"), [
    (1958, 2007, False), (1958, 2008, True), (1958, 2019, True), (1980, 2026, False)])
def test_since_50_from_the_year_and_birth_year(birth_year: int, year: int,
                                               since_50: bool) -> None:
    bone = BoneInputs(sex=Sex.FEMALE, age_years=ON.year - birth_year, screened_on=ON,
                      birth_year=birth_year,
                      fractures=(Fracture(FractureSite.WRIST, True, since_age_50=not since_50,
                                          year=year),))
    assert bone.fractures[0].since_age_50 is since_50


def test_a_45_year_old_with_a_wrist_break_this_year_is_not_cleared_to_run() -> None:
    bone = BoneInputs(sex=Sex.FEMALE, age_years=45, screened_on=ON,
                      fractures=(Fracture(FractureSite.WRIST, True, year=2026),))
    assert screen_bone(bone).impact_level is ImpactLevel.UP_TO_BRISK_WALKING


def test_an_undated_stored_fracture_keeps_its_meaning() -> None:
    old = fractures_from_dicts([{"site": "wrist", "low_trauma": True}])
    bone = BoneInputs(sex=Sex.FEMALE, age_years=45, screened_on=ON, fractures=old)
    assert bone.fractures[0].since_age_50 and bone.fractures[0].year is None
    assert not bone.recent_fracture


def test_dated_fractures_round_trip() -> None:
    bone = BoneInputs(sex=Sex.FEMALE, age_years=68, screened_on=ON, birth_year=1958,
                      fractures=(Fracture(FractureSite.HIP, True, year=2024, month=5),))
    assert BoneInputs.from_dict(bone.to_dict()) == bone


def test_dates_are_parsed_or_refused_by_name() -> None:
    assert parse_fracture_dates("2019, 2024-03", 2) == [(2019, None), (2024, 3)]
    assert parse_fracture_dates("", 2) == []
    with pytest.raises(ValueError, match="3 dates for 2"):
        parse_fracture_dates("2019 2020 2021", 2)
    with pytest.raises(ValueError, match="2024-13"):
        parse_fracture_dates("2024-13", 1)
