"""Falls risk: the screening questions and the level they set, separate from bone fragility.

Falls risk and bone fragility are two different answers. Weak bones decide how much impact a
bone can take (:mod:`stridewise.science.bone_health`); falls risk decides whether a person is
steady enough for more than brisk walking yet. Both limit the plan, and each is named on its
own.

The questions are the three STEADI key questions (CDC, *Stopping Elderly Accidents, Deaths &
Injuries*, "Stay Independent" screen, 2017/2023 [S]: have you fallen in the past year, do you
feel unsteady when standing or walking, do you worry about falling) and, after a fall, the
severity questions of the World Falls Guidelines algorithm (Montero-Odasso et al., *Age
Ageing* 2022;51:afac205, doi:10.1093/ageing/afac205, Figure 2 [V for the list of severity
indicators]).

Rules
-----

=============================================================  ============  =========
answer                                                         risk          grade
=============================================================  ============  =========
2 or more falls in the last 12 months                          high          [V] WFG
a fall with an injury                                          high          [V] WFG
a fall after which the person could not get up                 high          [V] WFG
a fall with a suspected blackout (lost consciousness)          high          [V] WFG
feels unsteady when standing or walking                        high          [U] *
worries about falling                                          high          [U] *
one fall without any of the above                              intermediate  [S] WFG
none                                                           low
=============================================================  ============  =========

\\* STEADI and the World Falls Guidelines send a person who is unsteady or worried about
falling to a gait and balance assessment, which a questionnaire cannot do; without that test
stridewise takes the cautious reading and treats the answer as high risk until the person is
assessed and screens again [U: our choice].

What the plan does with it (docs/plans.md): at **high** risk the impact level is
``balance_first`` whatever the goal: a phase of progressive balance and strength exercise at
least three times a week, planned for at least 12 weeks (World Falls Guidelines, exercise
recommendation: "progressive ... at least 3 times a week ... for at least 12 weeks" [S:
paraphrased from the guideline; the effect on falls is [V], Sherrington et al., *Cochrane
Database Syst Rev* 2019;CD012424]), impact no higher than brisk walking while it lasts. It ends
only when the screening is answered again with no high-risk answer. At **intermediate** risk the
plan keeps extra balance work and the bone screen's impact level applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

#: The World Falls Guidelines' exercise dose for people at risk of falls [S]: progressive balance
#: and strength work at least this many times a week, for at least this many weeks.
BALANCE_PHASE_SESSIONS_PER_WEEK = 3
BALANCE_PHASE_WEEKS = 12


class FallsRisk(StrEnum):
    LOW = "low"
    INTERMEDIATE = "intermediate"
    HIGH = "high"


@dataclass(frozen=True)
class FallsQuestion:
    """One falls question: ``id`` is the :class:`FallsInputs` field it fills."""

    id: str
    text: str
    #: Asked only when the person fell at least once in the last 12 months.
    after_a_fall: bool = False


#: The falls questions, in the words every face asks them (data, shared by CLI and web).
FALLS_COUNT_QUESTION = "How many times have you fallen in the last 12 months?"
FALLS_QUESTIONS: tuple[FallsQuestion, ...] = (
    FallsQuestion("fall_injury", "Were you hurt in any of those falls (for example a cut, a "
                  "bruise that needed care, or a broken bone)?", after_a_fall=True),
    FallsQuestion("fall_could_not_get_up", "After any of those falls, were you unable to get "
                  "up on your own?", after_a_fall=True),
    FallsQuestion("fall_blackout", "Did you black out or lose consciousness, even for a moment, "
                  "before or during any of those falls?", after_a_fall=True),
    FallsQuestion("unsteady", "Do you feel unsteady when you are standing or walking?"),
    FallsQuestion("fear_of_falling", "Do you worry about falling?"),
)


@dataclass(frozen=True)
class FallsInputs:
    falls_last_12_months: int = 0
    fall_injury: bool = False
    fall_could_not_get_up: bool = False
    fall_blackout: bool = False
    unsteady: bool = False
    fear_of_falling: bool = False


@dataclass(frozen=True)
class FallsResult:
    risk: FallsRisk
    reasons: tuple[str, ...]
    doctor_points: tuple[str, ...]

    @property
    def balance_first(self) -> bool:
        """The plan starts with a balance-and-strength phase (high risk)."""
        return self.risk is FallsRisk.HIGH

    @property
    def balance_emphasis(self) -> bool:
        """The plan keeps extra balance work (any fall, or high risk)."""
        return self.risk is not FallsRisk.LOW

    def to_dict(self) -> dict[str, Any]:
        return {"risk": self.risk.value, "reasons": list(self.reasons),
                "doctor_points": list(self.doctor_points)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FallsResult:
        return cls(FallsRisk(data["risk"]), tuple(data["reasons"]),
                   tuple(data["doctor_points"]))


#: The plain name of each falls level, shown on every face.
FALLS_LABELS: Mapping[FallsRisk, str] = {
    FallsRisk.LOW: "Falls risk: nothing in your answers",
    FallsRisk.INTERMEDIATE: "Falls risk: some (one fall): extra balance work in your plan",
    FallsRisk.HIGH: "Falls risk: high: your plan starts with balance and strength, with "
    "nothing harder than brisk walking, until you answer the questions again",
}

BALANCE_PHASE_REASON = (
    "Because of your answers about falls, your plan starts with a balance-and-strength phase: "
    f"balance and strength exercises at least {BALANCE_PHASE_SESSIONS_PER_WEEK} times a week, "
    "with nothing harder than brisk walking. It lasts until you answer the screening "
    "questions again with no high-risk answer (plan on at least "
    f"{BALANCE_PHASE_WEEKS} weeks; a falls assessment with your doctor or a physiotherapist "
    "helps).")


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def screen_falls(inputs: FallsInputs) -> FallsResult:
    """Falls risk from the answers (see the module docstring for the rules and grades)."""
    if inputs.falls_last_12_months < 0:
        raise ValueError("falls_last_12_months cannot be negative")
    high: list[str] = []
    falls = inputs.falls_last_12_months
    if falls >= 2:
        high.append(f"you fell {_times(falls)} in the last 12 months")
    if falls and inputs.fall_injury:
        high.append("you were hurt in a fall")
    if falls and inputs.fall_could_not_get_up:
        high.append("you could not get up on your own after a fall")
    if falls and inputs.fall_blackout:
        high.append("you may have blacked out when you fell")
    if inputs.unsteady:
        high.append("you feel unsteady when standing or walking")
    if inputs.fear_of_falling:
        high.append("you worry about falling")
    if high:
        reason = ("Your answers show a high risk of falls (" + "; ".join(high) + "). "
                  + BALANCE_PHASE_REASON)
        points = ["My answers show a high risk of falls. Could I have a falls assessment "
                  "(balance, walking, medicines, eyesight, blood pressure)?"]
        if inputs.fall_blackout and falls:
            points.append("I may have blacked out when I fell. Could this be checked?")
        return FallsResult(FallsRisk.HIGH, (reason,), tuple(points))
    if falls == 1:
        return FallsResult(
            FallsRisk.INTERMEDIATE,
            ("You fell once in the last 12 months, without injury. Your plan keeps extra "
             "balance exercises; if you fall again, log it and answer the questions again.",),
            ("I fell once in the last year. Could my balance and walking be checked?",))
    return FallsResult(FallsRisk.LOW, (), ())


def falls_from_legacy(falls_last_12_months: int) -> FallsResult:
    """The falls result of a screening stored before the falls questions existed: any fall
    then set ``balance_first``; read as one fall (intermediate) or two or more (high)."""
    return screen_falls(FallsInputs(falls_last_12_months=falls_last_12_months))
