"""How numbers and days read, the same on every page, in the report and in the CLI."""

from __future__ import annotations

import math
from datetime import date, datetime

MI_M = 1609.344


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 day``, ``2 days`` (``words`` for irregular plurals)."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def format_distance(distance_m: float | None, units: str = "km") -> str:
    """``5.02 km`` or ``3.12 mi``; a dash when unknown."""
    if distance_m is None or (isinstance(distance_m, float) and math.isnan(distance_m)):
        return "–"
    if units == "mi":
        return f"{distance_m / MI_M:.2f} mi"
    return f"{distance_m / 1000:.2f} km"


def format_duration(seconds: float | None) -> str:
    """``1 h 05 min`` or ``32 min``; a dash when unknown."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def format_pace(speed_mps: float | None, units: str = "km") -> str:
    """Minutes per km (or mile): ``7:30 /km``."""
    if not speed_mps or math.isnan(speed_mps) or speed_mps <= 0:
        return "–"
    seconds = round((MI_M if units == "mi" else 1000.0) / speed_mps)
    return f"{seconds // 60}:{seconds % 60:02d} /{units}"


def format_day(value: date | datetime | None) -> str:
    """``Mon 3 Mar 2025``: day names help more than ISO dates for most people."""
    if value is None:
        return "–"
    return f"{value:%a} {value.day} {value:%b %Y}"
