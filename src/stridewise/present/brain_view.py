"""The brain-health profile in words and numbers, shared by the Brain page, the report, the
JSON API and the CLI (:meth:`stridewise.core.app.Core.brain` makes the profile)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from stridewise.present.format import format_day
from stridewise.science.brain import (
    LIBRA_BY_ID,
    LIBRA_MAX,
    LIBRA_MIN,
    UNSCORED_NOTE,
    BrainProfile,
)

_BAND_WORDS = {"ok": "50 or more", "poor": "below 50", "very_low": "28 or below",
               "none": "no answers"}
#: What the WHO-5 cut-offs mean (Topp 2015), said once above the table.
WHO5_MEANING = ("The WHO-5 asks about the last two weeks, so there is one score for each two "
                "weeks, out of 100. Below 50 is a reason to talk to your doctor about how you "
                "feel; 28 or below, a reason to see them soon. It is a check, not a diagnosis.")
_STATUS_WORDS = {"present": "Yes", "absent": "No", "unknown": "Not answered"}
#: What to work on, said as something a person can do (the factors' ids, science.brain).
_ROOM_WORDS = {
    "depression": "getting help with low mood", "hypertension": "your blood pressure",
    "obesity": "your weight", "smoking": "stopping smoking",
    "high_cholesterol": "your cholesterol", "diabetes": "keeping diabetes well controlled",
    "physical_inactivity": "moving more, towards 150 minutes a week",
    "kidney_disease": "your kidney health, with your doctor",
    "heart_disease": "your heart health, with your doctor",
    "healthy_diet": "eating more like a Mediterranean diet",
    "low_alcohol": "drinking less alcohol",
    "cognitive_activity": "doing things that make you think hard",
}
#: A next step for a Lancet factor answered yes that LIBRA does not score.
_UNSCORED_STEP = {
    "hearing_loss": "a hearing test; hearing aids, if you need them, may help",
    "vision_loss": "an eye test; cataracts and many sight problems can be treated",
    "social_isolation": "seeing or calling someone each week, or joining a local group",
    "head_injury": "wearing a helmet for cycling and taking care against falls",
    "air_pollution": "walking away from busy roads when you can",
}
#: The one next step for the profile, with when to see a doctor.
NEXT_STEP = ("A good next step: pick one thing to work on. If your blood pressure or cholesterol "
             "has not been checked in the last year, your doctor or pharmacist can check it. "
             "If you or your family are worried about your memory, talk to your doctor: "
             "stridewise cannot check memory.")


@dataclass(frozen=True)
class FactorLine:
    words: str
    answer: str
    points: str  # "+1.6", "0", or "not scored"
    source: str  # "your answer" / "your data"
    points_words: str = ""  # "adds 1.6", "takes off 3.2", "adds nothing"; "" when unanswered



@dataclass(frozen=True)
class Who5Line:
    period: str
    score: str
    meaning: str


@dataclass(frozen=True)
class BrainView:
    answered: str
    score: str
    range_words: str
    about: str
    room: tuple[str, ...]
    scored: tuple[FactorLine, ...]
    unscored: tuple[FactorLine, ...]
    unscored_note: str
    alcohol_note: str
    inactivity: str
    who5: tuple[Who5Line, ...]
    sleep: str
    who5_meaning: str = WHO5_MEANING
    next_step: str = NEXT_STEP


def _points_words(weight: float | None, answered: bool) -> str:
    if weight is None or not answered:
        return ""
    if weight == 0:
        return "adds nothing"
    return f"adds {weight:.1f}" if weight > 0 else f"takes off {-weight:.1f}"


def _points(weight: float | None) -> str:
    if weight is None:
        return "not scored"
    return "0" if weight == 0 else f"{weight:+.1f}"


def _inactivity(profile: BrainProfile) -> str:
    inactivity = profile.inactivity
    if inactivity.source == "data":
        minutes = inactivity.weekly_min or 0.0
        verdict = "below" if inactivity.inactive else "at or above"
        return (f"your own records show about {minutes:.0f} minutes a week of moderate "
                "activity over the last 4 weeks (vigorous minutes count double), "
                f"{verdict} the 150 the WHO recommends. This changes as you train.")
    if inactivity.source == "answer":
        return ("this comes from your answer. Once you have 4 weeks of activity recorded, "
                "your own records are used instead.")
    return ("not answered yet. Once you have 4 weeks of activity recorded, your own records "
            "fill it in.")


def _sleep(profile: BrainProfile) -> str:
    sleep = profile.sleep
    band = sleep.range
    if band is None:
        return "No sleep range is given for your age."
    low, high = band.recommended_h
    target = f"{low:.0f} to {high:.0f} hours a night is recommended at your age."
    if sleep.mean_h is None or sleep.sd_h is None:
        return (f"{target} Log your sleep in a check-in, or import it from your phone, to see "
                "yours here.")
    gap = (low - sleep.mean_h if sleep.verdict == "below"
           else sleep.mean_h - high if sleep.verdict == "above" else 0.0)
    size = "a little " if gap < 1.0 else ""
    where = {"below": f"{size}less than that", "above": f"{size}more than that",
             "within": "within that"}[sleep.verdict]
    nights = "night" if sleep.nights == 1 else "nights"
    text = (f"{target} Over the last 14 days you slept {sleep.mean_h:.1f} hours a night on "
            f"average ({sleep.nights} {nights} recorded), {where}. From night to night it "
            f"varied by about {sleep.sd_h:.1f} hours; going to bed and getting up at steady "
            "times helps.")
    if sleep.verdict != "within" and gap >= 1.0:
        text += (" If you often sleep badly, or feel very sleepy in the day, tell your "
                 "doctor.")
    return text


def brain_view(profile: BrainProfile) -> BrainView:
    """The profile as the faces show it."""
    scored: list[FactorLine] = []
    unscored: list[FactorLine] = []
    for row in profile.factors:
        if row.source == "data":  # the minutes; where they come from is said once, below
            answer = f"{profile.inactivity.weekly_min or 0.0:.0f} min a week"
        else:
            answer = row.answer if row.id == "alcohol" else _STATUS_WORDS[row.status]
        points = "-" if row.scored and row.status == "unknown" else _points(row.weight)
        if not row.scored and row.status == "present" and row.id in _UNSCORED_STEP:
            answer = f"{answer}. Worth trying: {_UNSCORED_STEP[row.id]}."
        line = FactorLine(row.words, answer, points,
                          "your data" if row.source == "data" else "your answer",
                          _points_words(row.weight, row.status != "unknown"))
        (scored if row.scored else unscored).append(line)
    who5 = tuple(
        Who5Line(f"{w.start:%-d %b} to {w.end:%-d %b}",
                 "-" if math.isnan(w.percent) else f"{w.percent:.0f}", _BAND_WORDS[w.band])
        for w in profile.who5)
    answered = (f"Your answers from {format_day(profile.answered_on)}."
                if profile.answered_on else "You have not answered the questions yet.")
    return BrainView(
        answered=answered,
        score=f"{profile.libra.score:+.1f}",
        range_words=f"{LIBRA_MIN:+.1f} (least room) to {LIBRA_MAX:+.1f} (most room)",
        about=profile.about,
        room=tuple(_ROOM_WORDS.get(f, LIBRA_BY_ID[f].words.lower())
                   for f in profile.libra.room_for_improvement),
        scored=tuple(scored), unscored=tuple(unscored), unscored_note=UNSCORED_NOTE,
        alcohol_note=profile.alcohol_note, inactivity=_inactivity(profile), who5=who5,
        sleep=_sleep(profile),
    )


def _num(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


def brain_json(profile: BrainProfile) -> dict[str, Any]:
    """The same numbers as plain JSON for /api/brain and ``stridewise brain --json``."""
    return {
        "answered_on": profile.answered_on.isoformat() if profile.answered_on else None,
        "answers": profile.answers,
        "libra": {"score": profile.libra.score, "min": LIBRA_MIN, "max": LIBRA_MAX,
                  "present": list(profile.libra.present),
                  "unknown": list(profile.libra.unknown),
                  "room_for_improvement": list(profile.libra.room_for_improvement),
                  "about": profile.about, "alcohol_note": profile.alcohol_note},
        "physical_inactivity": {"inactive": profile.inactivity.inactive,
                                "source": profile.inactivity.source,
                                "weekly_moderate_equivalent_min":
                                    profile.inactivity.weekly_min},
        "factors": [{"id": f.id, "words": f.words, "status": f.status, "answer": f.answer,
                     "libra_points": f.weight, "scored": f.scored, "lancet_2024": f.lancet,
                     "source": f.source} for f in profile.factors],
        "who5": [{"start": w.start.isoformat(), "end": w.end.isoformat(),
                  "percent": _num(w.percent), "band": w.band} for w in profile.who5],
        "sleep": {"nights": profile.sleep.nights, "mean_h": profile.sleep.mean_h,
                  "sd_h": profile.sleep.sd_h, "verdict": profile.sleep.verdict,
                  "recommended_h": list(profile.sleep.range.recommended_h)
                  if profile.sleep.range else None},
    }
