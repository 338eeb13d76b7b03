"""OST and Garvan: published formula values, computed by hand from the point table."""

from __future__ import annotations

import pytest

from stridewise.science.fracture_risk import (
    Ethnicity,
    GarvanNotApplicable,
    RiskBound,
    Sex,
    garvan_five_year_percent,
    garvan_points_women_model_i,
    garvan_risk,
    garvan_ten_year_percent,
    ost_band,
    ost_score,
)


@pytest.mark.parametrize(
    ("body_mass_kg", "age_years", "expected"),
    [(60, 70, -2.0), (45, 70, -5.0), (70, 60, 2.0), (75, 60, 3.0), (80, 55, 5.0)],
)
def test_ost_is_a_fifth_of_mass_minus_age(
    body_mass_kg: float, age_years: float, expected: float
) -> None:
    assert ost_score(body_mass_kg, age_years) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("score", "sex", "ethnicity", "band"),
    [
        (-5.0, Sex.FEMALE, Ethnicity.ASIAN, "high"),
        (-4.0, Sex.FEMALE, Ethnicity.ASIAN, "moderate"),
        (-1.0, Sex.FEMALE, Ethnicity.ASIAN, "moderate"),
        (-0.8, Sex.FEMALE, Ethnicity.ASIAN, "low"),
        (1.8, Sex.FEMALE, Ethnicity.WHITE, "high"),
        (2.0, Sex.FEMALE, Ethnicity.WHITE, "low"),
        (3.0, Sex.MALE, Ethnicity.WHITE, "high"),
        (3.0, Sex.MALE, Ethnicity.ASIAN, "high"),
        (4.0, Sex.MALE, Ethnicity.OTHER, "low"),
        (-6.0, Sex.FEMALE, Ethnicity.OTHER, None),
    ],
)
def test_ost_bands_follow_the_documented_cut_offs(
    score: float, sex: Sex, ethnicity: Ethnicity, band: str | None
) -> None:
    assert ost_band(score, sex, ethnicity) == band


# Points by hand from the published table: 0.8·age − 44; 40 − 10·T; 14 per fracture (max 42);
# 5 per fall (max 15).
@pytest.mark.parametrize(
    ("age", "t_score", "fractures", "falls", "points"),
    [
        (70, -2.5, 0, 0, 12 + 65),
        (65, -1.0, 1, 1, 8 + 50 + 14 + 5),
        (60, 1.0, 0, 0, 4 + 30),
        (85, -3.5, 5, 4, 24 + 75 + 42 + 15),
        (80, -2.0, 2, 2, 20 + 60 + 28 + 10),
        (60, 3.0, 0, 0, 4 + 10),
    ],
)
def test_garvan_points_match_the_point_table(
    age: float, t_score: float, fractures: int, falls: int, points: float
) -> None:
    assert garvan_points_women_model_i(age, t_score, fractures, falls) == pytest.approx(points)


def test_garvan_woman_70_t_minus_2_5_reproduces_the_nomogram() -> None:
    # P = 77: 5-year 0.008·77² − 0.7475·77 + 20.54 = 10.4145 %;
    # 10-year 0.009526·77² − 0.6715·77 + 16.86 = 21.6342 %.
    risk = garvan_risk(Sex.FEMALE, 70, -2.5, 0, 0)
    assert risk.points == pytest.approx(77.0)
    assert risk.five_year_percent == pytest.approx(10.4145, abs=1e-4)
    assert risk.ten_year_percent == pytest.approx(21.6342, abs=1e-4)
    assert risk.five_year_bound is RiskBound.ESTIMATE
    assert risk.high_risk
    # The same points reached through fractures and falls give the same risk.
    assert garvan_risk(Sex.FEMALE, 65, -1.0, 1, 1) == risk


def test_garvan_low_points_fall_in_the_lower_bands() -> None:
    risk = garvan_risk(Sex.FEMALE, 60, 1.0, 0, 0)  # P = 34
    assert risk.five_year_percent == pytest.approx(0.09852 * 34 - 0.724)
    assert (risk.ten_year_percent, risk.ten_year_bound) == (5.0, RiskBound.BELOW)
    assert not risk.high_risk
    assert garvan_five_year_percent(14.0) == (1.0, RiskBound.BELOW)


def test_garvan_top_of_the_table_is_a_lower_bound() -> None:
    risk = garvan_risk(Sex.FEMALE, 85, -3.5, 5, 4)  # P = 156, beyond both tables
    assert risk.five_year_bound is RiskBound.ABOVE
    assert risk.five_year_percent == pytest.approx(93.2745, abs=1e-3)
    assert risk.ten_year_bound is RiskBound.ABOVE
    assert risk.ten_year_percent == pytest.approx(99.3405, abs=1e-3)
    assert "above" in risk.describe()


def test_garvan_table_pieces_join_up() -> None:
    # The 10-year pieces meet at 103.7 points to within 1 percentage point.
    below, _ = garvan_ten_year_percent(103.69)
    above, _ = garvan_ten_year_percent(103.7)
    assert abs(below - above) < 1.0
    assert garvan_five_year_percent(17.5)[0] == pytest.approx(1.0, abs=0.01)
    assert garvan_ten_year_percent(39.5)[0] == pytest.approx(5.0, abs=0.3)


@pytest.mark.parametrize(
    ("sex", "age", "t_score", "words"),
    [
        (Sex.MALE, 70, -2.0, "men"),
        (Sex.FEMALE, 59, -2.0, "60"),
        (Sex.FEMALE, 70, None, "T-score"),
    ],
)
def test_garvan_refuses_outside_the_validated_range(
    sex: Sex, age: int, t_score: float | None, words: str
) -> None:
    with pytest.raises(GarvanNotApplicable) as caught:
        garvan_risk(sex, age, t_score, 0, 0)
    assert words in caught.value.reason


def test_garvan_rejects_negative_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        garvan_points_women_model_i(70, -1.0, -1, 0)
