"""The screening answers as typed models, used by every face that takes them as JSON: the body
of ``POST /api/screenings`` and the CLI's ``stridewise screen --answers FILE`` (whose JSON
Schema ``stridewise screen --schema`` prints; docs/screening-answers.md has a complete
example). They mirror ``ParqAnswers`` and ``BoneInputs`` of :mod:`stridewise.science.screening`
(their ``to_dict()`` shapes; fractures as ``{site, low_trauma, since_age_50, count, year,
month}`` entries).

Yes/no answers are JSON ``true``/``false`` only and numbers must be JSON numbers within their
ranges, so a ``"no"`` is never read as yes and every refusal names the field
(:func:`error_text`).
"""

from __future__ import annotations

import datetime
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from stridewise.core.validation import RANGES
from stridewise.science.parq import FOLLOW_UP_IDS
from stridewise.science.screening import (
    MAX_FRACTURES_PER_SITE,
    EnergyAvailability,
    Ethnicity,
    FractureSite,
    Sex,
)

_FOLLOW_UP_ENUM: list[JsonValue] = [*sorted(FOLLOW_UP_IDS)]


def _lo(field: str) -> float:
    """The lowest value ``core.validation.RANGES`` allows (one set of limits for all faces)."""
    return RANGES[field].low


def _hi(field: str) -> float:
    """The highest value ``core.validation.RANGES`` allows."""
    return RANGES[field].high

class ParqIn(BaseModel):
    """The PAR-Q+ answers (:class:`stridewise.science.screening.ParqAnswers`); yes/no answers
    are JSON ``true``/``false`` only, so a ``"no"`` is refused rather than read as yes."""

    model_config = ConfigDict(extra="forbid")

    heart_condition_or_high_blood_pressure: StrictBool
    chest_pain: StrictBool
    dizziness_or_fainting: StrictBool
    other_chronic_condition: StrictBool
    medication_for_chronic_condition: StrictBool
    bone_joint_or_soft_tissue_problem: StrictBool
    told_supervised_activity_only: StrictBool
    age_years: StrictInt = Field(ge=_lo("age_years"), le=_hi("age_years"))
    used_to_vigorous_effort: StrictBool
    temporary_illness: StrictBool = False
    pregnant: StrictBool = False
    health_changed: StrictBool = False
    follow_up_yes: list[StrictStr] = Field(
        default_factory=list, json_schema_extra={"items": {"enum": _FOLLOW_UP_ENUM}},
        description="Ids of the follow-up questions answered yes")

    @field_validator("follow_up_yes")
    @classmethod
    def _known_follow_ups(cls, ids: list[str]) -> list[str]:
        unknown = sorted(set(ids) - FOLLOW_UP_IDS)
        if unknown:
            raise ValueError(f"unknown follow-up question ids: {', '.join(unknown)}")
        return ids


class FractureIn(BaseModel):
    """One kind of adult broken bone and how many (an entry of ``BoneInputs.to_dict()``)."""

    model_config = ConfigDict(extra="forbid")

    site: FractureSite
    low_trauma: StrictBool = Field(description="From a fall from standing height or less, or "
                                               "with no fall at all")
    since_age_50: StrictBool = Field(True, description="Ignored when the year is given: "
                                     "worked out from the year and the birth year")
    count: StrictInt = Field(1, ge=1, le=MAX_FRACTURES_PER_SITE)
    year: StrictInt | None = Field(None, ge=_lo("birth_year"), le=_hi("birth_year"),
                                    description="Year of the break")
    month: StrictInt | None = Field(None, ge=1, le=12, description="Month, if known")

    @model_validator(mode="after")
    def _month_needs_a_year(self) -> FractureIn:
        if self.month is not None and self.year is None:
            raise ValueError("month: give the year as well")
        return self


class TriadIn(BaseModel):
    """The Female Athlete Triad risk factors (:class:`stridewise.science.triad.TriadInputs`)."""

    model_config = ConfigDict(extra="forbid")

    energy_availability: EnergyAvailability
    bmi_kg_m2: StrictFloat = Field(ge=_lo("bmi_kg_m2"), le=_hi("bmi_kg_m2"))
    age_at_menarche_years: StrictFloat | None = Field(
        ge=_lo("age_at_menarche_years"), le=_hi("age_at_menarche_years"),
        description="null when periods have not started")
    menses_last_12_months: StrictInt = Field(ge=_lo("menses_last_12_months"),
                                            le=_hi("menses_last_12_months"))
    bmd_z_score: StrictFloat | None = Field(ge=_lo("z_score"), le=_hi("z_score"))
    bone_stress_injuries: StrictInt = Field(ge=_lo("bone_stress_injuries"),
                                           le=_hi("bone_stress_injuries"))
    stress_injury_at_trabecular_site: StrictBool = False


