"""Turning the onboarding forms into screening inputs.

The question wording comes from :mod:`stridewise.science.parq` and
:mod:`stridewise.science.questionnaires` (data, shared with ``stridewise screen`` and the
doctor summary); this module only maps form fields to those ids and back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from stridewise.core.validation import RANGES, check_range
from stridewise.science import questionnaires as qs
from stridewise.science.fracture_history import parse_fracture_dates
from stridewise.science.parq import PARQ_QUESTIONS
from stridewise.science.questionnaires import CONTEXT_QUESTIONS, YesNoQuestion
from stridewise.science.screening import (
    MAX_FRACTURES_PER_SITE,
    SITE_WORDS,
    SPINE_BIGGER_ACCIDENT_QUESTION,
    BoneInputs,
    EnergyAvailability,
    Ethnicity,
    Fracture,
    FractureSite,
    ParqAnswers,
    Sex,
    TriadInputs,
    asks_since_50,
    fractures_at,
)

#: A yes/no question on a page (the questionnaires' type).
YesNo = YesNoQuestion

#: Fracture sites asked about, with the words shown (the same words as the CLI).
FRACTURE_SITES: tuple[tuple[FractureSite, str], ...] = tuple(SITE_WORDS.items())

#: The yes/no question about a spine fracture from a bigger accident (a ``_yes_no`` item).
SPINE_BIGGER_ACCIDENT = YesNo("spine_fracture_bigger_accident", SPINE_BIGGER_ACCIDENT_QUESTION)

#: The colour of each readiness outcome on the page (the words are the science module's).


def _yes(form: Mapping[str, Any], name: str) -> bool:
    value = form.get(name)
    if value not in ("yes", "no"):
        raise ValueError("Please answer every yes-or-no question.")
    return value == "yes"


def missing_answers(form: Mapping[str, Any],
                    context: tuple[YesNo, ...] = CONTEXT_QUESTIONS) -> list[str]:
    """Ids of the yes/no readiness questions left unanswered."""
    ids = [q.id for q in PARQ_QUESTIONS] + [q.id for q in context]
    return [qid for qid in ids if form.get(qid) not in ("yes", "no")]


def parq_from_form(form: Mapping[str, Any], age_years: int,
                   context: tuple[YesNo, ...] = CONTEXT_QUESTIONS) -> ParqAnswers:
    """ParqAnswers from the readiness form (follow-ups empty; they come in the next step); a
    context question not asked is a no."""
    values: dict[str, Any] = {q.id: _yes(form, q.id) for q in PARQ_QUESTIONS}
    values.update({q.id: _yes(form, q.id) for q in context})
    return ParqAnswers(age_years=age_years, **values)


def with_follow_ups(answers: ParqAnswers, ticked: list[str]) -> ParqAnswers:
    data = answers.to_dict()
    data["follow_up_yes"] = ticked
    return ParqAnswers.from_dict(data)


def encode(answers: ParqAnswers) -> str:
    """The answers so far, as the value of a hidden form field (the steps stay stateless)."""
    return json.dumps(answers.to_dict())


class LostAnswers(ValueError):
    """The hidden field carrying the earlier steps' answers is missing or was altered."""


def decode(value: str) -> ParqAnswers:
    """The answers from :func:`encode`'s hidden field; :class:`LostAnswers` when it is not
    what encode wrote (a stale page, or a hand-made request)."""
    try:
        return ParqAnswers.from_dict(json.loads(value))
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise LostAnswers("The health questions' answers were lost; please answer them "
                          "again.") from error


def _optional_float(form: Mapping[str, Any], name: str, field: str,
                    what: str) -> float | None:
    """A number typed in the form (a comma reads as a decimal point), within
    ``core.validation.RANGES[field]`` (the limits the CLI and the API use), or None if empty."""
    raw = str(form.get(name) or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"Please give {what} as a number.") from None
    check_range(field, value, label=what)
    return value


TRIAD_ENERGY_CHOICES: tuple[tuple[str, str], ...] = (("", "Skip these questions"),
                                                     *qs.TRIAD_ENERGY_CHOICES)


def _whole_number(form: Mapping[str, Any], name: str, what: str,
                  field: str | None = None) -> int:
    """A count typed in the form (empty is 0), within ``RANGES[field]`` when a field is named."""
    raw = str(form.get(name) or "0").strip()
    if not (raw.isascii() and raw.isdecimal()):
        raise ValueError(f"Please give {what} as a whole number (0 if none).")
    if field is not None:
        check_range(field, int(raw), label=what)
    return int(raw)


def triad_from_form(form: Mapping[str, Any], body_mass_kg: float | None) -> TriadInputs | None:
    """The Female Athlete Triad answers, or None when the section was skipped."""
    energy = str(form.get("triad_energy") or "")
    if not energy:
        return None
    height_cm = _optional_float(form, "triad_height_cm", "height_cm", "your height")
    if height_cm is None:
        raise ValueError("Please give your height in centimetres for the athlete questions.")
    if body_mass_kg is None:
        raise ValueError("Please add your body weight on the first step for the athlete "
                         "questions.")
    injuries = _whole_number(form, "triad_stress_injuries", "the number of stress injuries",
                             "bone_stress_injuries")
    return TriadInputs(
        energy_availability=EnergyAvailability(energy),
        bmi_kg_m2=check_range("bmi_kg_m2", body_mass_kg / (height_cm / 100.0) ** 2,
                              label="the body-mass index from your height and weight"),
        age_at_menarche_years=_optional_float(form, "triad_menarche_age", "age_at_menarche_years",
                                              "your age at your first period"),
        menses_last_12_months=_whole_number(form, "triad_menses", "the number of periods",
                                            "menses_last_12_months"),
        bmd_z_score=_optional_float(form, "triad_z_score", "z_score", "the Z-score"),
        bone_stress_injuries=injuries,
        stress_injury_at_trabecular_site=injuries > 0 and form.get("triad_trabecular") == "yes",
    )


