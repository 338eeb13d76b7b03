"""Today (the one answer) and Plan (weeks as a calendar, each session with its reason; mark done
or missed; re-plan; ICS and FIT downloads), as pages and under /api."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from stridewise.core.validation import bounds
from stridewise.plan import PlanUnavailableError, downloads, service
from stridewise.plan.today import SEE_DOCTOR_HEADLINE
from stridewise.present.plan_view import GOAL_WORDS, active_plan_view, session_view
from stridewise.web.deps import (
    ERROR_RESPONSES,
    athlete_id_of,
    context_of,
    core_of,
    existing_id,
    invalid_value,
    store_of,
    units_of,
)
from stridewise.web.render import page

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_WEEKDAYS = (0, 2, 4, 5)
DEFAULT_MINUTES = 45

router = APIRouter()
api_router = APIRouter(prefix="/api", tags=["plan"], responses=ERROR_RESPONSES)


def local_today(request: Request) -> date:
    return context_of(request).today


def current_answer(request: Request) -> service.TodayAnswer:
    """The one voice for this athlete today (what to do, what to watch): every page that
    shows advice shows this, so no two pages can disagree."""
    return core_of(request).advice(context_of(request))


def _today_context(request: Request) -> dict[str, Any]:
    today = local_today(request)
    answer = current_answer(request)
    # A screening that needs a doctor first is the answer, plan or not.
    blocked = answer.advice.headline == SEE_DOCTOR_HEADLINE
    return {"advice": answer.advice, "warnings": list(answer.warnings),
            "screened": answer.screened, "has_plan": answer.has_plan, "blocked": blocked,
            "today": today, "changes": answer.changes}


@router.get("/today", response_class=HTMLResponse, name="today_page")
def today_page(request: Request) -> HTMLResponse:
    return page(request, "today.html", title="Today", active="today_page",
                **_today_context(request))


@router.get("/plan", response_class=HTMLResponse, name="plan_page")
def plan_page(request: Request, error: str | None = None) -> HTMLResponse:
    warnings = list(current_answer(request).warnings)  # first: it may re-plan
    plan = active_plan_view(store_of(request), athlete_id_of(request))
    with store_of(request).transaction() as tx:
        screened = bool(tx.list_screenings(athlete_id_of(request)))
    return page(request, "plan.html", title="Plan", active="plan_page", plan=plan,
                warnings=warnings,
                screened=screened, goals=GOAL_WORDS, weekdays=WEEKDAY_NAMES,
                default_weekdays=DEFAULT_WEEKDAYS,
                default_minutes=DEFAULT_MINUTES, units=units_of(request), error=error,
                minutes_limits=bounds("plan_minutes_per_day"),
                interactive=True, today=local_today(request))


@router.post("/plan", response_class=HTMLResponse, name="plan_create")
async def plan_create(request: Request) -> Response:
    form = await request.form()
    weekdays = [int(str(v)) for v in form.getlist("weekday") if str(v).isdecimal()]
    minutes_raw = str(form.get("minutes_per_day") or DEFAULT_MINUTES)
    if not weekdays:
        weekdays = list(DEFAULT_WEEKDAYS)
    try:
        # The core checks the minutes (core.validation) before the planner sees them.
        core_of(request).make_plan(context_of(request), str(form.get("goal") or "start"),
                                   weekdays,
                                   int(minutes_raw) if minutes_raw.isdecimal() else 0)
    except PlanUnavailableError as error:
        return plan_page(request, error=error.reason)
    except ValueError as error:
        return plan_page(request, error=str(error))
    return RedirectResponse(request.url_for("plan_page"), status_code=303)


@router.post("/plan/adapt", response_class=HTMLResponse, name="plan_adapt")
def plan_adapt(request: Request) -> Response:
    service.adapt_now(store_of(request), athlete_id_of(request), local_today(request))
    return RedirectResponse(request.url_for("plan_page"), status_code=303)


@router.post("/plan/sessions/{session_id}", response_class=HTMLResponse, name="plan_mark")
async def plan_mark(request: Request, session_id: int) -> Response:
    existing_id(session_id, "planned session")
    form = await request.form()
    try:
        row = service.mark_session(store_of(request), athlete_id_of(request), session_id,
                                   str(form.get("status") or ""))
    except LookupError as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    if request.headers.get("HX-Request"):
        return page(request, "_plan_session_item.html", title="Session", s=session_view(row),
                    units=units_of(request), interactive=True)
    return RedirectResponse(request.url_for("plan_page"), status_code=303)


@router.get("/plan/calendar.ics", name="plan_ics")
def plan_ics(request: Request) -> Response:
    data = downloads.plan_ics(store_of(request), athlete_id_of(request), local_today(request))
    if data is None:
        raise HTTPException(status_code=404, detail="No plan yet.")
    return Response(data, media_type="text/calendar", headers={
        "Content-Disposition": 'attachment; filename="stridewise-plan.ics"'})


@router.get("/plan/sessions/{session_id}/workout.fit", name="plan_fit")
def plan_fit(request: Request, session_id: int) -> Response:
    existing_id(session_id, "planned session")
    found = downloads.session_fit(store_of(request), athlete_id_of(request), session_id,
                                  local_today(request))
    if found is None:
        raise HTTPException(status_code=404, detail="Only planned runs become watch workouts.")
    name, data = found
    return Response(data, media_type="application/vnd.ant.fit", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


class AdviceItemOut(BaseModel):
    id: str = Field(description="The rule that said it: pain, single-run-spike, "
                                "workload-ratio, monotony, screening, plan, ...")
    tone: str = Field(description="stop, warn or info")
    text: str


class TodayOut(BaseModel):
    day: date
    headline: str
    why: str
    warnings: list[str] = Field(description="The sentences of ``advice``, in the same order")
    advice: list[AdviceItemOut] = Field(description="Every advice item for today, most "
                                                    "serious first (the same on every face)")
    sessions: list[dict[str, Any]]


@api_router.get("/today", response_model=TodayOut)
def api_today(request: Request) -> TodayOut:
    """The one answer for today: what to do and why, with any warning."""
    context = _today_context(request)
    advice = context["advice"]
    return TodayOut(day=advice.day, headline=advice.headline, why=advice.why,
                    warnings=[w.text for w in context["warnings"]],
                    advice=[AdviceItemOut(id=w.id, tone=w.tone, text=w.text)
                            for w in context["warnings"]],
                    sessions=[s.to_dict() for s in advice.sessions])


@api_router.get("/plan")
def api_plan(request: Request) -> dict[str, Any]:
    """The active plan: weeks of sessions with reasons and statuses, and its changes."""
    plan = active_plan_view(store_of(request), athlete_id_of(request))
    if plan is None:
        raise HTTPException(status_code=404, detail="No plan yet.")
    return {
        "id": plan.id, "goal": plan.goal, "created_at_utc": plan.created_at_utc,
        "weeks": [{"monday": w.monday, "sessions": [vars(s) for s in w.sessions]}
                  for w in plan.weeks],
        "changes": [{"at_utc": c.at_utc, "reason": c.reason} for c in plan.changes],
    }


class MarkIn(BaseModel):
    status: Literal["done", "missed"]


@api_router.post("/plan/sessions/{session_id}")
def api_mark(request: Request, session_id: int, body: MarkIn) -> dict[str, Any]:
    """Mark a planned session done or missed."""
    existing_id(session_id, "planned session")
    try:
        row = service.mark_session(store_of(request), athlete_id_of(request), session_id,
                                   body.status)
    except LookupError as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except ValueError as error:
        raise invalid_value(error, sent=body.model_dump(mode="json")) from error
    return vars(session_view(row))


@api_router.post("/plan/adapt")
def api_adapt(request: Request) -> dict[str, list[str]]:
    """Re-plan from today with everything known; the changes, each with its reason."""
    return {"changes": service.adapt_now(store_of(request), athlete_id_of(request),
                                         local_today(request))}