class BoneIn(BaseModel):
    """The bone-health answers (:class:`stridewise.science.screening.BoneInputs`)."""

    model_config = ConfigDict(extra="forbid")

    sex: Sex
    age_years: StrictInt = Field(ge=_lo("age_years"), le=_hi("age_years"))
    body_mass_kg: StrictFloat | None = Field(None, ge=_lo("body_mass_kg"),
                                             le=_hi("body_mass_kg"))
    ethnicity: Ethnicity = Ethnicity.OTHER
    fractures: list[FractureIn] = Field(default_factory=list)
    fractures_since_50: list[FractureIn] = Field(
        default_factory=list, deprecated=True,
        description="The older shape of 'fractures' (read as breaks since age 50); still read")
    fracture_last_12_months: StrictBool = False
    osteoporosis_diagnosed: StrictBool = False
    femoral_neck_t_score: StrictFloat | None = Field(None, ge=_lo("t_score"), le=_hi("t_score"))
    falls_last_12_months: StrictInt = Field(0, ge=_lo("falls_last_12_months"),
                                           le=_hi("falls_last_12_months"))
    glucocorticoids_over_3_months: StrictBool = False
    past_bone_stress_injury: StrictBool = False
    triad: TriadIn | None = None
    fall_injury: StrictBool = False
    fall_could_not_get_up: StrictBool = False
    fall_blackout: StrictBool = False
    unsteady: StrictBool = Field(False, description="Feels unsteady when standing or walking")
    fear_of_falling: StrictBool = Field(False, description="Worries about falling")
    walking_days_per_week: StrictInt | None = Field(
        None, ge=_lo("walking_days_per_week"), le=_hi("walking_days_per_week"),
        description="Days a week with a walk of at least 10 minutes")
    walking_minutes_per_day: StrictInt | None = Field(
        None, ge=_lo("walking_minutes_per_day"), le=_hi("walking_minutes_per_day"),
        description="Minutes walked on such a day, in all")
    birth_year: StrictInt | None = Field(
        None, ge=_lo("birth_year"), le=_hi("birth_year"),
        description="Dated fractures: 'since 50' from the year")
    screened_on: datetime.date | None = Field(
        None, description="Day of the screening, YYYY-MM-DD (default: today); dated "
                          "fractures' recency is counted from it")

    @model_validator(mode="after")
    def _fracture_dates_possible(self) -> BoneIn:
        """No broken bone dated in the future or before birth (core.validation)."""
        from stridewise import clock
        from stridewise.core import validation

        today = self.screened_on or clock.now_utc().date()
        for name in ("fractures", "fractures_since_50"):
            # __dict__: reading the deprecated field as an attribute warns.
            for k, fracture in enumerate(self.__dict__.get(name) or []):
                try:
                    validation.check_fracture_dates(
                        [(fracture.year, fracture.month)], today=today,
                        birth_year=self.birth_year, age_years=self.age_years)
                except validation.InvalidValue as error:
                    raise ValueError(f"{name}.{k}.year: {error.message}") from None
        return self

    @model_validator(mode="after")
    def _triad_for_women_only(self) -> BoneIn:
        if self.triad is not None and self.sex is not Sex.FEMALE:
            raise ValueError("triad: the Female Athlete Triad score applies to women only")
        return self


class ScreeningIn(BaseModel):
    """A whole screening: the readiness answers and the bone and falls answers."""

    model_config = ConfigDict(extra="forbid")

    parq: ParqIn
    bone: BoneIn

    def answers(self) -> tuple[Any, Any]:
        """The science inputs: (ParqAnswers, BoneInputs)."""
        from stridewise.science.screening import BoneInputs, ParqAnswers

        return (ParqAnswers.from_dict(self.parq.model_dump(mode="json")),
                BoneInputs.from_dict(self.bone.model_dump(mode="json")))


def error_text(error: ValidationError) -> str:
    """Every refusal, one per line, each naming its field: ``parq.chest_pain: Input should be
    a valid boolean``."""
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "answers"
        lines.append(f"{where}: {item['msg']}")
    return "; ".join(lines)
