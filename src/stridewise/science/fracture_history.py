"""Adult broken-bone history: what the bone-health screen records about fractures.

A **low-trauma** (fragility) fracture is a broken bone from a fall from standing height or
less, or with no fall at all (lifting, bending, a cough, a small bump). The Strong, Steady and
Straight consensus (Brooke-Wavell et al., *BJSM* 2022;56:837–846,
doi:10.1136/bjsports-2021-104634 [V]) says "people with vertebral fracture or multiple low
trauma fractures should usually exercise only up to an impact equivalent to brisk walking",
with no age limit, so every adult fracture counts for the impact level. The Garvan nomogram
counts only fractures since age 50, so each fracture also records whether it was since 50.

Stored form (``fractures_to_dicts``): one entry per kind of fracture with a ``count``::

    {"site": "wrist", "low_trauma": true, "since_age_50": false, "count": 2}

Screenings stored before this module existed hold ``fractures_since_50`` (entries without
``since_age_50`` or ``count``); ``fractures_from_dicts`` reads those as one fracture each,
since age 50, which is what they meant.

A fracture may carry the **year** (and month, if known) it happened: then "since age 50" and
"in the last 12 months" are worked out from it and the birth year (:func:`since_age_50_from`,
:func:`within_12_months`), not ticked. An undated fracture keeps its ticked meaning; the forms
ask the year of each break, so the next screening dates it.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

#: Most fractures at one site a person can report (a typing slip, not a history, above this).
MAX_FRACTURES_PER_SITE = 20

#: Age from which a fracture is an adult one.
ADULT_AGE_YEARS = 18


class FractureSite(StrEnum):
    VERTEBRAL = "vertebral"
    HIP = "hip"
    WRIST = "wrist"
    UPPER_ARM = "upper_arm"
    OTHER = "other"


#: Plain words for each site, shared by the CLI, the web form and the doctor summary.
SITE_WORDS: Mapping[FractureSite, str] = {
    FractureSite.VERTEBRAL: "Spine (a vertebra)",
    FractureSite.HIP: "Hip",
    FractureSite.WRIST: "Wrist",
    FractureSite.UPPER_ARM: "Upper arm",
    FractureSite.OTHER: "Any other bone",
}

#: What counts as a minor fall, in the words the forms show.
LOW_TRAUMA_HINT = (
    "Count breaks from a fall from standing height or less (a trip, a slip, a fall from a "
    "chair), and breaks with no fall at all, for example from lifting, bending or a small "
    "bump. Leave out breaks from bigger accidents. Put 0 where none."
)

#: Asked separately because a spine fracture from any cause limits impact.
SPINE_BIGGER_ACCIDENT_QUESTION = (
    "Have you ever broken a bone in your spine (a vertebra) in a bigger accident, for example "
    "a car crash or a fall from a height?"
)

#: How many of the breaks counted were since age 50 (asked when a break has no year).
SINCE_50_QUESTION = "How many of those broke since you turned 50?"
#: Why the forms ask which breaks were since age 50.
SINCE_50_HINT = (
    "Breaks since you turned 50 matter most: one of the bone-risk scores used here counts "
    "only those, and a break from a minor fall since 50 changes the advice."
)


def _as_an_adult(age_years: int) -> str:
    return " as an adult (from age 18)" if age_years >= ADULT_AGE_YEARS else ""


def broke_a_bone_question(age_years: int) -> str:
    """The yes/no question that opens the broken-bones questions, worded for the age."""
    return (
        f"Have you broken a bone{_as_an_adult(age_years)} from a fall from standing height or "
        "less, or with no fall at all (for example when lifting)?"
    )


def low_trauma_question(age_years: int) -> str:
    """How many breaks from a minor fall or less, worded for the person's age."""
    return f"How many bones have you broken{_as_an_adult(age_years)} from a minor fall or less?"


def asks_since_50(age_years: int) -> bool:
    """Whether the forms ask which breaks were since age 50 (never true below 50)."""
    return age_years >= 50


@dataclass(frozen=True)
class Fracture:
    """One adult broken bone.

    ``low_trauma``: from a fall from standing height or less, or with no fall at all.
    ``since_age_50``: broke at age 50 or later. Defaults to True, the reading of screenings
    stored before the age was asked, and the cautious one (it counts towards Garvan).
    """

    site: FractureSite
    low_trauma: bool
    since_age_50: bool = True
    #: When it broke, if the person knows: the year, and the month (1-12) when known.
    year: int | None = None
    month: int | None = None

    def __post_init__(self) -> None:
        if self.year is not None and not 1900 <= self.year <= 2100:
            raise ValueError(f"a fracture year must be between 1900 and 2100, got {self.year}")
        if self.month is not None and (self.year is None or not 1 <= self.month <= 12):
            raise ValueError("a fracture month is 1 to 12, and needs its year")

    @property
    def _sort_key(self) -> tuple[int, bool, bool, int, int]:
        return (list(FractureSite).index(self.site), not self.low_trauma, not self.since_age_50,
                self.year or 0, self.month or 0)


def since_age_50_from(fracture: Fracture, birth_year: int) -> Fracture:
    """A dated fracture's ``since_age_50`` worked out from the year it broke: age at the
    break = year - birth year (the cautious side when the birth year is uncertain is the
    earlier one, which the caller passes). Undated fractures are returned unchanged."""
    if fracture.year is None:
        return fracture
    return replace(fracture, since_age_50=fracture.year - birth_year >= 50)


