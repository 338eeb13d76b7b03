"""Health benefits: METs, MET-minutes, WHO 2020 weekly minutes, energy, and what studies found.

Pure, vectorised NumPy. Evidence grades as in ``shared/reference/science.md``: **[V]** checked
against the primary abstract or publisher page, **[S]** secondary only, **[U]** unverified or
our inference. See docs/science/benefits.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

MPS_PER_MPH = 0.44704

# 2024 Adult Compendium (Herrmann et al. 2024, ages 19-59) [V paper; values S: two
# transcriptions agree]. Each row: (code, lowest speed of the row in mph, MET). Rows 12100 and
# faster, 17151, 17152 and 17230 were added later from three further public transcriptions of the
# 2024 table that agree with each other and with the rows above [S]; 17151 is in only one of
# them (the 2011 value was 2.0), either way light.
RUNNING_COMPENDIUM_2024: tuple[tuple[str, float, float], ...] = (
    ("12028", 4.0, 6.5),
    ("12029", 4.3, 7.8),
    ("12030", 5.0, 8.5),
    ("12045", 5.5, 9.0),
    ("12050", 6.0, 9.3),
    ("12060", 6.7, 10.5),
    ("12070", 7.0, 11.0),
    ("12080", 7.5, 11.8),
    ("12090", 8.0, 12.0),
    ("12100", 8.6, 12.5),
    ("12110", 9.0, 13.0),
    ("12115", 9.3, 14.8),
    ("12120", 10.0, 14.8),
    ("12130", 11.0, 16.8),
    ("12132", 12.0, 18.5),
    ("12134", 13.0, 19.8),
    ("12135", 14.0, 23.0),
)
JOG_WALK_CODE, JOG_WALK_MET = "12010", 6.0
JOGGING_SELF_PACED_CODE, JOGGING_SELF_PACED_MET = "12020", 7.5
WALKING_COMPENDIUM_2024: tuple[tuple[str, float, float], ...] = (
    ("17151", 0.0, 2.3),
    ("17152", 2.0, 2.8),
    ("17170", 2.5, 3.0),
    ("17190", 2.8, 3.8),
    ("17200", 3.5, 4.8),
    ("17220", 4.0, 5.5),
    ("17230", 4.5, 7.0),
)
# "Hiking, cross country" [S, as above]: one value for any hike, whatever its average speed,
# because a hike's average includes climbs, descents and stops that level-walking rows ignore.
HIKING_CROSS_COUNTRY_CODE, HIKING_CROSS_COUNTRY_MET = "17080", 6.0

MODERATE_MET = 3.0
VIGOROUS_MET = 6.0
# Older Adult Compendium (Willis et al. 2024) [V abstract]: MET60+ = VO2 / 2.7 mL/kg/min,
# against 3.5 for the adult MET.
OLDER_ADULT_RESTING_VO2_ML_PER_KG_MIN = 2.7
ADULT_RESTING_VO2_ML_PER_KG_MIN = 3.5

OLDER_ADULT_MET_NOTE = (
    "For people aged 60 and over, the Older Adult Compendium (Willis et al. 2024) gives its own "
    "values, measured in older adults. We could not check its walking and running values, so "
    "stridewise uses the adult values for everyone. They may be a little off for you; your own "
    "sense of effort is a good guide too."
)
RELATIVE_INTENSITY_NOTE = (
    "Moderate and vigorous here are fixed MET bands (3 to under 6, and 6 or more). For many "
    "older or less fit people a brisk walk already feels hard: WHO 2020 also accepts intensity "
    "relative to your own fitness, so count what feels like hard breathing as vigorous."
)


class Intensity(IntEnum):
    """Absolute intensity band from METs (UNKNOWN where the MET is not known)."""

    UNKNOWN = -1
    LIGHT = 0
    MODERATE = 1
    VIGOROUS = 2


def _step_lookup(speed_mph: FloatArray, rows: tuple[tuple[str, float, float], ...]) -> FloatArray:
    lower_bounds_mph = np.array([row[1] for row in rows])
    mets = np.array([row[2] for row in rows])
    index = np.searchsorted(lower_bounds_mph, speed_mph, side="right") - 1
    # NaN sorts after every bound, so it would take the fastest row without the isnan guard.
    known = (index >= 0) & ~np.isnan(speed_mph)
    return np.where(known, mets[np.clip(index, 0, None)], np.nan)


def met_running(speed_mps: ArrayLike) -> FloatArray:
    """MET of running at a given speed, 2024 Adult Compendium.

    Step rule: a speed takes the row with the highest lower speed not above it (6.5 mph takes
    12050's 9.3), so values are never interpolated upward. Above 14 mph, the fastest row:
    23.0 (no extrapolation). Below 4 mph, the slowest running row, jogging is scored as the
    jog/walk entry 12010 (6.0 MET). NaN stays NaN.

    References
    ----------
    Herrmann SD, Willis EA, Ainsworth BE, et al. 2024 Adult Compendium of Physical Activities:
    a third update of the energy costs of human activities. J Sport Health Sci 2024;13:6-12.
    """
    speed_mph = np.asarray(speed_mps, dtype=np.float64) / MPS_PER_MPH
    met = _step_lookup(speed_mph, RUNNING_COMPENDIUM_2024)
    return np.where(np.isnan(speed_mph), np.nan, np.where(np.isnan(met), JOG_WALK_MET, met))


def met_walking(speed_mps: ArrayLike) -> FloatArray:
    """MET of level walking at a given speed, 2024 Adult Compendium (same step rule).

    Under 2.0 mph (0.89 m/s): 17151, 2.3 MET (light); 2.0-2.4 mph: 17152, 2.8 (light); from
    4.5 mph: 17230, 7.0 (no extrapolation above it). NaN stays NaN.
    """
    speed_mph = np.asarray(speed_mps, dtype=np.float64) / MPS_PER_MPH
    return _step_lookup(speed_mph, WALKING_COMPENDIUM_2024)


def met_hiking(speed_mps: ArrayLike) -> FloatArray:
    """MET of a hike: "hiking, cross country" (17080), 6.0, at any speed; NaN stays NaN.

    The speed is taken only to keep the array's shape and NaNs: a hike's average speed says
    little about its effort, and the level-walking rows would make a 2-hour hill walk light.
    """
    speed = np.asarray(speed_mps, dtype=np.float64)
    return np.where(np.isnan(speed), np.nan, HIKING_CROSS_COUNTRY_MET)


def met60_from_vo2(vo2_ml_per_kg_min: ArrayLike) -> FloatArray:
    """Older-adult MET from measured oxygen uptake: MET60+ = VO2 / 2.7 (Willis et al. 2024) [V]."""
    return np.asarray(vo2_ml_per_kg_min, dtype=np.float64) / OLDER_ADULT_RESTING_VO2_ML_PER_KG_MIN


def met_minutes(met: ArrayLike, minutes: ArrayLike) -> FloatArray:
    """MET-minutes = MET x minutes (NaN propagates)."""
    return np.asarray(met, dtype=np.float64) * np.asarray(minutes, dtype=np.float64)


def intensity(met: ArrayLike) -> NDArray[np.int8]:
    """Absolute intensity band: light < 3, moderate 3 to < 6, vigorous >= 6 MET (WHO 2020) [V].

    Returns :class:`Intensity` values as int8; NaN gives ``Intensity.UNKNOWN``. For older adults
    see :data:`RELATIVE_INTENSITY_NOTE`.
    """
    met_array = np.asarray(met, dtype=np.float64)
    band = np.select(
        [np.isnan(met_array), met_array >= VIGOROUS_MET, met_array >= MODERATE_MET],
        [Intensity.UNKNOWN, Intensity.VIGOROUS, Intensity.MODERATE],
        default=Intensity.LIGHT,
    )
    return band.astype(np.int8)


def energy_kcal(met: ArrayLike, body_mass_kg: ArrayLike, minutes: ArrayLike) -> FloatArray:
    """Estimated gross energy: kcal = MET x body mass (kg) x hours, taking 1 MET = 1 kcal/kg/h.

    An estimate: it assumes the standard resting rate (3.5 mL O2/kg/min), which overstates
    older adults' and heavier people's resting use, and it includes the energy they would have
    used at rest anyway.
    """
    hours = np.asarray(minutes, dtype=np.float64) / 60.0
    return np.asarray(met, dtype=np.float64) * np.asarray(body_mass_kg, dtype=np.float64) * hours


WHO_MODERATE_MIN_PER_WEEK = 150.0
WHO_MODERATE_UPPER_MIN_PER_WEEK = 300.0
WHO_VIGOROUS_MIN_PER_WEEK = 75.0
WHO_VIGOROUS_UPPER_MIN_PER_WEEK = 150.0
WHO_STRENGTH_DAYS_PER_WEEK = 2
WHO_OLDER_ADULT_MULTICOMPONENT_DAYS_PER_WEEK = 3
WHO_OLDER_ADULT_AGE_YEARS = 65.0


#: WHO 2020: one vigorous minute counts as two moderate minutes [V].
WHO_VIGOROUS_TO_MODERATE_RATIO = 2.0


def who_equivalent_minutes(moderate_min: ArrayLike, vigorous_min: ArrayLike) -> FloatArray:
    """Moderate-equivalent minutes, element by element: moderate + 2 x vigorous.

    WHO 2020 counts one vigorous minute as two moderate minutes
    (:data:`WHO_VIGOROUS_TO_MODERATE_RATIO`) [V], so 150/300 moderate and 75/150 vigorous are
    the same targets. The one place the 2:1 rule is written; per day in the daily series, per
    week in :func:`who_weekly_minutes`.
    """
    return np.asarray(
        np.asarray(moderate_min, dtype=np.float64)
        + WHO_VIGOROUS_TO_MODERATE_RATIO * np.asarray(vigorous_min, dtype=np.float64),
        dtype=np.float64,
    )


def who_weekly_minutes(
    moderate_min: ArrayLike, vigorous_min: ArrayLike, *, axis: int = -1
) -> FloatArray:
    """Moderate-equivalent minutes for the week: sum over ``axis`` of
    :func:`who_equivalent_minutes` (moderate + 2 x vigorous). With an athletes x days array and
    ``axis=-1`` this gives one total per athlete. NaN days count as zero.
    """
    equivalent = who_equivalent_minutes(moderate_min, vigorous_min)
    return np.asarray(np.nansum(equivalent, axis=axis), dtype=np.float64)


@dataclass(frozen=True)
class WhoWeek:
    """A week against WHO 2020: each field is an array (one value per athlete)."""

    moderate_equivalent_min: FloatArray
    meets_aerobic: NDArray[np.bool_]
    meets_upper_aerobic: NDArray[np.bool_]
    strength_days: NDArray[np.int64]
    meets_strength: NDArray[np.bool_]
    multicomponent_days: NDArray[np.int64]
    multicomponent_applies: NDArray[np.bool_]
    meets_multicomponent: NDArray[np.bool_]


def who_week(
    moderate_min: ArrayLike,
    vigorous_min: ArrayLike,
    strength_done: ArrayLike,
    multicomponent_done: ArrayLike,
    age_years: ArrayLike,
) -> WhoWeek:
    """Check a week (days on the last axis) against WHO 2020 for adults and older adults.

    * aerobic: >= 150 moderate-equivalent minutes (>= 300 for the upper range) [V];
    * muscle strengthening on 2 or more days [V];
    * for people 65 and over, varied multicomponent activity emphasising functional balance
      and strength on 3 or more days [V guideline; the exact wording was checked only in
      secondary copies, S]. ``meets_multicomponent`` is True where it does not apply.
    """
    equivalent = who_weekly_minutes(moderate_min, vigorous_min)
    strength_days = np.sum(np.asarray(strength_done, dtype=bool), axis=-1).astype(np.int64)
    balance_days = np.sum(np.asarray(multicomponent_done, dtype=bool), axis=-1).astype(np.int64)
    applies = np.asarray(age_years, dtype=np.float64) >= WHO_OLDER_ADULT_AGE_YEARS
    applies = np.broadcast_to(applies, balance_days.shape)
    return WhoWeek(
        moderate_equivalent_min=equivalent,
        meets_aerobic=equivalent >= WHO_MODERATE_MIN_PER_WEEK,
        meets_upper_aerobic=equivalent >= WHO_MODERATE_UPPER_MIN_PER_WEEK,
        strength_days=strength_days,
        meets_strength=strength_days >= WHO_STRENGTH_DAYS_PER_WEEK,
        multicomponent_days=balance_days,
        multicomponent_applies=np.asarray(applies),
        meets_multicomponent=~applies
        | (balance_days >= WHO_OLDER_ADULT_MULTICOMPONENT_DAYS_PER_WEEK),
    )


DEMENTIA_STUDY_REFERENCE = (
    "Marino FR, Lyu C, Li Y, Liu T, Au R, Hwang PH. Physical activity over the adult life course "
    "and risk of dementia in the Framingham Heart Study. JAMA Netw Open 2025;8(11):e2544439. "
    "doi:10.1001/jamanetworkopen.2025.44439"
)
DEMENTIA_STUDY_FOUND = (
    "In the Framingham Offspring Study, people who reported more physical activity in midlife "
    "(ages 45-64; 1,943 people followed for about 26 years) were less likely to develop dementia: "
    "the two most active fifths had about 40% lower risk than the least active fifth "
    "(hazard ratios 0.60 and 0.59). In a separate group who were 65-88 when first asked "
    "(885 people, about 15 years of follow-up), the most active fifths also had lower risk "
    "(0.64, whose range just reached no difference, and 0.55). Activity in early adulthood "
    "showed no link."
)
DEMENTIA_STUDY_LIMITS = (
    "What it did not show: it found an association, which cannot prove that exercise itself "
    "prevented dementia. The late-life group was a different set of people, not the midlife "
    "group carrying on exercising. Activity was people's own report of all their daily "
    "activity, not running or 'cardio' in particular. And group averages are not a prediction "
    "of your own risk. Being active is still one of the best-supported things you can do for "
    "your brain and the rest of you."
)
DEMENTIA_STUDY_GRADE = "V"

# Title and DOI come from secondary sources only (news reports, one third-party repository).
DAILY_5KM_STUDY_REFERENCE = (
    "Geng L, et al. (teams of Liu G-H, Qu J, Zhang W, Song M, Wang S). Betaine as an exercise "
    "mimetic for geroprotection. Cell, online 25 June 2025; DOI reported as "
    "10.1016/j.cell.2025.06.001 (not checked against the publisher)."
)
DAILY_5KM_STUDY_FOUND = (
    "Thirteen healthy young men first kept exercise low for 45 days, then ran 5 km once, then "
    "ran 5 km every day for 25 days. Researchers studied their blood and stool in great detail. "
    "A single run caused a short burst of stress and inflammation; after the 25 days, markers of "
    "inflammation and of ageing immune cells had improved. The kidneys made more betaine, a "
    "natural substance, and betaine given to old mice copied some benefits of exercise."
)
DAILY_5KM_STUDY_LIMITS = (
    "What it does not show: 13 young men is a very small group, with no women and no older "
    "people, and no comparison group who did not run. It measured blood markers, not health "
    "outcomes such as illness or lifespan, and the betaine effects were seen in mice. It does "
    "not mean you need to run every day, nor that a betaine supplement can replace exercise. "
    "Our 25-day block is offered only to people cleared for it."
)
DAILY_5KM_STUDY_GRADE = "S"
