"""What phone and platform exports give beyond activities: per-day measures and sleep intervals.

Shared by the Apple Health, Garmin account and Fitbit/Google Takeout readers. Every reader
counts what it refuses under a plain name (``problems``) instead of stopping at the first bad
value; the importer shows the counts in the import report. Plausibility comes from
:mod:`stridewise.core.validation`, handed in as a :class:`Checks` object by the core (readers
sit below the core and cannot import it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from stridewise.activity import Activity

#: Sleep stages as stored. "in_bed" is time in bed, never added to the asleep stages.
SLEEP_STAGES = ("in_bed", "asleep", "core", "deep", "rem", "awake")
ASLEEP_STAGES = frozenset({"asleep", "core", "deep", "rem"})


class Checks(Protocol):
    """The core's plausibility rules (:class:`stridewise.core.validation.MeasureChecks`)."""

    def value_ok(self, field: str, value: float) -> bool: ...

    def moment_ok(self, at_utc_s: float, source: str = "phone") -> bool: ...

    def value_bounds(self, field: str) -> tuple[float, float]: ...

    def moment_bounds(self, source: str = "phone") -> tuple[float, float]: ...


@dataclass
class DayMeasures:
    """One local day from one source. ``None`` where the source said nothing that day."""

    steps: float | None = None
    walking_distance_m: float | None = None
    resting_hr_bpm: float | None = None
    walking_speed_mps: float | None = None
    walking_steadiness_pct: float | None = None
    body_mass_kg: float | None = None
    sleep_asleep_s: float | None = None
    sleep_in_bed_s: float | None = None
    #: Minutes of brisk walking from step cadence, all of them (science.steps); the series
    #: takes out the recorded sessions, from :attr:`ExportData.brisk`.
    steps_moderate_min: float | None = None
    steps_vigorous_min: float | None = None
    #: Minutes the device itself reports as intense (Garmin/Fitbit); the series uses one
    #: stated source per day.
    device_moderate_min: float | None = None
    device_vigorous_min: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SleepSpan:
    """One interval of a night: UTC seconds, a stage of :data:`SLEEP_STAGES`, its device."""

    start_utc_s: float
    end_utc_s: float
    stage: str
    device: str = ""
    utc_offset_s: int = 0


@dataclass
class ExportData:
    """Everything read from one export; ``source`` names the platform ('apple_health',
    'garmin', 'fitbit') and is the key under which its days are stored."""

    source: str
    activities: list[Activity] = field(default_factory=list)
    days: dict[date, DayMeasures] = field(default_factory=dict)
    sleep: list[SleepSpan] = field(default_factory=list)
    #: Brisk spans from step cadence by local day: (start UTC s, end UTC s, vigorous).
    brisk: dict[date, list[tuple[float, float, bool]]] = field(default_factory=dict)
    #: What was refused or could not be read, by plain name -> count.
    problems: Counter[str] = field(default_factory=Counter)
    #: Plain remarks for the report (what was not read, which rule was used).
    notes: list[str] = field(default_factory=list)
    #: Set when the file ended early: what was read before is kept.
    truncated: str | None = None

    def day(self, day: date) -> DayMeasures:
        found = self.days.get(day)
        if found is None:
            found = self.days[day] = DayMeasures()
        return found

    def problem_lines(self) -> list[str]:
        return [f"{name}: {count}" for name, count in sorted(self.problems.items())]
