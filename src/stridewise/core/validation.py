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

    def __init__(self, field: str, message: str, value: object = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        #: The refused input as given (echoed in a 422's ``input``).
        self.value = value


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
    # The latest birth year is this year minus the youngest age (see :func:`birth_year_bounds`);
    # 2100 here is only the static ceiling for schemas that cannot know the year.
    "birth_year": Range(1900, 2100, "year", "nobody alive was born before 1900"),
    "age_years": Range(10, 120, "years", "the health questions are written for ages 10-120"),
    "resting_hr_bpm": Range(25, 120, "bpm", "resting heart rates outside 25-120 are "
                            "measurement errors or need a doctor, not a training plan"),
    "max_hr_bpm": Range(100, 250, "bpm", "no recorded human maximum exceeds 250"),
    "heart_rate_bpm": Range(25, 250, "bpm", "beyond these a heart rate is a sensor error"),
    "body_mass_kg": Range(25, 350, "kg", "adult body mass"),
    "height_cm": Range(100, 250, "cm", "adult height"),
    "duration_s": Range(1, 48 * 3600, "s", "one session lasts at most 48 hours"),
    "distance_m": Range(0, 1_000_000, "m", "one session covers at most 1,000 km"),
    "rpe": Range(0, 10, "CR-10", "Borg CR-10 scale"),
    "sleep_hours": Range(0, 24, "h", "a night's sleep is counted within one day"),
    "sleep_quality": Range(1, 5, "points", "1 (poor) to 5 (great)"),
    "energy": Range(1, 5, "points", "1 (drained) to 5 (full of energy)"),
    # A plan (issue 11): made for the days a person is free, and re-made as they go.
    "plan_minutes_per_day": Range(15, 240, "min", "a plan needs at least 15 minutes; no "
                                  "session it makes is longer than 4 hours"),
    # Options of the commands: how many rows to list, days a report shows (0: all), and
    # decoding processes (more than 64 only costs memory).
    "list_limit": Range(1, 100_000, "rows", "a listing is read on a screen"),
    "report_days": Range(0, 36_500, "days", "0 shows the whole history; 100 years is all "
                         "of anyone's"),
    "import_workers": Range(1, 64, "processes", "one process a core; no machine this runs "
                            "on needs more than 64"),
    "plan_weeks": Range(1, 52, "weeks", "a plan is re-made as you go; a year is the longest "
                        "worth drawing"),
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
    # Screening answers (issue 11: one set of limits for the CLI, the web form and the API).
    "falls_last_12_months": Range(0, 100, "falls", "more is a typing slip: two or more falls "
                                  "already give the highest falls risk"),
    "walking_days_per_week": Range(0, 7, "days", "a week has seven days"),
    "walking_minutes_per_day": Range(0, 600, "min", "ten hours of walking a day"),
    "t_score": Range(-6, 4, "SD", "DXA T-scores outside -6 to +4 are reading or typing errors"),
    "z_score": Range(-6, 6, "SD", "DXA Z-scores outside -6 to +6 are reading or typing errors"),
    "bmi_kg_m2": Range(8, 80, "kg/m2", "beyond these a body-mass index is a typing slip"),
    "age_at_menarche_years": Range(5, 30, "years", "first periods before 5 or after 30 are "
                                   "not recorded"),
    "menses_last_12_months": Range(0, 20, "periods", "at most about one period in 18 days"),
    "bone_stress_injuries": Range(0, 50, "injuries", "a lifetime count"),
}

#: How far from today a plan may start, and how far ahead advice may be asked: a plan begun
#: up to 4 weeks ago can be re-entered; nothing is planned more than a year ahead.
PLAN_START_BACK = timedelta(weeks=4)
AHEAD = timedelta(days=366)

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
                                  f"{_num(rule.high)} {rule.unit}, not {_num(value)}", value)
    return value


