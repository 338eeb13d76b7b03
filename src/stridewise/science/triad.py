"""Female Athlete Triad cumulative risk assessment (De Souza et al. 2014).

Six risk factors score 0, 1 or 2 points each; the total decides the clearance to train.
The Triad links low energy availability, menstrual disturbance and low bone density; women
with higher scores have more bone stress injuries.

References
----------
De Souza MJ, Nattiv A, Joy E, et al. 2014 Female Athlete Triad Coalition consensus statement
on treatment and return to play of the Female Athlete Triad. *Br J Sports Med*
2014;48:289. doi:10.1136/bjsports-2013-093218. Evidence grade [V].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any


class EnergyAvailability(StrEnum):
    """How the athlete eats relative to what training costs."""

    ADEQUATE = "adequate"  # no dietary restriction: 0 points
    RESTRICTED_OR_DISORDERED = "restricted_or_disordered"  # some restriction, disordered eating: 1
    EATING_DISORDER = "eating_disorder"  # a diagnosed eating disorder (DSM criteria): 2


class TriadClearance(StrEnum):
    FULL = "full"  # total 0–1
    PROVISIONAL = "provisional"  # total 2–5
    RESTRICTED = "restricted"  # total 6 or more


@dataclass(frozen=True)
class TriadInputs:
    """The six De Souza 2014 risk factors.

    ``age_at_menarche_years`` is ``None`` when periods have not started yet; it is then scored
    from the current age (see :func:`triad_risk`). ``bmd_z_score`` is ``None`` when no bone
    density scan has been done; it then scores 0 and the result says so.
    """

    energy_availability: EnergyAvailability
    bmi_kg_m2: float
    age_at_menarche_years: float | None
    menses_last_12_months: int
    bmd_z_score: float | None
    bone_stress_injuries: int
    stress_injury_at_trabecular_site: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.menses_last_12_months <= 20:
            raise ValueError("menses_last_12_months must be between 0 and 20")
        if self.bone_stress_injuries < 0:
            raise ValueError("bone_stress_injuries cannot be negative")
        if self.stress_injury_at_trabecular_site and self.bone_stress_injuries == 0:
            raise ValueError("a trabecular-site stress injury needs bone_stress_injuries >= 1")
        if not 8 <= self.bmi_kg_m2 <= 80:
            raise ValueError(f"bmi_kg_m2 {self.bmi_kg_m2} is not plausible")

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TriadInputs:
        values = dict(data)
        values["energy_availability"] = EnergyAvailability(values["energy_availability"])
        return cls(**values)


@dataclass(frozen=True)
class TriadResult:
    """Per-factor points (factor name → 0/1/2), total, clearance and plain reasons."""

    points: tuple[tuple[str, int], ...]
    total: int
    clearance: TriadClearance
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "points": [list(item) for item in self.points],
            "total": self.total,
            "clearance": self.clearance.value,
            "reasons": list(self.reasons),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TriadResult:
        return cls(
            tuple((str(name), int(value)) for name, value in data["points"]),
            int(data["total"]),
            TriadClearance(data["clearance"]),
            tuple(data["reasons"]),
        )


def _energy_points(value: EnergyAvailability) -> int:
    return {
        EnergyAvailability.ADEQUATE: 0,
        EnergyAvailability.RESTRICTED_OR_DISORDERED: 1,
        EnergyAvailability.EATING_DISORDER: 2,
    }[value]


def _bmi_points(bmi_kg_m2: float) -> int:
    # ≥18.5 → 0; between 17.5 and 18.5 → 1; ≤17.5 → 2.
    if bmi_kg_m2 >= 18.5:
        return 0
    return 1 if bmi_kg_m2 > 17.5 else 2


def _menarche_points(age_at_menarche_years: float) -> int:
    # <15 → 0; 15 to <16 → 1; ≥16 → 2.
    if age_at_menarche_years < 15:
        return 0
    return 1 if age_at_menarche_years < 16 else 2


def _menses_points(menses_last_12_months: int) -> int:
    # >9 → 0; 6–9 → 1; <6 → 2.
    if menses_last_12_months > 9:
        return 0
    return 1 if menses_last_12_months >= 6 else 2


def _bmd_points(z_score: float) -> int:
    # ≥−1 → 0; between −1 and −2 → 1; ≤−2 → 2.
    if z_score >= -1:
        return 0
    return 1 if z_score > -2 else 2


def _stress_injury_points(count: int, trabecular_site: bool) -> int:
    # none → 0; one → 1; two or more, or any at a trabecular (high-risk) site → 2.
    if count == 0:
        return 0
    return 2 if count >= 2 or trabecular_site else 1


def triad_clearance(total: int) -> TriadClearance:
    """Clearance from the cumulative score: 0–1 full, 2–5 provisional, ≥6 restricted [V]."""
    if total <= 1:
        return TriadClearance.FULL
    return TriadClearance.PROVISIONAL if total <= 5 else TriadClearance.RESTRICTED


def triad_risk(inputs: TriadInputs, *, age_years: float) -> TriadResult:
    """Female Athlete Triad cumulative risk score and clearance (De Souza 2014) [V].

    =====================  ==============  =====================  ===============
    factor                 0 points        1 point                2 points
    =====================  ==============  =====================  ===============
    energy availability    no restriction  restriction / DE       eating disorder
    BMI (kg/m²)            ≥ 18.5          17.5 – 18.5            ≤ 17.5
    menarche (years)       < 15            15 – 16                ≥ 16
    periods in 12 months   > 9             6 – 9                  < 6
    BMD Z-score            ≥ −1            −1 – −2                ≤ −2
    bone stress injuries   none            1                      ≥ 2, or trabecular
    =====================  ==============  =====================  ===============

    Parameters
    ----------
    inputs : TriadInputs
    age_years : float
        Current age, years; used only when periods have not started (menarche at least now).
    """
    menarche = inputs.age_at_menarche_years
    menarche_points = _menarche_points(age_years if menarche is None else menarche)
    points = (
        ("energy_availability", _energy_points(inputs.energy_availability)),
        ("bmi", _bmi_points(inputs.bmi_kg_m2)),
        ("menarche", menarche_points),
        ("menses", _menses_points(inputs.menses_last_12_months)),
        ("bmd", 0 if inputs.bmd_z_score is None else _bmd_points(inputs.bmd_z_score)),
        (
            "bone_stress_injury",
            _stress_injury_points(
                inputs.bone_stress_injuries, inputs.stress_injury_at_trabecular_site
            ),
        ),
    )
    total = sum(value for _, value in points)
    clearance = triad_clearance(total)
    reasons = [
        {
            TriadClearance.FULL: f"Female Athlete Triad score {total}: low risk, full clearance "
            "to train.",
            TriadClearance.PROVISIONAL: f"Female Athlete Triad score {total}: moderate risk. "
            "Training can continue under a written plan agreed with a doctor (and ideally a "
            "sports dietitian), reviewed regularly.",
            TriadClearance.RESTRICTED: f"Female Athlete Triad score {total}: high risk. Running "
            "training should pause until a doctor has assessed you and agreed a plan; this "
            "protects your bones.",
        }[clearance]
    ]
    if inputs.bmd_z_score is None:
        reasons.append(
            "No bone density (Z-score) result was given, so that item counted 0; the real "
            "score may be higher."
        )
    return TriadResult(points, total, clearance, tuple(reasons))
