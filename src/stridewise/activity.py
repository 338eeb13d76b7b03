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

Moving time, the one definition used for every format: an interval between two
consecutive records counts as moving when it is at most ``MAX_MOVING_GAP_S`` long (a
longer gap is an auto-pause or a recording gap) and the speed over it is at least
``MIN_MOVING_SPEED_MPS``. The speed is the device's ``speed_mps`` at the interval's end
when present, else derived from ``distance_m``, else from positions. With no speed,
distance or position at all (indoor, manual) every interval up to the gap limit counts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from stridewise.errors import IngestError

FloatArray = NDArray[np.float64]

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
FOOT_SPORTS: frozenset[str] = frozenset({"run", "walk", "hike"})

MAX_MOVING_GAP_S = 30.0
MIN_MOVING_SPEED_MPS = 0.5

# Plausibility limits. Values outside are dropped (set to NaN) with a warning.
HEART_RATE_RANGE_BPM = (25.0, 250.0)
MAX_SPEED_MPS = {"run": 12.5, "walk": 12.5, "hike": 12.5, "ride": 40.0, "swim": 5.0}
MAX_SPEED_OTHER_MPS = 60.0
# A jump between two fixes faster than this is a GPS glitch, not movement.
MAX_GPS_JUMP_SPEED_MPS = 100.0
EARLIEST_PLAUSIBLE = datetime(2000, 1, 1, tzinfo=UTC)
EARTH_RADIUS_M = 6_371_008.8
SMOOTHING_MAX_INTERVAL_S = 2.0


class ImplausibleActivityError(IngestError, ValueError):
    """The activity as a whole cannot be right (e.g. dated 1990 or in the future).

    An :class:`~stridewise.errors.IngestError`, so every reader's caller reports it like any
    other bad file, with its reason."""


@dataclass(frozen=True)
class Lap:
    start_time_s: float
    elapsed_s: float
    distance_m: float | None = None


@dataclass(frozen=True)
class Summary:
    """Whole-activity values, all computed from the records by one method."""

    elapsed_s: float
    moving_s: float
    distance_m: float | None
    ascent_m: float | None
    avg_heart_rate_bpm: float | None
    max_heart_rate_bpm: float | None
    avg_cadence_spm: float | None
    steps: int | None
    avg_speed_mps: float | None


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


