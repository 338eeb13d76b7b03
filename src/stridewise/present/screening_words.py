"""A screening result in words, as the result page, the report and the API show it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stridewise.science.screening import (
    FALLS_LABELS,
    IMPACT_LABELS,
    READINESS_LABELS,
    Readiness,
    ScreeningResult,
)

READINESS_TONE: Mapping[Readiness, str] = {
    Readiness.CLEARED: "ok",
    Readiness.CLEARED_START_SLOWLY: "ok",
    Readiness.DELAY: "warn",
    Readiness.SEE_PROFESSIONAL: "stop",
}


@dataclass(frozen=True)
class ResultWords:
    """A screening result as the page shows it."""

    tone: str
    headline: str
    impact: str
    readiness_reasons: tuple[str, ...]
    bone_reasons: tuple[str, ...]
    doctor_points: tuple[str, ...]
    balance_first: bool
    can_start: bool
    may_run: bool
    #: The falls answer named plainly (separate from bone fragility).
    falls: str = ""


def explain(result: ScreeningResult) -> ResultWords:
    tone = READINESS_TONE[result.readiness.status]
    if result.can_start and not result.may_run:
        tone = "warn"
    return ResultWords(
        tone=tone,
        headline=f"{READINESS_LABELS[result.readiness.status]}.",
        impact=f"{IMPACT_LABELS[result.permitted_impact]}.",
        readiness_reasons=result.readiness.reasons,
        bone_reasons=(*result.bone_reasons, *result.falls_result.reasons),
        doctor_points=(*result.bone.doctor_points, *result.falls_result.doctor_points),
        balance_first=result.bone.balance_first,
        can_start=result.can_start,
        may_run=result.may_run,
        falls=f"{FALLS_LABELS[result.falls_result.risk]}.",
    )
