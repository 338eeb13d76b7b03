"""Bone-health screen: the Strong, Steady and Straight levels, reasons and JSON round trip."""

from __future__ import annotations

import json

import pytest

from stridewise.science.screening import (
    BoneInputs,
    EnergyAvailability,
    Ethnicity,
    Fracture,
    FractureSite,
    ImpactLevel,
    ParqAnswers,
    Readiness,
    ScreeningResult,
    Sex,
    TriadInputs,
    screen,
    screen_bone,
)

WRIST_LOW = Fracture(FractureSite.WRIST, low_trauma=True)


def _bone(**changes: object) -> BoneInputs:
    values: dict[str, object] = {"sex": Sex.FEMALE, "age_years": 62, "body_mass_kg": 68.0}
    values.update(changes)
    return BoneInputs(**values)  # type: ignore[arg-type]


def _parq(**changes: object) -> ParqAnswers:
    values: dict[str, object] = {
        "heart_condition_or_high_blood_pressure": False,
        "chest_pain": False,
        "dizziness_or_fainting": False,
        "other_chronic_condition": False,
        "medication_for_chronic_condition": False,
        "bone_joint_or_soft_tissue_problem": False,
        "told_supervised_activity_only": False,
        "age_years": 62,
        "used_to_vigorous_effort": True,
    }
    values.update(changes)
    return ParqAnswers(**values)  # type: ignore[arg-type]


def test_no_risk_factors_allows_running() -> None:
    result = screen_bone(_bone())
    assert result.impact_level is ImpactLevel.RUNNING
    assert not result.balance_first
    assert result.ost_score == pytest.approx(0.2 * (68 - 62))
    assert result.garvan is None and result.garvan_refusal is not None
    assert result.reasons


@pytest.mark.parametrize(
    ("changes", "level"),
    [
        (
            {"fractures": (Fracture(FractureSite.VERTEBRAL, True),)},
            ImpactLevel.UP_TO_BRISK_WALKING,
        ),
        (
            {"fractures": (Fracture(FractureSite.VERTEBRAL, False),)},
            ImpactLevel.UP_TO_BRISK_WALKING,
        ),
        ({"fractures": (WRIST_LOW, WRIST_LOW)}, ImpactLevel.UP_TO_BRISK_WALKING),
        (
            {"fractures": (Fracture(FractureSite.HIP, True),)},
            ImpactLevel.UP_TO_BRISK_WALKING,
        ),
        ({"fracture_last_12_months": True}, ImpactLevel.UP_TO_BRISK_WALKING),
        ({"fractures": (WRIST_LOW,)}, ImpactLevel.MODERATE_IMPACT),
        ({"fractures": (Fracture(FractureSite.WRIST, False),)}, ImpactLevel.RUNNING),
        ({"osteoporosis_diagnosed": True}, ImpactLevel.MODERATE_IMPACT),
        ({"femoral_neck_t_score": -2.5}, ImpactLevel.MODERATE_IMPACT),
        ({"femoral_neck_t_score": -1.8}, ImpactLevel.RUNNING),
        ({"glucocorticoids_over_3_months": True}, ImpactLevel.MODERATE_IMPACT),
        ({"past_bone_stress_injury": True}, ImpactLevel.RUNNING),
        ({"falls_last_12_months": 1}, ImpactLevel.RUNNING),
    ],
)
def test_levels_follow_the_rules(changes: dict[str, object], level: ImpactLevel) -> None:
    assert screen_bone(_bone(**changes)).impact_level is level


def test_high_garvan_risk_lowers_to_moderate_impact() -> None:
    # 80-year-old woman, T −2.0, no fracture, no fall: P = 20 + 60 = 80 → 5-year ≈ 11.9 %.
    result = screen_bone(_bone(age_years=80, femoral_neck_t_score=-2.0))
    assert result.garvan is not None and result.garvan.high_risk
    assert result.impact_level is ImpactLevel.MODERATE_IMPACT
    assert any("Garvan" in point for point in result.doctor_points)


def test_falls_set_balance_first_and_a_doctor_point() -> None:
    # Falls are their own answer now (science/falls.py); the bone result keeps the flag.
    from stridewise.science.falls import FallsInputs, FallsRisk, screen_falls

    result = screen_bone(_bone(falls_last_12_months=2))
    assert result.balance_first
    falls = screen_falls(FallsInputs(falls_last_12_months=2))
    assert falls.risk is FallsRisk.HIGH
    assert any("falls assessment" in point for point in falls.doctor_points)


def test_ost_high_band_without_a_scan_suggests_asking_about_dxa() -> None:
    result = screen_bone(_bone(body_mass_kg=48.0, age_years=70, ethnicity=Ethnicity.ASIAN))
    assert result.ost_band == "high"
    assert any("DXA" in point for point in result.doctor_points)


def test_restricted_triad_score_stops_running() -> None:
    triad = TriadInputs(
        energy_availability=EnergyAvailability.EATING_DISORDER,
        bmi_kg_m2=17.0,
        age_at_menarche_years=16.5,
        menses_last_12_months=8,
        bmd_z_score=-1.2,
        bone_stress_injuries=0,
    )
    result = screen_bone(_bone(age_years=22, body_mass_kg=50.0, triad=triad))
    assert result.triad is not None and result.triad.total == 8
    assert result.impact_level is ImpactLevel.UP_TO_BRISK_WALKING
    with pytest.raises(ValueError, match="women"):
        _bone(sex=Sex.MALE, triad=triad)


def test_readiness_gates_the_effective_level() -> None:
    cleared = screen(_parq(), _bone())
    assert cleared.readiness.status is Readiness.CLEARED
    assert cleared.may_run and cleared.can_start
    held = screen(_parq(pregnant=True), _bone())
    assert held.readiness.status is Readiness.DELAY
    assert not held.can_start and not held.may_run
    assert held.permitted_impact is ImpactLevel.UP_TO_BRISK_WALKING
    limited = screen(_parq(), _bone(osteoporosis_diagnosed=True))
    assert limited.permitted_impact is ImpactLevel.MODERATE_IMPACT and not limited.may_run


def test_screening_result_round_trips_through_json() -> None:
    bone = _bone(
        age_years=72,
        femoral_neck_t_score=-2.7,
        fractures=(WRIST_LOW,),
        falls_last_12_months=1,
    )
    result = screen(_parq(chest_pain=True), bone)
    text = json.dumps(result.to_dict())
    assert ScreeningResult.from_dict(json.loads(text)) == result
    assert BoneInputs.from_dict(json.loads(json.dumps(bone.to_dict()))) == bone


def test_implausible_inputs_are_rejected() -> None:
    for changes in (
        {"age_years": 5},
        {"body_mass_kg": 5.0},
        {"femoral_neck_t_score": -9.0},
        {"falls_last_12_months": -1},
    ):
        with pytest.raises(ValueError):
            _bone(**changes)


def test_impact_levels_are_ordered_most_to_least_permissive() -> None:
    assert [level.caution_rank for level in ImpactLevel] == [0, 1, 2, 3]
    assert ImpactLevel.most_cautious(ImpactLevel.RUNNING, ImpactLevel.MODERATE_IMPACT) is (
        ImpactLevel.MODERATE_IMPACT
    )
