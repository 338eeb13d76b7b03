"""The Brain page (/brain): the brain-health profile (LIBRA as room for improvement, the
Lancet Commission's other factors, WHO-5 two weeks at a time, sleep) and its questionnaire;
``GET /api/brain`` gives the same numbers as JSON and ``POST /api/brain`` takes the answers.
Everything goes through ``Core.brain`` and ``Core.answer_brain``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, create_model

from stridewise.core.validation import InvalidValue
from stridewise.present.brain_view import brain_json, brain_view
from stridewise.science.brain import BRAIN_QUESTIONS
from stridewise.web.deps import ERROR_RESPONSES, context_of, core_of, invalid_value
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


# -- JSON API ----------------------------------------------------------------------------


def _answers_model() -> type[BaseModel]:
    """The body of ``POST /api/brain``, one optional field per question of
    :data:`~stridewise.science.brain.BRAIN_QUESTIONS` with its choices (the one list of
    questions; nothing repeated here). Unknown keys are refused."""
    fields: dict[str, Any] = {
        q.id: (Literal[tuple(value for value, _ in q.choices)] | None,
               Field(None, description=q.text + (f" ({q.hint})" if q.hint else "")))
        for q in BRAIN_QUESTIONS}
    return create_model("BrainAnswersIn", __config__=ConfigDict(extra="forbid"), **fields)


if TYPE_CHECKING:
    class BrainAnswersIn(BaseModel):
        pass
else:
    BrainAnswersIn = _answers_model()


class LibraOut(BaseModel):
    score: float = Field(description="Room for improvement: higher is more room")
    min: float = Field(description="Lowest possible score (every protective factor, no risk)")
    max: float = Field(description="Highest possible score (every risk factor, no protective)")
    present: list[str] = Field(description="LIBRA factors counted")
    unknown: list[str] = Field(description="LIBRA factors not answered (counted 0)")
    room_for_improvement: list[str]
    about: str = Field(description="What the score is for and what it is not")
    alcohol_note: str


class InactivityOut(BaseModel):
    inactive: bool | None
    source: Literal["data", "answer", "unknown"] = Field(
        description="data: the last 4 weeks of records; answer: the questionnaire")
    weekly_moderate_equivalent_min: float | None


class FactorOut(BaseModel):
    id: str
    words: str
    status: Literal["present", "absent", "unknown"]
    answer: str
    libra_points: float | None = Field(description="Points it adds now; null: not scored")
    scored: bool
    lancet_2024: bool = Field(description="One of the Lancet Commission's 14 factors")
    source: Literal["answer", "data"]


class Who5WindowOut(BaseModel):
    start: date
    end: date
    percent: float | None = Field(description="WHO-5 out of 100; null without an answer")
    band: Literal["ok", "poor", "very_low", "none"] = Field(
        description="ok: 50 or more; poor: below 50; very_low: 28 or below (Topp 2015)")


class SleepOut(BaseModel):
    nights: int
    mean_h: float | None
    sd_h: float | None
    verdict: Literal["below", "within", "above", "unknown"]
    recommended_h: list[float] | None


class BrainOut(BaseModel):
    answered_on: date | None
    answers: dict[str, str]
    libra: LibraOut
    physical_inactivity: InactivityOut
    factors: list[FactorOut]
    who5: list[Who5WindowOut]
    sleep: SleepOut


@api_router.get("/brain", name="api_brain", response_model=BrainOut)
def api_brain(request: Request) -> dict[str, Any]:
    """The brain-health profile: LIBRA score and factors, WHO-5 windows, sleep."""
    return brain_json(core_of(request).brain(context_of(request)))


@api_router.post("/brain", name="api_brain_answer", response_model=BrainOut,
                 status_code=201)
def api_brain_answer(request: Request, body: BrainAnswersIn) -> dict[str, Any]:
    """Save answers to the brain-health questions (as the Brain page's form does) and return
    the profile they give. Each answer is ``yes``, ``no`` or ``unknown``; alcohol is
    ``none``, ``up_to_7``, ``8_to_21``, ``over_21`` or ``unknown`` (UK units a week).
    Questions left out are saved as ``unknown``; a question that is not asked, or an answer
    that is not one of its choices, is refused (422 naming it) and nothing is saved."""
    core, ctx = core_of(request), context_of(request)
    answers = {key: str(value) for key, value in body.model_dump(exclude_none=True).items()}
    try:
        core.answer_brain(ctx, answers)
    except InvalidValue as error:
        raise invalid_value(error) from error
    return brain_json(core.brain(ctx))
