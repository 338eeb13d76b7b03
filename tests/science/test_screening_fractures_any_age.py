"""Adult fractures count at any age for the impact level; Garvan counts only those since 50;
screenings stored in the old ``fractures_since_50`` shape still load and mean the same."""

from __future__ import annotations

import json

import pytest

from stridewise.science.parq import PARQ_QUESTIONS, ParqAnswers
from stridewise.science.screening import (
    BoneInputs,
    Fracture,
    FractureSite,
    ImpactLevel,
    ScreeningResult,
    Sex,
    describe_fractures,
    fractures_at,
    screen,
    screen_bone,
)

CLEARED = ParqAnswers.from_dict(
    {**{q.id: False for q in PARQ_QUESTIONS}, "age_years": 45, "used_to_vigorous_effort": True}
)


def _bone(age_years: int = 45, **changes: object) -> BoneInputs:
    values: dict[str, object] = {"sex": Sex.FEMALE, "age_years": age_years, "body_mass_kg": 70.0}
    values.update(changes)
    return BoneInputs(**values)  # type: ignore[arg-type]


def test_a_45_year_old_with_a_spine_fracture_may_not_run() -> None:
    bone = _bone(fractures=fractures_at(FractureSite.VERTEBRAL, 1))
    assert screen_bone(bone).impact_level is ImpactLevel.UP_TO_BRISK_WALKING
    result = screen(CLEARED, bone)
    assert result.can_start and not result.may_run
    assert result.permitted_impact is ImpactLevel.UP_TO_BRISK_WALKING
    assert any("spine" in reason for reason in result.bone.reasons)


def test_a_spine_fracture_from_a_bigger_accident_also_limits_impact() -> None:
    spine = Fracture(FractureSite.VERTEBRAL, low_trauma=False, since_age_50=False)
    assert screen_bone(_bone(age_years=30, fractures=(spine,))).impact_level is (
        ImpactLevel.UP_TO_BRISK_WALKING
    )


def test_two_low_trauma_wrist_fractures_before_50_limit_impact_to_brisk_walking() -> None:
    result = screen_bone(_bone(fractures=fractures_at(FractureSite.WRIST, 2)))
    assert result.impact_level is ImpactLevel.UP_TO_BRISK_WALKING
    assert any("2 broken bones from minor falls" in reason for reason in result.reasons)
    assert not screen(CLEARED, _bone(fractures=fractures_at(FractureSite.WRIST, 2))).may_run


def test_fractures_at_different_sites_and_ages_add_up() -> None:
    fractures = (
        *fractures_at(FractureSite.WRIST, 1),
        *fractures_at(FractureSite.UPPER_ARM, 1, since_age_50=1),
    )
    assert screen_bone(_bone(age_years=58, fractures=fractures)).impact_level is (
        ImpactLevel.UP_TO_BRISK_WALKING
    )


def test_a_low_trauma_hip_fracture_before_50_limits_impact() -> None:
    result = screen_bone(_bone(fractures=fractures_at(FractureSite.HIP, 1)))
    assert result.impact_level is ImpactLevel.UP_TO_BRISK_WALKING


def test_one_wrist_fracture_before_50_keeps_running_but_asks_for_a_doctor_check() -> None:
    result = screen_bone(_bone(fractures=fractures_at(FractureSite.WRIST, 1)))
    assert result.impact_level is ImpactLevel.RUNNING
    assert any("before age 50" in point for point in result.doctor_points)


def test_one_wrist_fracture_since_50_is_moderate_impact() -> None:
    since_50 = fractures_at(FractureSite.WRIST, 1, since_age_50=1)
    result = screen_bone(_bone(age_years=55, fractures=since_50))
    assert result.impact_level is ImpactLevel.MODERATE_IMPACT


