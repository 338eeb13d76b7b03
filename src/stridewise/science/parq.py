"""Readiness to exercise: the seven PAR-Q+ questions and their follow-up logic.

The questions are data (:data:`PARQ_QUESTIONS`, :data:`FOLLOW_UP_CATEGORIES`) so the CLI, the
web form and the doctor summary all ask and show the same words. The wording here is our own
plain paraphrase of the PAR-Q+, not the copyrighted form itself.

Logic (PAR-Q+ 2019/2021 [V], with two documented cautious choices marked *):

* any follow-up answered *yes* → ``see_professional`` (PAR-Q+: complete the ePARmed-X+ or see a
  qualified exercise professional);
* *chest pain, dizziness/fainting, or being told to exercise only under medical supervision →
  ``see_professional`` even when no follow-up was answered (these are the questions where
  starting unsupervised is least safe);
* temporary illness, pregnancy or a change in health → ``delay``;
* a *yes* to any of the seven questions, with every follow-up *no* → ``cleared_start_slowly``
  (PAR-Q+: low-to-moderate exercise, 20–60 min, 3–5 days a week, building to 150 min/week);
* all *no* → ``cleared``; *aged 45 or older and not used to vigorous effort →
  ``cleared_start_slowly`` (PAR-Q+ asks such people to see a qualified exercise professional
  before vigorous or maximal effort).

References
----------
Warburton DER, Jamnik VK, Bredin SSD, Gledhill N. The 2021 Physical Activity Readiness
Questionnaire for Everyone (PAR-Q+) and electronic Physical Activity Readiness Medical
Examination (ePARmed-X+). *Health & Fitness Journal of Canada* 2021;14(1):83–87.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

#: Age (years) from which PAR-Q+ advises a qualified exercise professional before vigorous
#: effort for people not used to it.
VIGOROUS_EFFORT_ADVICE_AGE_YEARS = 45


class Readiness(StrEnum):
    """Outcome of the readiness screen, from most to least permissive."""

    CLEARED = "cleared"
    CLEARED_START_SLOWLY = "cleared_start_slowly"
    SEE_PROFESSIONAL = "see_professional"
    DELAY = "delay"


#: Severity order used to combine and compare outcomes (higher = more cautious).
READINESS_SEVERITY: Mapping[Readiness, int] = {
    Readiness.CLEARED: 0,
    Readiness.CLEARED_START_SLOWLY: 1,
    Readiness.DELAY: 2,
    Readiness.SEE_PROFESSIONAL: 3,
}


@dataclass(frozen=True)
class Question:
    """One yes/no question: ``id`` is the :class:`ParqAnswers` field it fills."""

    id: str
    text: str
    hint: str = ""
    red_flag: bool = False


@dataclass(frozen=True)
class FollowUpCategory:
    """A follow-up page: asked only when ``condition`` applies to the person.

    ``evidence`` is the grade of our knowledge of the category's content: ``"V"`` checked
    against the PAR-Q+ text, ``"U"`` from the structure of the form but not re-checked.
    """

    id: str
    condition: str
    items: tuple[Question, ...]
    evidence: str


PARQ_QUESTIONS: tuple[Question, ...] = (
    Question(
        "heart_condition_or_high_blood_pressure",
        "Has a doctor ever said you have a heart condition or high blood pressure?",
    ),
    Question(
        "chest_pain",
        "Do you feel pain in your chest at rest, during everyday activities, or when you exercise?",
        red_flag=True,
    ),
    Question(
        "dizziness_or_fainting",
        "In the last 12 months, have you lost your balance because of dizziness, or lost "
        "consciousness?",
        hint="Answer no if the dizziness only came from breathing hard during hard exercise.",
        red_flag=True,
    ),
    Question(
        "other_chronic_condition",
        "Has a doctor ever told you that you have another long-term (chronic) condition, "
        "apart from heart disease or high blood pressure?",
    ),
    Question(
        "medication_for_chronic_condition",
        "Are you taking medicine that a doctor prescribed for a long-term condition?",
    ),
    Question(
        "bone_joint_or_soft_tissue_problem",
        "Do you have, or have you had in the last 12 months, a problem with a bone, joint, "
        "muscle, ligament or tendon that more activity could make worse?",
        hint="Answer no if it was in the past and does not limit you now.",
    ),
    Question(
        "told_supervised_activity_only",
        "Has a doctor told you to be active only under medical supervision?",
        red_flag=True,
    ),
)


def _items(category: str, *texts: str) -> tuple[Question, ...]:
    letters = "abcdefgh"
    return tuple(Question(f"{category}_{letters[index]}", text) for index, text in enumerate(texts))


FOLLOW_UP_CATEGORIES: tuple[FollowUpCategory, ...] = (
    FollowUpCategory(
        "bone_joint",
        "Do you have arthritis, osteoporosis or back problems?",
        _items(
            "bone_joint",
            "Is it hard to keep the condition under control with medicine or other treatment?",
            "Do you have joint problems causing pain, a recent fracture, a fracture caused by "
            "osteoporosis or cancer, a slipped vertebra, or a stress fracture in the back?",
            "Have you taken steroid tablets or had steroid injections regularly for more than "
            "3 months?",
        ),
        "V",
    ),
    FollowUpCategory(
        "cancer",
        "Do you have, or have you had, any kind of cancer?",
        _items(
            "cancer",
            "Is it a cancer of the lung, a blood cancer such as myeloma, or a cancer of the "
            "head or neck?",
            "Are you having cancer treatment now, such as chemotherapy or radiotherapy?",
        ),
        "V",
    ),
    FollowUpCategory(
        "heart",
        "Do you have a heart or circulation condition?",
        _items(
            "heart",
            "Is it hard to keep the condition under control with medicine or other treatment?",
            "Do you have an irregular heartbeat that needs medical care?",
            "Do you have heart failure?",
            "Do you have coronary artery disease and have not been regularly active in the "
            "last 2 months?",
        ),
        "V",
    ),
    FollowUpCategory(
        "blood_pressure",
        "Do you have high blood pressure?",
        _items(
            "blood_pressure",
            "Is it hard to keep your blood pressure under control with medicine or other "
            "treatment?",
            "Is your resting blood pressure 160/90 or higher, with or without medicine?",
        ),
        "U",
    ),
    FollowUpCategory(
        "metabolic",
        "Do you have diabetes or another metabolic condition?",
        _items(
            "metabolic",
            "Is your blood sugar often hard to control with food, medicine or other treatment?",
            "Do you often get signs of low blood sugar during or after exercise, such as "
            "shakiness, confusion or unusual sweating?",
            "Do you have complications of diabetes affecting your heart, kidneys, eyes or the "
            "feeling in your feet?",
        ),
        "U",
    ),
    FollowUpCategory(
        "mental_health",
        "Do you have a mental health condition or a learning difficulty?",
        _items(
            "mental_health",
            "Is it hard to keep the condition under control with medicine or other treatment?",
        ),
        "U",
    ),
    FollowUpCategory(
        "respiratory",
        "Do you have a lung or breathing condition, such as COPD or asthma?",
        _items(
            "respiratory",
            "Is it hard to keep the condition under control with medicine or other treatment?",
            "Has a doctor said your blood oxygen is low at rest or during exercise?",
            "Do you have high blood pressure in the lungs?",
        ),
        "U",
    ),
    FollowUpCategory(
        "spinal_cord",
        "Do you have a spinal cord injury?",
        _items(
            "spinal_cord",
            "Do you often have sudden high blood pressure or faint from low blood pressure?",
        ),
        "U",
    ),
    FollowUpCategory(
        "stroke",
        "Have you had a stroke or a mini-stroke (TIA)?",
        _items(
            "stroke",
            "Is it hard to keep the condition under control with medicine or other treatment?",
            "Do you have difficulty walking or moving?",
            "Have you had a stroke or mini-stroke in the last 6 months?",
        ),
        "U",
    ),
    FollowUpCategory(
        "other",
        "Do you have any other medical condition, or two or more conditions together?",
        _items(
            "other",
            "Has a doctor advised you about exercise because of this, or do you have symptoms "
            "(such as fainting or breathlessness) that you have not discussed with a doctor?",
        ),
        "U",
    ),
)

FOLLOW_UP_IDS: frozenset[str] = frozenset(
    item.id for category in FOLLOW_UP_CATEGORIES for item in category.items
)
_FOLLOW_UP_TEXT: Mapping[str, str] = {
    item.id: item.text for category in FOLLOW_UP_CATEGORIES for item in category.items
}


@dataclass(frozen=True)
class ParqAnswers:
    """Answers to the seven questions, the follow-ups, and the context the logic needs.

    The first seven fields have the ids of :data:`PARQ_QUESTIONS`. ``follow_up_yes`` holds the
    ids (from :data:`FOLLOW_UP_CATEGORIES`) of follow-up items answered *yes*.
    """

    heart_condition_or_high_blood_pressure: bool
    chest_pain: bool
    dizziness_or_fainting: bool
    other_chronic_condition: bool
    medication_for_chronic_condition: bool
    bone_joint_or_soft_tissue_problem: bool
    told_supervised_activity_only: bool
    age_years: int
    used_to_vigorous_effort: bool
    temporary_illness: bool = False
    pregnant: bool = False
    health_changed: bool = False
    follow_up_yes: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        unknown = set(self.follow_up_yes) - FOLLOW_UP_IDS
        if unknown:
            raise ValueError(f"unknown follow-up question ids: {sorted(unknown)}")
        if not 0 <= self.age_years <= 120:
            raise ValueError(f"age_years must be between 0 and 120, got {self.age_years}")
        object.__setattr__(self, "follow_up_yes", frozenset(self.follow_up_yes))

    @property
    def main_yes(self) -> tuple[Question, ...]:
        """The main questions answered *yes*, in form order."""
        return tuple(q for q in PARQ_QUESTIONS if getattr(self, q.id))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["follow_up_yes"] = sorted(self.follow_up_yes)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParqAnswers:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown PAR-Q+ answer fields: {sorted(unknown)}")
        values = dict(data)
        values["follow_up_yes"] = frozenset(values.get("follow_up_yes", ()))
        return cls(**values)


@dataclass(frozen=True)
class ReadinessResult:
    status: Readiness
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status.value, "reasons": list(self.reasons)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReadinessResult:
        return cls(Readiness(data["status"]), tuple(data["reasons"]))


_RED_FLAG_REASONS: Mapping[str, str] = {
    "chest_pain": "You said you have chest pain. Please see a doctor before you start, and "
    "stop any activity straight away if chest pain comes on.",
    "dizziness_or_fainting": "You said you lost your balance from dizziness, or lost "
    "consciousness, in the last year. Please have this checked by a doctor before you start.",
    "told_supervised_activity_only": "A doctor has told you to be active only under medical "
    "supervision. Please follow that advice; stridewise cannot supervise you.",
}


def screen_readiness(answers: ParqAnswers) -> ReadinessResult:
    """Apply the PAR-Q+ logic to ``answers`` (see the module docstring) [V, * choices U].

    Returns the most cautious status that applies, with every reason that contributed.
    """
    professional: list[str] = [
        _RED_FLAG_REASONS[q.id] for q in answers.main_yes if q.id in _RED_FLAG_REASONS
    ]
    for item_id in sorted(answers.follow_up_yes):
        professional.append(
            f'You answered yes to: "{_FOLLOW_UP_TEXT[item_id]}" Please talk to your doctor '
            "or a qualified exercise professional before you become more active."
        )
    delay: list[str] = []
    if answers.temporary_illness:
        delay.append("You are unwell at the moment. Wait until you feel better before starting.")
    if answers.pregnant:
        delay.append(
            "You are pregnant. Please talk to your midwife or doctor before starting running."
        )
    if answers.health_changed:
        delay.append(
            "Your health has changed recently. Please check with your doctor before starting."
        )
    if professional:
        return ReadinessResult(Readiness.SEE_PROFESSIONAL, tuple(professional + delay))
    if delay:
        return ReadinessResult(Readiness.DELAY, tuple(delay))
    if answers.main_yes:
        return ReadinessResult(
            Readiness.CLEARED_START_SLOWLY,
            (
                "You answered yes to a health question but no to every follow-up question. "
                "You can become more active: start with light to moderate exercise, 20 to 60 "
                "minutes on 3 to 5 days a week, and build up towards 150 minutes a week.",
            ),
        )
    older = answers.age_years >= VIGOROUS_EFFORT_ADVICE_AGE_YEARS
    if older and not answers.used_to_vigorous_effort:
        return ReadinessResult(
            Readiness.CLEARED_START_SLOWLY,
            (
                "You answered no to every health question. Because you are "
                f"{VIGOROUS_EFFORT_ADVICE_AGE_YEARS} or older and not used to hard exercise, "
                "start gently and talk to a qualified exercise professional before you try "
                "hard or all-out efforts.",
            ),
        )
    return ReadinessResult(
        Readiness.CLEARED,
        (
            "You answered no to every health question. You can become more active: start "
            "slowly and build up gradually.",
        ),
    )