def _since_50(form: Mapping[str, Any], site: FractureSite, count: int) -> int:
    words = SITE_WORDS[site].lower()
    if not str(form.get(f"fracture_{site.value}_since_50") or "").strip():
        raise ValueError(f"Please say how many of your {count} broken bones ({words}) were since "
                         "you turned 50 (0 if none).")
    since_50 = _whole_number(form, f"fracture_{site.value}_since_50",
                             f"the broken bones since age 50 ({words})")
    if since_50 > count:
        raise ValueError(f"You gave {since_50} broken bones ({words}) since age 50 but {count} "
                         "in all. Please check the two numbers.")
    return since_50


def fractures_from_form(form: Mapping[str, Any], age_years: int) -> tuple[Fracture, ...]:
    """Every adult broken bone from a minor fall or less (a count per site, at any age), and a
    spine fracture from a bigger accident; raises ValueError with a plain message."""
    fractures: list[Fracture] = []
    for site, words in FRACTURE_SITES:
        count = _whole_number(form, f"fracture_{site.value}_count",
                              f"the number of broken bones ({words.lower()})")
        if count > MAX_FRACTURES_PER_SITE:
            raise ValueError(f"Please give at most {MAX_FRACTURES_PER_SITE} broken bones "
                             f"({words.lower()}).")
        try:
            dates = parse_fracture_dates(str(form.get(f"fracture_{site.value}_years") or ""),
                                         count)
        except ValueError as error:
            raise ValueError(f"{words}: {error}") from error
        # Dated breaks need no since-50 answer: it is worked out from the year.
        since_50 = (_since_50(form, site, count)
                    if count and asks_since_50(age_years) and len(dates) < count else 0)
        fractures += fractures_at(site, count, since_age_50=since_50, dates=dates)
    if _yes(form, SPINE_BIGGER_ACCIDENT.id):
        fractures.append(Fracture(FractureSite.VERTEBRAL, low_trauma=False, since_age_50=False))
    return tuple(fractures)


def _yes_or_no(form: Mapping[str, Any], name: str) -> bool:
    """A falls question (science/falls.py FALLS_QUESTIONS): the page asks them all; an
    answer left out (an older form) reads as no."""
    return form.get(name) == "yes"


def _optional_whole(form: Mapping[str, Any], field: str) -> int | None:
    """A count the person may leave empty, within ``RANGES[field]`` (the form field's name)."""
    raw = str(form.get(field) or "").strip()
    if not raw:
        return None
    low, high = int(RANGES[field].low), int(RANGES[field].high)
    if not (raw.isascii() and raw.isdecimal()) or not low <= int(raw) <= high:
        raise ValueError(f"Please give a whole number from {low} to {high} for "
                         f"{field.replace('_', ' ')}.")
    return int(raw)


def steroids_answered(answers: ParqAnswers) -> bool | None:
    """The steroid answer the follow-up page already gave (a tick in the arthritis,
    osteoporosis or back problems box), or None when the bone page must ask it."""
    return qs.steroids_from_follow_ups(answers.follow_up_yes,
                                       qs.follow_ups_answered(answers.follow_up_yes))


def bone_from_form(form: Mapping[str, Any], *, sex: str, age_years: int,
                   body_mass_kg: float | None, steroids: bool | None = None) -> BoneInputs:
    """BoneInputs from the bone-health form; raises ValueError with a plain message.
    ``steroids`` is the steroid answer the follow-ups gave (the page then does not ask it)."""
    fractures = fractures_from_form(form, age_years)
    falls = _whole_number(form, "falls_last_12_months", "the number of falls",
                          "falls_last_12_months")
    return BoneInputs(
        sex=Sex(sex),
        age_years=age_years,
        body_mass_kg=body_mass_kg,
        ethnicity=Ethnicity(form.get("ethnicity", Ethnicity.OTHER.value)),
        fractures=fractures,
        fracture_last_12_months=_yes(form, "fracture_last_12_months"),
        osteoporosis_diagnosed=_yes(form, "osteoporosis_diagnosed"),
        femoral_neck_t_score=_optional_float(form, "femoral_neck_t_score", "t_score",
                                             "the T-score"),
        falls_last_12_months=falls,
        glucocorticoids_over_3_months=(_yes(form, "glucocorticoids_over_3_months")
                                       if steroids is None else steroids),
        past_bone_stress_injury=_yes(form, "past_bone_stress_injury"),
        # The falls questions (science/falls.py): the page asks them all; an answer left out
        # (an older form) reads as no, and the follow-ups only count after a fall.
        fall_injury=_yes_or_no(form, "fall_injury"),
        fall_could_not_get_up=_yes_or_no(form, "fall_could_not_get_up"),
        fall_blackout=_yes_or_no(form, "fall_blackout"),
        unsteady=_yes_or_no(form, "unsteady"),
        fear_of_falling=_yes_or_no(form, "fear_of_falling"),
        walking_days_per_week=_optional_whole(form, "walking_days_per_week"),
        walking_minutes_per_day=_optional_whole(form, "walking_minutes_per_day"),
        triad=triad_from_form(form, body_mass_kg) if sex == Sex.FEMALE.value else None,
    )
