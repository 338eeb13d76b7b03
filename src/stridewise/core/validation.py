"""One validation module for every value that enters stridewise.

Files, forms, JSON, the CLI, CSV logs and (later) phone exports all check values here, so a
value refused on one entrance is refused on all of them, with the same words. A refused value
raises :class:`InvalidValue`, which names the field; faces turn it into a 422, a form error or
a CLI message. Nothing out of range is ever stored.

The ranges are limits of plausibility for a person and a recording, not clinical thresholds:
they keep typing slips and corrupt files out of the database, nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from stridewise import clock


class InvalidValue(ValueError):
    """A value outside what stridewise can store. ``field`` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Range:
    """An inclusive range of plausible values, with its unit and the reason for the bounds."""

    low: float
    high: float
    unit: str
    reason: str


#: The documented table of plausible values (docs/design.md repeats it). Keys are field names
#: as the faces use them.
RANGES: dict[str, Range] = {
    "birth_year": Range(1900, 2100, "year", "nobody alive was born before 1900"),
    "resting_hr_bpm": Range(25, 120, "bpm", "resting heart rates outside 25-120 are "
                            "measurement errors or need a doctor, not a training plan"),
    "max_hr_bpm": Range(100, 250, "bpm", "no recorded human maximum exceeds 250"),
    "heart_rate_bpm": Range(25, 250, "bpm", "beyond these a heart rate is a sensor error"),
    "body_mass_kg": Range(25, 350, "kg", "adult body mass"),
    "height_cm": Range(100, 250, "cm", "adult height"),
    "duration_s": Range(1, 48 * 3600, "s", "one session lasts at most 48 hours"),
    "distance_m": Range(0, 1_000_000, "m", "one session covers at most 1,000 km"),
    "rpe": Range(0, 10, "CR-10", "Borg CR-10 scale"),
    "pain_score": Range(0, 10, "NRS", "0-10 numeric rating scale"),
    "who5_item": Range(0, 5, "points", "each WHO-5 item is scored 0-5"),
    # Phone and platform exports (issue 13): one sample or one day of a measure.
    "step_count": Range(0, 100_000, "steps", "no sample or day of walking exceeds 100,000 "
                        "steps (a 100 km day at 1 m per step)"),
    "walking_distance_m": Range(0, 200_000, "m", "no sample or day of walking and running "
                                "exceeds 200 km"),
    "walking_speed_mps": Range(0.1, 4.0, "m/s", "walking speeds outside 0.1-4 m/s are "
                               "sensor errors"),
    "walking_steadiness_pct": Range(0, 100, "%", "Apple's walking steadiness is a percentage"),
    "sleep_interval_s": Range(0, 24 * 3600, "s", "one sleep interval lasts at most 24 hours"),
}

#: Clocks disagree by a few minutes; anything later than this past now is in the future.
CLOCK_SKEW = timedelta(minutes=5)

#: The earliest date each kind of source can carry, and why.
DATE_FLOORS: dict[str, tuple[date, str]] = {
    # A typed log may copy an old paper diary; a person's own record starts with their life.
    "typed": (date(1950, 1, 1), "typed logs go back to 1950 at the earliest"),
    # FIT (1990s), GPX (2002) and TCX (2007): files from consumer GPS devices start in 2000.
    "device": (date(2000, 1, 1), "device files cannot predate consumer GPS watches (2000)"),
    # Phone health data: Apple Health and Google Fit began in 2014.
    "phone": (date(2007, 1, 1), "phone health data starts with smartphones (2007)"),
}


def check_range(field: str, value: float, *, label: str | None = None) -> float:
    """``value`` if it lies in ``RANGES[field]``, else :class:`InvalidValue` naming the field."""
    rule = RANGES[field]
    if not rule.low <= value <= rule.high:
        name = label or field.replace("_", " ")
        raise InvalidValue(field, f"{name} must be between {_num(rule.low)} and "
                                  f"{_num(rule.high)} {rule.unit}, not {_num(value)}")
    return value


def check_choice(field: str, value: str, allowed: Iterable[str], *,
                 label: str | None = None) -> str:
    """``value`` if it is one of ``allowed``, else :class:`InvalidValue` naming the field and
    the choices."""
    options = list(allowed)
    if value not in options:
        name = label or field.replace("_", " ")
        raise InvalidValue(field, f"{name} must be one of {', '.join(options)}, not {value!r}")
    return value


