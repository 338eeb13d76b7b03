"""Brain health: modifiable dementia-risk factors, wellbeing (WHO-5) and sleep, as data and
pure functions. Nothing here predicts anyone's future or diagnoses anything: a LIBRA score is
"room for improvement" on factors a person can change, the WHO-5 is a screen for low
wellbeing, and a sleep range is a population recommendation (docs/science/brain.md).

Evidence grades: **[V]** checked against the paper's abstract, publisher page, PubMed record
or a published table; **[S]** from secondary sources only (for a DOI: given the same way by
independent citations, not checked with the publisher); **[U]** not verified, or our own
choice. docs/science/brain.md lists how each reference was checked.

Sources
-------
* LIBRA: Deckers K, van Boxtel MPJ, Schiepers OJG et al. Target risk factors for dementia
  prevention: a systematic review and Delphi consensus study on the evidence from
  observational studies. *Int J Geriatr Psychiatry* 2015;30:234-246, doi:10.1002/gps.4245
  [V PubMed]; validated by Schiepers OJG, Köhler S, Deckers K et al. Lifestyle for Brain
  Health (LIBRA): a new model for dementia prevention. *Int J Geriatr Psychiatry*
  2018;33:167-175 (one LIBRA point: 19% higher dementia risk in the Maastricht Ageing
  Study, 949 people aged 50-81) [V abstract], doi:10.1002/gps.4700 [S]. Weights as
  tabulated by Vrijsen J, Abu-Hanna A, de Rooij SE, Smidt N, *BMJ Open* 2021;11:e049918,
  doi:10.1136/bmjopen-2021-049918, Table 1 (PMC8689157) [V table]; cognitive activity
  (-3.2), not in that table, from Deckers 2015 / Schiepers 2018 [S].
* Lancet Commission: Livingston G, Huntley J, Liu KY et al. Dementia prevention,
  intervention, and care: 2024 report of the Lancet standing Commission. *Lancet*
  2024;404(10452):572-628 [V library record]: 14 modifiable factors, excessive alcohol
  being more than 21 UK units a week [V abstract]; doi:10.1016/S0140-6736(24)01296-0 [S].
* WHO-5: Topp CW, Østergaard SD, Søndergaard S, Bech P. The WHO-5 Well-Being Index: a
  systematic review of the literature. *Psychother Psychosom* 2015;84:167-176,
  doi:10.1159/000376585 [V paper]; cut-offs [S] (see :data:`WHO5_POOR_BELOW_PCT`).
* Sleep: Hirshkowitz M, Whiton K, Albert SM et al. National Sleep Foundation's sleep time
  duration recommendations: methodology and results summary. *Sleep Health* 2015;1:40-43,
  doi:10.1016/j.sleh.2014.12.010 [V PubMed]: 7-9 h for adults, 7-8 h for older adults
  [V abstract]; the "may be appropriate" ranges [S].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import ArrayLike

from stridewise.science.benefits import WHO_MODERATE_MIN_PER_WEEK

# -- LIBRA -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraFactor:
    """One LIBRA factor: ``weight`` points when present (negative: protective)."""

    id: str
    words: str
    weight: float
    definition: str  # the operational definition used in the validation studies
    grade: str


#: The 12 LIBRA factors and weights (Deckers 2015; Schiepers 2018; table in Vrijsen 2021).
#: Risk factors add points when present; protective factors subtract points when present.
LIBRA_FACTORS: tuple[LibraFactor, ...] = (
    LibraFactor("depression", "Depression", 2.1,
                "at least one key and four other symptoms of depression", "V"),
    LibraFactor("hypertension", "High blood pressure", 1.6,
                "blood pressure over 140/90 mmHg or treated", "V"),
    LibraFactor("obesity", "Obesity", 1.6, "body-mass index 30 or more", "V"),
    LibraFactor("smoking", "Smoking", 1.5, "smokes now", "V"),
    LibraFactor("high_cholesterol", "High cholesterol", 1.4,
                "high cholesterol (total/HDL over 5, or treated)", "V"),
    LibraFactor("diabetes", "Diabetes", 1.3, "diabetes", "V"),
    LibraFactor("physical_inactivity", "Physical inactivity", 1.1,
                "under 150 minutes a week of moderate-to-vigorous activity", "V"),
    LibraFactor("kidney_disease", "Chronic kidney disease", 1.1,
                "kidney function below normal (eGFR under 60)", "V"),
    LibraFactor("heart_disease", "Heart disease", 1.0,
                "coronary heart disease or other cardiovascular disease", "V"),
    LibraFactor("healthy_diet", "Mediterranean-style diet", -1.7,
                "eats a Mediterranean-style diet most days", "V"),
    LibraFactor("low_alcohol", "No or light drinking", -1.0,
                "drinks no alcohol, or up to one unit a day without binge drinking", "V"),
    LibraFactor("cognitive_activity", "Mentally active", -3.2,
                "high cognitive activity (reading, learning, puzzles, demanding work)", "S"),
)
LIBRA_BY_ID: Mapping[str, LibraFactor] = {f.id: f for f in LIBRA_FACTORS}
#: The range of the score, summed from the weights: every protective factor and no risk
#: factor gives -5.9; every risk factor and no protective factor gives +12.7 [V arithmetic;
#: the -3.2 in it is S].
LIBRA_MIN = -5.9
LIBRA_MAX = 12.7
#: Schiepers 2018: one LIBRA point went with 19% higher dementia risk (hazard ratio 1.19) in
#: a cohort; a group finding, never a person's risk [V abstract].
LIBRA_HAZARD_RATIO_PER_POINT = 1.19


@dataclass(frozen=True)
class LibraScore:
    """The score over the answered factors (unanswered ones count 0 and are listed)."""

    score: float
    present: tuple[str, ...]  # factor ids counted
    unknown: tuple[str, ...]  # factor ids not answered
    room_for_improvement: tuple[str, ...]  # risk factors present, protective ones missing


def libra_score(present: Mapping[str, bool | None]) -> LibraScore:
    """LIBRA = Σ weight_i x present_i over the 12 factors (:data:`LIBRA_FACTORS`).

    ``present`` maps a factor id to True (present), False (absent) or None / missing
    (unknown, counted 0 and listed). Higher is more room for improvement; range -5.9 to
    +12.7. Deckers 2015; Schiepers 2018; weights [V] but cognitive activity [S]. "Room for
    improvement" lists the risk factors present and the protective factors absent, except
    alcohol: not drinking scores the same as light drinking, so starting to drink is never an
    improvement.
    """
    unknown_ids = [k for k in present if k not in LIBRA_BY_ID]
    if unknown_ids:
        raise ValueError(f"not LIBRA factors: {', '.join(sorted(unknown_ids))}")
    score = 0.0
    counted: list[str] = []
    unknown: list[str] = []
    room: list[str] = []
    for factor in LIBRA_FACTORS:
        value = present.get(factor.id)
        if value is None:
            unknown.append(factor.id)
            continue
        if value:
            score += factor.weight
            counted.append(factor.id)
        # A protective factor absent is room too; for alcohol that means drinking more
        # than a unit a day, so the change it names is always "less".
        if (factor.weight > 0) == bool(value):
            room.append(factor.id)
    return LibraScore(round(score, 1), tuple(counted), tuple(unknown), tuple(room))


# -- The questionnaire (Lancet 2024's 14 factors, plus LIBRA's own) ---------------------------


@dataclass(frozen=True)
class BrainQuestion:
    """A self-report question. ``choices`` are (stored value, words); yes/no questions use
    :data:`YES_NO`. ``lancet`` names the Lancet 2024 factor it asks about (None when only
    LIBRA uses it); ``libra`` the LIBRA factor it fills (None: shown, unscored)."""

    id: str
    text: str
    lancet: str | None
    libra: str | None
    choices: tuple[tuple[str, str], ...]
    hint: str = ""


YES_NO: tuple[tuple[str, str], ...] = (("no", "No"), ("yes", "Yes"), ("unknown", "Not sure"))
#: Alcohol in UK units a week. "None" and "up to 7" (a unit a day) both count as LIBRA's
#: protective "no to low/moderate" drinking (Vrijsen 2021 Table 1); over 21 is the Lancet
#: Commission's excessive drinking.
ALCOHOL_CHOICES: tuple[tuple[str, str], ...] = (
    ("none", "I do not drink alcohol"), ("up_to_7", "Up to 7 units a week"),
    ("8_to_21", "8 to 21 units a week"), ("over_21", "More than 21 units a week"),
    ("unknown", "Not sure"))
ALCOHOL_LOW = frozenset({"none", "up_to_7"})
ALCOHOL_EXCESSIVE = "over_21"
ALCOHOL_HINT = ("A unit is a small glass of wine (125 ml at 8%), half a pint of ordinary beer "
                "or a single measure of spirits.")

#: The questions, in the order every face asks them. The first fourteen are the Lancet
#: Commission's factors (Livingston 2024); the last four are LIBRA's own.
BRAIN_QUESTIONS: tuple[BrainQuestion, ...] = (
    BrainQuestion("physical_inactivity",
                  "In a usual week, do you do less than 150 minutes of moderate activity "
                  "(such as brisk walking)?", "Physical inactivity", "physical_inactivity",
                  YES_NO, "Once you have 4 weeks of activities recorded, your own data is "
                  "used instead of this answer."),
    BrainQuestion("depression", "Are you being treated for depression, or has a doctor told "
                  "you that you have it?", "Depression", "depression", YES_NO),
    BrainQuestion("hypertension", "Has a doctor told you that you have high blood pressure?",
                  "Hypertension", "hypertension", YES_NO),
    BrainQuestion("high_cholesterol", "Has a doctor told you that your cholesterol (LDL) is "
                  "high, or do you take a statin?", "High LDL cholesterol",
                  "high_cholesterol", YES_NO),
    BrainQuestion("diabetes", "Do you have diabetes?", "Diabetes", "diabetes", YES_NO),
    BrainQuestion("smoking", "Do you smoke?", "Smoking", "smoking", YES_NO),
    BrainQuestion("obesity", "Is your body-mass index (BMI) 30 or more?", "Obesity",
                  "obesity", YES_NO, "BMI is weight in kg divided by height in metres "
                  "squared."),
    BrainQuestion("alcohol", "How much alcohol do you drink in a usual week?",
                  "Excessive alcohol", "low_alcohol", ALCOHOL_CHOICES, ALCOHOL_HINT),
    BrainQuestion("less_education", "Did you leave full-time education before the age of "
                  "16?", "Less education", None, YES_NO),
    BrainQuestion("hearing_loss", "Do you have trouble hearing that is not helped by a "
                  "hearing aid?", "Hearing loss", None, YES_NO),
    BrainQuestion("vision_loss", "Do you have sight problems that have not been treated "
                  "(such as cataracts)?", "Untreated vision loss", None, YES_NO),
    BrainQuestion("head_injury", "Have you had a head injury that knocked you out or needed "
                  "hospital care?", "Traumatic brain injury", None, YES_NO),
    BrainQuestion("social_isolation", "Do you see or talk with friends or family less than "
                  "once a week?", "Social isolation", None, YES_NO),
    BrainQuestion("air_pollution", "Do you live or work where the air is often polluted "
                  "(for example beside heavy traffic)?", "Air pollution", None, YES_NO),
    BrainQuestion("heart_disease", "Have you had heart disease, such as a heart attack or "
                  "angina?", None, "heart_disease", YES_NO),
    BrainQuestion("kidney_disease", "Has a doctor told you that your kidneys work less well "
                  "than they should (chronic kidney disease)?", None, "kidney_disease",
                  YES_NO),
    BrainQuestion("healthy_diet", "Do you eat a Mediterranean-style diet most days: plenty "
                  "of vegetables, fruit, beans, whole grains, fish and olive oil?", None,
                  "healthy_diet", YES_NO),
    BrainQuestion("cognitive_activity", "Do you often do things that make you think hard, "
                  "such as reading, learning, puzzles or demanding work?", None,
                  "cognitive_activity", YES_NO),
)
QUESTIONS_BY_ID: Mapping[str, BrainQuestion] = {q.id: q for q in BRAIN_QUESTIONS}
#: The Lancet Commission 2024's 14 modifiable factors, in the questionnaire's order.
LANCET_FACTORS: tuple[str, ...] = tuple(q.lancet for q in BRAIN_QUESTIONS if q.lancet)


def check_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """The answers with every key a question id and every value one of its choices;
    ValueError naming the first that is not. Questions left out are "unknown"."""
    out: dict[str, str] = {}
    for key, value in answers.items():
        question = QUESTIONS_BY_ID.get(key)
        if question is None:
            raise ValueError(f"{key!r} is not a brain-health question; the questions are: "
                             + ", ".join(QUESTIONS_BY_ID))
        allowed = [c for c, _ in question.choices]
        if value not in allowed:
            raise ValueError(f"answer to {key!r} must be one of {', '.join(allowed)}, "
                             f"got {value!r}")
        out[key] = value
    return {q.id: out.get(q.id, "unknown") for q in BRAIN_QUESTIONS}


def libra_present(answers: Mapping[str, str]) -> dict[str, bool | None]:
    """Each LIBRA factor's presence from the answers (None when unknown). Alcohol fills
    ``low_alcohol``: none or up to 7 units a week is present (protective)."""
    present: dict[str, bool | None] = {}
    for question in BRAIN_QUESTIONS:
        if question.libra is None:
            continue
        value = answers.get(question.id, "unknown")
        if value == "unknown":
            present[question.libra] = None
        elif question.id == "alcohol":
            present[question.libra] = value in ALCOHOL_LOW
        else:
            present[question.libra] = value == "yes"
    return present


# -- Physical inactivity from the person's own data ------------------------------------------

#: Weeks of recorded activity before the data, not the answer, decides inactivity: 4 weeks,
#: so one quiet or busy week does not flip it [U our choice].
INACTIVITY_DATA_WEEKS = 4


@dataclass(frozen=True)
class Inactivity:
    """Whether the person is below WHO's 150 minutes, and where that came from:
    ``source`` is ``data`` (their last 4 weeks), ``answer`` or ``unknown``."""

    inactive: bool | None
    source: str
    weekly_min: float | None  # moderate-equivalent minutes a week (data only)


def weekly_moderate_equivalent_min(who_equivalent_min: ArrayLike) -> float:
    """Mean weekly moderate-equivalent minutes over the last 4 weeks of a daily array:
    Σ(last 28 days) / 4 (moderate + 2 x vigorous per day, WHO 2020 [V]). NaN days count 0."""
    days = np.asarray(who_equivalent_min, dtype=np.float64)[-7 * INACTIVITY_DATA_WEEKS:]
    return float(np.nansum(days) / INACTIVITY_DATA_WEEKS)


def physical_inactivity(who_equivalent_min: ArrayLike, recorded_days: int,
                        answer: str) -> Inactivity:
    """Inactive when weekly moderate-equivalent minutes over the last 4 weeks are below
    WHO's 150 (Bull et al. 2020 [V]; LIBRA's definition, Vrijsen 2021 Table 1 [V]), once
    ``recorded_days`` (days since the first recorded activity, today included) reach 28;
    before that, the person's answer ("yes" = inactive)."""
    if recorded_days >= 7 * INACTIVITY_DATA_WEEKS:
        weekly = weekly_moderate_equivalent_min(who_equivalent_min)
        return Inactivity(weekly < WHO_MODERATE_MIN_PER_WEEK, "data", round(weekly, 1))
    if answer in ("yes", "no"):
        return Inactivity(answer == "yes", "answer", None)
    return Inactivity(None, "unknown", None)


