"""Whole-activity values computed from per-record columns: one method for every format.

**Intervals.** Every value below is built from the intervals between consecutive records.
An interval is *timed* for the part of it the device's timer was running: FIT timer stop and
start events (auto-pause, the stop button) give the spans where it was not, handed in as
``timer_stops``; files without timer events (GPX, TCX, most phone exports) have no stopped
spans. A timed interval's *weight* is its timed length capped by the gap rule: at most
``MAX_MOVING_GAP_S``, or ``SPARSE_GAP_FACTOR`` times the median interval for sparse
recordings, since a longer gap is a recording gap whose values are unknown.

**Averages** of heart rate, cadence and power are time-weighted: each interval contributes
the value recorded at its start times its weight, so a "smart recording" file (a record only
when something changes, 1-10 s apart) is not biased towards the stretches where values
changed most. Zeros count (a stopped crank, a standing runner), as the devices' own session
averages count them. Average speed is distance over moving time.

**Moving time** comes from the device's timer when the file has timer events (the person's
own start/stop, auto-pause): the timed seconds. Otherwise an interval counts as moving when
it is within the gap rule and its speed is at least the sport's ``moving_min_mps``
(:mod:`stridewise.science.sport_limits`), low enough for a slow walker and a steep hike. The
speed is the device's ``speed_mps`` at the interval's end when it is ever above zero, else
derived from a non-flat ``distance_m``, else from positions. With none of these (indoor, a
pool swim logged as zeros, manual) every interval up to the gap limit counts.

**Distance** is the device's cumulative distance when present, else the length of the raw
GPS path (smoothing measured worse, see :func:`_position_distance_m`). **Ascent** is the
device's own session total when the file carries one, else :func:`ascent_m` (smoothing plus
hysteresis, with a threshold scaled to the altitude's measured noise). Steps integrate the
cadence over moving intervals; running time and the longest continuous running bout detect
running by cadence, else speed. The rules and their measured errors: docs/design.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from stridewise.science.bone import RUNNING_FROM_CADENCE_SPM, WALK_RUN_TRANSITION_SPEED_MPS
from stridewise.science.sport_limits import limits_for

FloatArray = NDArray[np.float64]

FOOT_SPORTS: frozenset[str] = frozenset({"run", "walk", "hike"})
MAX_MOVING_GAP_S = 30.0
#: Sparse recordings (a pool swim logs once per length) allow gaps of this many typical intervals.
SPARSE_GAP_FACTOR = 3.0
EARTH_RADIUS_M = 6_371_008.8

#: A span (start, end), Unix seconds, during which the device's timer was stopped.
TimerStops = Sequence[tuple[float, float]]


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
    avg_power_w: float | None = None
    avg_cadence_rpm: float | None = None


def haversine_m(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """Great-circle distance in metres between point arrays (degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _position_distance_m(recs: Mapping[str, FloatArray]) -> FloatArray | None:
    """Cumulative distance from positions (NaN-skipping); None without positions.

    The raw path, unsmoothed. A centred 3-fix moving average was measured on every sample
    with a reference distance (FIT session totals, TCX lap sums, generated tracks with a true
    path; docs/design.md): it helps jittery fast 1 s tracks (FR945 +1.06 % -> +0.26 %) but
    cuts corners everywhere else (a steep 1 s hike -6.4 %, 2-6 s tracks -0.3 to -9.8 %, a
    2 s phone track -2.7 % in the issue). Over the 1 s FIT samples the raw path's median
    error is 0.34 % against 1.05 % smoothed, and it never loses distance on sparse tracks.
    """
    if "lat_deg" not in recs or "lon_deg" not in recs:
        return None
    lat, lon = recs["lat_deg"], recs["lon_deg"]
    good = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if good.size < 2:
        return None
    glat, glon = lat[good], lon[good]
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


def stopped_s(time_s: FloatArray, timer_stops: TimerStops | None) -> FloatArray:
    """Seconds of each interval between records (``len(time_s) - 1`` values) during which
    the timer was stopped. The stopped spans are integrated as a piecewise-linear
    cumulative function S(t) (slope 1 inside a span, 0 outside), so an interval's stopped
    part is S(t[i+1]) - S(t[i]), whatever the span and interval boundaries."""
    n = max(time_s.size - 1, 0)
    if not timer_stops or n == 0:
        return np.zeros(n)
    spans = np.asarray(sorted(timer_stops), dtype=np.float64).reshape(-1, 2)
    spans[:, 1] = np.maximum(spans[:, 1], spans[:, 0])
    # Overlapping spans would make S decrease; merge them by running maxima of the ends.
    spans[:, 0] = np.maximum(spans[:, 0], np.concatenate([[-np.inf], spans[:-1, 1]]))
    spans[:, 1] = np.maximum.accumulate(spans[:, 1])
    lengths = np.maximum(spans[:, 1] - spans[:, 0], 0.0)
    done = np.concatenate([[0.0], np.cumsum(lengths)])
    xs = spans.ravel()
    ys = np.column_stack([done[:-1], done[1:]]).ravel()
    cum = np.interp(time_s, xs, ys, left=0.0, right=float(done[-1]))
    return np.clip(np.diff(cum), 0.0, None)


def weighted_mean(values: FloatArray | None, weights: FloatArray) -> float | None:
    """Time-weighted mean of a record column: sum(v[i] * w[i]) / sum(w[i]) over the
    intervals whose starting value is known; ``weights`` has one entry per interval
    (``len(values) - 1``). A single record gives its own value. None without values."""
    if values is None or not np.isfinite(values).any():
        return None
    if values.size < 2:
        return float(np.nanmean(values))
    start = values[:-1]
    usable = np.isfinite(start) & (weights > 0)
    total = float(weights[usable].sum())
    if total <= 0.0:
        return float(np.nanmean(values))
    return float(np.sum(start[usable] * weights[usable]) / total)


def interval_weights_s(
    time_s: FloatArray, timer_stops: TimerStops | None = None
) -> tuple[FloatArray, float]:
    """Each interval's weight for averages (timed seconds capped by the gap rule, see the
    module docstring) and the gap limit used."""
    dt = np.diff(time_s)
    max_gap = max(MAX_MOVING_GAP_S, SPARSE_GAP_FACTOR * float(np.median(dt))) if dt.size else 0.0
    timed = np.clip(dt - stopped_s(time_s, timer_stops), 0.0, None)
    return np.minimum(timed, max_gap), max_gap


def compute_summary(
    records: Mapping[str, FloatArray],
    sport: str,
    *,
    timer_stops: TimerStops | None = None,
    device_ascent_m: float | None = None,
) -> Summary:
    """Summarise records by the module's one documented method (see the module docstring).

    ``timer_stops``: the spans the device's timer was stopped, or None when the file has no
    timer events (then moving time comes from speed). ``device_ascent_m``: the device's own
    total ascent from its session message, used instead of the records' (see
    :func:`ascent_m`)."""
    t = records["time_s"]
    elapsed = float(t[-1] - t[0]) if t.size else 0.0
    dt = np.diff(t)
    weights, max_gap = interval_weights_s(t, timer_stops)

    distance: float | None = None
    cum: FloatArray | None = None
    d = records.get("distance_m")
    finite = d[np.isfinite(d)] if d is not None else np.empty(0)
    if d is not None and finite.size and finite.max() > finite[0]:
        distance = float(finite.max() - finite[0])
        cum = _ffill(np.where(np.isfinite(d), d, np.nan))
        cum = np.where(np.isnan(cum), finite[0], cum)
    else:  # no distance column, or a flat one (an indoor swim's zeros): positions, if any
        cum = _position_distance_m(records)
        if cum is not None:
            distance = float(cum[-1])
        elif finite.size:
            distance = 0.0

    if timer_stops is not None:
        # The device's timer says when the person was active: its running time is moving.
        timed = np.clip(dt - stopped_s(t, timer_stops), 0.0, None)
        moving_mask = timed > 0
        moving = float(timed.sum())
        step_weights = weights
    else:
        speed = records.get("speed_mps")
        if speed is not None and (np.nan_to_num(speed) > 0).any():
            speed_end = speed[1:]
            interval_speed = np.where(np.isfinite(speed_end), speed_end, 0.0)
        elif cum is not None and cum[-1] > cum[0]:
            with np.errstate(divide="ignore", invalid="ignore"):
                interval_speed = np.where(dt > 0, np.diff(cum) / dt, 0.0)
        else:  # nothing says whether the person moved: count the time (indoor, pool, manual)
            interval_speed = np.full(dt.shape, np.inf)
        threshold = limits_for(sport).moving_min_mps
        moving_mask = (dt <= max_gap) & (interval_speed >= threshold)
        moving = float(dt[moving_mask].sum())
        step_weights = np.where(moving_mask, dt, 0.0)

    ascent: float | None = device_ascent_m
    if ascent is None and "altitude_m" in records:
        ascent = ascent_m(t, records["altitude_m"])

    heart = records.get("heart_rate_bpm")
    max_hr = float(np.nanmax(heart)) if heart is not None and np.isfinite(heart).any() else None
    foot = sport in FOOT_SPORTS
    cadence = records.get("cadence_spm") if foot else None
    steps: int | None = None
    if cadence is not None and cadence.size >= 2:
        # The cadence recorded at an interval's start holds over it, as for the averages.
        cad = cadence[:-1]
        usable = (step_weights > 0) & np.isfinite(cad)
        if usable.any():
            steps = round(float(np.sum(cad[usable] * step_weights[usable]) / 60.0))
    avg_speed = distance / moving if distance is not None and moving > 0 else None
    return Summary(
        elapsed_s=elapsed,
        moving_s=moving,
        distance_m=distance,
        ascent_m=ascent,
        avg_heart_rate_bpm=weighted_mean(heart, weights),
        max_heart_rate_bpm=max_hr,
        avg_cadence_spm=weighted_mean(cadence, weights),
        steps=steps,
        avg_speed_mps=avg_speed,
        avg_power_w=weighted_mean(records.get("power_w"), weights),
        avg_cadence_rpm=weighted_mean(records.get("cadence_rpm"), weights),
    )


#: Ascent: altitude is first averaged over a centred window of this many seconds ...
ASCENT_SMOOTHING_S = 30.0
#: ... then climbs count with a dead band (hysteresis) of at least this many metres ...
ASCENT_MIN_BAND_M = 1.0
#: ... widened to this many times the altitude's measured noise (robust SD of the residual
#: about a 30 s moving average), so noisy GPS altitude gets a wide band, a barometer a narrow one.
#: The four values were chosen by a grid search over the barometric FIT samples and generated
#: GPS tracks (docs/design.md); results are stable for windows of 30 s and factors of 3-5.
ASCENT_NOISE_FACTOR = 4.0
ASCENT_NOISE_WINDOW_S = 30.0


def _moving_average(time_s: FloatArray, values: FloatArray, window_s: float) -> FloatArray:
    """Centred moving average over +-window_s/2 in time (any sampling), via cumulative sums."""
    sums = np.concatenate([[0.0], np.cumsum(values)])
    lo = np.searchsorted(time_s, time_s - window_s / 2.0, side="left")
    hi = np.searchsorted(time_s, time_s + window_s / 2.0, side="right")
    out: FloatArray = (sums[hi] - sums[lo]) / (hi - lo)
    return out


def altitude_noise_m(time_s: FloatArray, altitude_m: FloatArray) -> float:
    """Robust SD (1.4826 x median absolute deviation) of altitude about its 30 s moving
    average: 0.1-0.8 m for the barometers of the samples, ~2 m for whole-metre GPS altitude."""
    residual = altitude_m - _moving_average(time_s, altitude_m, ASCENT_NOISE_WINDOW_S)
    return float(1.4826 * np.median(np.abs(residual - np.median(residual))))


def ascent_m(time_s: FloatArray, altitude_m: FloatArray) -> float | None:
    """Total climb, metres, from recorded altitude; None with fewer than two altitudes.

    Method: (1) a centred ``ASCENT_SMOOTHING_S`` moving average removes sample-to-sample
    jitter; (2) climbs are counted with hysteresis: the reference altitude moves only on a
    change of at least ``band = max(ASCENT_MIN_BAND_M, ASCENT_NOISE_FACTOR x noise)``, noise
    measured by :func:`altitude_noise_m`. Files rarely say which sensor the altitude came from
    (FIT has no standard field for it, GPX and TCX none), but the noise does: a barometer's
    0.2 m steps give a 1-3 m band, whole-metre GPS altitude a ~8 m band, so GPS noise no
    longer adds up to phantom climbing (a generated 5 s whole-metre GPS track: +4 % of its
    true climb, where a fixed 3 m band gave +48 %; 11 of 14 barometric FIT legs within
    max(5 %, 10 m) of the device's total). Measured against FIT sessions' own
    totals: docs/design.md. Evidence grade C (an engineering method checked against devices'
    totals, not a validated algorithm; devices use their own undisclosed filters)."""
    ok = np.isfinite(altitude_m) & np.isfinite(time_s)
    if ok.sum() < 2:
        return None
    t, alt = time_s[ok], altitude_m[ok]
    band = max(ASCENT_MIN_BAND_M, ASCENT_NOISE_FACTOR * altitude_noise_m(t, alt))
    return _hysteresis_ascent(_moving_average(t, alt, ASCENT_SMOOTHING_S), threshold_m=band)


def _hysteresis_ascent(alt: FloatArray, threshold_m: float) -> float:
    """Total climb with hysteresis: a rise counts, from its trough to its peak, once it is
    confirmed by reaching ``threshold_m`` above the trough; it ends when the altitude falls
    ``threshold_m`` below the peak. Dips smaller than the band inside a climb do not split
    it, and noise smaller than the band never counts."""
    total = 0.0
    trough = peak = float(alt[0])
    for a in alt[1:].tolist():
        if a > peak:
            peak = a
        elif peak - a >= threshold_m:
            if peak - trough >= threshold_m:
                total += peak - trough
            trough = peak = a
        if a < trough:
            trough = peak = a
    if peak - trough >= threshold_m:
        total += peak - trough
    return total


#: Steps per minute above which a stride is running, and the walk-to-run speed when cadence is
#: unknown (``science.bone``, with their sources).
RUNNING_CADENCE_SPM = RUNNING_FROM_CADENCE_SPM
RUNNING_SPEED_MPS = WALK_RUN_TRANSITION_SPEED_MPS


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
    """Seconds spent running in a foot session: intervals between records of at most
    ``MAX_MOVING_GAP_S`` (a fixed 30 s: unlike moving time, no allowance for sparse sampling)
    whose cadence at the interval's end is at least ``RUNNING_CADENCE_SPM``, or, when the
    records have no cadence, whose speed is at least ``RUNNING_SPEED_MPS``. None when the
    records have neither, so a caller falls back to the whole duration. A run/walk session
    thus counts only its running bouts."""
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
