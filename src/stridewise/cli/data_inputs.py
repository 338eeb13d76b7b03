"""Parsing and display of what people type for the data commands: durations, distances,
local times, and numbers shown in the athlete's units."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from stridewise import clock
from stridewise.core.validation import InvalidValue, check_moment

METRES_PER_MILE = 1609.344
_DURATION = re.compile(r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m(?:in)?)?"
                       r"(?:(?P<s>\d+(?:\.\d+)?)s)?$")
_DISTANCE = re.compile(r"^(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>km|mi|m)?$")


def parse_duration_s(text: str) -> float:
    """'45' (minutes), '1h05m', '90s', '1:05:00' (h:mm:ss) or '32:30' (mm:ss) -> seconds."""
    t = text.strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t) * 60.0
    if re.fullmatch(r"\d+(?::\d{1,2}){1,2}", t):
        parts = [int(p) for p in t.split(":")]
        if any(p >= 60 for p in parts[1:]):
            raise ValueError(f"minutes and seconds must be below 60 in {text!r}")
        h, mnt, s = ([0, *parts] if len(parts) == 2 else parts)
        return float(h * 3600 + mnt * 60 + s)
    match = _DURATION.fullmatch(t)
    if t and match and any(match.groupdict().values()):
        g = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
        return g["h"] * 3600 + g["m"] * 60 + g["s"]
    raise ValueError(
        f"cannot read the duration {text!r}: use minutes (45), 1h05m, 90s or h:mm:ss"
    )


def parse_distance_m(text: str, units: str) -> float:
    """'5' (in the athlete's units), '5km', '3.1mi' or '800m' -> metres."""
    match = _DISTANCE.fullmatch(text.strip().lower())
    if not match:
        raise ValueError(f"cannot read the distance {text!r}: use e.g. 5, 5km, 3.1mi or 800m")
    value = float(match["value"])
    unit = match["unit"] or units
    return value * {"km": 1000.0, "mi": METRES_PER_MILE, "m": 1.0}[unit]


def parse_local_time(text: str | None, time_zone: str) -> datetime:
    """An ISO date-time; without an offset it is read in the athlete's time zone. None: now."""
    if text is None:
        return clock.now_utc()
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(
            f"cannot read the time {text!r}: use e.g. 2024-05-04 or 2024-05-04T18:30"
        ) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(time_zone))
    try:
        return check_moment(value, field="time")
    except InvalidValue as error:
        raise ValueError(f"{text}: {error.message}") from error


def parse_who5(text: str) -> tuple[int, int, int, int, int]:
    parts = [p for p in re.split(r"[,\s]+", text.strip()) if p]
    if len(parts) != 5 or not all(p.isdecimal() for p in parts):
        raise ValueError(f"WHO-5 needs five whole numbers 0-5 separated by commas, got {text!r}")
    a, b, c, d, e = (int(p) for p in parts)
    return a, b, c, d, e


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    total = round(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def format_distance(metres: float | None, units: str) -> str:
    if metres is None:
        return "-"
    if units == "mi":
        return f"{metres / METRES_PER_MILE:.2f} mi"
    return f"{metres / 1000.0:.2f} km"


def format_pace(metres: float | None, seconds: float | None, units: str) -> str:
    if not metres or not seconds:
        return "-"
    per = METRES_PER_MILE if units == "mi" else 1000.0
    pace = round(seconds / (metres / per))
    return f"{pace // 60}:{pace % 60:02d} /{units}"