# -- WHO-5 -----------------------------------------------------------------------------------

#: WHO-5: raw score 0-25 (five items 0-5) x 4 = percentage 0-100 (Topp 2015) [V].
WHO5_RAW_TO_PERCENT = 4.0
#: Below 50: poor wellbeing, a reason to talk to a doctor (Topp 2015) [S]. Secondary
#: sources quote the review as using 50 or below (below 51) for depression screening, so a
#: score of exactly 50 says nothing here; an open question for the next review.
WHO5_POOR_BELOW_PCT = 50.0
#: 28 or below: likely depression, a reason to see a doctor soon (Topp 2015) [S].
WHO5_VERY_LOW_AT_OR_BELOW_PCT = 28.0
#: The WHO-5 asks about the last two weeks: one point per 14-day window [V].
WHO5_WINDOW_D = 14


def who5_percent(items: Sequence[int]) -> float:
    """WHO-5 percentage = 4 x Σ items (five answers 0-5): 0 worst, 100 best (Topp 2015 [V])."""
    if len(items) != 5 or any(not 0 <= int(i) <= 5 for i in items):
        raise ValueError("WHO-5 needs five answers from 0 to 5")
    return WHO5_RAW_TO_PERCENT * float(sum(int(i) for i in items))


def who5_band(percent: float) -> str:
    """``very_low`` (<= 28: see a doctor soon), ``poor`` (< 50: talk to a doctor), or
    ``ok`` (Topp 2015 [V]); ``none`` for NaN."""
    if percent != percent:
        return "none"
    if percent <= WHO5_VERY_LOW_AT_OR_BELOW_PCT:
        return "very_low"
    if percent < WHO5_POOR_BELOW_PCT:
        return "poor"
    return "ok"