def haversine_m(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """Great-circle distance in metres between point arrays (degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


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


def _position_distance_m(recs: Mapping[str, FloatArray]) -> FloatArray | None:
    """Cumulative distance from positions (NaN-skipping); None without positions.

    At dense sampling (median fix interval up to ``SMOOTHING_MAX_INTERVAL_S``) positions are
    first smoothed with a centred 3-fix moving average: raw 1 Hz GPS jitter otherwise adds
    about 1 % to a run (measured on the FR945 sample: +1.06 % raw, +0.22 % smoothed, against
    the watch's own filtered distance). Sparser tracks are not smoothed, since averaging
    fixes far apart would cut corners.
    """
    if "lat_deg" not in recs or "lon_deg" not in recs:
        return None
    lat, lon = recs["lat_deg"], recs["lon_deg"]
    good = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if good.size < 2:
        return None
    glat, glon = lat[good], lon[good]
    if good.size >= 3 and np.median(np.diff(recs["time_s"][good])) <= SMOOTHING_MAX_INTERVAL_S:
        glat = np.concatenate([glat[:1], (glat[:-2] + glat[1:-1] + glat[2:]) / 3.0, glat[-1:]])
        glon = np.concatenate([glon[:1], (glon[:-2] + glon[1:-1] + glon[2:]) / 3.0, glon[-1:]])
    seg = haversine_m(glat[:-1], glon[:-1], glat[1:], glon[1:])
    cum = np.full(lat.shape, np.nan)
    cum[good] = np.concatenate([[0.0], np.cumsum(seg)])
    # carry forward across records without a fix
    filled = np.maximum.accumulate(np.where(np.isnan(cum), -np.inf, cum))
    filled[filled == -np.inf] = 0.0
    return filled


def _ffill(col: FloatArray) -> FloatArray:
    mask = np.isnan(col)
    if not mask.any():
        return col
    idx = np.where(~mask, np.arange(col.size), 0)
    np.maximum.accumulate(idx, out=idx)
    out = col[idx]
    return out


def compute_summary(records: Mapping[str, FloatArray], sport: str) -> Summary:
    """Summarise records by the module's one documented method (see the module docstring)."""
    t = records["time_s"]
    elapsed = float(t[-1] - t[0]) if t.size else 0.0
    dt = np.diff(t)

    distance: float | None = None
    cum: FloatArray | None = None
    if "distance_m" in records and np.isfinite(records["distance_m"]).any():
        d = records["distance_m"]
        finite = d[np.isfinite(d)]
        distance = float(finite.max() - finite[0])
        cum = _ffill(np.where(np.isfinite(d), d, np.nan))
        cum = np.where(np.isnan(cum), finite[0], cum)
    else:
        cum = _position_distance_m(records)
        if cum is not None:
            distance = float(cum[-1])

    if "speed_mps" in records and np.isfinite(records["speed_mps"]).any():
        speed_end = records["speed_mps"][1:]
        interval_speed = np.where(np.isfinite(speed_end), speed_end, 0.0)
    elif cum is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            interval_speed = np.where(dt > 0, np.diff(cum) / dt, 0.0)
    else:
        interval_speed = np.full(dt.shape, np.inf)
    moving_mask = (dt <= MAX_MOVING_GAP_S) & (interval_speed >= MIN_MOVING_SPEED_MPS)
    moving = float(dt[moving_mask].sum())

    ascent: float | None = None
    if "altitude_m" in records and np.isfinite(records["altitude_m"]).sum() >= 2:
        alt = records["altitude_m"]
        alt = alt[np.isfinite(alt)]
        ascent = float(_hysteresis_ascent(alt, threshold_m=3.0))

    def _stat(name: str, fn: str) -> float | None:
        col = records.get(name)
        if col is None or not np.isfinite(col).any():
            return None
        return float(np.nanmean(col) if fn == "mean" else np.nanmax(col))

    cad_mean = _stat("cadence_spm", "mean") if sport in FOOT_SPORTS else None
    steps: int | None = None
    if sport in FOOT_SPORTS and "cadence_spm" in records:
        cad = records["cadence_spm"][1:]
        usable = moving_mask & np.isfinite(cad)
        if usable.any():
            steps = round(float(np.sum(cad[usable] * dt[usable]) / 60.0))
    avg_speed = distance / moving if distance is not None and moving > 0 else None
    return Summary(
        elapsed_s=elapsed,
        moving_s=moving,
        distance_m=distance,
        ascent_m=ascent,
        avg_heart_rate_bpm=_stat("heart_rate_bpm", "mean"),
        max_heart_rate_bpm=_stat("heart_rate_bpm", "max"),
        avg_cadence_spm=cad_mean,
        steps=steps,
        avg_speed_mps=avg_speed,
    )


def _hysteresis_ascent(alt: FloatArray, threshold_m: float) -> float:
    """Total climb with a dead band: the reference moves only on changes of ``threshold_m``
    or more, so GPS and barometer noise does not add up to phantom climbing."""
    total = 0.0
    ref = float(alt[0])
    for a in alt[1:].tolist():
        if a - ref >= threshold_m:
            total += a - ref
            ref = a
        elif ref - a >= threshold_m:
            ref = a
    return total


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


#: Steps per minute above which a stride is running, not walking [U]: brisk walking rarely
#: exceeds ~130 spm, while even slow jogging is usually 150 spm or more.
RUNNING_CADENCE_SPM = 140.0
#: The walk-to-run transition speed when cadence is unknown: ~2.0 m/s (Hreljac, Med Sci Sports
#: Exerc 1993;25:1158-1162, preferred transition 2.06 m/s) [S].
RUNNING_SPEED_MPS = 2.0


def _running_intervals(
    records: Mapping[str, FloatArray],
) -> tuple[FloatArray, NDArray[np.bool_]] | None:
    """Interval lengths and which intervals are running (cadence rule, else speed rule)."""
    t = records["time_s"]
    if t.size < 2:
        return None
    dt = np.diff(t)
    cadence = records.get("cadence_spm")
    speed = records.get("speed_mps")
    if cadence is not None and np.isfinite(cadence).any():
        running = np.nan_to_num(cadence[1:]) >= RUNNING_CADENCE_SPM
    elif speed is not None and np.isfinite(speed).any():
        running = np.nan_to_num(speed[1:]) >= RUNNING_SPEED_MPS
    else:
        return None
    return dt, running & (dt <= MAX_MOVING_GAP_S)


def running_seconds(records: Mapping[str, FloatArray]) -> float | None:
    """Seconds spent running in a foot session: moving intervals (by the module's moving-time
    rule) whose cadence is at least ``RUNNING_CADENCE_SPM``, or, without cadence, whose speed
    is at least ``RUNNING_SPEED_MPS``. None when the records have neither, so a caller falls
    back to the whole duration. A run/walk session thus counts only its running bouts."""
    found = _running_intervals(records)
    if found is None:
        return None
    dt, running = found
    return float(dt[running].sum())


def longest_running_bout_s(records: Mapping[str, FloatArray]) -> float | None:
    """The longest stretch of continuous running, seconds, by the :func:`running_seconds` rule;
    a walk break or a pause over ``MAX_MOVING_GAP_S`` ends a bout. None without cadence or
    speed. A run/walk history of 13-minute bouts gives 13 minutes, not the session length."""
    found = _running_intervals(records)
    if found is None:
        return None
    dt, running = found
    # Smooth single-second dips (a stumble, a GPS/cadence glitch) so they do not split a bout.
    if running.size >= 3:
        running[1:-1] |= running[:-2] & running[2:]
    bout = np.where(running, dt, 0.0)
    total = np.cumsum(bout)
    resets = np.maximum.accumulate(np.where(running, 0.0, total))
    return float((total - resets).max(initial=0.0))
