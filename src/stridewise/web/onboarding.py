"""Onboarding: the profile, then the readiness and bone-health screening, step by step.

The steps are stateless: answers so far travel in a hidden field, and only the finished
screening is stored. Each step re-shows itself, with the problem named, when an answer is
missing or out of range.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from stridewise.core.validation import bounds
from stridewise.monitor import zone_of
from stridewise.present.screening_words import explain
from stridewise.report.doctor import doctor_summary_html
from stridewise.science import questionnaires as qs
from stridewise.science.falls import FALLS_COUNT_QUESTION, FALLS_QUESTIONS
from stridewise.science.fracture_history import (
    FRACTURE_DATES_HEADING,
    FRACTURE_DATES_QUESTION,
    SINCE_50_QUESTION,
)
from stridewise.science.parq import FOLLOW_UP_CATEGORIES, PARQ_QUESTIONS
from stridewise.science.screening import (
    LOW_TRAUMA_HINT,
    MAX_FRACTURES_PER_SITE,
    SINCE_50_HINT,
    BoneInputs,
    Ethnicity,
    ParqAnswers,
    ScreeningResult,
    asks_since_50,
    low_trauma_question,
)
from stridewise.web import screening_form as sf
from stridewise.web.deps import (
    athlete_id_of,
    context_of,
    core_of,
    existing_id,
    form_number,
    store_of,
)
from stridewise.web.render import page

router = APIRouter(prefix="/onboarding")

STEPS = ("About you", "Health questions", "Bones", "Your result")


def _profile(request: Request) -> Any:
    with store_of(request).transaction() as tx:
        athlete = tx.get_athlete(athlete_id_of(request))
        mass = tx.latest_body_mass(athlete_id_of(request))
    return athlete, (mass.mass_kg if mass is not None else None)


#: A time zone name as the tz database writes them (Europe/Paris, America/Argentina/Salta).
ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]{1,30}(/[A-Za-z0-9_+\-]{1,30}){0,2}")


def _zone_name(raw: str) -> str | None:
    """A plausible zone name, None when empty; anything else is refused here, before it is
    looked up as a file name."""
    name = raw.strip()
    if not name:
        return None
    if not ZONE_NAME.fullmatch(name):
        raise ValueError("Time zone should be a name like Europe/Paris.")
    return name


def _age(request: Request) -> int:
    """The age the screening uses: the profile's, as the core computes it. The profile step
    comes first and requires a birth year, so a missing one is a bug, never age 0."""
    age = core_of(request).age(context_of(request))
    if age is None:
        raise ValueError("Please give your year of birth on the first step.")
    return age


#: The profile form's numbers; their min and max come from core.validation (one range for
#: every face).
PROFILE_FIELDS = ("birth_year", "body_mass_kg", "resting_hr_bpm", "max_hr_bpm")


#: The bone page's numbers, whose min/max come from core.validation (as the CLI's and API's).
BONE_FORM_FIELDS = ("falls_last_12_months", "walking_days_per_week", "walking_minutes_per_day",
                    "height_cm", "age_at_menarche_years", "menses_last_12_months",
                    "bone_stress_injuries")


def _profile_limits(request: Request) -> dict[str, tuple[float, float]]:
    today = context_of(request).today
    return {field: bounds(field, today) for field in PROFILE_FIELDS}


def _step(request: Request, template: str, step: int, **context: Any) -> HTMLResponse:
    return page(request, template, title=f"Getting started: {STEPS[step]}",
                active="onboarding_page", steps=STEPS, step=step, **context)


@router.get("", response_class=HTMLResponse, name="onboarding_page")
def onboarding_page(request: Request) -> HTMLResponse:
    athlete, mass_kg = _profile(request)
    with store_of(request).transaction() as tx:
        screenings = tx.list_screenings(athlete_id_of(request))
    return _step(request, "onboarding_profile.html", 0, limits=_profile_limits(request),
                 athlete=athlete, mass_kg=mass_kg,
                 last_screening=screenings[-1] if screenings else None, error=None,
                 form=None)


@router.post("/profile", response_class=HTMLResponse, name="onboarding_profile")
async def onboarding_profile(request: Request) -> Response:
    form = await request.form()
    try:
        sex = str(form.get("sex") or "")
        if sex not in ("female", "male"):
            raise ValueError("Please choose female or male (used for the bone-health scores).")
        birth_year_raw = str(form.get("birth_year") or "").strip()
        if not birth_year_raw.isdecimal() or len(birth_year_raw) > 4:
            raise ValueError("Please give your year of birth, for example 1957.")
        # The ranges, and resting below maximum heart rate (against the stored values too),
        # are the core's: Core.update_profile, as `stridewise profile set`.
        core_of(request).update_profile(
            context_of(request), sex=sex, birth_year=int(birth_year_raw),
            body_mass_kg=form_number(form, "body_mass_kg", "Body weight"),
            resting_hr_bpm=form_number(form, "resting_hr_bpm", "Resting heart rate"),
            max_hr_bpm=form_number(form, "max_hr_bpm", "Maximum heart rate"),
            units=str(form.get("units") or "km"),
            time_zone=_zone_name(str(form.get("time_zone") or "")))
    except ValueError as error:
        athlete, stored_mass = _profile(request)
        return _step(request, "onboarding_profile.html", 0, limits=_profile_limits(request),
                 athlete=athlete, mass_kg=stored_mass,
                     last_screening=None, error=str(error), form=form)
    return RedirectResponse(request.url_for("onboarding_readiness"), status_code=303)


def _context_questions(request: Request) -> tuple[sf.YesNo, ...]:
    athlete, _mass = _profile(request)
    return qs.context_questions(athlete.sex if athlete is not None else None, _age(request))


def _readiness_page(request: Request, form: FormData | None, missing: list[str]) -> HTMLResponse:
    return _step(request, "onboarding_readiness.html", 1, questions=PARQ_QUESTIONS,
                 context_questions=_context_questions(request), form=form or {},
                 missing=missing)


@router.get("/readiness", response_class=HTMLResponse, name="onboarding_readiness")
def onboarding_readiness(request: Request) -> Response:
    athlete, _mass = _profile(request)
    if athlete is None or athlete.birth_year is None or athlete.sex is None:
        return RedirectResponse(request.url_for("onboarding_page"), status_code=303)
    return _readiness_page(request, None, [])


def _bone_page(request: Request, parq_json: str, form: FormData | None,
               error: str | None) -> HTMLResponse:
    athlete, _mass = _profile(request)
    age_years = _age(request) if athlete is not None and athlete.birth_year else 0
    try:
        steroids = sf.steroids_answered(sf.decode(parq_json))
    except sf.LostAnswers:
        steroids = None
    return _step(request, "onboarding_bone.html", 2, parq_json=parq_json, form=form or {},
                 error=error, fracture_sites=sf.FRACTURE_SITES,
                 fracture_question=low_trauma_question(age_years),
                 max_per_site=MAX_FRACTURES_PER_SITE,
                 low_trauma_hint=LOW_TRAUMA_HINT, since_50_hint=SINCE_50_HINT,
                 since_50_question=SINCE_50_QUESTION,
                 fracture_dates_question=FRACTURE_DATES_QUESTION,
                 fracture_dates_heading=FRACTURE_DATES_HEADING,
                 falls_count_question=FALLS_COUNT_QUESTION, falls_questions=FALLS_QUESTIONS,
                 bone_yes_no=qs.bone_yes_no(steroids_known=steroids is not None),
                 qs=qs,
                 ask_since_50=asks_since_50(age_years),
                 spine_question=sf.SPINE_BIGGER_ACCIDENT, ethnicities=list(Ethnicity),
                 show_triad=athlete is not None and athlete.sex == "female",
                 triad_energy_choices=sf.TRIAD_ENERGY_CHOICES,
                 limits={field: bounds(field) for field in BONE_FORM_FIELDS})


@router.post("/readiness", response_class=HTMLResponse, name="onboarding_readiness_post")
async def onboarding_readiness_post(request: Request) -> Response:
    form = await request.form()
    athlete, _mass = _profile(request)
    if athlete is None or athlete.birth_year is None or athlete.sex is None:
        return RedirectResponse(request.url_for("onboarding_page"), status_code=303)
    context = _context_questions(request)
    missing = sf.missing_answers(form, context)
    if missing:
        return _readiness_page(request, form, missing)
    answers = sf.parq_from_form(form, _age(request), context)
    if answers.main_yes:
        return _step(request, "onboarding_follow_ups.html", 1, parq_json=sf.encode(answers),
                     categories=FOLLOW_UP_CATEGORIES)
    return _bone_page(request, sf.encode(answers), None, None)


@router.post("/follow-ups", response_class=HTMLResponse, name="onboarding_follow_ups")
async def onboarding_follow_ups(request: Request) -> Response:
    form = await request.form()
    try:
        answers = sf.with_follow_ups(sf.decode(str(form.get("parq") or "{}")),
                                     [str(v) for v in form.getlist("follow_up")])
    except ValueError:
        # Answers lost or altered: ask the health questions again rather than guess them.
        return RedirectResponse(request.url_for("onboarding_readiness"), status_code=303)
    return _bone_page(request, sf.encode(answers), None, None)


@router.post("/bone", response_class=HTMLResponse, name="onboarding_bone")
async def onboarding_bone(request: Request) -> Response:
    form = await request.form()
    parq_json = str(form.get("parq") or "{}")
    athlete, mass_kg = _profile(request)
    if athlete is None or athlete.birth_year is None or athlete.sex is None:
        return RedirectResponse(request.url_for("onboarding_page"), status_code=303)
    try:
        answers = sf.decode(parq_json)
    except sf.LostAnswers:
        return RedirectResponse(request.url_for("onboarding_readiness"), status_code=303)
    try:
        bone = sf.bone_from_form(form, sex=athlete.sex, age_years=_age(request),
                                 body_mass_kg=mass_kg, steroids=sf.steroids_answered(answers))
        core_of(request).check_fracture_dates(context_of(request), bone)
    except ValueError as error:
        return _bone_page(request, parq_json, form, str(error))
    outcome = core_of(request).submit_screening(context_of(request), answers, bone)
    return RedirectResponse(request.url_for("onboarding_result", screening_id=outcome.row.id),
                            status_code=303)


@router.get("/result/{screening_id}", response_class=HTMLResponse, name="onboarding_result")
def onboarding_result(request: Request, screening_id: int) -> Response:
    existing_id(screening_id, "screening")
    with store_of(request).transaction() as tx:
        row = tx.get_screening(athlete_id_of(request), screening_id)
        plan = tx.active_plan(athlete_id_of(request))
    if row is None:
        raise HTTPException(status_code=404, detail="No such screening.")
    words = explain(ScreeningResult.from_dict(row.result))
    return _step(request, "onboarding_result.html", 3, screening=row, words=words,
                 has_plan=plan is not None)


@router.get("/doctor-summary/{screening_id}", response_class=HTMLResponse, name="doctor_summary")
def doctor_summary(request: Request, screening_id: int) -> HTMLResponse:
    """The printable summary to take to a doctor (a page of its own, print-ready)."""
    existing_id(screening_id, "screening")
    with store_of(request).transaction() as tx:
        row = tx.get_screening(athlete_id_of(request), screening_id)
    if row is None:
        raise HTTPException(status_code=404, detail="No such screening.")
    html = doctor_summary_html(
        ScreeningResult.from_dict(row.result),
        ParqAnswers.from_dict(row.answers["parq"]),
        BoneInputs.from_dict(row.answers["bone"]),
        on=row.taken_at_utc.astimezone(zone_of(store_of(request), athlete_id_of(request))).date(),
    )
    return HTMLResponse(html)
