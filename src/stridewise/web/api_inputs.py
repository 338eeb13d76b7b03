"""Typed bodies of ``POST /api/screenings``, mirroring ``ParqAnswers`` and ``BoneInputs`` of
:mod:`stridewise.science.screening` (their ``to_dict()`` shapes; fractures as
``{site, low_trauma, since_age_50, count}`` entries).

Yes/no answers are JSON ``true``/``false`` only and numbers must be JSON numbers within their
ranges, so a ``"no"`` is never read as yes and every refusal is a 422 naming the field.
"""

from __future__ import annotations

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from stridewise.science.parq import FOLLOW_UP_IDS
from stridewise.science.screening import (
    MAX_FRACTURES_PER_SITE,
    EnergyAvailability,
    Ethnicity,
    FractureSite,
    Sex,
)

_FOLLOW_UP_ENUM: list[JsonValue] = [*sorted(FOLLOW_UP_IDS)]


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
    age_years: StrictInt = Field(ge=0, le=120)
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
    since_age_50: StrictBool = True
    count: StrictInt = Field(1, ge=1, le=MAX_FRACTURES_PER_SITE)


class TriadIn(BaseModel):
    """The Female Athlete Triad risk factors (:class:`stridewise.science.triad.TriadInputs`)."""

    model_config = ConfigDict(extra="forbid")

    energy_availability: EnergyAvailability
    bmi_kg_m2: StrictFloat = Field(ge=8, le=80)
    age_at_menarche_years: StrictFloat | None = Field(
        ge=5, le=30, description="null when periods have not started")
    menses_last_12_months: StrictInt = Field(ge=0, le=20)
    bmd_z_score: StrictFloat | None = Field(ge=-6, le=6)
    bone_stress_injuries: StrictInt = Field(ge=0, le=50)
    stress_injury_at_trabecular_site: StrictBool = False


class BoneIn(BaseModel):
    """The bone-health answers (:class:`stridewise.science.screening.BoneInputs`)."""

    model_config = ConfigDict(extra="forbid")

    sex: Sex
    age_years: StrictInt = Field(ge=10, le=120)
    body_mass_kg: StrictFloat | None = Field(None, ge=20, le=400)
    ethnicity: Ethnicity = Ethnicity.OTHER
    fractures: list[FractureIn] = Field(default_factory=list)
    fracture_last_12_months: StrictBool = False
    osteoporosis_diagnosed: StrictBool = False
    femoral_neck_t_score: StrictFloat | None = Field(None, ge=-6, le=4)
    falls_last_12_months: StrictInt = Field(0, ge=0, le=365)
    glucocorticoids_over_3_months: StrictBool = False
    past_bone_stress_injury: StrictBool = False
    triad: TriadIn | None = None

    @model_validator(mode="after")
    def _triad_for_women_only(self) -> BoneIn:
        if self.triad is not None and self.sex is not Sex.FEMALE:
            raise ValueError("triad: the Female Athlete Triad score applies to women only")
        return self


class ScreeningIn(BaseModel):
    parq: ParqIn
    bone: BoneIn
