"""The check-in and bone-health questions as data, so every face asks the same words and maps
the answers the same way (PAR-Q+ is data in :mod:`stridewise.science.parq`; the falls questions
in :mod:`stridewise.science.falls`; the fracture questions in
:mod:`stridewise.science.fracture_history`).

The pain sites are one list for the whole body. Each site belongs to a body region, which the
pain rules use to decide which sessions load it (docs/science/pain.md): a check-in can only
name a site from this list, on the CLI (``--pain-site left_hip`` or ``"left hip"``) and on the
web form alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from stridewise.science.parq import FOLLOW_UP_CATEGORIES
from stridewise.science.triad import EnergyAvailability


class BodyRegion(StrEnum):
    """Where a pain site is, as the pain rules group them."""

    LOWER_LIMB = "lower_limb"
    PELVIS = "pelvis"
    SPINE = "spine"
    UPPER_LIMB = "upper_limb"
    TRUNK = "trunk"  # chest and ribs


@dataclass(frozen=True)
class PainSite:
    """``id`` is what is stored (``left_shin``); ``words`` what is shown (``left shin``)."""

    id: str
    words: str
    region: BodyRegion


def _sides(part: str, region: BodyRegion) -> tuple[PainSite, ...]:
    return tuple(PainSite(f"{side}_{part.replace(' ', '_')}", f"{side} {part}", region)
                 for side in ("left", "right"))


#: Every pain site a check-in may name, head to foot.
PAIN_SITES: tuple[PainSite, ...] = (
    PainSite("neck", "neck", BodyRegion.SPINE),
    *_sides("shoulder", BodyRegion.UPPER_LIMB),
    *_sides("upper arm", BodyRegion.UPPER_LIMB),
    *_sides("elbow", BodyRegion.UPPER_LIMB),
    *_sides("forearm", BodyRegion.UPPER_LIMB),
    *_sides("wrist", BodyRegion.UPPER_LIMB),
    *_sides("hand", BodyRegion.UPPER_LIMB),
    PainSite("chest_or_ribs", "chest or ribs", BodyRegion.TRUNK),
    PainSite("upper_back", "upper back", BodyRegion.SPINE),
    PainSite("lower_back", "lower back", BodyRegion.SPINE),
    PainSite("pelvis", "pelvis", BodyRegion.PELVIS),
    *_sides("hip", BodyRegion.PELVIS),
    *_sides("groin", BodyRegion.PELVIS),
    *_sides("thigh", BodyRegion.LOWER_LIMB),
    *_sides("knee", BodyRegion.LOWER_LIMB),
    *_sides("shin", BodyRegion.LOWER_LIMB),
    *_sides("calf", BodyRegion.LOWER_LIMB),
    *_sides("ankle", BodyRegion.LOWER_LIMB),
    *_sides("heel", BodyRegion.LOWER_LIMB),
    *_sides("foot", BodyRegion.LOWER_LIMB),
)
_BY_KEY: Mapping[str, PainSite] = {
    **{site.id: site for site in PAIN_SITES},
    **{site.words: site for site in PAIN_SITES},
}


def pain_site(text: str) -> PainSite:
    """The site named by ``text`` (its id or its words, any case); ValueError naming the list
    otherwise."""
    key = " ".join(text.strip().lower().replace("-", " ").split())
    site = _BY_KEY.get(key) or _BY_KEY.get(key.replace(" ", "_"))
    if site is None:
        raise ValueError(f"pain site {text!r} is not one of the listed sites: "
                         + ", ".join(s.id for s in PAIN_SITES))
    return site


def region_of(site: str | None) -> BodyRegion | None:
    """The region of a stored site (ids, words, or free text stored before the list); None
    when the site is not on the list, which the pain rules read cautiously."""
    if not site:
        return None
    try:
        return pain_site(site).region
    except ValueError:
        return None


# Check-in questions -----------------------------------------------------------------------------

PAIN_SCORE_QUESTION = "How bad is the pain, from 0 (none) to 10 (the worst you can imagine)?"
PAIN_SITE_QUESTION = "Where does it hurt?"
#: When the pain was felt: stored value and the words shown.
PAIN_TIMINGS: tuple[tuple[str, str], ...] = (
    ("during", "During the activity"), ("after", "After the activity"),
    ("next_morning", "The next morning"), ("at_rest", "At rest"), ("at_night", "At night"))
BONE_TENDER_QUESTION = ("Does it hurt when you press on one spot of the bone?")
FELL_QUESTION = "Have you had a fall since your last check-in?"
#: Recorded the same way on every face: ends a pain stop, as answering the screening does.
DOCTOR_CLEARED_QUESTION = ("A doctor has checked the pain that stopped my sessions and says I "
                           "may exercise again")

#: WHO-5 Well-Being Index items (WHO 1998; Topp et al., Psychother Psychosom 2015;84:167 [V]),
#: each answered for the last two weeks on the six-point scale below.
WHO5_ITEMS: tuple[str, ...] = (
    "I have felt cheerful and in good spirits", "I have felt calm and relaxed",
    "I have felt active and vigorous", "I woke up feeling fresh and rested",
    "My daily life has been filled with things that interest me")
WHO5_CHOICES: tuple[tuple[int, str], ...] = (
    (5, "All of the time"), (4, "Most of the time"), (3, "More than half the time"),
    (2, "Less than half the time"), (1, "Some of the time"), (0, "At no time"))

# The screening's own questions (the parts not in parq, fracture_history or falls) -------------
# One set of words for every face: ``stridewise screen`` (cli/screen.py) and the onboarding pages
# (web templates) both read these, so the CLI and the web never ask in different words.


@dataclass(frozen=True)
class YesNoQuestion:
    """A yes/no question: ``id`` is the ParqAnswers or BoneInputs field it fills; ``hint`` is
    shown under it (never before it)."""

    id: str
    text: str
    hint: str = ""


SEX_QUESTION = "Your sex (the bone-health scores differ for women and men)"
AGE_QUESTION = "How old are you (years)?"
BODY_MASS_QUESTION = "Body weight in kg (leave empty to skip)"
ETHNICITY_QUESTION = "Your background"
ETHNICITY_HINT = ("Asian, white, or other (or prefer not to say). It only changes where one "
                  "bone-risk score starts to count as high.")
#: The words shown for each background on the web list (the CLI types the value).
ETHNICITY_WORDS: Mapping[str, str] = {"asian": "Asian", "white": "White",
                                      "other": "Other, or prefer not to say"}
PREGNANCY_QUESTION = "Are you pregnant?"
#: The pregnancy question is asked of women up to this age: natural conception after 55 is
#: vanishingly rare (mean age at menopause ~51; Gold, Am J Epidemiol 2013;178:70 [S]); asking
#: a 68-year-old reads as not listening. An app judgement on that evidence [U].
PREGNANCY_ASKED_UP_TO_AGE = 55


def asks_pregnancy(sex: str, age_years: int) -> bool:
    """Whether the screening asks about pregnancy: women of an age where it applies."""
    return sex == "female" and age_years <= PREGNANCY_ASKED_UP_TO_AGE


#: Asked beside the seven PAR-Q+ questions (ParqAnswers fields), in the order both faces ask
#: them; the pregnancy one only when :func:`asks_pregnancy`.
CONTEXT_QUESTIONS: tuple[YesNoQuestion, ...] = (
    YesNoQuestion("used_to_vigorous_effort", "Are you used to hard exercise that makes you "
                  "breathe hard and sweat, at least once a week?"),
    YesNoQuestion("temporary_illness", "Are you unwell at the moment, for example with a cold "
                  "or a fever?"),
    YesNoQuestion("pregnant", PREGNANCY_QUESTION),
    YesNoQuestion("health_changed", "Has your health changed recently, for example a new "
                  "diagnosis or new medicine?"),
)


def context_questions(sex: str | None, age_years: int) -> tuple[YesNoQuestion, ...]:
    """The context questions this person is asked: pregnancy only of women of an age where
    it applies."""
    return tuple(q for q in CONTEXT_QUESTIONS
                 if q.id != "pregnant" or asks_pregnancy(sex or "", age_years))


RECENT_FRACTURE_QUESTION = "Have you broken any bone in the last 12 months?"
OSTEOPOROSIS_QUESTION = "Has a doctor told you that you have osteoporosis?"
T_SCORE_QUESTION = "Your hip T-score from a bone density (DXA) scan"
T_SCORE_HINT = "Optional: leave it empty if you have not had a scan. For example -1.8."
STEROIDS_QUESTION = ("Have you taken steroid tablets (such as prednisolone) for more than 3 "
                     "months?")
STRESS_INJURY_QUESTION = "Have you ever had a stress fracture or bone stress injury?"
OSTEOPOROSIS_HINT = ("Osteopenia (bones a little thinner than average) is not osteoporosis: "
                     "answer no.")
STEROIDS_HINT = "Inhalers and creams do not count."

#: The bone step's other yes/no questions, in the order both faces ask them.
BONE_YES_NO: tuple[YesNoQuestion, ...] = (
    YesNoQuestion("fracture_last_12_months", RECENT_FRACTURE_QUESTION,
                  "Give the year of each break above too: it is worked out from the year."),
    YesNoQuestion("osteoporosis_diagnosed", OSTEOPOROSIS_QUESTION, OSTEOPOROSIS_HINT),
    YesNoQuestion("glucocorticoids_over_3_months", STEROIDS_QUESTION, STEROIDS_HINT),
    YesNoQuestion("past_bone_stress_injury", STRESS_INJURY_QUESTION),
)

#: The PAR-Q+ follow-up that already asks about steroid tablets or injections for more than
#: 3 months (the arthritis, osteoporosis or back problems page, item c).
STEROIDS_FOLLOW_UP = "bone_joint_c"


def follow_ups_answered(follow_up_yes: frozenset[str] | set[str]) -> frozenset[str]:
    """The follow-up items a person answered, when only their ticks are known (the web page
    shows every category as a box to tick, or to skip when it does not apply): every item of
    a category with at least one tick. An item in a skipped box is not an answer."""
    return frozenset(item.id for category in FOLLOW_UP_CATEGORIES
                     if any(item.id in follow_up_yes for item in category.items)
                     for item in category.items)


def steroids_from_follow_ups(follow_up_yes: frozenset[str] | set[str],
                             asked: frozenset[str] | set[str]) -> bool | None:
    """The bone step's steroid answer when the PAR-Q+ follow-ups already gave it (so it is
    asked once): True or False when the steroid follow-up was ``asked``, None when the bone
    step must ask. The follow-up also counts injections, so a yes there is a yes here."""
    if STEROIDS_FOLLOW_UP not in asked:
        return None
    return STEROIDS_FOLLOW_UP in follow_up_yes


def bone_yes_no(steroids_known: bool) -> tuple[YesNoQuestion, ...]:
    """The bone step's yes/no questions, without the steroid one when the follow-ups gave it."""
    return tuple(q for q in BONE_YES_NO
                 if not (steroids_known and q.id == "glucocorticoids_over_3_months"))


