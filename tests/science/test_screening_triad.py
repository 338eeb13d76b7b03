"""Female Athlete Triad cumulative risk score: the De Souza 2014 table, boundary by boundary."""

from __future__ import annotations

import pytest

from stridewise.science.triad import (
    EnergyAvailability,
    TriadClearance,
    TriadInputs,
    triad_clearance,
    triad_risk,
)


def _inputs(**changes: object) -> TriadInputs:
    values: dict[str, object] = {
        "energy_availability": EnergyAvailability.ADEQUATE,
        "bmi_kg_m2": 21.0,
        "age_at_menarche_years": 13.0,
        "menses_last_12_months": 12,
        "bmd_z_score": 0.0,
        "bone_stress_injuries": 0,
    }
    values.update(changes)
    return TriadInputs(**values)  # type: ignore[arg-type]


def _points(inputs: TriadInputs, factor: str, age_years: float = 20) -> int:
    return dict(triad_risk(inputs, age_years=age_years).points)[factor]


@pytest.mark.parametrize(
    ("changes", "factor", "expected"),
    [
        (
            {"energy_availability": EnergyAvailability.RESTRICTED_OR_DISORDERED},
            "energy_availability",
            1,
        ),
        ({"energy_availability": EnergyAvailability.EATING_DISORDER}, "energy_availability", 2),
        ({"bmi_kg_m2": 18.5}, "bmi", 0),
        ({"bmi_kg_m2": 18.0}, "bmi", 1),
        ({"bmi_kg_m2": 17.5}, "bmi", 2),
        ({"age_at_menarche_years": 14.9}, "menarche", 0),
        ({"age_at_menarche_years": 15.0}, "menarche", 1),
        ({"age_at_menarche_years": 16.0}, "menarche", 2),
        ({"menses_last_12_months": 10}, "menses", 0),
        ({"menses_last_12_months": 9}, "menses", 1),
        ({"menses_last_12_months": 6}, "menses", 1),
        ({"menses_last_12_months": 5}, "menses", 2),
        ({"bmd_z_score": -1.0}, "bmd", 0),
        ({"bmd_z_score": -1.5}, "bmd", 1),
        ({"bmd_z_score": -2.0}, "bmd", 2),
        ({"bone_stress_injuries": 1}, "bone_stress_injury", 1),
        ({"bone_stress_injuries": 2}, "bone_stress_injury", 2),
        (
            {"bone_stress_injuries": 1, "stress_injury_at_trabecular_site": True},
            "bone_stress_injury",
            2,
        ),
    ],
)
def test_each_factor_scores_as_in_the_table(
    changes: dict[str, object], factor: str, expected: int
) -> None:
    assert _points(_inputs(**changes), factor) == expected


def test_menarche_not_yet_reached_is_scored_from_current_age() -> None:
    no_periods_yet = _inputs(age_at_menarche_years=None)
    assert _points(no_periods_yet, "menarche", age_years=14) == 0
    assert _points(no_periods_yet, "menarche", age_years=15.5) == 1
    assert _points(no_periods_yet, "menarche", age_years=17) == 2


@pytest.mark.parametrize(
    ("total", "clearance"),
    [
        (0, TriadClearance.FULL),
        (1, TriadClearance.FULL),
        (2, TriadClearance.PROVISIONAL),
        (5, TriadClearance.PROVISIONAL),
        (6, TriadClearance.RESTRICTED),
        (12, TriadClearance.RESTRICTED),
    ],
)
def test_clearance_cut_offs(total: int, clearance: TriadClearance) -> None:
    assert triad_clearance(total) is clearance


def test_a_worked_case_adds_up_to_restricted() -> None:
    # Disordered eating 1 + BMI 17.2 → 2 + 5 periods → 2 + Z −1.4 → 1 = 6: restricted.
    result = triad_risk(
        _inputs(
            energy_availability=EnergyAvailability.RESTRICTED_OR_DISORDERED,
            bmi_kg_m2=17.2,
            menses_last_12_months=5,
            bmd_z_score=-1.4,
        ),
        age_years=19,
    )
    assert result.total == 6
    assert result.clearance is TriadClearance.RESTRICTED


def test_missing_z_score_counts_zero_and_says_so() -> None:
    result = triad_risk(_inputs(bmd_z_score=None), age_years=20)
    assert dict(result.points)["bmd"] == 0
    assert any("Z-score" in reason for reason in result.reasons)


def test_round_trip_and_validation() -> None:
    inputs = _inputs(bmd_z_score=None, age_at_menarche_years=None)
    assert TriadInputs.from_dict(inputs.to_dict()) == inputs
    result = triad_risk(inputs, age_years=20)
    assert type(result).from_dict(result.to_dict()) == result
    with pytest.raises(ValueError, match="trabecular"):
        _inputs(stress_injury_at_trabecular_site=True)
