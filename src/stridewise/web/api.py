"""The JSON API under ``/api``: everything the pages show, with OpenAPI docs at ``/api/docs``.

The pages and the API call the same layers (store, science, series), so the two never
disagree. Plan and Today endpoints live beside their pages in :mod:`stridewise.web.today_plan`.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request, UploadFile
from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)

from stridewise.activity import ManualSession
from stridewise.core.validation import NOTES_MAX_CHARS, RANGES
from stridewise.present.trend_charts import weekly
from stridewise.science.screening import BoneInputs, ParqAnswers, ScreeningResult
from stridewise.store import CheckInInput
from stridewise.web.activities import bone_stimulus
from stridewise.web.api_inputs import ScreeningIn
from stridewise.web.deps import (
    ERROR_RESPONSES,
    athlete_id_of,
    context_of,
    core_of,
    existing_id,
    invalid_value,
    store_of,
)
from stridewise.web.evidence import evidence_sections
from stridewise.web.imports import display_name, import_uploads

router = APIRouter(prefix="/api", tags=["data"], responses=ERROR_RESPONSES)

#: A finite JSON number (NaN and infinity are not numbers a person types).
Number = Annotated[StrictFloat, Field(allow_inf_nan=False)]
Who5Answer = Annotated[StrictInt, Field(ge=RANGES["who5_item"].low,
                                        le=RANGES["who5_item"].high)]


def _iso_day(value: Any) -> Any:
    # Lax parsing would read "0" as 1970-01-01 (a Unix time); a day is written YYYY-MM-DD.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


IsoDay = Annotated[date, BeforeValidator(_iso_day)]


def _iso_moment(value: Any) -> Any:
    # Lax parsing would read "-1" or "1700000000" as a Unix time; a moment is ISO 8601.
    if isinstance(value, str) and not re.match(r"\d{4}-\d{2}-\d{2}[Tt ]\d", value):
        raise ValueError("a date and time is written like 2026-03-02T07:30:00Z")
    return value


#: A date and time with its offset, written ISO 8601 (never a number of seconds).
IsoMoment = Annotated[AwareDatetime, BeforeValidator(_iso_moment)]


class ProfileOut(BaseModel):
    sex: str | None
    birth_year: int | None
    resting_hr_bpm: float | None
    resting_hr_estimated: bool
    max_hr_bpm: float | None
    max_hr_estimated: bool
    units: str
    time_zone: str
    body_mass_kg: float | None = Field(description="Latest recorded body mass")


class ActivityOut(BaseModel):
    id: int
    sport: str
    start_time_utc: datetime
    elapsed_s: float
    moving_s: float
    distance_m: float | None
    ascent_m: float | None
    avg_heart_rate_bpm: float | None
    max_heart_rate_bpm: float | None
    avg_speed_mps: float | None
    steps: int | None
    rpe: float | None
    source_format: str
    name: str | None


class BoneStimulusOut(BaseModel):
    session_osteogenic_index: float
    walking_osteogenic_index: float = Field(description="The same minutes of ordinary walking")
    cadence_estimated: bool


class ActivityDetailOut(ActivityOut):
    bone_stimulus: BoneStimulusOut | None
    warnings: list[str]


class StreamOut(BaseModel):
    columns: dict[str, list[float | None]] = Field(
        description="Per-record columns (units in the names), thinned to at most 1500 points")


class ScreeningOut(BaseModel):
    id: int
    taken_at_utc: datetime
    permitted_impact: str
    may_run: bool
    can_start: bool
    reasons: list[str] = Field(description="Why, in plain words: readiness, bones, falls, "
                                           "worded for the whole result")
    result: dict[str, Any]


# Types are strict (issue 11): "5" is not 5 and "yes" is not true; the bounds are
# core.validation's RANGES (shown in the schema), which the core checks again.
class SessionIn(BaseModel):
    kind: Literal["run", "walk", "strength", "balance", "impact", "other"]
    start_time_utc: IsoMoment = Field(description="Not in the future, not before 1950")
    duration_s: Number = Field(ge=RANGES["duration_s"].low, le=RANGES["duration_s"].high)
    distance_m: Number | None = Field(None, ge=RANGES["distance_m"].low,
                                      le=RANGES["distance_m"].high)
    rpe: Number | None = Field(None, ge=RANGES["rpe"].low, le=RANGES["rpe"].high,
                               description="CR-10 effort, 0 to 10")
    notes: StrictStr | None = Field(None, max_length=NOTES_MAX_CHARS)


class SessionOut(BaseModel):
    id: int
    kind: str
    start_time_utc: datetime
    duration_s: float
    distance_m: float | None
    rpe: float | None
    notes: str | None


class CheckInIn(BaseModel):
    at_utc: IsoMoment = Field(description="Not in the future, not before 1950")
    pain_site: StrictStr | None = Field(None, max_length=200,
                                        description="Where it hurts; needed with pain above 0")
    pain_score: StrictInt | None = Field(None, ge=RANGES["pain_score"].low,
                                         le=RANGES["pain_score"].high, description="0 to 10")
    pain_timing: Literal["during", "after", "next_morning", "at_rest", "at_night"] | None = None
    pain_localised_bone: StrictBool | None = None
    fell: StrictBool | None = None
    sleep_hours: Number | None = Field(None, ge=RANGES["sleep_hours"].low,
                                       le=RANGES["sleep_hours"].high)
    sleep_quality: StrictInt | None = Field(None, ge=RANGES["sleep_quality"].low,
                                            le=RANGES["sleep_quality"].high,
                                            description="1 to 5")
    who5: tuple[Who5Answer, Who5Answer, Who5Answer, Who5Answer, Who5Answer] | None = Field(
        None, description="five answers, 0-5")
    energy: StrictInt | None = Field(None, ge=RANGES["energy"].low, le=RANGES["energy"].high,
                                     description="1 to 5")
    notes: StrictStr | None = Field(None, max_length=NOTES_MAX_CHARS)


class CheckInOut(BaseModel):
    id: int
    at_utc: datetime
    pain_site: str | None
    pain_score: int | None
    pain_timing: str | None
    pain_localised_bone: bool | None
    fell: bool | None
    sleep_hours: float | None
    sleep_quality: int | None
    who5: list[int] | None
    energy: int | None
    notes: str | None


class CreatedOut(BaseModel):
    id: int


class FileResultOut(BaseModel):
    source_name: str
    status: str
    reason: str | None
    activity_ids: list[int]


class EvidenceOut(BaseModel):
    slug: str
    title: str
    source: str
    html: str


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict(orient="records"):
        record = {str(k): _finite(v) for k, v in row.items()}
        if "date" in record:
            record["date"] = pd.Timestamp(record["date"]).date().isoformat()
        out.append(record)
    return out


@router.get("/profile", response_model=ProfileOut)
def get_profile(request: Request) -> ProfileOut:
    with store_of(request).transaction() as tx:
        athlete = tx.get_athlete(athlete_id_of(request))
        mass = tx.latest_body_mass(athlete_id_of(request))
    if athlete is None:
        raise HTTPException(status_code=404, detail="No profile yet.")
    return ProfileOut(
        sex=athlete.sex, birth_year=athlete.birth_year, resting_hr_bpm=athlete.resting_hr_bpm,
        resting_hr_estimated=athlete.resting_hr_estimated, max_hr_bpm=athlete.max_hr_bpm,
        max_hr_estimated=athlete.max_hr_estimated, units=athlete.units,
        time_zone=athlete.time_zone, body_mass_kg=mass.mass_kg if mass else None,
    )


def _activity_out(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ActivityOut.model_fields}


@router.get("/activities", response_model=list[ActivityOut])
def list_activities(request: Request, limit: int = Query(50, ge=1, le=1000),
                    offset: int = Query(0, ge=0, le=10**9)) -> list[ActivityOut]:
    """Activities, newest first."""
    with store_of(request).transaction() as tx:
        rows = tx.list_activities(athlete_id_of(request), newest_first=True,
                                  limit=limit + offset)[offset:]
    return [ActivityOut(**_activity_out(r)) for r in rows]


@router.get("/activities/{activity_id}", response_model=ActivityDetailOut)
def get_activity(request: Request, activity_id: int) -> ActivityDetailOut:
    existing_id(activity_id, "activity")
    with store_of(request).transaction() as tx:
        row = tx.get_activity(athlete_id_of(request), activity_id)
    if row is None:
        raise HTTPException(status_code=404, detail="No such activity.")
    bone = bone_stimulus(row)
    return ActivityDetailOut(
        **_activity_out(row), warnings=list(row.warnings),
        bone_stimulus=None if bone is None else BoneStimulusOut(
            session_osteogenic_index=bone.session_oi, walking_osteogenic_index=bone.walking_oi,
            cadence_estimated=bone.estimated),
    )


@router.get("/activities/{activity_id}/stream", response_model=StreamOut)
def get_activity_stream(request: Request, activity_id: int) -> StreamOut:
    existing_id(activity_id, "activity")
    with store_of(request).transaction() as tx:
        row = tx.get_activity(athlete_id_of(request), activity_id)
        if row is None:
            raise HTTPException(status_code=404, detail="No such activity.")
        records = tx.get_stream(athlete_id_of(request), activity_id) or {}
    n = len(next(iter(records.values()))) if records else 0
    step = max(1, math.ceil(n / 1500))
    return StreamOut(columns={name: [_finite(float(v)) for v in values[::step]]
                              for name, values in records.items()})


@router.get("/series")
def get_series(request: Request, since: IsoDay | None = None) -> list[dict[str, Any]]:
    """The daily series (one object per day): load, fitness/fatigue/form, ACWR, monotony,
    strain, bone stimulus, WHO minutes, MET-minutes, pain. NaN is returned as null.
    ``since`` is a day (YYYY-MM-DD)."""
    series = core_of(request).series(context_of(request))
    if since is not None and not series.empty:
        # Compared as days: pandas timestamps stop at 1677, a requested day need not.
        series = series[pd.to_datetime(series["date"]).dt.date >= since]
    return _records(series)


@router.get("/series/weekly")
def get_weekly(request: Request) -> list[dict[str, Any]]:
    """Weekly sums (weeks start on Monday) of minutes, distance, load and bone stimulus."""
    series = core_of(request).series(context_of(request))
    if series.empty:
        return []
    columns = [c for c in ("duration_min", "distance_m", "run_distance_m", "load_srpe",
                           "who_equivalent_min", "moderate_min", "vigorous_min", "met_min",
                           "bone_stimulus", "walking_equivalent_stimulus") if c in series]
    return _records(weekly(series, columns))


def _checkin_out(row: Any) -> CheckInOut:
    return CheckInOut(**{f: getattr(row, f) for f in CheckInOut.model_fields})


@router.get("/checkins", response_model=list[CheckInOut])
def list_checkins(request: Request) -> list[CheckInOut]:
    with store_of(request).transaction() as tx:
        rows = tx.list_checkins(athlete_id_of(request))
    return [_checkin_out(r) for r in rows]


@router.get("/checkins/{checkin_id}", response_model=CheckInOut)
def get_checkin(request: Request, checkin_id: int) -> CheckInOut:
    existing_id(checkin_id, "check-in")
    with store_of(request).transaction() as tx:
        row = tx.get_checkin(athlete_id_of(request), checkin_id)
    if row is None:
        raise HTTPException(status_code=404, detail="No such check-in.")
    return _checkin_out(row)


def _session_out(row: Any) -> SessionOut:
    return SessionOut(**{f: getattr(row, f) for f in SessionOut.model_fields})


@router.get("/sessions", response_model=list[SessionOut])
def list_sessions(request: Request) -> list[SessionOut]:
    """Sessions logged by hand (or from a CSV log), oldest first."""
    with store_of(request).transaction() as tx:
        rows = tx.list_manual_sessions(athlete_id_of(request))
    return [_session_out(r) for r in rows]


@router.get("/sessions/{session_id}", response_model=SessionOut)
def get_session(request: Request, session_id: int) -> SessionOut:
    existing_id(session_id, "session")
    with store_of(request).transaction() as tx:
        row = tx.get_manual_session(athlete_id_of(request), session_id)
    if row is None:
        raise HTTPException(status_code=404, detail="No such session.")
    return _session_out(row)


class CheckInCreatedOut(BaseModel):
    id: int
    pain_action: str = Field(description="The pain rules' answer: continue, hold, reduce or "
                                         "stop")
    pain_reason: str | None = Field(description="Why, in plain words (null without pain)")
    plan_changes: list[str] = Field(description="Changes made to the plan, each with its "
                                                "reason")


@router.post("/checkins", response_model=CheckInCreatedOut, status_code=201)
def create_checkin(request: Request, body: CheckInIn) -> CheckInCreatedOut:
    """Store a check-in (pain, sleep, WHO-5, energy), apply the pain rules and re-plan, as the
    Log page does."""
    try:
        checkin = CheckInInput(**body.model_dump())
        outcome = core_of(request).record_checkin(context_of(request), checkin)
    except ValueError as error:
        raise invalid_value(error, sent=body.model_dump(mode="json")) from error
    decision = outcome.decision
    return CheckInCreatedOut(id=outcome.row.id,
                             pain_action=decision.action.value if decision else "continue",
                             pain_reason=decision.reason if decision else None,
                             plan_changes=list(outcome.changes))


@router.post("/sessions", response_model=CreatedOut, status_code=201)
def create_session(request: Request, body: SessionIn) -> CreatedOut:
    """Store a session logged by hand."""
    try:
        entry = ManualSession(**body.model_dump())
        row = core_of(request).log_session(context_of(request), entry)
    except ValueError as error:
        raise invalid_value(error, sent=body.model_dump(mode="json")) from error
    return CreatedOut(id=row.id)


def _screening_out(row: Any) -> ScreeningOut:
    result = ScreeningResult.from_dict(row.result)
    return ScreeningOut(id=row.id, taken_at_utc=row.taken_at_utc,
                        permitted_impact=result.permitted_impact.value, may_run=result.may_run,
                        can_start=result.can_start, reasons=list(result.reasons),
                        result=row.result)


@router.get("/screenings", response_model=list[ScreeningOut])
def list_screenings(request: Request) -> list[ScreeningOut]:
    with store_of(request).transaction() as tx:
        rows = tx.list_screenings(athlete_id_of(request))
    return [_screening_out(r) for r in rows]


@router.get("/screenings/{screening_id}", response_model=ScreeningOut)
def get_screening(request: Request, screening_id: int) -> ScreeningOut:
    existing_id(screening_id, "screening")
    with store_of(request).transaction() as tx:
        row = tx.get_screening(athlete_id_of(request), screening_id)
    if row is None:
        raise HTTPException(status_code=404, detail="No such screening.")
    return _screening_out(row)


class ProfileFillOut(BaseModel):
    """What a screening's answers add to the profile: only what it lacks (sex, birth year)
    or a weight that differs from the latest weighing; null fields add nothing."""

    sex: str | None
    birth_year: int | None
    body_mass_kg: float | None


class ScreeningCreatedOut(ScreeningOut):
    plan_changes: list[str] = Field(description="Changes made to the plan, each with its "
                                                "reason")
    profile_filled: ProfileFillOut | None = Field(
        description="What was saved to the profile (with save_profile=true); null if nothing")
    profile_could_fill: ProfileFillOut | None = Field(
        description="What save_profile=true would have saved; null if nothing or saved")


def _fill_out(fill: Any) -> ProfileFillOut | None:
    return ProfileFillOut(sex=fill.sex, birth_year=fill.birth_year,
                          body_mass_kg=fill.body_mass_kg) if fill else None


@router.post("/screenings", response_model=ScreeningCreatedOut, status_code=201)
def create_screening(
        request: Request, body: ScreeningIn,
        save_profile: Annotated[bool, Query(description=(
            "Also put the sex, age (as a birth year) and weight given into the profile, so "
            "they are not asked again, as the CLI does after a yes (Core.submit_screening)."
        ))] = False) -> ScreeningCreatedOut:
    """Run the readiness and bone-health screens on the answers, store the result and re-plan
    (a result that needs a doctor first cancels the rest of the plan). With
    ``save_profile=true`` what the answers tell (sex, birth year, weight) fills the profile
    where it lacks them; without it, ``profile_could_fill`` says what it would add."""
    core, ctx = core_of(request), context_of(request)
    answers = ParqAnswers.from_dict(body.parq.model_dump())
    bone = BoneInputs.from_dict(body.bone.model_dump(mode="json"))
    could = core.screening_profile_fill(ctx, bone) if not save_profile else None
    try:
        outcome = core.submit_screening(ctx, answers, bone, fill_profile=save_profile)
    except ValueError as error:  # a broken bone dated before the profile's birth year
        raise invalid_value(error) from error
    return ScreeningCreatedOut(**_screening_out(outcome.row).model_dump(),
                               plan_changes=list(outcome.changes),
                               profile_filled=_fill_out(outcome.profile_filled),
                               profile_could_fill=_fill_out(could))


@router.post("/import", response_model=list[FileResultOut])
def import_files(request: Request, files: list[UploadFile]) -> list[FileResultOut]:
    """Import activity files or export archives; one result per file."""
    report = import_uploads(request, [f for f in files if f.filename])
    return [FileResultOut(source_name=display_name(r.source_name), status=r.status, reason=r.reason,
                          activity_ids=r.activity_ids) for r in report.files]


@router.get("/evidence", response_model=list[EvidenceOut])
def list_evidence() -> list[EvidenceOut]:
    """Every metric's formula, reference and evidence grade (rendered science notes)."""
    return [EvidenceOut(slug=s.slug, title=s.title, source=s.source, html=str(s.body_html))
            for s in evidence_sections()]
