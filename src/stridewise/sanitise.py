"""Sanitising an activity's records: absurd values dropped with a warning that names them, clock
glitches removed, and impossible activities refused (:class:`ImplausibleActivityError`).

Called by :func:`stridewise.activity.build_activity`, so every reader applies the same limits.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from stridewise import clock
from stridewise.errors import ImplausibleActivityError
from stridewise.science.sport_limits import limits_for
from stridewise.summary import FloatArray, haversine_m

# Plausibility limits. Values outside are dropped (set to NaN) with a warning.
HEART_RATE_RANGE_BPM = (25.0, 250.0)
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
    now = now or clock.now_utc()
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
    max_speed = limits_for(sport).max_speed_mps
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