@dataclass(frozen=True)
class Who5Window:
    start: date
    end: date
    percent: float  # mean of the window's answers; NaN without one
    band: str


def who5_windows(days: Sequence[date], percents: ArrayLike, today: date,
                 n_windows: int) -> list[Who5Window]:
    """Back-to-back 14-day windows ending ``today`` (oldest first), each the mean of the
    WHO-5 percentages answered in it. One point per window because the WHO-5 asks about the
    last two weeks [V]."""
    values = np.asarray(percents, dtype=np.float64)
    offsets = np.array([(today - d).days for d in days], dtype=np.int64)
    out: list[Who5Window] = []
    for k in range(n_windows - 1, -1, -1):
        inside = (offsets >= k * WHO5_WINDOW_D) & (offsets < (k + 1) * WHO5_WINDOW_D)
        chosen = values[inside & ~np.isnan(values)]
        mean = float(chosen.mean()) if chosen.size else float("nan")
        end = today - timedelta(days=k * WHO5_WINDOW_D)
        out.append(Who5Window(end - timedelta(days=WHO5_WINDOW_D - 1), end, mean,
                              who5_band(mean)))
    return out


# -- Sleep -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SleepRange:
    """Hours a night recommended for an age band, and the wider "may be appropriate"."""

    min_age: int
    max_age: int
    recommended_h: tuple[float, float]
    may_be_appropriate_h: tuple[float, float]


