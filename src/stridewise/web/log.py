"""The Log page: quick forms for a session (run, walk, strength...) and a daily check-in (pain
from a body map or a list, sleep, WHO-5 wellbeing, energy). A pain report is passed straight to
the plan's adaptation so the plan page shows the change and its reason."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from stridewise import clock
from stridewise.activity import ManualSession
from stridewise.core.validation import bounds, check_moment
from stridewise.monitor import Warning, zone_of
from stridewise.present.format import MI_M
from stridewise.science import questionnaires as q
from stridewise.science.pain import PainAction, PainDecision
from stridewise.store import CheckInInput
from stridewise.web.deps import athlete_id_of, context_of, core_of, form_number, store_of, units_of
from stridewise.web.render import page

router = APIRouter()

SESSION_KINDS = (("run", "Run"), ("walk", "Walk"), ("strength", "Strength exercises"),
                 ("balance", "Balance exercises"),
                 ("impact", "Impact exercises (hops, heel drops)"), ("other", "Something else"))
RPE_WORDS = ((0, "0: rest"), (1, "1: very, very easy"), (2, "2: easy"), (3, "3: moderate"),
             (4, "4: somewhat hard"), (5, "5: hard"), (6, "6"), (7, "7: very hard"), (8, "8"),
             (9, "9"), (10, "10: as hard as I could"))
#: The one body-wide list of pain sites and the check-in questions (science/questionnaires.py,
#: shared with the CLI); shown as "Left hip", which the body map's data-pain-site names.
PAIN_SITES = tuple(site.words[:1].upper() + site.words[1:] for site in q.PAIN_SITES)
PAIN_TIMINGS = q.PAIN_TIMINGS
WHO5_ITEMS = q.WHO5_ITEMS
WHO5_CHOICES = q.WHO5_CHOICES
#: A start time as the form takes it, 0:00 to 23:59; the browser anchors it to the whole value.
TIME_PATTERN = "([01]?[0-9]|2[0-3]):[0-5][0-9]"

def _zone(request: Request) -> ZoneInfo:
    return zone_of(store_of(request), athlete_id_of(request))


def _whole(form: FormData, name: str) -> int | None:
    raw = str(form.get(name) or "").strip()
    return int(raw) if raw.lstrip("-").isdecimal() else None


def _when(form: FormData, zone: ZoneInfo) -> datetime:
    raw_day = str(form.get("date") or "").strip()
    try:
        day = date.fromisoformat(raw_day) if raw_day else clock.today(zone)
    except ValueError as error:
        raise ValueError("Date should be a day like 2026-11-21.") from error
    raw_time = str(form.get("time") or "").strip()
    if raw_time and not re.fullmatch(TIME_PATTERN, raw_time):
        raise ValueError("Start time should be hours and minutes from 0:00 to 23:59, for "
                         "example 09:30.")
    if raw_time:
        hours, minutes = raw_time.split(":")
        at = time(int(hours), int(minutes))
    else:
        at = clock.now_in(zone).time().replace(tzinfo=None)
    local = datetime.combine(day, at, tzinfo=zone)
    check_moment(local, field="date")
    return local.astimezone(UTC)


def session_from_form(form: FormData, zone: ZoneInfo, units: str) -> ManualSession:
    minutes = form_number(form, "duration_min", "Time")
    if minutes is None:
        raise ValueError("Please say how many minutes it took.")
    distance = form_number(form, "distance", "Distance")
    rpe = form_number(form, "rpe", "Effort")
    return ManualSession(
        start_time_utc=_when(form, zone),
        kind=str(form.get("kind") or ""),
        duration_s=minutes * 60.0,
        distance_m=None if distance is None else distance * (MI_M if units == "mi" else 1000.0),
        rpe=rpe,
        notes=str(form.get("notes") or "").strip() or None,
    )


def checkin_from_form(form: FormData, zone: ZoneInfo) -> CheckInInput:
    who5_answers = [_whole(form, f"who5_{i}") for i in range(5)]
    answered = [a for a in who5_answers if a is not None]
    if answered and len(answered) != 5:
        raise ValueError("Please answer all five wellbeing questions, or none of them.")
    pain_score = _whole(form, "pain_score")
    site = str(form.get("pain_site") or "").strip() or None
    if site and pain_score:
        # Sites come from the one list; stored in its words ("left shin") so sentences read
        # "your left shin pain", whichever face logged it.
        site = q.pain_site(site).words
    yes_no = {"yes": True, "no": False}
    return CheckInInput(
        at_utc=_when(form, zone),
        pain_site=site if pain_score else None,
        pain_score=pain_score,
        pain_timing=str(form.get("pain_timing") or "").strip() or None if pain_score else None,
        pain_localised_bone=yes_no.get(str(form.get("pain_localised_bone"))) if pain_score
        else None,
        fell=yes_no.get(str(form.get("fell"))),
        doctor_cleared=True if form.get("doctor_cleared") == "yes" else None,
        sleep_hours=form_number(form, "sleep_hours", "Hours of sleep"),
        sleep_quality=_whole(form, "sleep_quality"),
        who5=(who5_answers[0], who5_answers[1], who5_answers[2], who5_answers[3],
              who5_answers[4]) if len(answered) == 5 else None,  # type: ignore[arg-type]
        energy=_whole(form, "energy"),
        notes=str(form.get("notes") or "").strip() or None,
    )


def _log_page(request: Request, **context: Any) -> HTMLResponse:
    context.setdefault("session_message", None)
    context.setdefault("checkin_message", None)
    context.setdefault("error", None)
    context.setdefault("plan_changes", [])
    context.setdefault("pain", None)
    return page(request, "log.html", title="Log", active="log_page", kinds=SESSION_KINDS,
                rpe_words=RPE_WORDS, pain_sites=PAIN_SITES, pain_timings=PAIN_TIMINGS,
                who5_items=WHO5_ITEMS, who5_choices=WHO5_CHOICES,
                doctor_cleared_question=q.DOCTOR_CLEARED_QUESTION,
                today=clock.today(_zone(request)),
                time_pattern=TIME_PATTERN, units=units_of(request), limits=_form_limits(request),
                **context)


def _form_limits(request: Request) -> dict[str, tuple[float, float]]:
    """The forms' min and max from core.validation's ranges, in the units the form asks in
    (minutes; km or miles): one range for the page, the API and the CLI."""
    per_unit = MI_M if units_of(request) == "mi" else 1000.0
    duration, distance = bounds("duration_s"), bounds("distance_m")
    return {"sleep_hours": bounds("sleep_hours"),
            "duration_min": (1, duration[1] / 60),
            "distance": (distance[0] / per_unit, round(distance[1] / per_unit))}


@router.get("/log", response_class=HTMLResponse, name="log_page")
def log_page(request: Request) -> HTMLResponse:
    return _log_page(request)


@router.post("/log/session", response_class=HTMLResponse, name="log_session")
async def log_session(request: Request) -> HTMLResponse:
    form = await request.form()
    units = units_of(request)
    try:
        entry = session_from_form(form, _zone(request), units)
        core_of(request).log_session(context_of(request), entry)
    except ValueError as error:
        return _fragment_or_page(request, "session", error=str(error))
    words = dict(SESSION_KINDS)[entry.kind]
    return _fragment_or_page(request, "session",
                             message=f"Saved: {words.lower()}, {entry.duration_s / 60:.0f} min.")


@router.post("/log/checkin", response_class=HTMLResponse, name="log_checkin")
async def log_checkin(request: Request) -> HTMLResponse:
    form = await request.form()
    zone = _zone(request)
    try:
        checkin = checkin_from_form(form, zone)
        outcome = core_of(request).record_checkin(context_of(request), checkin)
    except ValueError as error:
        return _fragment_or_page(request, "checkin", error=str(error))
    return _fragment_or_page(request, "checkin", message="Check-in saved. Thank you.",
                             plan_changes=list(outcome.changes),
                             pain=pain_notice(outcome.decision))


def pain_notice(decision: PainDecision | None) -> Warning | None:
    """The pain rules' answer as the page shows it (none while running can go on)."""
    if decision is None or decision.action is PainAction.CONTINUE:
        return None
    tone = "stop" if decision.action is PainAction.STOP or decision.see_doctor else "warn"
    return Warning(tone, decision.reason)


def _fragment_or_page(request: Request, which: str, *, message: str | None = None,
                      error: str | None = None, plan_changes: list[str] | None = None,
                      pain: Warning | None = None) -> HTMLResponse:
    if request.headers.get("HX-Request"):
        return page(request, "_log_message.html", title="Saved", message=message, error=error,
                    plan_changes=plan_changes or [], pain=pain)
    return _log_page(request, error=error, plan_changes=plan_changes or [], pain=pain,
                     **{f"{which}_message": message})
