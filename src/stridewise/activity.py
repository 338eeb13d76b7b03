"""The one activity type every reader returns and every later layer reads.

An :class:`Activity` is built by composition: per-record NumPy columns (units in their
names), a list of laps, and a summary computed from the records by one documented method,
whatever the source format. Readers do not compute summaries themselves; they call
:func:`build_activity`, which also sanitises absurd values (dropping them with a warning,
never silently).

Record columns (all ``float64``, equal length, ``NaN`` where a value is missing; a column
that a file does not have at all is simply absent):

==================  ==========================================================
``time_s``          seconds since the Unix epoch, UTC (required)
``lat_deg``         latitude, degrees WGS84
``lon_deg``         longitude, degrees WGS84
``distance_m``      cumulative distance from the start, metres
``speed_mps``       instantaneous speed, metres per second
``altitude_m``      altitude, metres
``heart_rate_bpm``  heart rate, beats per minute
``cadence_spm``     foot sports: steps per minute, both feet
``cadence_rpm``     cycling (and unknown sports): revolutions per minute
``power_w``         power, watts
==================  ==========================================================

Cadence as files count it (FIT/TCX/GPX: strides of one foot per minute for foot sports,
crank revolutions for cycling) is handed to :func:`build_activity` as ``cadence_per_min``,
which converts it by the activity's sport; so when an export's index corrects the sport
(:func:`with_sport`), the cadence is converted again rather than kept in the wrong unit.

Time: a record whose timestamp lies hours away from all the others (a GPS week rollover, a
clock glitch) is dropped with a warning instead of re-dating the activity; an activity whose
records span more than 48 hours (``RANGES["duration_s"]``) is refused with a reason saying so
(and naming the gap when two recordings were joined). Physically impossible samples (speed,
acceleration, distance leaps) are dropped with a warning naming how many, and an activity whose
summary is still impossible for its sport is refused. The limits live in
:mod:`stridewise.sanitise` and :mod:`stridewise.science.sport_limits`.

The summary is computed by :mod:`stridewise.summary` (moving time, distance, ascent, steps,
running time), one method for every format.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from stridewise.core.validation import InvalidValue, check_range
from stridewise.sanitise import check_summary, sanitise
from stridewise.science.sport_limits import limits_for
from stridewise.summary import (
    FOOT_SPORTS,
    FloatArray,
    Summary,
    TimerStops,
    compute_summary,
)

RECORD_COLUMNS: tuple[str, ...] = (
    "time_s",
    "lat_deg",
    "lon_deg",
    "distance_m",
    "speed_mps",
    "altitude_m",
    "heart_rate_bpm",
    "cadence_spm",
    "cadence_rpm",
    "power_w",
)

#: Sports a reader may report; anything else is mapped to ``"other"``.
SPORTS: tuple[str, ...] = ("run", "walk", "hike", "ride", "swim", "strength", "other")


@dataclass(frozen=True)
class Lap:
    start_time_s: float
    elapsed_s: float
    distance_m: float | None = None


@dataclass
class Activity:
    sport: str
    start_time_utc: datetime
    records: dict[str, FloatArray]
    summary: Summary
    laps: list[Lap] = field(default_factory=list)
    source_format: str = "unknown"
    sub_sport: str | None = None
    utc_offset_s: int | None = None
    device: str | None = None
    name: str | None = None
    rpe: float | None = None
    warnings: list[str] = field(default_factory=list)
    #: Spans (start, end, Unix s) the device's timer was stopped; None without timer events.
    timer_stops: list[tuple[float, float]] | None = None
    #: The device's own total ascent (FIT session), preferred to the records' altitude.
    device_ascent_m: float | None = None

    @property
    def n_records(self) -> int:
        return len(self.records["time_s"])

    @property
    def end_time_utc(self) -> datetime:
        return self.start_time_utc + timedelta(seconds=self.summary.elapsed_s)


def normalise_sport(value: str | None) -> str:
    """Map a format's sport name ('Running', 'running', 'trail_run', 'Biking') to SPORTS."""
    if not value:
        return "other"
    v = value.strip().lower().replace("-", "_").replace(" ", "_")
    table = {
        "run": "run", "running": "run", "trail_running": "run", "trail_run": "run",
        "treadmill_running": "run", "virtual_run": "run", "track_running": "run",
        "jog": "run", "jogging": "run",
        "walk": "walk", "walking": "walk", "indoor_walking": "walk",
        "hike": "hike", "hiking": "hike",
        "ride": "ride", "cycling": "ride", "biking": "ride", "bike": "ride",
        "virtual_ride": "ride", "virtualride": "ride", "road_biking": "ride",
        "mountain_biking": "ride", "e_bike_ride": "ride", "ebikeride": "ride",
        "swim": "swim", "swimming": "swim", "lap_swimming": "swim",
        "open_water_swimming": "swim",
        "strength": "strength", "strength_training": "strength", "training": "other",
        "weighttraining": "strength", "weight_training": "strength",
    }
    return table.get(v, "other")


def _as_float_columns(records: Mapping[str, object]) -> dict[str, FloatArray]:
    out: dict[str, FloatArray] = {}
    for name, values in records.items():
        if name not in RECORD_COLUMNS:
            raise ValueError(f"unknown record column {name!r}; expected one of {RECORD_COLUMNS}")
        out[name] = np.asarray(values, dtype=np.float64)
    if "time_s" not in out:
        raise ValueError("records need a time_s column")
    n = len(out["time_s"])
    for name, col in out.items():
        if col.shape != (n,):
            raise ValueError(f"column {name} has shape {col.shape}, expected ({n},)")
    return out