#: Hirshkowitz et al. 2015 (National Sleep Foundation) for ages 14 and up [S].
SLEEP_RANGES: tuple[SleepRange, ...] = (
    SleepRange(14, 17, (8.0, 10.0), (7.0, 11.0)),
    SleepRange(18, 25, (7.0, 9.0), (6.0, 11.0)),
    SleepRange(26, 64, (7.0, 9.0), (6.0, 10.0)),
    SleepRange(65, 150, (7.0, 8.0), (5.0, 9.0)),
)
#: Nights needed in the last 14 days before a mean is shown [U our choice].
SLEEP_MIN_NIGHTS = 3


def sleep_range(age_years: int | None) -> SleepRange | None:
    """The recommended range for an age (adults 18-64 when the age is unknown)."""
    if age_years is None:
        return SLEEP_RANGES[2]
    for band in SLEEP_RANGES:
        if band.min_age <= age_years <= band.max_age:
            return band
    return None


@dataclass(frozen=True)
class SleepSummary:
    nights: int
    mean_h: float | None
    sd_h: float | None  # night-to-night variation: regularity, described, never graded
    verdict: str  # below / within / above / unknown
    range: SleepRange | None


def sleep_summary(sleep_hours: ArrayLike, age_years: int | None) -> SleepSummary:
    """Mean and standard deviation of the nights given (NaN nights skipped), against
    Hirshkowitz 2015's recommended range for the age [S]. Fewer than 3 nights: unknown."""
    hours = np.asarray(sleep_hours, dtype=np.float64)
    hours = hours[~np.isnan(hours)]
    band = sleep_range(age_years)
    if hours.size < SLEEP_MIN_NIGHTS or band is None:
        return SleepSummary(int(hours.size), None, None, "unknown", band)
    mean = float(hours.mean())
    low, high = band.recommended_h
    verdict = "below" if mean < low else "above" if mean > high else "within"
    return SleepSummary(int(hours.size), round(mean, 1), round(float(hours.std()), 1),
                        verdict, band)


