"""Screening before running: readiness (PAR-Q+) and bone health → what a person may do.

This module is the one entry point other layers use. The science lives in
:mod:`stridewise.science.parq` (readiness), :mod:`stridewise.science.bone_health` (impact
level), :mod:`stridewise.science.fracture_history` (adult broken bones, the wording the forms
show), :mod:`stridewise.science.fracture_risk` (OST, Garvan) and
:mod:`stridewise.science.triad` (Female Athlete Triad).

The effective level combines three answers: the bone-health level, lowered to
``balance_first`` at high falls risk (:mod:`stridewise.science.falls`, a separate answer from
bone fragility), and never running, and no new plan at all, until readiness is ``cleared`` or
``cleared_start_slowly``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stridewise.science.bone_health import (
    NO_BONE_CONCERN,
    NO_BONE_CONCERN_NO_RUNNING,
    BoneHealthResult,
    BoneInputs,
    ImpactLevel,
    screen_bone,
)
from stridewise.science.falls import (
    FALLS_LABELS,
    FallsResult,
    FallsRisk,
    falls_from_legacy,
    screen_falls,
)
from stridewise.science.fracture_history import (
    LOW_TRAUMA_HINT,
    MAX_FRACTURES_PER_SITE,
    SINCE_50_HINT,
    SITE_WORDS,
    SPINE_BIGGER_ACCIDENT_QUESTION,
    Fracture,
    FractureSite,
    asks_since_50,
    broke_a_bone_question,
    describe_fractures,
    fractures_at,
    low_trauma_question,
)
from stridewise.science.fracture_risk import Ethnicity, GarvanRisk, Sex
from stridewise.science.parq import (
    ParqAnswers,
    Readiness,
    ReadinessResult,
    screen_readiness,
)
from stridewise.science.triad import EnergyAvailability, TriadInputs

__all__ = [
    "FALLS_LABELS",
    "IMPACT_LABELS",
    "LOW_TRAUMA_HINT",
    "MAX_FRACTURES_PER_SITE",
    "READINESS_LABELS",
    "SINCE_50_HINT",
    "SITE_WORDS",
    "SPINE_BIGGER_ACCIDENT_QUESTION",
    "BoneHealthResult",
    "BoneInputs",
    "EnergyAvailability",
    "Ethnicity",
    "FallsResult",
    "FallsRisk",
    "Fracture",
    "FractureSite",
    "GarvanRisk",
    "ImpactLevel",
    "ParqAnswers",
    "Readiness",
    "ReadinessResult",
    "ScreeningResult",
    "Sex",
    "TriadInputs",
    "asks_since_50",
    "broke_a_bone_question",
    "describe_fractures",
    "fractures_at",
    "low_trauma_question",
    "screen",
    "screen_bone",
    "screen_readiness",
]

_CLEARED_TO_START = frozenset({Readiness.CLEARED, Readiness.CLEARED_START_SLOWLY})


@dataclass(frozen=True)
class ScreeningResult:
    readiness: ReadinessResult
    bone: BoneHealthResult
    #: None only for results built by hand from the two older parts; read as the bone
    #: result's legacy flag (any fall: extra balance work, no cap).
    falls: FallsResult | None = None

    @property
    def falls_result(self) -> FallsResult:
        if self.falls is not None:
            return self.falls
        return falls_from_legacy(1 if self.bone.balance_first else 0)

    @property
    def can_start(self) -> bool:
        """False while readiness is ``delay`` or ``see_professional``."""
        return self.readiness.status in _CLEARED_TO_START

    @property
    def permitted_impact(self) -> ImpactLevel:
        """The bone-health level, or up to brisk walking until readiness clears."""
        if self.falls_result.risk is FallsRisk.HIGH:
            return ImpactLevel.BALANCE_FIRST
        if not self.can_start:
            return ImpactLevel.UP_TO_BRISK_WALKING
        return self.bone.impact_level

    @property
    def may_run(self) -> bool:
        return self.permitted_impact is ImpactLevel.RUNNING

    @property
    def bone_reasons(self) -> tuple[str, ...]:
        """The bone screen's reasons worded for the whole result: where falls or readiness do
        not allow running, the all-clear does not speak of running."""
        if self.may_run:
            return self.bone.reasons
        return tuple(NO_BONE_CONCERN_NO_RUNNING if r == NO_BONE_CONCERN else r
                     for r in self.bone.reasons)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every reason, as every face lists them: readiness, bones, falls."""
        return (*self.readiness.reasons, *self.bone_reasons, *self.falls_result.reasons)

    def to_dict(self) -> dict[str, Any]:
        return {"readiness": self.readiness.to_dict(), "bone": self.bone.to_dict(),
                "falls": self.falls_result.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScreeningResult:
        """Stored results without ``falls`` (before the falls questions) keep their old
        meaning: any fall meant extra balance work, with the bone level unchanged."""
        bone = BoneHealthResult.from_dict(data["bone"])
        falls = (FallsResult.from_dict(data["falls"]) if data.get("falls")
                 else FallsResult(FallsRisk.INTERMEDIATE if bone.balance_first
                                  else FallsRisk.LOW, (), ()))
        return cls(ReadinessResult.from_dict(data["readiness"]), bone, falls)


def screen(answers: ParqAnswers, bone: BoneInputs) -> ScreeningResult:
    """Run both screens. The effective level is :attr:`ScreeningResult.permitted_impact`."""
    return ScreeningResult(screen_readiness(answers), screen_bone(bone), screen_falls(bone.falls))


#: Plain words for each readiness outcome, shared by the CLI, the web pages and the summary.
READINESS_LABELS: Mapping[Readiness, str] = {
    Readiness.CLEARED: "Ready to become more active",
    Readiness.CLEARED_START_SLOWLY: "Ready to start, slowly",
    Readiness.SEE_PROFESSIONAL: "Please see a doctor or qualified exercise professional first",
    Readiness.DELAY: "Wait before starting",
}

#: Plain words for each impact level.
IMPACT_LABELS: Mapping[ImpactLevel, str] = {
    ImpactLevel.RUNNING: "Running is fine: build up gradually",
    ImpactLevel.MODERATE_IMPACT: "Moderate impact (heel drops, stair climbing, low hops), with "
    "strength and balance; no running in your plan for now: ask your doctor whether short, "
    "gentle jogging is right for you",
    ImpactLevel.UP_TO_BRISK_WALKING: "Impact up to brisk walking, plus strength and balance "
    "exercises; no running",
    ImpactLevel.BALANCE_FIRST: "Balance and strength first: nothing harder than brisk walking "
    "until you answer the questions again with no high-risk answer about falls",
}
