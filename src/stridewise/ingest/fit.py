"""FIT activity files -> :class:`~stridewise.activity.Activity` objects.

Decisions, in one place:

* **One activity per session.** A FIT activity holds one or more sessions; each
  non-transition session becomes one Activity holding the records inside its time span.
  So a chained file that is one activity over several segments (FR935 swim, 7 segments)
  stays one Activity, and a multisport file (triathlon) becomes one Activity per sport leg,
  each with its own sport, which is what training load needs. Transition sessions are
  dropped. A single-session file keeps every record, whatever the session's time span says.
* **A recording that was never finished is refused.** An activity file with records but
  neither a session nor an activity message was cut off (the device stopped before writing
  its summary); it raises :class:`CorruptFileError` rather than guessing.
* **Device-relative clocks.** date_time values below ``0x10000000`` count from power-on.
  They are made absolute with a ``timestamp_correlation`` message when there is one, else
  with the activity message's ``local_timestamp`` (then the UTC offset is unknown and a
  warning says so); with neither, the file is refused: its date cannot be known.
* Cadence: FIT stores strides per minute of one foot (+ ``fractional_cadence``); it goes
  to :func:`~stridewise.activity.build_activity` as recorded, which converts it by the final
  sport: doubled to ``cadence_spm`` for foot sports, ``cadence_rpm`` for cycling and unknown
  sports; other sports' cadence (swim strokes) is not kept. ``enhanced_speed`` and
  ``enhanced_altitude`` win when set.
* **The device's timer and ascent.** Timer stop/start events (auto-pause, the stop button)
  become the activity's stopped spans, so moving time and averages follow the device's
  timer; a session's ``total_ascent`` (the device's own count, from its barometer or its
  corrected elevation, at its full internal sampling rate) is kept as the activity's ascent
  (see :mod:`stridewise.summary`).
"""

from __future__ import annotations

import math

import numpy as np

from stridewise.activity import (
    Activity,
    FloatArray,
    Lap,
    build_activity,
)
from stridewise.errors import (
    CorruptFileError,
    EmptyActivityError,
    ImplausibleActivityError,
    IngestError,
)
from stridewise.fit.decode import FitData, FitFormatError
from stridewise.fit.fallback import read_fit
from stridewise.fit.profile import (
    FIT_EPOCH_S,
    GARMIN_MANUFACTURERS,
    GARMIN_PRODUCT,
    MANUFACTURER,
    MIN_ABSOLUTE_DATE_TIME,
    SPORT,
    SPORT_TO_STRIDEWISE,
    SUB_SPORT,
    SUB_SPORT_TO_STRIDEWISE,
)

SEMICIRCLE_DEG = 180.0 / 2**31
TRANSITION = 3
ACTIVITY_FILE = 4
#: FIT ``event`` values: the timer event, and the event types that start or stop it (stop,
#: stop_all, stop_disable, stop_disable_all) [FIT SDK Profile.xlsx, types event/event_type].
TIMER_EVENT = 0
TIMER_START = 0
TIMER_STOPS = frozenset({1, 4, 8, 9})