def build_activity(
    records: Mapping[str, object],
    *,
    sport: str,
    source_format: str,
    laps: list[Lap] | None = None,
    sub_sport: str | None = None,
    utc_offset_s: int | None = None,
    device: str | None = None,
    name: str | None = None,
    rpe: float | None = None,
    warnings: list[str] | None = None,
    now: datetime | None = None,
    cadence_per_min: object | None = None,
    timer_stops: TimerStops | None = None,
    device_ascent_m: float | None = None,
) -> Activity:
    """Validate columns, sanitise values, and compute the summary: every reader ends here.

    ``cadence_per_min`` is cadence as the file counts it (one foot's strides for foot sports,
    crank revolutions for cycling); it becomes ``cadence_spm`` (doubled) for foot sports and
    ``cadence_rpm`` for cycling and unknown sports, and is dropped for others (a swim's
    stroke rate is not a cadence we use).

    ``timer_stops`` (FIT timer events) and ``device_ascent_m`` (the FIT session's total
    ascent) feed :func:`~stridewise.summary.compute_summary`: moving time and averages follow
    the device's timer, and its barometric ascent wins over the records'."""
    sport = sport if sport in SPORTS else normalise_sport(sport)
    records = {**records, **_cadence_columns(cadence_per_min, sport, records)}
    cols = _as_float_columns(records)
    cols, found = sanitise(cols, sport, now=now)
    stops = [(float(a), float(b)) for a, b in timer_stops] if timer_stops is not None else None
    summary = compute_summary(cols, sport, timer_stops=stops, device_ascent_m=device_ascent_m)
    check_summary(summary, sport)
    start = datetime.fromtimestamp(float(cols["time_s"][0]), UTC)
    if rpe is not None and not (0 <= rpe <= 10 and math.isfinite(rpe)):
        raise ValueError(f"RPE must be between 0 and 10 (CR-10 scale), got {rpe}")
    return Activity(
        sport=sport,
        start_time_utc=start,
        records=cols,
        summary=summary,
        laps=list(laps or []),
        source_format=source_format,
        sub_sport=sub_sport,
        utc_offset_s=utc_offset_s,
        device=device,
        name=name,
        rpe=rpe,
        warnings=[*(warnings or []), *found],
        timer_stops=stops,
        device_ascent_m=device_ascent_m,
    )


def _cadence_columns(
    cadence_per_min: object | None, sport: str, records: Mapping[str, object]
) -> dict[str, object]:
    if cadence_per_min is None or "cadence_spm" in records or "cadence_rpm" in records:
        return {}
    values = np.asarray(cadence_per_min, dtype=np.float64)
    if not np.isfinite(values).any():
        return {}
    if sport in FOOT_SPORTS:
        return {"cadence_spm": 2.0 * values}
    if sport in ("ride", "other"):
        return {"cadence_rpm": values}
    return {}


def with_sport(activity: Activity, sport: str) -> Activity:
    """The activity rebuilt as ``sport`` (an export's index knew better than the file):
    cadence converted to the new sport's unit, summary and plausibility limits redone."""
    records = dict(activity.records)
    spm, rpm = records.pop("cadence_spm", None), records.pop("cadence_rpm", None)
    per_min = spm / 2.0 if spm is not None else rpm
    return build_activity(
        records, sport=sport, source_format=activity.source_format, laps=activity.laps,
        sub_sport=activity.sub_sport, utc_offset_s=activity.utc_offset_s,
        device=activity.device, name=activity.name, rpe=activity.rpe,
        warnings=activity.warnings, cadence_per_min=per_min,
        timer_stops=activity.timer_stops, device_ascent_m=activity.device_ascent_m,
    )


MANUAL_KINDS: tuple[str, ...] = ("run", "walk", "strength", "balance", "impact", "other")


@dataclass(frozen=True)
class ManualSession:
    """A session logged by hand or from a CSV: no records, just what the person says."""

    start_time_utc: datetime
    kind: str
    duration_s: float
    distance_m: float | None = None
    rpe: float | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in MANUAL_KINDS:
            raise ValueError(
                f"session type must be one of {', '.join(MANUAL_KINDS)}, got {self.kind!r}"
            )
        # The one table of plausible values (core.validation): a session lasts at most 48 h,
        # covers at most 1,000 km, and its effort is on the CR-10 scale.
        if self.duration_s <= 0:
            raise InvalidValue("duration_s", f"duration must be more than zero, got "
                                             f"{self.duration_s} s")
        check_range("duration_s", self.duration_s, label="duration")
        if self.distance_m is not None:
            check_range("distance_m", self.distance_m, label="distance")
            top = limits_for(self.kind).max_speed_mps  # unknown kinds: the loosest limit
            if self.distance_m > top * self.duration_s:
                raise InvalidValue(
                    "distance_m", f"distance {self.distance_m / 1000:g} km in "
                    f"{self.duration_s / 60:g} min is faster than the {top:g} m/s no "
                    f"{self.kind} can exceed")
        if self.rpe is not None:
            check_range("rpe", self.rpe, label="RPE")
        if self.start_time_utc.tzinfo is None:
            raise ValueError("start_time_utc must be timezone-aware")
