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
``cadence_spm``     foot sports: steps per minute, both feet (FIT/TCX/GPX store
                    strides per minute of one foot; readers double it)
``cadence_rpm``     cycling cadence, crank revolutions per minute
``power_w``         power, watts
==================  ==========================================================

The summary is computed by :mod:`stridewise.summary` (moving time, distance, ascent, steps,
running time), one method for every format.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from stridewise.errors import IngestError
from stridewise.summary import (
    FloatArray,
    Summary,
    compute_summary,
    haversine_m,
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


# Plausibility limits. Values outside are dropped (set to NaN) with a warning.
HEART_RATE_RANGE_BPM = (25.0, 250.0)
MAX_SPEED_MPS = {"run": 12.5, "walk": 12.5, "hike": 12.5, "ride": 40.0, "swim": 5.0}
MAX_SPEED_OTHER_MPS = 60.0
# A jump between two fixes faster than this is a GPS glitch, not movement.
MAX_GPS_JUMP_SPEED_MPS = 100.0
EARLIEST_PLAUSIBLE = datetime(2000, 1, 1, tzinfo=UTC)


class ImplausibleActivityError(IngestError, ValueError):
    """The activity as a whole cannot be right (e.g. dated 1990 or in the future).

    An :class:`~stridewise.errors.IngestError`, so every reader's caller reports it like any
    other bad file, with its reason."""


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


def _drop(col: FloatArray, bad: NDArray[np.bool_], what: str, warnings: list[str]) -> None:
    count = int(np.count_nonzero(bad))
    if count:
        col[bad] = np.nan
        warnings.append(f"dropped {count} implausible {what} value(s)")


def sanitise(
    records: dict[str, FloatArray], sport: str, now: datetime | None = None
) -> tuple[dict[str, FloatArray], list[str]]:
    """Drop absurd values (with a warning each) and reject impossible activities.

    Records without a valid time are removed; the rest are sorted by time (stable).
    Raises :class:`ImplausibleActivityError` when no record is left, or when the
    activity starts before 2000 or more than a day in the future.
    """
    warnings: list[str] = []
    recs = {k: v.copy() for k, v in records.items()}
    t = recs["time_s"]
    valid_time = np.isfinite(t)
    if not valid_time.all():
        warnings.append(f"removed {int((~valid_time).sum())} record(s) without a timestamp")
        recs = {k: v[valid_time] for k, v in recs.items()}
        t = recs["time_s"]
    if t.size == 0:
        raise ImplausibleActivityError("the file holds no timestamped records")
    if np.any(np.diff(t) < 0):
        order = np.argsort(t, kind="stable")
        recs = {k: v[order] for k, v in recs.items()}
        t = recs["time_s"]
        warnings.append("records were out of time order and have been sorted")
    now = now or datetime.now(UTC)
    start = datetime.fromtimestamp(float(t[0]), UTC)
    end = datetime.fromtimestamp(float(t[-1]), UTC)
    if start < EARLIEST_PLAUSIBLE:
        raise ImplausibleActivityError(
            f"the activity is dated {start:%Y-%m-%d}, before 2000: the device clock was "
            "probably not set, so its dates cannot be trusted"
        )
    if end > now + timedelta(days=1):
        raise ImplausibleActivityError(f"the activity ends in the future ({end:%Y-%m-%d})")

    if "heart_rate_bpm" in recs:
        hr = recs["heart_rate_bpm"]
        lo, hi = HEART_RATE_RANGE_BPM
        with np.errstate(invalid="ignore"):
            _drop(hr, (hr < lo) | (hr > hi), "heart rate", warnings)
    max_speed = MAX_SPEED_MPS.get(sport, MAX_SPEED_OTHER_MPS)
    if "speed_mps" in recs:
        sp = recs["speed_mps"]
        with np.errstate(invalid="ignore"):
            _drop(sp, (sp < 0) | (sp > max_speed), "speed", warnings)
    for name in ("cadence_spm", "cadence_rpm", "power_w"):
        if name in recs:
            col = recs[name]
            limit = {"cadence_spm": 300.0, "cadence_rpm": 250.0, "power_w": 3000.0}[name]
            with np.errstate(invalid="ignore"):
                _drop(col, (col < 0) | (col > limit), name.split("_")[0], warnings)
    if "altitude_m" in recs:
        alt = recs["altitude_m"]
        with np.errstate(invalid="ignore"):
            _drop(alt, (alt < -500) | (alt > 9000), "altitude", warnings)
    if "lat_deg" in recs and "lon_deg" in recs:
        _sanitise_positions(recs, warnings)
    if "distance_m" in recs:
        d = recs["distance_m"]
        with np.errstate(invalid="ignore"):
            _drop(d, d < 0, "distance", warnings)
    return recs, warnings


def _sanitise_positions(recs: dict[str, FloatArray], warnings: list[str]) -> None:
    lat, lon, t = recs["lat_deg"], recs["lon_deg"], recs["time_s"]
    with np.errstate(invalid="ignore"):
        bad = (np.abs(lat) > 90) | (np.abs(lon) > 180) | ((lat == 0) & (lon == 0))
    bad |= np.isnan(lat) ^ np.isnan(lon)
    _drop(lat, bad, "position", warnings)
    lon[bad] = np.nan
    # GPS jumps: a fix that implies an impossible speed both from the previous good fix and
    # to the next one is a glitch. Vectorised, repeated a few times for glitches in runs.
    jumps = 0
    for _ in range(5):
        idx = np.flatnonzero(np.isfinite(lat))
        if idx.size < 3:
            break
        dt = np.maximum(np.diff(t[idx]), 1.0)
        seg_speed = haversine_m(lat[idx[:-1]], lon[idx[:-1]], lat[idx[1:]], lon[idx[1:]]) / dt
        fast = seg_speed > MAX_GPS_JUMP_SPEED_MPS
        spike = np.zeros(idx.size, dtype=bool)
        spike[1:-1] = fast[:-1] & fast[1:]
        spike[0] = fast[0] and not fast[1]
        spike[-1] = fast[-1] and not fast[-2]
        if not spike.any():
            break
        lat[idx[spike]] = np.nan
        lon[idx[spike]] = np.nan
        jumps += int(spike.sum())
    if jumps:
        warnings.append(f"dropped {jumps} GPS jump(s) faster than {MAX_GPS_JUMP_SPEED_MPS:.0f} m/s")


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
) -> Activity:
    """Validate columns, sanitise values, and compute the summary: every reader ends here."""
    sport = sport if sport in SPORTS else normalise_sport(sport)
    cols = _as_float_columns(records)
    cols, found = sanitise(cols, sport, now=now)
    summary = compute_summary(cols, sport)
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
        if not (0 < self.duration_s <= 24 * 3600):
            raise ValueError(
                f"duration must be between 1 second and 24 hours, got {self.duration_s} s"
            )
        if self.distance_m is not None and not (0 <= self.distance_m <= 300_000):
            raise ValueError(f"distance must be between 0 and 300 km, got {self.distance_m} m")
        if self.rpe is not None and not (0 <= self.rpe <= 10):
            raise ValueError(f"RPE must be between 0 and 10 (CR-10 scale), got {self.rpe}")
        if self.start_time_utc.tzinfo is None:
            raise ValueError("start_time_utc must be timezone-aware")