def read(data: bytes, *, source_name: str) -> list[Activity]:
    try:
        fit = read_fit(data)
    except FitFormatError as exc:
        raise CorruptFileError(str(exc), source=source_name) from exc
    types = {t for t in fit.segment_file_types if t is not None}
    if types and ACTIVITY_FILE not in types:
        raise EmptyActivityError(
            f"is a FIT file of type {sorted(types)}, not an activity recording",
            source=source_name,
        )
    record = fit.table("record")
    raw_time = record.scalar("timestamp")
    if not np.isfinite(raw_time).any():
        raise EmptyActivityError("the FIT file holds no timestamped records", source=source_name)
    sessions, activity = fit.table("session"), fit.table("activity")
    if len(sessions) == 0 and len(activity) == 0:
        raise CorruptFileError(
            f"the recording was cut short: {len(record)} records but no session or activity "
            "summary, so the device never finished writing the file",
            source=source_name,
        )
    warnings: list[str] = []
    to_unix = _clock_reference(fit, raw_time, warnings, source_name)
    time_s = raw_time + to_unix
    utc_offset_s = _utc_offset_s(fit) if not warnings else None
    device = _device(fit)
    group_of_segment = _activity_groups(fit)
    record_group = group_of_segment[record.segment]
    spans = _session_spans(fit, to_unix, group_of_segment)
    ascents = _session_ascents(fit, to_unix, group_of_segment)
    stops = _timer_stops(fit, to_unix)
    covered = np.zeros(time_s.shape, bool)
    activities = []
    for sport_code, sub_code, start_s, end_s, group in spans:
        keep = record_group == group if group >= 0 else np.ones(time_s.shape, bool)
        if sum(1 for span in spans if span[4] == group) > 1:
            keep &= (time_s >= start_s) & (time_s <= end_s)
        covered |= keep
        if not np.isfinite(time_s[keep]).any():
            continue
        sport_name = SPORT.get(sport_code, "other") if sport_code is not None else None
        sub_name = SUB_SPORT.get(sub_code) if sub_code is not None else None
        sport = SUB_SPORT_TO_STRIDEWISE.get(sub_name or "") or SPORT_TO_STRIDEWISE.get(
            sport_name or "", "other"
        )
        columns = _record_columns(fit, keep, time_s)
        t = columns["time_s"]
        t0, t1 = float(np.nanmin(t)), float(np.nanmax(t))
        try:
            activities.append(
                build_activity(
                    columns, sport=sport, source_format="fit",
                    cadence_per_min=_cadence_per_min(fit, keep),
                    laps=_laps(fit, to_unix, t0, t1, group_of_segment, group),
                    sub_sport=sub_name,
                    utc_offset_s=utc_offset_s, device=device, warnings=list(warnings),
                    timer_stops=_stops_within(stops, t0, t1),
                    device_ascent_m=ascents.get((start_s, group)),
                )
            )
        except ImplausibleActivityError as exc:
            raise IngestError(str(exc), source=source_name) from exc
    if not activities:
        raise EmptyActivityError("the FIT file holds no activity records", source=source_name)
    left_out = _outside_sessions(time_s, covered, spans)
    if left_out:
        for built in activities:
            built.warnings.append(left_out)
    return activities


def _outside_sessions(time_s: FloatArray, covered: np.ndarray, spans: list[Span]) -> str | None:
    """A warning when timed records fall outside every non-transition session (a multisport
    file recording before its first leg, or in transitions): they belong to no activity."""
    outside = ~covered & np.isfinite(time_s)
    if not outside.any():
        return None
    first_start = min(span[2] for span in spans)
    last_end = max(span[3] for span in spans)
    before = int((outside & (time_s < first_start)).sum())
    after = int((outside & (time_s > last_end)).sum())
    between = int(outside.sum()) - before - after
    parts = [f"{n} {where}" for n, where in ((before, "before the first session"),
             (between, "between sessions"), (after, "after the last session")) if n]
    return (f"{int(outside.sum())} record(s) lie outside every session of this file "
            f"({', '.join(parts)}) and were left out")


def _clock_reference(fit: FitData, raw_time: FloatArray, warnings: list[str], source: str) -> float:
    """Seconds to add to FIT date_time values to get Unix time."""
    if np.nanmin(raw_time) >= MIN_ABSOLUTE_DATE_TIME:
        return float(FIT_EPOCH_S)
    corr = fit.table("timestamp_correlation")
    utc, system = corr.scalar("timestamp"), corr.scalar("system_timestamp")
    ok = np.isfinite(utc) & np.isfinite(system) & (utc >= MIN_ABSOLUTE_DATE_TIME)
    if ok.any():
        return float(FIT_EPOCH_S + utc[ok][0] - system[ok][0])
    act = fit.table("activity")
    local, stamp = act.scalar("local_timestamp"), act.scalar("timestamp")
    ok = np.isfinite(local) & np.isfinite(stamp) & (local >= MIN_ABSOLUTE_DATE_TIME)
    if ok.any():
        warnings.append(
            "the device clock was not set: times come from the device's local clock, so "
            "they may be off by your time-zone offset"
        )
        return float(FIT_EPOCH_S + local[ok][0] - stamp[ok][0])
    raise IngestError(
        "the device clock was not set when this was recorded (times count from power-on), "
        "so its date cannot be known",
        source=source,
    )