def check_choice(field: str, value: str, allowed: Iterable[str], *,
                 label: str | None = None) -> str:
    """``value`` if it is one of ``allowed``, else :class:`InvalidValue` naming the field and
    the choices."""
    options = list(allowed)
    if value not in options:
        name = label or field.replace("_", " ")
        raise InvalidValue(field, f"{name} must be one of {', '.join(options)}, not {value!r}",
                           value)
    return value


#: The longest note a person types with a session or a check-in (the API says the same).
NOTES_MAX_CHARS = 2000


def check_text(field: str, value: str, *, label: str | None = None,
               max_chars: int = NOTES_MAX_CHARS) -> str:
    """Typed text of at most ``max_chars`` characters, with no control characters but line
    breaks and tabs (a NUL cannot be stored in every database)."""
    name = label or field.replace("_", " ")
    if len(value) > max_chars:
        raise InvalidValue(field, f"{name} must be at most {max_chars} characters, not "
                                  f"{len(value)}", value[:40] + "...")
    if any((ord(c) < 32 and c not in "\n\r\t") or ord(c) == 127 for c in value):
        raise InvalidValue(field, f"{name} cannot hold control characters", value)
    return value


def check_whole(field: str, value: int, *, label: str | None = None) -> int:
    """A whole number (not a bool, not a float) in ``RANGES[field]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        name = label or field.replace("_", " ")
        raise InvalidValue(field, f"{name} must be a whole number, not {value!r}", value)
    check_range(field, value, label=label)
    return value


def check_heart_rates(resting_hr_bpm: float | None, max_hr_bpm: float | None, *,
                      stored_resting_hr_bpm: float | None = None,
                      stored_max_hr_bpm: float | None = None) -> None:
    """Each heart rate in its range, and a resting rate below the maximum: the new values
    against each other and, for one given alone, against the one already stored (so
    ``--max-hr 105`` then ``--resting-hr 110`` is refused like both at once)."""
    if resting_hr_bpm is not None:
        check_range("resting_hr_bpm", resting_hr_bpm, label="resting heart rate")
    if max_hr_bpm is not None:
        check_range("max_hr_bpm", max_hr_bpm, label="maximum heart rate")
    resting = resting_hr_bpm if resting_hr_bpm is not None else stored_resting_hr_bpm
    top = max_hr_bpm if max_hr_bpm is not None else stored_max_hr_bpm
    if resting is None or top is None or resting < top:
        return
    if max_hr_bpm is None:  # a new resting rate against the stored maximum
        raise InvalidValue("resting_hr_bpm", f"resting heart rate ({_num(resting)} bpm) must "
                           f"be below your maximum heart rate ({_num(top)} bpm, already in "
                           "your profile); change the maximum too if it is wrong",
                           resting_hr_bpm)
    if resting_hr_bpm is None:  # a new maximum against the stored resting rate
        raise InvalidValue("max_hr_bpm", f"maximum heart rate ({_num(top)} bpm) must be "
                           f"above your resting heart rate ({_num(resting)} bpm, already in "
                           "your profile); change the resting rate too if it is wrong",
                           max_hr_bpm)
    raise InvalidValue("resting_hr_bpm", "resting heart rate must be below the maximum "
                                         f"heart rate ({_num(top)} bpm)", resting_hr_bpm)


def birth_year_bounds(today: date) -> tuple[int, int]:
    """The earliest and latest plausible birth year on ``today``: from 1900 to this year minus
    the youngest age the health questions are written for. The one range every face uses
    (forms take their min and max from it)."""
    return int(RANGES["birth_year"].low), today.year - int(RANGES["age_years"].low)


def check_birth_year(year: int, today: date, *, label: str = "year of birth") -> int:
    """A whole birth year within :func:`birth_year_bounds`."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidValue("birth_year", f"{label} must be a whole year, not {year!r}", year)
    low, high = birth_year_bounds(today)
    if not low <= year <= high:
        raise InvalidValue("birth_year", f"{label} must be between {low} and {high}, not "
                                         f"{year}", year)
    return year


