"""A printable summary of a screening to take to a doctor.

One self-contained HTML page (inline CSS, no scripts, no network), large type, printable on
A4 or Letter: the person's answers, the outcome and its reasons, points to discuss, and what
stridewise is and is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from stridewise.science.parq import FOLLOW_UP_CATEGORIES, PARQ_QUESTIONS, ParqAnswers
from stridewise.science.screening import (
    IMPACT_LABELS,
    READINESS_LABELS,
    BoneInputs,
    ScreeningResult,
    describe_fractures,
)

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class _Row:
    label: str
    value: str


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _answer_rows(answers: ParqAnswers) -> list[_Row]:
    rows = [_Row(q.text, _yes_no(getattr(answers, q.id))) for q in PARQ_QUESTIONS]
    rows += [
        _Row("Age (years)", str(answers.age_years)),
        _Row("Used to vigorous or all-out exercise", _yes_no(answers.used_to_vigorous_effort)),
        _Row("Unwell at the moment (temporary illness)", _yes_no(answers.temporary_illness)),
        _Row("Pregnant", _yes_no(answers.pregnant)),
        _Row("Health changed recently", _yes_no(answers.health_changed)),
    ]
    return rows


def _follow_up_rows(answers: ParqAnswers) -> list[_Row]:
    return [
        _Row(category.condition, item.text)
        for category in FOLLOW_UP_CATEGORIES
        for item in category.items
        if item.id in answers.follow_up_yes
    ]


def _bone_rows(bone: BoneInputs) -> list[_Row]:
    t_score = (
        "Not known" if bone.femoral_neck_t_score is None else f"{bone.femoral_neck_t_score:.1f}"
    )
    mass = "Not given" if bone.body_mass_kg is None else f"{bone.body_mass_kg:.1f} kg"
    return [
        _Row("Sex", bone.sex.value.capitalize()),
        _Row("Age (years)", str(bone.age_years)),
        _Row("Body mass", mass),
        _Row("Broken bones as an adult", describe_fractures(bone.fractures)),
        _Row("A fracture in the last 12 months", _yes_no(bone.fracture_last_12_months)),
        _Row("Osteoporosis diagnosed", _yes_no(bone.osteoporosis_diagnosed)),
        _Row("Hip (femoral neck) T-score", t_score),
        _Row("Falls in the last 12 months", str(bone.falls_last_12_months)),
        _Row("Steroid tablets for more than 3 months", _yes_no(bone.glucocorticoids_over_3_months)),
        _Row("A bone stress injury in the past", _yes_no(bone.past_bone_stress_injury)),
    ]


def _score_rows(result: ScreeningResult) -> list[_Row]:
    bone = result.bone
    rows: list[_Row] = []
    if bone.ost_score is not None:
        band = f" ({bone.ost_band} risk band)" if bone.ost_band else " (no cut-off for this group)"
        rows.append(_Row("OST index, 0.2 × (kg − age)", f"{bone.ost_score:.1f}{band}"))
    if bone.garvan is not None:
        rows.append(
            _Row(
                "Garvan fracture risk, women's Model I",
                f"{bone.garvan.describe()} ({bone.garvan.points:.0f} points)",
            )
        )
    elif bone.garvan_refusal:
        rows.append(_Row("Garvan fracture risk", bone.garvan_refusal))
    if bone.triad is not None:
        rows.append(
            _Row(
                "Female Athlete Triad cumulative risk score",
                f"{bone.triad.total} ({bone.triad.clearance.value} clearance)",
            )
        )
    return rows


def _readiness_points(answers: ParqAnswers) -> list[str]:
    return [
        f'I answered yes to: "{q.text}" Is it safe for me to start running?'
        for q in answers.main_yes
    ]


def doctor_summary_html(
    result: ScreeningResult,
    answers: ParqAnswers,
    bone_inputs: BoneInputs,
    *,
    person_name: str | None = None,
    on: date,
) -> str:
    """The screening as a printable, self-contained HTML page to take to a doctor.

    Parameters
    ----------
    result : ScreeningResult
        The outcome of :func:`stridewise.science.screening.screen` for these answers.
    answers, bone_inputs
        What the person answered.
    person_name : str, optional
        Shown in the title; the page says "your" when absent.
    on : datetime.date
        Date of the screening, in the person's time zone.
    """
    template = _TEMPLATES.get_template("doctor.html")
    return template.render(
        person_name=person_name,
        screened_on=on.isoformat(),
        readiness_label=READINESS_LABELS[result.readiness.status],
        impact_label=IMPACT_LABELS[result.permitted_impact],
        may_run=result.may_run,
        can_start=result.can_start,
        balance_first=result.bone.balance_first,
        reasons=list(result.reasons),
        doctor_points=[*_readiness_points(answers), *result.bone.doctor_points,
                       *result.falls_result.doctor_points],
        answer_rows=_answer_rows(answers),
        follow_up_rows=_follow_up_rows(answers),
        bone_rows=_bone_rows(bone_inputs),
        score_rows=_score_rows(result),
    )