def _utc_offset_s(fit: FitData) -> int | None:
    act = fit.table("activity")
    local, stamp = act.scalar("local_timestamp"), act.scalar("timestamp")
    ok = np.isfinite(local) & np.isfinite(stamp) & (local > 0)
    if not ok.any():
        return None
    offset = float(local[ok][0] - stamp[ok][0])
    rounded = round(offset / 60.0) * 60
    return rounded if abs(rounded) <= 14 * 3600 else None


def _device(fit: FitData) -> str | None:
    for table_name in ("file_id", "device_info"):
        table = fit.table(table_name)
        for i in range(len(table)):
            if table_name == "device_info" and table.scalar("device_index")[i] != 0:
                continue
            maker = table.scalar("manufacturer")[i]
            product = table.scalar("product")[i]
            names = table.columns.get("product_name")
            product_name = names[i] if names is not None and names.shape[0] > i else None
            if not isinstance(product_name, str):
                product_name = None
            if not math.isfinite(maker):
                continue
            brand = MANUFACTURER.get(int(maker), f"manufacturer {int(maker)}")
            if product_name:
                same = product_name.lower().startswith(brand.lower())
                return product_name if same else f"{brand} {product_name}"
            if int(maker) in GARMIN_MANUFACTURERS and math.isfinite(product):
                known = GARMIN_PRODUCT.get(int(product))
                if known:
                    return f"Garmin {known}"
            return brand
    return None


def _activity_groups(fit: FitData) -> np.ndarray:
    """Group chained segments into activities: a segment whose file_id says "activity"
    starts a new one; segments without a file_id continue the one before."""
    starts = np.array([t == ACTIVITY_FILE for t in fit.segment_file_types], dtype=np.int64)
    return np.maximum(np.cumsum(starts) - 1, 0)


Span = tuple[int | None, int | None, float, float, int]


def _session_spans(fit: FitData, to_unix: float, group_of_segment: np.ndarray) -> list[Span]:
    """(sport, sub_sport, start, end, group) per non-transition session; one span (group
    -1: every record) when the file has no session."""
    sessions = fit.table("session")
    spans: list[Span] = []
    for i in range(len(sessions)):
        sport = _int(sessions.scalar("sport")[i])
        if sport == TRANSITION:
            continue
        start = sessions.scalar("start_time")[i] + to_unix
        end = sessions.scalar("timestamp")[i] + to_unix
        group = int(group_of_segment[sessions.segment[i]])
        spans.append((sport, _int(sessions.scalar("sub_sport")[i]), start, end, group))
    if spans:
        return spans
    sport_table = fit.table("sport")
    laps = fit.table("lap")
    sport = _first_int(sport_table.scalar("sport")) or _first_int(laps.scalar("sport"))
    sub = _first_int(sport_table.scalar("sub_sport")) or _first_int(laps.scalar("sub_sport"))
    return [(sport, sub, -math.inf, math.inf, -1)]


def _session_ascents(
    fit: FitData, to_unix: float, group_of_segment: np.ndarray
) -> dict[tuple[float, int], float]:
    """The device's total ascent per session, keyed as :func:`_session_spans` keys spans."""
    sessions = fit.table("session")
    ascent = sessions.scalar("total_ascent")
    start = sessions.scalar("start_time") + to_unix
    out: dict[tuple[float, int], float] = {}
    for i in range(len(sessions)):
        if math.isfinite(ascent[i]) and math.isfinite(start[i]):
            out[(float(start[i]), int(group_of_segment[sessions.segment[i]]))] = float(ascent[i])
    return out