def check_heart_rates(resting_hr_bpm: float | None, max_hr_bpm: float | None) -> None:
    """Each heart rate in its range, and a resting rate below the maximum."""
    if resting_hr_bpm is not None:
        check_range("resting_hr_bpm", resting_hr_bpm, label="resting heart rate")
    if max_hr_bpm is not None:
        check_range("max_hr_bpm", max_hr_bpm, label="maximum heart rate")
    if resting_hr_bpm is not None and max_hr_bpm is not None and resting_hr_bpm >= max_hr_bpm:
        raise InvalidValue("resting_hr_bpm", "resting heart rate must be below the maximum "
                                             f"heart rate ({_num(max_hr_bpm)} bpm)")


def check_moment(at_utc: datetime, *, source: str = "typed", field: str = "at_utc") -> datetime:
    """A moment that is neither in the future (beyond clock skew) nor before its source's floor.

    ``source`` is a key of :data:`DATE_FLOORS`. Returns the moment in UTC.
    """
    if at_utc.tzinfo is None:
        raise InvalidValue(field, "the time needs a time zone")
    at = at_utc.astimezone(UTC)
    if at > clock.now_utc() + CLOCK_SKEW:
        raise InvalidValue(field, "The date and time cannot be in the future.")
    floor, why = DATE_FLOORS[source]
    if at.date() < floor:
        raise InvalidValue(field, f"The date cannot be before {floor:%Y-%m-%d}: {why}.")
    return at


def check_day(day: date, *, source: str = "typed", field: str = "date",
              today: date | None = None) -> date:
    """A calendar day within the source's floor and not after ``today`` (the athlete's)."""
    floor, why = DATE_FLOORS[source]
    if day < floor:
        raise InvalidValue(field, f"The date cannot be before {floor:%Y-%m-%d}: {why}.")
    last = today or clock.now_utc().date() + timedelta(days=1)
    if day > last:
        raise InvalidValue(field, "The date cannot be in the future.")
    return day


def check_fracture_dates(dates: Iterable[tuple[int | None, int | None]], *, today: date,
                         birth_year: int | None = None, age_years: int | None = None,
                         field: str = "fractures") -> None:
    """Each broken bone's (year, month) neither in the future nor before the person was born
    (the birth year, else the earliest year the age allows: ``today.year - age - 1``); None
    years are undated breaks and pass. :class:`InvalidValue` names the field and the problem."""
    born = birth_year if birth_year is not None else (
        today.year - age_years - 1 if age_years is not None else None)
    for year, month in dates:
        if year is None:
            continue
        shown = f"{year}-{month:02d}" if month is not None else str(year)
        if year > today.year or (year == today.year and month is not None
                                 and month > today.month):
            raise InvalidValue(field, f"The date of a broken bone cannot be in the future: "
                                      f"{shown} is after {today:%Y-%m}.")
        if born is not None and year < born:
            when = str(born) if birth_year is not None else f"about {born}"
            raise InvalidValue(field, f"The date of a broken bone cannot be before you were "
                                      f"born: {shown} is before {when}.")


class MeasureChecks:
    """The rules above as yes/no questions, for readers of phone and platform exports that
    count (and name) what they refuse instead of stopping at the first bad value. The
    application core hands :data:`MEASURE_CHECKS` to the importer, since readers sit below
    the core and cannot import it."""

    def value_ok(self, field: str, value: float) -> bool:
        rule = RANGES[field]
        return rule.low <= value <= rule.high

    def moment_ok(self, at_utc_s: float, source: str = "phone") -> bool:
        """Neither in the future (beyond clock skew) nor before the source's floor."""
        floor, _ = DATE_FLOORS[source]
        floor_s = datetime(floor.year, floor.month, floor.day, tzinfo=UTC).timestamp()
        return floor_s <= at_utc_s <= (clock.now_utc() + CLOCK_SKEW).timestamp()

    def value_bounds(self, field: str) -> tuple[float, float]:
        """``(low, high)`` of ``RANGES[field]``, for readers that check millions of values."""
        rule = RANGES[field]
        return rule.low, rule.high

    def moment_bounds(self, source: str = "phone") -> tuple[float, float]:
        """UTC seconds ``(floor, now + skew)`` of :meth:`moment_ok`, read once per file."""
        floor, _ = DATE_FLOORS[source]
        floor_s = datetime(floor.year, floor.month, floor.day, tzinfo=UTC).timestamp()
        return floor_s, (clock.now_utc() + CLOCK_SKEW).timestamp()

    def describe(self, field: str) -> str:
        rule = RANGES[field]
        return f"{_num(rule.low)}-{_num(rule.high)} {rule.unit}"


MEASURE_CHECKS = MeasureChecks()


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