TRIAD_QUESTION = "Do you train hard for a sport (questions about eating, periods and bone)?"
#: The Female Athlete Triad questions (science/triad.py), asked only of women who train hard.
TRIAD_ENERGY_QUESTION = "How do you eat compared with what your training needs?"
TRIAD_ENERGY_CHOICES: tuple[tuple[str, str], ...] = (
    (EnergyAvailability.ADEQUATE.value, "I eat enough for my training"),
    (EnergyAvailability.RESTRICTED_OR_DISORDERED.value,
     "I cut back on food, or have had disordered eating"),
    (EnergyAvailability.EATING_DISORDER.value, "A doctor has diagnosed an eating disorder"))
TRIAD_HEIGHT_QUESTION = "Your height in centimetres"
#: The CLI asks the body-mass index itself (the web page works it out from the height).
TRIAD_BMI_QUESTION = "Your body mass index (BMI, kg/m²)"
TRIAD_MENARCHE_QUESTION = "Age when your periods started"
TRIAD_MENARCHE_HINT = "Leave it empty if they have not started."
TRIAD_MENSES_QUESTION = "How many periods have you had in the last 12 months?"
TRIAD_Z_SCORE_QUESTION = "Bone density Z-score, if you have had a scan"
TRIAD_Z_SCORE_HINT = "Optional: leave it empty if you have not had a scan."
TRIAD_INJURIES_QUESTION = "How many stress fractures or bone stress injuries have you had?"
TRIAD_TRABECULAR_QUESTION = "Was any of them in the hip, pelvis, spine or heel bone?"
#: What the person already walks, in the IPAQ short form's terms (Craig et al., Med Sci Sports
#: Exerc 2003;35:1381 [S]): days with a walk of at least 10 minutes, and a usual day's minutes.
WALKING_DAYS_QUESTION = ("In a usual week, on how many days do you walk for at least 10 minutes "
                         "at a time?")
WALKING_MINUTES_QUESTION = "On those days, how many minutes do you usually walk in all?"