def _timer_stops(fit: FitData, to_unix: float) -> list[tuple[float, float]] | None:
    """Spans (Unix s) the timer was stopped, from timer stop/start events in time order; a
    stop never followed by a start runs to infinity. None when the file has no timer event
    (then nothing is known about the timer)."""
    events = fit.table("event")
    if len(events) == 0:
        return None
    kind, etype = events.scalar("event"), events.scalar("event_type")
    stamp = events.scalar("timestamp") + to_unix
    sel = (kind == TIMER_EVENT) & np.isfinite(stamp) & np.isfinite(etype)
    if not sel.any():
        return None
    order = np.argsort(stamp[sel], kind="stable")
    stops: list[tuple[float, float]] = []
    stopped_at: float | None = None
    for moment, what in zip(stamp[sel][order].tolist(), etype[sel][order].tolist(), strict=True):
        if int(what) in TIMER_STOPS:
            stopped_at = moment if stopped_at is None else stopped_at
        elif int(what) == TIMER_START and stopped_at is not None:
            stops.append((stopped_at, moment))
            stopped_at = None
    if stopped_at is not None:
        stops.append((stopped_at, math.inf))
    return stops


def _stops_within(
    stops: list[tuple[float, float]] | None, t0: float, t1: float
) -> list[tuple[float, float]] | None:
    """The stopped spans that touch [t0, t1], clipped to it (an open end closes at t1)."""
    if stops is None:
        return None
    return [(max(a, t0), min(b, t1)) for a, b in stops if b > t0 and a < t1]


def _int(value: float) -> int | None:
    return int(value) if math.isfinite(value) else None


def _first_int(col: FloatArray) -> int | None:
    finite = col[np.isfinite(col)]
    return int(finite[0]) if finite.size else None


def _record_columns(
    fit: FitData, keep: np.ndarray, time_s: FloatArray
) -> dict[str, FloatArray]:
    rec = fit.table("record")

    def col(name: str) -> FloatArray:
        return rec.scalar(name)[keep]

    def prefer(enhanced: str, plain: str) -> FloatArray:
        e, p = col(enhanced), col(plain)
        return np.where(np.isfinite(e), e, p)

    columns = {
        "time_s": time_s[keep],
        "lat_deg": col("position_lat") * SEMICIRCLE_DEG,
        "lon_deg": col("position_long") * SEMICIRCLE_DEG,
        "distance_m": col("distance"),
        "speed_mps": prefer("enhanced_speed", "speed"),
        "altitude_m": prefer("enhanced_altitude", "altitude"),
        "heart_rate_bpm": col("heart_rate"),
        "power_w": col("power"),
    }
    return {k: v for k, v in columns.items() if k == "time_s" or np.isfinite(v).any()}


def _cadence_per_min(fit: FitData, keep: np.ndarray) -> FloatArray:
    """Cadence as recorded (+ ``fractional_cadence``), converted by build_activity."""
    rec = fit.table("record")
    cadence = rec.scalar("cadence")[keep]
    fraction = rec.scalar("fractional_cadence")[keep]
    return cadence + np.nan_to_num(fraction, nan=0.0)


def _laps(
    fit: FitData, to_unix: float, t0: float, t1: float, group_of_segment: np.ndarray, group: int
) -> list[Lap]:
    """Laps of this activity: in its chained group and starting within its records."""
    laps = fit.table("lap")
    start = laps.scalar("start_time") + to_unix
    elapsed = laps.scalar("total_elapsed_time")
    distance = laps.scalar("total_distance")
    same_group = group_of_segment[laps.segment] == group
    if group < 0:
        same_group = np.ones(len(laps), bool)
    out = []
    columns = (start.tolist(), elapsed.tolist(), distance.tolist(), same_group.tolist())
    for s, e, d, ours in zip(*columns, strict=True):
        if ours and math.isfinite(s) and math.isfinite(e) and t0 - 1.0 <= s <= t1:
            out.append(Lap(start_time_s=s, elapsed_s=e, distance_m=d if math.isfinite(d) else None))
    return out
