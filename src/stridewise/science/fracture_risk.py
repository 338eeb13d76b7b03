"""Fracture-risk tools: the OST index and the Garvan nomogram (women, Model I).

Both are screening aids that help decide whether a bone density scan or a talk with a doctor
is worthwhile. Neither diagnoses anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class Ethnicity(StrEnum):
    """Only used to choose published OST cut-offs."""

    ASIAN = "asian"
    WHITE = "white"
    OTHER = "other"


class RiskBound(StrEnum):
    """Whether a nomogram value is an estimate or the edge of the published table."""

    BELOW = "below"  # the true risk is below the value
    ESTIMATE = "estimate"
    ABOVE = "above"  # the true risk is above the value


def ost_score(body_mass_kg: float, age_years: float) -> float:
    r"""Osteoporosis Self-assessment Tool (OST, called OSTA in Asian women).

    .. math:: \mathrm{OST} = 0.2 \times (\text{body mass [kg]} - \text{age [years]})

    Parameters
    ----------
    body_mass_kg : float
        Body mass, kilograms.
    age_years : float
        Age, years.

    Returns
    -------
    float
        OST index (dimensionless, lower = more likely to have low bone density).
        Not truncated; some publications drop the decimals before applying cut-offs.

    References
    ----------
    Koh LKH et al. A simple tool to identify Asian women at increased risk of osteoporosis.
    *Osteoporos Int* 2001;12:699–705. Adler RA et al. Osteoporosis in men: a comparison of
    the OST index with other screening approaches. *Mayo Clin Proc* 2003;78:723–729.
    Evidence grade [S] (formula consistent across secondary sources).
    """
    return 0.2 * (body_mass_kg - age_years)


def ost_band(score: float, sex: Sex, ethnicity: Ethnicity) -> str | None:
    """Published OST risk band for the person's group, or ``None`` if none is documented.

    * Asian women [S]: ``"high"`` below −4, ``"moderate"`` from −4 to −1, ``"low"`` above −1.
    * White women [S]: ``"high"`` below 2 (a bone density scan is worth discussing), else
      ``"low"``.
    * Men (Adler 2003) [S]: ``"high"`` below 4, else ``"low"``.
    * Women of other backgrounds: ``None`` (no cut-off documented here).
    """
    if sex is Sex.MALE:
        return "high" if score < 4 else "low"
    if ethnicity is Ethnicity.ASIAN:
        if score < -4:
            return "high"
        return "moderate" if score <= -1 else "low"
    if ethnicity is Ethnicity.WHITE:
        return "high" if score < 2 else "low"
    return None


#: Youngest age (years) in the Dubbo cohort the Garvan model was built on.
GARVAN_MIN_AGE_YEARS = 60
#: 5-year risk (%) that Nguyen et al. 2008 call "high risk" [V, abstract].
GARVAN_HIGH_FIVE_YEAR_RISK_PERCENT = 10.0

_FIVE_YEAR_TABLE_POINTS = (17.5, 58.1, 152.9)
_TEN_YEAR_TABLE_POINTS = (39.5, 103.7, 151.2)


class GarvanNotApplicable(ValueError):
    """The nomogram was not validated for this person; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class GarvanRisk:
    """Garvan Model I result: nomogram points and 5-/10-year risk of any fragility fracture."""

    points: float
    five_year_percent: float
    five_year_bound: RiskBound
    ten_year_percent: float
    ten_year_bound: RiskBound

    @property
    def high_risk(self) -> bool:
        """5-year risk at or above 10%, the "high risk" line of Nguyen et al. 2008 [V]."""
        return self.five_year_percent >= GARVAN_HIGH_FIVE_YEAR_RISK_PERCENT

    def describe(self) -> str:
        """The two risks in words, e.g. ``"about 10.4% in 5 years, about 21.6% in 10 years"``."""
        return (
            f"{_describe(self.five_year_percent, self.five_year_bound)} in 5 years, "
            f"{_describe(self.ten_year_percent, self.ten_year_bound)} in 10 years"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "five_year_percent": self.five_year_percent,
            "five_year_bound": self.five_year_bound.value,
            "ten_year_percent": self.ten_year_percent,
            "ten_year_bound": self.ten_year_bound.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GarvanRisk:
        return cls(
            float(data["points"]),
            float(data["five_year_percent"]),
            RiskBound(data["five_year_bound"]),
            float(data["ten_year_percent"]),
            RiskBound(data["ten_year_bound"]),
        )


def _describe(percent: float, bound: RiskBound) -> str:
    prefix = {RiskBound.BELOW: "below", RiskBound.ESTIMATE: "about", RiskBound.ABOVE: "above"}
    return f"{prefix[bound]} {percent:.1f}%"


def garvan_points_women_model_i(
    age_years: float,
    femoral_neck_t_score: float,
    low_trauma_fractures_since_50: int,
    falls_last_12_months: int,
) -> float:
    r"""Nomogram points of the Garvan Model I for women.

    .. math::
        P = (0.8\,\text{age} - 44) + (40 - 10\,T) + \min(42,\ 14\,n_\text{fractures})
            + \min(15,\ 5\,n_\text{falls})

    Parameters
    ----------
    age_years : float
        Age, years (the model was built on people aged 60 and over).
    femoral_neck_t_score : float
        Femoral-neck bone mineral density T-score (standard deviations).
    low_trauma_fractures_since_50 : int
        Fractures from a fall from standing height or less since age 50 (3 or more count as 3).
    falls_last_12_months : int
        Falls in the last 12 months (3 or more count as 3).

    References
    ----------
    Nguyen ND, Frost SA, Center JR, Eisman JA, Nguyen TV. Development of prognostic nomograms
    for individualizing 5-year and 10-year fracture risks. *Osteoporos Int*
    2008;19:1431–1444 [V, model structure]. Point table transcribed by medicalalgorithms.com
    [S].
    """
    if low_trauma_fractures_since_50 < 0 or falls_last_12_months < 0:
        raise ValueError("fracture and fall counts cannot be negative")
    return (
        (0.8 * age_years - 44.0)
        + (40.0 - 10.0 * femoral_neck_t_score)
        + min(42.0, 14.0 * low_trauma_fractures_since_50)
        + min(15.0, 5.0 * falls_last_12_months)
    )


def garvan_five_year_percent(points: float) -> tuple[float, RiskBound]:
    r"""5-year fracture risk (%) from Garvan women's Model I points [S].

    .. math::
        R_5 = \begin{cases}
            < 1 & P < 17.5 \\
            0.09852P - 0.724 & 17.5 \le P < 58.1 \\
            0.008P^2 - 0.7475P + 20.54 & 58.1 \le P \le 152.9
        \end{cases}

    Above 152.9 points the table ends: the value at 152.9 is returned as a lower bound.
    """
    low, middle, high = _FIVE_YEAR_TABLE_POINTS
    if points < low:
        return 1.0, RiskBound.BELOW
    if points < middle:
        return 0.09852 * points - 0.724, RiskBound.ESTIMATE
    bound = RiskBound.ESTIMATE if points <= high else RiskBound.ABOVE
    capped = min(points, high)
    return 0.008 * capped**2 - 0.7475 * capped + 20.54, bound


def garvan_ten_year_percent(points: float) -> tuple[float, RiskBound]:
    r"""10-year fracture risk (%) from Garvan women's Model I points [S].

    .. math::
        R_{10} = \begin{cases}
            < 5 & P < 39.5 \\
            0.009526P^2 - 0.6715P + 16.86 & 39.5 \le P < 103.7 \\
            -0.01494P^2 + 4.867P - 295 & 103.7 \le P \le 151.2
        \end{cases}

    Above 151.2 points the table ends: the value at 151.2 is returned as a lower bound.
    """
    low, middle, high = _TEN_YEAR_TABLE_POINTS
    if points < low:
        return 5.0, RiskBound.BELOW
    if points < middle:
        return 0.009526 * points**2 - 0.6715 * points + 16.86, RiskBound.ESTIMATE
    bound = RiskBound.ESTIMATE if points <= high else RiskBound.ABOVE
    capped = min(points, high)
    return -0.01494 * capped**2 + 4.867 * capped - 295.0, bound


def garvan_risk(
    sex: Sex,
    age_years: float,
    femoral_neck_t_score: float | None,
    low_trauma_fractures_since_50: int,
    falls_last_12_months: int,
) -> GarvanRisk:
    """Garvan Model I 5- and 10-year risk of any low-trauma fracture, where it applies.

    Raises
    ------
    GarvanNotApplicable
        For men (their nomogram coefficients could not be verified), for people under 60
        (outside the Dubbo cohort), or without a femoral-neck T-score (Model II, which uses
        body weight instead, could not be verified). We refuse rather than guess.
    """
    if sex is Sex.MALE:
        raise GarvanNotApplicable(
            "The Garvan fracture-risk estimate is not shown for men: we could not check the "
            "published numbers for men, and we will not guess. Your doctor can use the "
            "Garvan or FRAX calculator with you."
        )
    if age_years < GARVAN_MIN_AGE_YEARS:
        raise GarvanNotApplicable(
            f"The Garvan fracture-risk estimate was built on people aged {GARVAN_MIN_AGE_YEARS} "
            "and over, so it is not shown for younger people."
        )
    if femoral_neck_t_score is None:
        raise GarvanNotApplicable(
            "The Garvan fracture-risk estimate needs the T-score of your hip (femoral neck) "
            "from a bone density (DXA) scan. Add it if you have had a scan."
        )
    points = garvan_points_women_model_i(
        age_years, femoral_neck_t_score, low_trauma_fractures_since_50, falls_last_12_months
    )
    five_year, five_bound = garvan_five_year_percent(points)
    ten_year, ten_bound = garvan_ten_year_percent(points)
    return GarvanRisk(points, five_year, five_bound, ten_year, ten_bound)