# -- What the score is, and is not -----------------------------------------------------------

LIBRA_ABOUT = (
    "LIBRA adds up 12 things linked with brain health that you can change. It shows room for "
    "improvement. It is not a test, and it cannot tell what will happen to you. In a Dutch "
    "study of 949 people aged 50 to 81, each extra point went with about 19% more dementia "
    "in the group over the following years; other studies found weaker links, and the "
    "studies behind it show links, not causes.")
ALCOHOL_NOTE = (
    "Not drinking counts the same as light drinking here: there is no reason to start "
    "drinking for your brain. Drinking more than 21 units a week is a risk.")
UNSCORED_NOTE = ("A 2024 expert report (the Lancet Commission) names these too. LIBRA does not "
                 "score them, but they are worth acting on:")


# -- Wellbeing advice (said once, through the core's one voice) -------------------------------

def wellbeing_text(percent: float) -> str | None:
    """The sentence for the current two-week WHO-5 window, or None when it is 50 or more
    (Topp 2015 cut-offs [S]). Kind, specific, with a next step; never a diagnosis."""
    band = who5_band(percent)
    if band == "very_low":
        return (f"Your wellbeing answers for the last two weeks add up to {percent:.0f} out "
                "of 100. A score this low is a good reason to see your doctor soon, in the "
                "next week or so, and tell them how you have been feeling; they can help. If "
                "you ever feel unsafe, call your local emergency number straight away.")
    if band == "poor":
        return (f"Your wellbeing answers for the last two weeks add up to {percent:.0f} out "
                "of 100, below 50. That often means a hard stretch; it is worth talking to "
                "your doctor about how you have been feeling.")
    return None


