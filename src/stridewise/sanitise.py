"""Sanitising an activity's records: absurd values dropped with a warning that names them, clock
glitches removed, and impossible activities refused (:class:`ImplausibleActivityError`).

Called by :func:`stridewise.activity.build_activity`, so every reader applies the same limits.

Physical checks (limits from :mod:`stridewise.science.sport_limits`, one row per sport):

* **speed** above the sport's ``max_speed_mps``, and single-sample speed spikes whose change to
  both neighbours exceeds ``max_accel_mps2``, are dropped;
* **cumulative distance** must never go backwards (beyond ``DISTANCE_BACK_TOLERANCE_M``) nor
  leap forward faster than ``max_speed_mps`` allows over the time since it last moved (plus
  ``DISTANCE_SLACK_M``). Small groups of samples that do (at most ``DISTANCE_GLITCH_MAX``, or
  0.1 % of them) are dropped as glitches; if the column still leaps or goes back, the whole
  distance column is dropped and the distance comes from the GPS positions instead;
* **the whole activity** (:func:`check_summary`): an activity whose distance is more than
  ``max_speed_mps`` times its elapsed time allows (an average speed over elapsed time no one can
  hold), or over the ``distance_m`` range of :data:`stridewise.core.validation.RANGES`, is
  refused. The average over *moving* time is not used for refusing: moving time under-counts
  sparse recordings (a pool swim logs a length at a time), so it would refuse real swims.

Long recordings: one activity lasts at most ``RANGES["duration_s"]`` (48 hours). A file whose
records span longer is refused with a reason that says so (never split silently, never stored as
one 900-hour run); the readers also refuse a track of more than ``MAX_RECORDS`` points before
holding it all in memory.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import numpy as np
from numpy.typing import NDArray

from stridewise import clock
from stridewise.core.validation import DATE_FLOORS, RANGES
from stridewise.errors import ImplausibleActivityError
from stridewise.science.sport_limits import limits_for
from stridewise.summary import FloatArray, Summary, haversine_m

# Plausibility limits. Values outside are dropped (set to NaN) with a warning.
HEART_RATE_RANGE_BPM = (25.0, 250.0)
# A jump between two fixes faster than this is a GPS glitch, not movement.
MAX_GPS_JUMP_SPEED_MPS = 100.0
#: Device files cannot predate consumer GPS watches (core.validation's "device" date floor).
EARLIEST_PLAUSIBLE = datetime.combine(DATE_FLOORS["device"][0], time(), UTC)
#: A record this far (in time) from every other one, in a group of at most
#: ``STRAY_MAX_RECORDS`` records (or 0.1 % of the file), is a clock glitch and is dropped.
STRAY_GAP_S = 3600.0
STRAY_MAX_RECORDS = 2
STRAY_MIN_MAIN_RECORDS = 10
#: Longest span accepted from first to last record: one activity lasts at most 48 hours.
MAX_ELAPSED_S = float(RANGES["duration_s"].high)
#: A gap this long inside a recording is two recordings joined (named in the refusal).
MAX_RECORDING_GAP_S = 12 * 3600.0
#: Most records one activity may hold: 48 hours at 1 Hz (172,800) and then some. Readers
#: refuse a longer track while streaming it, before its points fill memory and minutes.
MAX_RECORDS = 250_000
#: Cumulative distance may go back this much (device rounding and GPS re-fits) without it
#: counting as a glitch; and may leap this much more than the speed limit allows: watches catch
#: up in one step after a GPS loss (a Fenix 2 adds 30 m in one second at the start of a run, a
#: FR945 34 m mid-run, a pool swim a whole 23 m length at once).
DISTANCE_BACK_TOLERANCE_M = 5.0
DISTANCE_SLACK_M = 100.0
#: A group of at most this many distance samples (or 0.1 % of them) out of line with the rest
#: is a glitch and is dropped; a larger one makes the whole column untrustworthy.
DISTANCE_GLITCH_MAX = 5


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
    check_record_count(t.size)
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
    _check_span(t)

    if "heart_rate_bpm" in recs:
        hr = recs["heart_rate_bpm"]
        lo, hi = HEART_RATE_RANGE_BPM
        with np.errstate(invalid="ignore"):
            _drop(hr, (hr < lo) | (hr > hi), "heart rate", warnings)
    limits = limits_for(sport)
    if "speed_mps" in recs:
        sp = recs["speed_mps"]
        with np.errstate(invalid="ignore"):
            _drop(sp, (sp < 0) | (sp > limits.max_speed_mps), "speed", warnings)
        spikes = _speed_spikes(recs["time_s"], sp, limits.max_accel_mps2)
        if spikes.any():
            sp[spikes] = np.nan
            warnings.append(f"dropped {int(spikes.sum())} speed value(s) that change faster "
                            f"than {limits.max_accel_mps2:g} m/s² (a sensor glitch)")
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
            _drop(d, (d < 0) | (d > RANGES["distance_m"].high), "distance", warnings)
        _sanitise_distance(recs["time_s"], d, limits.max_speed_mps, warnings)
        if not np.isfinite(d).any():
            del recs["distance_m"]
    return recs, warnings


def _speed_spikes(t: FloatArray, speed: FloatArray, max_accel_mps2: float) -> NDArray[np.bool_]:
    """Samples whose speed differs from both neighbours (with a speed) by more than
    ``max_accel_mps2`` times the interval (floored at 1 s), up on one side and back on the
    other: a one-sample spike no body can make."""
    bad = np.zeros(speed.shape, dtype=bool)
    idx = np.flatnonzero(np.isfinite(speed))
    if idx.size < 3:
        return bad
    dt = np.maximum(np.diff(t[idx]), 1.0)
    accel = np.diff(speed[idx]) / dt
    spike = ((accel[:-1] > max_accel_mps2) & (accel[1:] < -max_accel_mps2)) | (
        (accel[:-1] < -max_accel_mps2) & (accel[1:] > max_accel_mps2))
    bad[idx[1:-1][spike]] = True
    return bad


def _distance_wrong(t: FloatArray, d: FloatArray, max_speed_mps: float) -> NDArray[np.bool_]:
    """For consecutive finite samples of cumulative distance ``d``: whether each increment goes
    back by more than the tolerance, or forward faster than ``max_speed_mps`` over the time
    since the distance last increased (so a device catching up after a few flat samples is
    fine) plus the slack."""
    inc = np.diff(d)
    moved_at = np.where(np.concatenate([[True], inc > 0]), t, -np.inf)
    last_move_t = np.maximum.accumulate(moved_at)[:-1]
    since_s = np.maximum(t[1:] - last_move_t, 1.0)
    return (inc < -DISTANCE_BACK_TOLERANCE_M) | (inc > max_speed_mps * since_s + DISTANCE_SLACK_M)


def _sanitise_distance(
    t: FloatArray, d: FloatArray, max_speed_mps: float, warnings: list[str]
) -> None:
    """Drop distance glitches in place (see the module docstring); the whole column when the
    distance leaps or goes back in a way no small group of samples explains."""
    idx = np.flatnonzero(np.isfinite(d))
    if idx.size < 2:
        return
    wrong = _distance_wrong(t[idx], d[idx], max_speed_mps)
    if not wrong.any():
        return
    # Split the samples into runs that are consistent inside; small runs are the glitches.
    piece = np.concatenate([[0], np.cumsum(wrong)])
    sizes = np.bincount(piece)
    small = sizes <= max(DISTANCE_GLITCH_MAX, idx.size // 1000)
    if small.all():  # no trustworthy run at all
        small[np.argmax(sizes)] = False
    glitch = small[piece]
    keep = idx[~glitch]
    if keep.size >= 2 and not _distance_wrong(t[keep], d[keep], max_speed_mps).any():
        d[idx[glitch]] = np.nan
        warnings.append(f"dropped {int(glitch.sum())} distance value(s) that went backwards or "
                        f"leapt faster than {max_speed_mps:g} m/s (a recording glitch)")
        return
    leap = float(np.nanmax(d) - np.nanmin(d))
    d[:] = np.nan
    warnings.append(f"the device's distance jumps or goes backwards ({leap / 1000:,.1f} km "
                    "between its lowest and highest values), so it was dropped; the distance "
                    "comes from the GPS positions, if any")


def check_summary(summary: Summary, sport: str) -> None:
    """Refuse an activity whose summary is physically impossible for ``sport`` (after the
    per-sample checks): over the distance range, or longer than the sport's top speed allows
    over its elapsed time (``distance_m > max_speed_mps * elapsed_s + DISTANCE_SLACK_M``)."""
    distance = summary.distance_m
    if distance is None:
        return
    limit = limits_for(sport).max_speed_mps
    top = RANGES["distance_m"].high
    km = distance / 1000.0
    if distance > top:
        raise ImplausibleActivityError(
            f"its distance is {km:,.0f} km, over the {top / 1000:,.0f} km any one activity can "
            "cover: the file is damaged")
    elapsed = max(summary.elapsed_s, 1.0)
    if distance > limit * elapsed + DISTANCE_SLACK_M:
        raise ImplausibleActivityError(
            f"it covers {km:,.1f} km in {_duration_text(elapsed)}, faster than the {limit:g} m/s "
            f"no {sport} can exceed: the file is damaged")


def _duration_text(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


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


def check_record_count(n_records: int) -> None:
    """Refuse an activity of more than ``MAX_RECORDS`` records (readers call this while
    streaming, so a 3.5-million-point track is refused before it fills memory)."""
    if n_records > MAX_RECORDS:
        raise ImplausibleActivityError(
            f"it holds more than {MAX_RECORDS:,} records, more than one activity of at most "
            f"{MAX_ELAPSED_S / 3600:.0f} hours can have: split the recording into separate "
            "days with your device's app and import those"
        )


def _check_span(t: FloatArray) -> None:
    """The long-recording rule: refuse a span over ``MAX_ELAPSED_S`` (48 hours), naming a long
    gap when there is one (two recordings joined), else the cap itself."""
    span_s = float(t[-1] - t[0])
    if span_s <= MAX_ELAPSED_S:
        return
    gap_s = float(np.diff(t).max())
    if gap_s > MAX_RECORDING_GAP_S:
        raise ImplausibleActivityError(
            f"its records span {span_s / 3600:.0f} hours with a {gap_s / 3600:.0f}-hour gap "
            "between them: two recordings joined together or a clock jump, not one activity"
        )
    raise ImplausibleActivityError(
        f"its records span {span_s / 3600:.0f} hours; one activity can last at most "
        f"{MAX_ELAPSED_S / 3600:.0f} hours, so a longer recording is refused rather than stored "
        "as one activity: split it into separate days with your device's app and import those"
    )


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