def bounds(field: str, today: date | None = None) -> tuple[float, float]:
    """``(low, high)`` of a field as a form's ``min``/``max`` shows it (birth year by
    ``today``)."""
    if field == "birth_year":
        return birth_year_bounds(today or clock.now_utc().date())
    rule = RANGES[field]
    return rule.low, rule.high


def check_plan(start: date, today: date, *, minutes_per_day: int,
               weeks: int | None = None) -> None:
    """A plan's first day (from :data:`PLAN_START_BACK` ago to :data:`AHEAD`), its minutes a
    day and its length in weeks, each in range."""
    if start < today - PLAN_START_BACK:
        raise InvalidValue("start", f"A plan cannot start before {today - PLAN_START_BACK:%Y-%m-%d}"
                                    " (4 weeks ago): make a new one from today.", start)
    if start > today + AHEAD:
        raise InvalidValue("start", "A plan cannot start more than a year ahead (after "
                                    f"{today + AHEAD:%Y-%m-%d}).", start)
    check_whole("plan_minutes_per_day", minutes_per_day, label="minutes a day")
    if weeks is not None:
        check_whole("plan_weeks", weeks, label="plan length in weeks")


def check_advice_day(day: date, today: date, *, field: str = "date") -> date:
    """A day advice can be asked for: from the typed-log floor to a year ahead."""
    floor, why = DATE_FLOORS["typed"]
    if day < floor:
        raise InvalidValue(field, f"The date cannot be before {floor:%Y-%m-%d}: {why}.", day)
    if day > today + AHEAD:
        raise InvalidValue(field, "The date cannot be more than a year ahead (after "
                                  f"{today + AHEAD:%Y-%m-%d}).", day)
    return day


def parse_day(text: str, *, field: str = "date") -> date:
    """A calendar day typed as YYYY-MM-DD, or :class:`InvalidValue` saying what is wrong
    (an unreadable text, or a day that does not exist such as 2026-02-30)."""
    raw = text.strip()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        if len(raw) == 10 and raw[4] == "-" and raw[7] == "-" and raw.replace("-", "").isdigit():
            raise InvalidValue(field, f"{raw} is not a day of the calendar.", text) from exc
        raise InvalidValue(field, f"cannot read the date {text!r}: use YYYY-MM-DD, for "
                                  "example 2026-03-02.", text) from exc


def check_moment(at_utc: datetime, *, source: str = "typed", field: str = "at_utc") -> datetime:
    """A moment that is neither in the future (beyond clock skew) nor before its source's floor.

    ``source`` is a key of :data:`DATE_FLOORS`. Returns the moment in UTC.
    """
    if at_utc.tzinfo is None:
        raise InvalidValue(field, "the time needs a time zone", at_utc)
    floor, why = DATE_FLOORS[source]
    try:
        at = at_utc.astimezone(UTC)
    except OverflowError:  # year 1 east of UTC, or 9999 west of it: off the calendar
        if at_utc.year < floor.year:
            raise InvalidValue(field, f"The date cannot be before {floor:%Y-%m-%d}: {why}.",
                               at_utc) from None
        raise InvalidValue(field, "The date and time cannot be in the future.",
                           at_utc) from None
    if at > clock.now_utc() + CLOCK_SKEW:
        raise InvalidValue(field, "The date and time cannot be in the future.", at_utc)
    if at.date() < floor:
        raise InvalidValue(field, f"The date cannot be before {floor:%Y-%m-%d}: {why}.",
                           at_utc)
    return at


def check_day(day: date, *, source: str = "typed", field: str = "date",
              today: date | None = None) -> date:
    """A calendar day within the source's floor and not after ``today`` (the athlete's)."""
    floor, why = DATE_FLOORS[source]
    if day < floor:
        raise InvalidValue(field, f"The date cannot be before {floor:%Y-%m-%d}: {why}.", day)
    last = today or clock.now_utc().date() + timedelta(days=1)
    if day > last:
        raise InvalidValue(field, "The date cannot be in the future.", day)
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
