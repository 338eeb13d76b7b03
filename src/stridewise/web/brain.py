"""The Brain page (/brain): the brain-health profile (LIBRA as room for improvement, the
Lancet Commission's other factors, WHO-5 two weeks at a time, sleep) and its questionnaire;
``/api/brain`` gives the same numbers as JSON. Everything comes from ``Core.brain``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from stridewise.core.validation import InvalidValue
from stridewise.present.brain_view import brain_json, brain_view
from stridewise.science.brain import BRAIN_QUESTIONS
from stridewise.web.deps import ERROR_RESPONSES, context_of, core_of
from stridewise.web.render import page

router = APIRouter()
api_router = APIRouter(prefix="/api", tags=["brain"], responses=ERROR_RESPONSES)


def _brain_page(request: Request, *, error: str | None = None, message: str | None = None,
                status_code: int = 200) -> HTMLResponse:
    core, ctx = core_of(request), context_of(request)
    profile = core.brain(ctx)
    return page(request, "brain.html", title="Brain health", active="brain_page",
                brain=brain_view(profile), answers=profile.answers,
                questions=BRAIN_QUESTIONS, error=error, message=message,
                status_code=status_code)


@router.get("/brain", response_class=HTMLResponse, name="brain_page")
def brain_page(request: Request) -> HTMLResponse:
    return _brain_page(request)


@router.post("/brain", response_class=HTMLResponse, name="brain_answer")
async def brain_answer(request: Request) -> HTMLResponse:
    form = await request.form()
    answers = {q.id: str(form[q.id]) for q in BRAIN_QUESTIONS if form.get(q.id)}
    try:
        core_of(request).answer_brain(context_of(request), answers)
    except InvalidValue as error:
        return _brain_page(request, error=error.message, status_code=422)
    return _brain_page(request, message="Your answers are saved. Thank you.")


@api_router.get("/brain", name="api_brain")
def api_brain(request: Request) -> dict[str, Any]:
    """The brain-health profile: LIBRA score and factors, WHO-5 windows, sleep."""
    return brain_json(core_of(request).brain(context_of(request)))