def within_12_months(fracture: Fracture, on: datetime.date) -> bool:
    """Whether a dated fracture may have been in the 12 months before ``on``. With a month:
    at most 12 months ago. With a year only, the cautious reading: this year or last year
    (a break last year may have been less than 12 months ago) [U: our choice]."""
    if fracture.year is None:
        return False
    if fracture.month is None:
        return 0 <= on.year - fracture.year <= 1
    months = (on.year - fracture.year) * 12 + on.month - fracture.month
    return 0 <= months <= 12


#: How the forms ask when each break happened.
#: The heading of the dates question on a page (the question itself is its first line below).
FRACTURE_DATES_HEADING = "When did they break?"
FRACTURE_DATES_QUESTION = ("In which year did each happen? Add the month if you know it, for "
                           "example 2019, 2024-03. Leave empty if you do not remember.")


def parse_fracture_dates(text: str, count: int) -> list[tuple[int, int | None]]:
    """``"2019, 2024-03"`` -> ``[(2019, None), (2024, 3)]``: at most ``count`` dates; raises
    ValueError with a plain message otherwise."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if len(parts) > count:
        raise ValueError(f"You gave {len(parts)} dates for {count} broken bones. Please give "
                         "one date for each, or fewer.")
    dates: list[tuple[int, int | None]] = []
    for part in parts:
        match = re.fullmatch(r"(\d{4})(?:[-/](\d{1,2}))?", part)
        if match is None:
            raise ValueError(f"{part!r} is not a year like 2019 or a year and month like "
                             "2024-03.")
        year, month = int(match.group(1)), match.group(2)
        if not 1900 <= year <= 2100 or (month is not None and not 1 <= int(month) <= 12):
            raise ValueError(f"{part!r} is not a real year and month.")
        dates.append((year, int(month) if month is not None else None))
    return dates


def fractures_at(
    site: FractureSite, count: int, *, since_age_50: int = 0, low_trauma: bool = True,
    dates: Iterable[tuple[int, int | None]] = (),
) -> tuple[Fracture, ...]:
    """``count`` fractures at ``site``, ``since_age_50`` of them at age 50 or later; the first
    ones carry ``dates`` (year, month or None) when given."""
    if not 0 <= count <= MAX_FRACTURES_PER_SITE:
        raise ValueError(
            f"the number of broken bones at one site must be 0 to {MAX_FRACTURES_PER_SITE}"
        )
    if not 0 <= since_age_50 <= count:
        raise ValueError("the breaks since age 50 cannot be more than the breaks in all")
    known = list(dates)
    return tuple(
        Fracture(site, low_trauma, since_age_50=number < since_age_50,
                 year=known[number][0] if number < len(known) else None,
                 month=known[number][1] if number < len(known) else None)
        for number in range(count)
    )


def sorted_fractures(fractures: Iterable[Fracture]) -> tuple[Fracture, ...]:
    """The fractures in one fixed order (site, then low-trauma first), so equal histories
    compare equal however they were entered."""
    return tuple(sorted(fractures, key=lambda fracture: fracture._sort_key))


def fractures_to_dicts(fractures: Iterable[Fracture]) -> list[dict[str, Any]]:
    """One entry per kind of fracture, with its ``count``, in a fixed order."""
    counts = Counter(sorted_fractures(fractures))
    out: list[dict[str, Any]] = []
    for fracture, count in counts.items():
        entry: dict[str, Any] = {
            "site": fracture.site.value,
            "low_trauma": fracture.low_trauma,
            "since_age_50": fracture.since_age_50,
            "count": count,
        }
        if fracture.year is not None:
            entry["year"] = fracture.year
            entry["month"] = fracture.month
        out.append(entry)
    return out


def _entry(data: Mapping[str, Any]) -> tuple[Fracture, ...]:
    count = data.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValueError(f"a fracture count must be a whole number, got {count!r}")
    since_age_50 = bool(data.get("since_age_50", True))
    year = data.get("year")
    return fractures_at(
        FractureSite(data["site"]),
        count,
        since_age_50=count if since_age_50 else 0,
        low_trauma=bool(data["low_trauma"]),
        dates=[(int(year), data.get("month"))] * count if year is not None else (),
    )


def fractures_from_dicts(entries: Iterable[Mapping[str, Any]]) -> tuple[Fracture, ...]:
    """Read ``fractures_to_dicts`` entries or a stored ``fractures_since_50`` list.

    An entry without ``since_age_50`` (every legacy entry) is read as since age 50, and one
    without ``count`` as one fracture.
    """
    return sorted_fractures(fracture for entry in entries for fracture in _entry(entry))


def describe_fractures(fractures: Iterable[Fracture]) -> str:
    """The history in plain words for the doctor summary, for example
    ``Wrist: 2 from a minor fall or less (1 since age 50)``; "None" when empty."""
    parts = []
    by_kind = Counter((f.site, f.low_trauma) for f in fractures)
    since_50 = Counter((f.site, f.low_trauma) for f in fractures if f.since_age_50)
    for (site, low_trauma), count in sorted(
        by_kind.items(), key=lambda item: (list(FractureSite).index(item[0][0]), not item[0][1])
    ):
        cause = "from a minor fall or less" if low_trauma else "from a bigger accident"
        text = f"{SITE_WORDS[site]}: {count} {cause}"
        if low_trauma:
            text += f" ({since_50[site, low_trauma]} since age 50)"
        parts.append(text)
    return "; ".join(parts) or "None"
