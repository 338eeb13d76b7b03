"""Bone-health screen: fracture history, bone density, OST, Garvan, Triad → impact level.

The bone-health screen follows the Strong, Steady and Straight consensus (Royal Osteoporosis
Society; Brooke-Wavell et al., *BJSM* 2022;56:837–846, doi:10.1136/bjsports-2021-104634 [V]):

* people without vertebral or multiple low-trauma fractures: strength training plus
  moderate impact, which includes jogging and running;
* "people with vertebral fracture or multiple low trauma fractures should usually exercise
  only up to an impact equivalent to brisk walking";
* people at risk of falls start with strength and balance training.

Rules, from least to most cautious (each rule can only lower the level, so adding a risk
factor never raises it):

==========================================================  =====================  ========
finding                                                     level                  grade
==========================================================  =====================  ========
none of the below                                           running                [V]
osteoporosis diagnosed, or T-score ≤ −2.5                   moderate_impact        [S] BHOF
one low-trauma fracture since 50 (not spine or hip)         moderate_impact        [S] BHOF
steroid tablets for more than 3 months                      moderate_impact        [U]
Garvan 5-year risk ≥ 10%                                    moderate_impact        [U]
Female Athlete Triad score ≥ 6 (restricted)                 up_to_brisk_walking    [V]
vertebral fracture (any adult age, any cause)               up_to_brisk_walking    [V]
two or more low-trauma fractures (any adult age)            up_to_brisk_walking    [V]
low-trauma hip fracture (any adult age)                     up_to_brisk_walking    [U]
any fracture in the last 12 months                          up_to_brisk_walking    [U]
==========================================================  =====================  ========

The consensus sets no age limit, so fractures count from age 18 (see
:mod:`stridewise.science.fracture_history`). One low-trauma fracture before 50 (not spine or
hip) leaves the level unchanged, as the consensus puts it in the moderate-impact group that
includes jogging, but it adds a reason and a doctor point [U]. Garvan counts only low-trauma
fractures since 50, as the model defines.

``moderate_impact`` means moderate impacts such as heel drops, stamping, stair climbing and low
hops. The consensus counts jogging as moderate impact, but stridewise's plans include no running
at this level: whether short, gentle jogging suits the person is a question for their doctor.
``balance_first`` on this result is set by any fall in the last 12 months [V] and kept for
stored results; the falls rules themselves (high risk -> the ``balance_first`` impact level)
live in :mod:`stridewise.science.falls`, a separate answer from bone fragility.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from stridewise.science.falls import FallsInputs
from stridewise.science.fracture_history import (
    Fracture,
    FractureSite,
    fractures_from_dicts,
    fractures_to_dicts,
    since_age_50_from,
    sorted_fractures,
    within_12_months,
)
from stridewise.science.fracture_risk import (
    Ethnicity,
    GarvanNotApplicable,
    GarvanRisk,
    Sex,
    garvan_risk,
    ost_band,
    ost_score,
)
from stridewise.science.triad import TriadClearance, TriadInputs, TriadResult, triad_risk

#: T-score at or below which bone density is in the osteoporosis range (WHO definition).
OSTEOPOROSIS_T_SCORE = -2.5


class ImpactLevel(StrEnum):
    """Highest impact permitted, declared from most to least permissive."""

    RUNNING = "running"
    MODERATE_IMPACT = "moderate_impact"
    UP_TO_BRISK_WALKING = "up_to_brisk_walking"
    #: High falls risk: a balance-and-strength phase, nothing harder than brisk walking, until
    #: a re-screen with no high-risk answer (science/falls.py).
    BALANCE_FIRST = "balance_first"

    @property
    def caution_rank(self) -> int:
        """0 for running, 1 for moderate impact, 2 for up to brisk walking, 3 for balance
        first."""
        return list(ImpactLevel).index(self)

    @staticmethod
    def most_cautious(*levels: ImpactLevel) -> ImpactLevel:
        return max(levels, key=lambda level: level.caution_rank)


@dataclass(frozen=True)
class BoneInputs:
    """What the bone-health screen asks.

    ``femoral_neck_t_score`` is the hip (femoral neck) T-score from a DXA scan, if known.
    ``triad`` is for women athletes who answered the Female Athlete Triad questions.
    ``fractures`` holds every adult broken bone, at any age; each says whether it was since 50.
    """

    sex: Sex
    age_years: int
    body_mass_kg: float | None = None
    ethnicity: Ethnicity = Ethnicity.OTHER
    fractures: tuple[Fracture, ...] = ()
    fracture_last_12_months: bool = False
    osteoporosis_diagnosed: bool = False
    femoral_neck_t_score: float | None = None
    falls_last_12_months: int = 0
    glucocorticoids_over_3_months: bool = False
    past_bone_stress_injury: bool = False
    triad: TriadInputs | None = None
    #: The falls follow-up questions (science/falls.py); asked with the bone questions.
    fall_injury: bool = False
    fall_could_not_get_up: bool = False
    fall_blackout: bool = False
    unsteady: bool = False
    fear_of_falling: bool = False
    #: What the person already walks (IPAQ-style: days a week with a walk of 10 minutes or
    #: more, and the minutes of a usual walk); None when not asked.
    walking_days_per_week: int | None = None
    walking_minutes_per_day: int | None = None
    #: The day of the screening and the birth year, from which dated fractures' recency and
    #: "since 50" are worked out (the faces set ``screened_on``; without a birth year it is
    #: the earliest one the age allows, the cautious side).
    screened_on: datetime.date | None = None
    birth_year: int | None = None

    def __post_init__(self) -> None:
        if not 10 <= self.age_years <= 120:
            raise ValueError(f"age_years must be between 10 and 120, got {self.age_years}")
        if self.body_mass_kg is not None and not 20 <= self.body_mass_kg <= 400:
            raise ValueError(f"body_mass_kg {self.body_mass_kg} is not plausible")
        if self.femoral_neck_t_score is not None and not -6 <= self.femoral_neck_t_score <= 4:
            raise ValueError(f"T-score {self.femoral_neck_t_score} is not plausible")
        if self.falls_last_12_months < 0:
            raise ValueError("falls_last_12_months cannot be negative")
        if self.triad is not None and self.sex is not Sex.FEMALE:
            raise ValueError("the Female Athlete Triad score applies to women only")
        if self.walking_days_per_week is not None and not 0 <= self.walking_days_per_week <= 7:
            raise ValueError("walking_days_per_week must be 0 to 7")
        if self.walking_minutes_per_day is not None and not (
                0 <= self.walking_minutes_per_day <= 600):
            raise ValueError("walking_minutes_per_day must be 0 to 600")
        fractures = self.fractures
        born = self.birth_year
        if born is None and self.screened_on is not None:
            born = self.screened_on.year - self.age_years - 1
        if born is not None:
            fractures = tuple(since_age_50_from(f, born) for f in fractures)
        object.__setattr__(self, "fractures", sorted_fractures(fractures))

    @property
    def recent_fracture(self) -> bool:
        """A fracture in the last 12 months: ticked, or worked out from a dated fracture."""
        on = self.screened_on
        return self.fracture_last_12_months or (
            on is not None and any(within_12_months(f, on) for f in self.fractures))

    @property
    def falls(self) -> FallsInputs:
        return FallsInputs(self.falls_last_12_months, self.fall_injury,
                           self.fall_could_not_get_up, self.fall_blackout, self.unsteady,
                           self.fear_of_falling)

    @property
    def low_trauma_fractures(self) -> tuple[Fracture, ...]:
        """Every adult fragility fracture, at any age (the impact-level rules use these)."""
        return tuple(f for f in self.fractures if f.low_trauma)

    @property
    def low_trauma_fractures_since_50(self) -> tuple[Fracture, ...]:
        """Fragility fractures at age 50 or later (the count Garvan is defined on)."""
        return tuple(f for f in self.low_trauma_fractures if f.since_age_50)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sex": self.sex.value,
            "age_years": self.age_years,
            "body_mass_kg": self.body_mass_kg,
            "ethnicity": self.ethnicity.value,
            "fractures": fractures_to_dicts(self.fractures),
            "fracture_last_12_months": self.fracture_last_12_months,
            "osteoporosis_diagnosed": self.osteoporosis_diagnosed,
            "femoral_neck_t_score": self.femoral_neck_t_score,
            "falls_last_12_months": self.falls_last_12_months,
            "glucocorticoids_over_3_months": self.glucocorticoids_over_3_months,
            "past_bone_stress_injury": self.past_bone_stress_injury,
            "triad": None if self.triad is None else self.triad.to_dict(),
            "fall_injury": self.fall_injury,
            "fall_could_not_get_up": self.fall_could_not_get_up,
            "fall_blackout": self.fall_blackout,
            "unsteady": self.unsteady,
            "fear_of_falling": self.fear_of_falling,
            "walking_days_per_week": self.walking_days_per_week,
            "walking_minutes_per_day": self.walking_minutes_per_day,
            "screened_on": None if self.screened_on is None else self.screened_on.isoformat(),
            "birth_year": self.birth_year,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BoneInputs:
        values = dict(data)
        values["sex"] = Sex(values["sex"])
        values["ethnicity"] = Ethnicity(values.get("ethnicity", Ethnicity.OTHER))
        # Screenings stored before every adult fracture was asked hold "fractures_since_50".
        values["fractures"] = fractures_from_dicts(
            [*values.get("fractures", ()), *values.pop("fractures_since_50", ())]
        )
        triad = values.get("triad")
        values["triad"] = None if triad is None else TriadInputs.from_dict(triad)
        if values.get("screened_on") is not None:
            values["screened_on"] = datetime.date.fromisoformat(str(values["screened_on"]))
        return cls(**values)


@dataclass(frozen=True)
class BoneHealthResult:
    impact_level: ImpactLevel
    balance_first: bool
    ost_score: float | None
    ost_band: str | None
    garvan: GarvanRisk | None
    garvan_refusal: str | None
    reasons: tuple[str, ...]
    doctor_points: tuple[str, ...]
    triad: TriadResult | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "impact_level": self.impact_level.value,
            "balance_first": self.balance_first,
            "ost_score": self.ost_score,
            "ost_band": self.ost_band,
            "garvan": None if self.garvan is None else self.garvan.to_dict(),
            "garvan_refusal": self.garvan_refusal,
            "reasons": list(self.reasons),
            "doctor_points": list(self.doctor_points),
            "triad": None if self.triad is None else self.triad.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BoneHealthResult:
        return cls(
            impact_level=ImpactLevel(data["impact_level"]),
            balance_first=bool(data["balance_first"]),
            ost_score=data["ost_score"],
            ost_band=data["ost_band"],
            garvan=None if data["garvan"] is None else GarvanRisk.from_dict(data["garvan"]),
            garvan_refusal=data["garvan_refusal"],
            reasons=tuple(data["reasons"]),
            doctor_points=tuple(data["doctor_points"]),
            triad=None if data.get("triad") is None else TriadResult.from_dict(data["triad"]),
        )


@dataclass
class _Findings:
    """Accumulates the level, reasons and doctor points while the rules run."""

    level: ImpactLevel = ImpactLevel.RUNNING
    reasons: list[str] = field(default_factory=list)
    doctor_points: list[str] = field(default_factory=list)

    def lower(self, level: ImpactLevel, reason: str, doctor_point: str | None = None) -> None:
        self.level = ImpactLevel.most_cautious(self.level, level)
        self.reasons.append(reason)
        if doctor_point:
            self.doctor_points.append(doctor_point)


def _fracture_rules(inputs: BoneInputs, findings: _Findings) -> None:
    """Every adult fracture counts: the consensus sets no age limit."""
    low_trauma = inputs.low_trauma_fractures
    if inputs.recent_fracture:
        findings.lower(
            ImpactLevel.UP_TO_BRISK_WALKING,
            "You broke a bone in the last 12 months. Running is not advised until it has "
            "healed and your doctor agrees.",
            "I broke a bone in the last year. Has it healed, and when may I start impact "
            "exercise such as jogging?",
        )
    if any(f.site is FractureSite.VERTEBRAL for f in inputs.fractures):
        findings.lower(
            ImpactLevel.UP_TO_BRISK_WALKING,
            "You have had a fracture of the spine (vertebral fracture). Experts advise impact "
            "up to brisk walking, with strength training, rather than running.",
            "I have had a spinal (vertebral) fracture. Which exercises are safe for my back?",
        )
    if len(low_trauma) >= 2:
        findings.lower(
            ImpactLevel.UP_TO_BRISK_WALKING,
            f"You have had {len(low_trauma)} broken bones from minor falls or less as an adult. "
            "Experts advise impact up to brisk walking, with strength training, rather than "
            "running.",
            "I have had more than one fracture from a minor fall. Is my bone health being "
            "treated, and what exercise is right for me?",
        )
    elif any(f.site is FractureSite.HIP for f in low_trauma):
        findings.lower(
            ImpactLevel.UP_TO_BRISK_WALKING,
            "You have had a hip fracture from a minor fall. Running is not advised without your "
            "doctor's agreement; strength, balance and brisk walking are the safe start.",
            "I have had a hip fracture from a minor fall. Could I ever build up to jogging?",
        )
    elif inputs.low_trauma_fractures_since_50:
        findings.lower(
            ImpactLevel.MODERATE_IMPACT,
            "You have had one fracture from a minor fall since age 50. Moderate impact "
            "exercise is encouraged; check with your doctor before continuous running.",
            "I broke a bone in a minor fall after age 50. Have I been checked for "
            "osteoporosis, and is running suitable for me?",
        )
    elif low_trauma:
        findings.reasons.append(
            "You broke a bone in a minor fall before age 50. On its own this does not rule out "
            "running, but bones that break easily are worth mentioning to your doctor."
        )
        findings.doctor_points.append(
            "I broke a bone in a minor fall before age 50. Should my bone health be checked?"
        )


def _density_rules(inputs: BoneInputs, findings: _Findings) -> None:
    t_score = inputs.femoral_neck_t_score
    low_t_score = t_score is not None and t_score <= OSTEOPOROSIS_T_SCORE
    if inputs.osteoporosis_diagnosed or low_t_score:
        what = "a diagnosis of osteoporosis"
        if low_t_score and t_score is not None:
            what = f"a hip T-score of {t_score:.1f}"
        findings.lower(
            ImpactLevel.MODERATE_IMPACT,
            f"You have {what}. Moderate impact and strength training help bones; continuous "
            "running should be agreed with your doctor first.",
            "Given my bone density, may I run, and is my treatment up to date?",
        )
    elif t_score is not None and t_score < -1:
        findings.reasons.append(
            f"Your hip T-score of {t_score:.1f} is below average (the osteopenia range). "
            "On its own this does not rule out running; build up gradually."
        )
        findings.doctor_points.append(
            "My bone density is below average. When should it be checked again?"
        )
    if inputs.glucocorticoids_over_3_months:
        findings.lower(
            ImpactLevel.MODERATE_IMPACT,
            "You have taken steroid tablets for more than 3 months, which can weaken bones. "
            "Please check with your doctor before continuous running.",
            "I have taken steroid tablets for more than 3 months. Do I need a bone density "
            "scan or bone protection?",
        )


#: The bone screen's reason when it found nothing; said only where running is allowed.
NO_BONE_CONCERN = ("Nothing in your answers suggests your bones need special care: running is "
                   "a good way to keep them strong. Build up gradually.")
#: The same finding where the whole screening does not allow running (falls, readiness): it
#: must not speak of running beside "Running allowed now: no".
NO_BONE_CONCERN_NO_RUNNING = ("Nothing in your answers about your bones suggests they need "
                              "special care; the limits for now come from your other answers.")


def screen_bone(inputs: BoneInputs) -> BoneHealthResult:
    """Bone-health screen: OST, Garvan risk, Triad score and the permitted impact level.

    See the module docstring for the rules and their evidence grades.
    """
    findings = _Findings()
    _fracture_rules(inputs, findings)
    _density_rules(inputs, findings)

    score: float | None = None
    band: str | None = None
    if inputs.body_mass_kg is not None:
        score = ost_score(inputs.body_mass_kg, inputs.age_years)
        band = ost_band(score, inputs.sex, inputs.ethnicity)
        if band in ("high", "moderate") and inputs.femoral_neck_t_score is None:
            findings.doctor_points.append(
                f"My OST score is {score:.1f} ({band}). Would a bone density (DXA) scan be "
                "useful for me?"
            )

    garvan: GarvanRisk | None = None
    refusal: str | None = None
    try:
        garvan = garvan_risk(
            inputs.sex,
            inputs.age_years,
            inputs.femoral_neck_t_score,
            len(inputs.low_trauma_fractures_since_50),
            inputs.falls_last_12_months,
        )
    except GarvanNotApplicable as error:
        refusal = error.reason
    if garvan is not None and garvan.high_risk:
        findings.lower(
            ImpactLevel.MODERATE_IMPACT,
            f"Your estimated fracture risk (Garvan) is {garvan.describe()}, which counts as "
            "high. Moderate impact is encouraged; agree any running with your doctor.",
            f"My Garvan fracture risk is {garvan.describe()}. Should we discuss treatment?",
        )

    triad: TriadResult | None = None
    if inputs.triad is not None:
        triad = triad_risk(inputs.triad, age_years=inputs.age_years)
        if triad.clearance is TriadClearance.RESTRICTED:
            findings.lower(ImpactLevel.UP_TO_BRISK_WALKING, triad.reasons[0])
            findings.reasons.extend(triad.reasons[1:])
        else:
            findings.reasons.extend(triad.reasons)
        if triad.clearance is not TriadClearance.FULL:
            findings.doctor_points.append(
                f"My Female Athlete Triad score is {triad.total}. Can we agree a plan for "
                "eating, periods and bone health?"
            )

    if inputs.past_bone_stress_injury:
        findings.reasons.append(
            "You have had a bone stress injury before, so build up distance slowly and stop "
            "if you feel pain in one spot on a bone."
        )
        findings.doctor_points.append(
            "I have had a bone stress injury before. Is there anything I should check (for "
            "example vitamin D, diet, periods) before I build up my running?"
        )

    # Falls are their own answer (science/falls.py, ScreeningResult.falls); the flag stays
    # here for stored results.
    balance_first = inputs.falls_last_12_months > 0
    if not findings.reasons:
        findings.reasons.append(NO_BONE_CONCERN)
    return BoneHealthResult(
        impact_level=findings.level,
        balance_first=balance_first,
        ost_score=score,
        ost_band=band,
        garvan=garvan,
        garvan_refusal=refusal,
        reasons=tuple(findings.reasons),
        doctor_points=tuple(findings.doctor_points),
        triad=triad,
    )
