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
records span more than ``MAX_ELAPSED_S`` is refused unless it was recorded continuously (no
gap over ``MAX_RECORDING_GAP_S``, a multi-day race), since a longer span with a long gap is
two recordings merged or a clock jump.

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
    FOOT_SPORTS,
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
#: A record this far (in time) from every other one, in a group of at most
#: ``STRAY_MAX_RECORDS`` records (or 0.1 % of the file), is a clock glitch and is dropped.
STRAY_GAP_S = 3600.0
STRAY_MAX_RECORDS = 2
STRAY_MIN_MAIN_RECORDS = 10
#: Longest span accepted from first to last record, unless recorded without a long gap.
MAX_ELAPSED_S = 48 * 3600.0
MAX_RECORDING_GAP_S = 12 * 3600.0


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
    stray = _stray_times(t)
    if stray.any():
        warnings.append(_stray_warning(t, stray))
        recs = {k: v[~stray] for k, v in recs.items()}
        t = recs["time_s"]
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
    _check_span(t, warnings)

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


def _stray_times(t: FloatArray) -> NDArray[np.bool_]:
    """Records in a small group separated by over ``STRAY_GAP_S`` from the group holding the
    median time (in time order), wherever they sit in the file."""
    order = np.argsort(t, kind="stable")
    sorted_t = t[order]
    cluster = np.concatenate([[0], np.cumsum(np.diff(sorted_t) > STRAY_GAP_S)])
    sizes = np.bincount(cluster)
    main = cluster[t.size // 2]
    if sizes[main] < STRAY_MIN_MAIN_RECORDS:  # sparse recordings: no group to stray from
        return np.zeros(t.size, dtype=bool)
    small = sizes <= max(STRAY_MAX_RECORDS, t.size // 1000)
    stray_sorted = small[cluster] & (cluster != main)
    stray = np.zeros(t.size, dtype=bool)
    stray[order[stray_sorted]] = True
    return stray


def _stray_warning(t: FloatArray, stray: NDArray[np.bool_]) -> str:
    where = np.flatnonzero(stray)
    shown = ", ".join(
        f"record {i + 1} at {_utc_text(float(t[i]))}" for i in where[:3].tolist()
    )
    more = f" and {where.size - 3} more" if where.size > 3 else ""
    return (f"dropped {where.size} record(s) whose time is hours away from all the others "
            f"({shown}{more}): a device clock glitch")


def _utc_text(time_s: float) -> str:
    try:
        return f"{datetime.fromtimestamp(time_s, UTC):%Y-%m-%d %H:%M:%S} UTC"
    except (OverflowError, OSError, ValueError):
        return f"{time_s:.0f} s since 1970"


def _check_span(t: FloatArray, warnings: list[str]) -> None:
    span_s = float(t[-1] - t[0])
    if span_s <= MAX_ELAPSED_S:
        return
    gap_s = float(np.diff(t).max())
    if gap_s > MAX_RECORDING_GAP_S:
        raise ImplausibleActivityError(
            f"its records span {span_s / 3600:.0f} hours with a {gap_s / 3600:.0f}-hour gap "
            "between them: two recordings joined together or a clock jump, not one activity"
        )
    warnings.append(f"a recording of {span_s / 3600:.0f} hours, kept as one multi-day activity")


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
    cadence_per_min: object | None = None,
) -> Activity:
    """Validate columns, sanitise values, and compute the summary: every reader ends here.

    ``cadence_per_min`` is cadence as the file counts it (one foot's strides for foot sports,
    crank revolutions for cycling); it becomes ``cadence_spm`` (doubled) for foot sports and
    ``cadence_rpm`` for cycling and unknown sports, and is dropped for others (a swim's
    stroke rate is not a cadence we use)."""
    sport = sport if sport in SPORTS else normalise_sport(sport)
    records = {**records, **_cadence_columns(cadence_per_min, sport, records)}
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