# -- The profile -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FactorRow:
    """One question as the profile shows it: ``status`` present / absent / unknown (for
    alcohol: ``present`` means more than 21 units a week, the Lancet factor); ``weight`` the
    LIBRA points it adds now (None: unscored); ``source`` answer or data."""

    id: str
    words: str
    question: str
    answer: str
    status: str
    weight: float | None
    scored: bool
    lancet: bool
    source: str


@dataclass(frozen=True)
class BrainProfile:
    answered_on: date | None
    answers: dict[str, str]
    inactivity: Inactivity
    libra: LibraScore
    factors: tuple[FactorRow, ...]
    who5: tuple[Who5Window, ...]
    sleep: SleepSummary
    about: str = LIBRA_ABOUT
    alcohol_note: str = ALCOHOL_NOTE


#: WHO-5 windows shown: 6 two-week windows, about 12 weeks [U our choice].
WHO5_WINDOWS_SHOWN = 6


def brain_profile(answers: Mapping[str, str], *, answered_on: date | None,
                  who_equivalent_min: ArrayLike, recorded_days: int,
                  days: Sequence[date], who5_pct: ArrayLike, sleep_hours: ArrayLike,
                  age_years: int | None, today: date) -> BrainProfile:
    """The whole brain-health picture from the answers and the daily series (arrays aligned
    with ``days``): LIBRA with inactivity from the data once 4 weeks are recorded, every
    question's row, WHO-5 per two-week window, and the last 14 nights of sleep."""
    checked = check_answers(answers)
    inactivity = physical_inactivity(who_equivalent_min, recorded_days,
                                     checked["physical_inactivity"])
    present = libra_present(checked)
    present["physical_inactivity"] = inactivity.inactive
    libra = libra_score(present)
    choice_words = {q.id: dict(q.choices) for q in BRAIN_QUESTIONS}
    rows: list[FactorRow] = []
    for q in BRAIN_QUESTIONS:
        value = checked[q.id]
        answer = choice_words[q.id][value]
        source = "answer"
        if q.id == "alcohol":
            status = ("unknown" if value == "unknown"
                      else "present" if value == ALCOHOL_EXCESSIVE else "absent")
        elif q.id == "physical_inactivity" and inactivity.source == "data":
            status = "present" if inactivity.inactive else "absent"
            answer = f"{inactivity.weekly_min:.0f} min a week, from your last 4 weeks"
            source = "data"
        else:
            status = {"yes": "present", "no": "absent"}.get(value, "unknown")
        weight = None
        if q.libra is not None:
            factor = LIBRA_BY_ID[q.libra]
            weight = factor.weight if present.get(q.libra) else 0.0
        rows.append(FactorRow(q.id, LIBRA_BY_ID[q.libra].words if q.libra else str(q.lancet),
                              q.text,
                              answer, status, weight, q.libra is not None,
                              q.lancet is not None, source))
    sleep_days = np.asarray(sleep_hours, dtype=np.float64)
    recent = np.array([(today - d).days < WHO5_WINDOW_D for d in days], dtype=bool)
    return BrainProfile(
        answered_on=answered_on, answers=checked, inactivity=inactivity, libra=libra,
        factors=tuple(rows),
        who5=tuple(who5_windows(days, who5_pct, today, WHO5_WINDOWS_SHOWN)),
        sleep=sleep_summary(sleep_days[recent] if recent.size else sleep_days, age_years),
    )