def test_garvan_counts_only_low_trauma_fractures_since_50() -> None:
    # 65-year-old woman, T −1.0, no falls: P = (52 − 44) + 50 = 58, plus 14 per fracture since 50.
    def points(fractures: tuple[Fracture, ...]) -> float:
        garvan = screen_bone(
            _bone(age_years=65, femoral_neck_t_score=-1.0, fractures=fractures)
        ).garvan
        assert garvan is not None
        return garvan.points

    before_50 = fractures_at(FractureSite.WRIST, 2)
    one_since_50 = fractures_at(FractureSite.WRIST, 2, since_age_50=1)
    accident = (Fracture(FractureSite.OTHER, low_trauma=False, since_age_50=True),)
    assert points(()) == pytest.approx(58.0)
    assert points(before_50) == pytest.approx(58.0)
    assert points(one_since_50) == pytest.approx(72.0)
    assert points(accident) == pytest.approx(58.0)


def test_old_stored_fractures_since_50_still_load_and_mean_the_same() -> None:
    stored = {
        "sex": "female",
        "age_years": 66,
        "body_mass_kg": 61.0,
        "ethnicity": "white",
        "fractures_since_50": [
            {"site": "wrist", "low_trauma": True},
            {"site": "other", "low_trauma": False},
        ],
        "fracture_last_12_months": False,
        "osteoporosis_diagnosed": False,
        "femoral_neck_t_score": -1.0,
        "falls_last_12_months": 0,
        "glucocorticoids_over_3_months": False,
        "past_bone_stress_injury": False,
        "triad": None,
    }
    bone = BoneInputs.from_dict(stored)
    assert bone.fractures == (
        Fracture(FractureSite.WRIST, low_trauma=True, since_age_50=True),
        Fracture(FractureSite.OTHER, low_trauma=False, since_age_50=True),
    )
    result = screen_bone(bone)
    assert result.impact_level is ImpactLevel.MODERATE_IMPACT  # one low-trauma since 50
    assert result.garvan is not None
    assert result.garvan.points == pytest.approx((0.8 * 66 - 44) + 50 + 14)
    two = {**stored, "fractures_since_50": [{"site": "wrist", "low_trauma": True}] * 2}
    assert screen_bone(BoneInputs.from_dict(two)).impact_level is ImpactLevel.UP_TO_BRISK_WALKING
    # A stored answer in the new shape reads back equal, and the result round trip is intact.
    assert BoneInputs.from_dict(json.loads(json.dumps(bone.to_dict()))) == bone
    full = screen(CLEARED, bone)
    assert ScreeningResult.from_dict(json.loads(json.dumps(full.to_dict()))) == full


def test_counts_are_stored_once_per_kind_and_read_back_in_any_order() -> None:
    bone = _bone(
        age_years=70,
        fractures=(
            *fractures_at(FractureSite.WRIST, 3, since_age_50=2),
            Fracture(FractureSite.VERTEBRAL, low_trauma=False, since_age_50=False),
        ),
    )
    stored = bone.to_dict()["fractures"]
    assert stored == [
        {"site": "vertebral", "low_trauma": False, "since_age_50": False, "count": 1},
        {"site": "wrist", "low_trauma": True, "since_age_50": True, "count": 2},
        {"site": "wrist", "low_trauma": True, "since_age_50": False, "count": 1},
    ]
    shuffled = {**bone.to_dict(), "fractures": list(reversed(stored))}
    assert BoneInputs.from_dict(shuffled) == bone
    assert describe_fractures(bone.fractures) == (
        "Spine (a vertebra): 1 from a bigger accident; "
        "Wrist: 3 from a minor fall or less (2 since age 50)"
    )
    assert describe_fractures(()) == "None"


@pytest.mark.parametrize(
    "entry",
    [
        {"site": "wrist", "low_trauma": True, "count": "2"},
        {"site": "wrist", "low_trauma": True, "count": 21},
        {"site": "wrist", "low_trauma": True, "count": -1},
        {"site": "knee", "low_trauma": True},
    ],
)
def test_bad_stored_fracture_entries_are_rejected(entry: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        BoneInputs.from_dict({"sex": "male", "age_years": 40, "fractures": [entry]})


def test_fractures_at_checks_its_counts() -> None:
    assert fractures_at(FractureSite.HIP, 0) == ()
    with pytest.raises(ValueError, match="since age 50"):
        fractures_at(FractureSite.HIP, 1, since_age_50=2)
    with pytest.raises(ValueError):
        fractures_at(FractureSite.HIP, 21)
