"""A small FIT encoder: activity files (demo history, import benchmark) and workout files
(plan export a Garmin watch can load).

:class:`FitEncoder` writes messages by profile name with values in profile units (metres,
m/s, seconds; date_time values as Unix seconds); ``None``/NaN become the base type's
invalid value. Many rows of one message are written at once by :meth:`FitEncoder.rows`, a
single structured-array pass, so a 10-hour 1 Hz activity encodes in milliseconds.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from stridewise.activity import Lap
from stridewise.fit.crc import crc16_arc
from stridewise.fit.profile import (
    BASE_TYPE_BY_NAME,
    EVENT,
    EVENT_TYPE,
    FILE_TYPE,
    FIT_EPOCH_S,
    INTENSITY,
    MESSAGE_BY_NAME,
    SPORT,
    SUB_SPORT,
    WKT_STEP_DURATION,
    WKT_STEP_TARGET,
)
from stridewise.summary import FOOT_SPORTS

PROTOCOL_VERSION = 0x20
PROFILE_VERSION = 21218
DEVELOPMENT_MANUFACTURER = 255
DEG_TO_SEMICIRCLE = 2**31 / 180.0
SPORT_CODE = {name: code for code, name in SPORT.items()}
SUB_SPORT_CODE = {name: code for code, name in SUB_SPORT.items()}
STRIDEWISE_TO_FIT_SPORT = {"run": "running", "walk": "walking", "hike": "hiking",
                           "ride": "cycling", "swim": "swimming", "strength": "training",
                           "other": "generic"}


class FitEncoder:
    """Accumulates messages; :meth:`finish` returns the complete file."""

    def __init__(self) -> None:
        self._body = bytearray()
        self._local_of: dict[tuple[Any, ...], int] = {}
        self._layout_on: list[tuple[Any, ...] | None] = [None] * 16
        self._next_local = 0

    def message(
        self, name: str, dev: Mapping[tuple[int, int], Any] | None = None, **values: Any
    ) -> None:
        self.rows(name, {k: [v] for k, v in values.items() if v is not None},
                  {key: np.asarray(v)[None] for key, v in (dev or {}).items()})

    def rows(
        self,
        name: str,
        columns: Mapping[str, ArrayLike | Sequence[Any]],
        dev: Mapping[tuple[int, int], np.ndarray] | None = None,
    ) -> None:
        """Write ``len(column)`` messages of ``name``; every column has the same length.

        A 2-D numeric column writes an array field (``k`` values per message). ``dev`` adds
        developer fields: ``(field_number, developer_data_index) -> array`` written raw in
        the array's own little-endian dtype (declare them with ``field_description``)."""
        spec = MESSAGE_BY_NAME[name]
        fields = [f for f in spec.fields if f.name in columns]
        unknown = set(columns) - {f.name for f in fields}
        if unknown:
            raise KeyError(f"{name} has no field(s) {sorted(unknown)}")
        formats, raw = [], []
        for f in fields:
            base = BASE_TYPE_BY_NAME[f.base_type]
            values = columns[f.name]
            if base.numpy_code == "S":
                encoded = [
                    ("" if v is None else str(v)).encode()[:254] + b"\0" for v in list(values)  # type: ignore[arg-type]
                ]
                size = max(len(e) for e in encoded)
                formats.append((f.number, size, 0x07, f"S{size}"))
                raw.append(np.array(encoded, dtype=f"S{size}"))
                continue
            arr = np.asarray(values, dtype=np.float64)
            if f.is_time:
                arr = arr - FIT_EPOCH_S
            scaled = np.round((arr + f.offset) * f.scale)
            info = np.iinfo(np.dtype(base.numpy_code))
            bad = ~np.isfinite(scaled) | (scaled < info.min) | (scaled > info.max)
            ints = np.where(bad, base.invalid, np.where(bad, 0, scaled)).astype(
                np.dtype(base.numpy_code)
            )
            k = ints.shape[1] if ints.ndim == 2 else 1
            fmt = f"<{base.numpy_code}" if ints.ndim == 1 else f"({k},)<{base.numpy_code}"
            formats.append((f.number, base.size * k, base.code, fmt))
            raw.append(ints)
        dev_formats = []
        for (number, index), values in (dev or {}).items():
            arr = np.asarray(values)
            dev_formats.append((number, arr.dtype.itemsize, index, arr.dtype.newbyteorder("<")))
            raw.append(arr)
        n = len(raw[0]) if raw else 0
        layout = (spec.number, tuple(fm[:3] for fm in formats),
                  tuple(fm[:3] for fm in dev_formats))
        local = self._define(layout)
        table = np.zeros(n, dtype=[("header", "u1")] + [
            (f"f{fm[0]}", fm[3]) for fm in formats
        ] + [(f"d{fm[2]}_{fm[0]}", fm[3]) for fm in dev_formats])
        table["header"] = local
        keys = [f"f{fm[0]}" for fm in formats] + [f"d{fm[2]}_{fm[0]}" for fm in dev_formats]
        for key, column in zip(keys, raw, strict=True):
            table[key] = column
        self._body += table.tobytes()

    def _define(self, layout: tuple[Any, ...]) -> int:
        local = self._local_of.get(layout)
        if local is not None and self._layout_on[local] == layout:
            return local
        local = self._next_local
        self._next_local = (self._next_local + 1) % 16
        self._local_of[layout] = local
        self._layout_on[local] = layout
        global_num, fields, dev_fields = layout
        flag = 0x20 if dev_fields else 0
        self._body += struct.pack("<BBBHB", 0x40 | flag | local, 0, 0, global_num, len(fields))
        for number, size, base_code in fields:
            self._body += struct.pack("<BBB", number, size, base_code)
        if dev_fields:
            self._body += struct.pack("<B", len(dev_fields))
            for number, size, index in dev_fields:
                self._body += struct.pack("<BBB", number, size, index)
        return local

    def finish(self) -> bytes:
        header = struct.pack("<BBHI4s", 14, PROTOCOL_VERSION, PROFILE_VERSION,
                             len(self._body), b".FIT")
        header += struct.pack("<H", crc16_arc(header))
        out = header + bytes(self._body)
        return out + struct.pack("<H", crc16_arc(out))


def encode_activity(
    records: Mapping[str, ArrayLike],
    *,
    sport: str = "run",
    sub_sport: str | None = None,
    laps: Sequence[Lap] | None = None,
    utc_offset_s: int = 0,
    serial_number: int = 1,
    session_fields: Mapping[str, float] | None = None,
) -> bytes:
    """An activity file from columns named as in :mod:`stridewise.activity` (``time_s``,
    ``lat_deg``, ``lon_deg``, ``distance_m``, ``speed_mps``, ``altitude_m``,
    ``heart_rate_bpm``, ``cadence_spm`` or ``cadence_rpm``, ``power_w``).

    Laps default to one covering the whole activity; the session and activity summaries
    (elapsed time, distance) are derived from the records; ``session_fields`` adds the
    device's own session values (``avg_heart_rate``, ``total_ascent``, ...) to test against.
    """
    cols = {k: np.asarray(v, dtype=np.float64) for k, v in records.items()}
    time_s = cols["time_s"]
    start, end = float(time_s[0]), float(time_s[-1])
    distance = cols.get("distance_m")
    total_m = float(np.nanmax(distance)) if distance is not None else None
    fit_sport = SPORT_CODE[STRIDEWISE_TO_FIT_SPORT.get(sport, "generic")]
    fit_sub = SUB_SPORT_CODE[sub_sport] if sub_sport else None
    enc = FitEncoder()
    enc.message("file_id", type=FILE_TYPE["activity"], manufacturer=DEVELOPMENT_MANUFACTURER,
                product=0, serial_number=serial_number, time_created=start)
    enc.message("event", timestamp=start, event=EVENT["timer"], event_type=EVENT_TYPE["start"])
    enc.rows("record", _record_fields(cols, sport))
    lap_list = list(laps) if laps else [Lap(start, end - start, total_m)]
    for i, lap in enumerate(lap_list):
        enc.message("lap", timestamp=lap.start_time_s + lap.elapsed_s, message_index=i,
                    start_time=lap.start_time_s, total_elapsed_time=lap.elapsed_s,
                    total_timer_time=lap.elapsed_s, total_distance=lap.distance_m,
                    sport=fit_sport, sub_sport=fit_sub)
    enc.message("event", timestamp=end, event=EVENT["timer"], event_type=EVENT_TYPE["stop_all"])
    extra_session: dict[str, Any] = dict(session_fields or {})
    enc.message("session", timestamp=end, message_index=0, start_time=start, sport=fit_sport,
                sub_sport=fit_sub, total_elapsed_time=end - start, total_timer_time=end - start,
                total_distance=total_m, first_lap_index=0, num_laps=len(lap_list),
                **extra_session)
    enc.message("activity", timestamp=end, total_timer_time=end - start, num_sessions=1,
                type=0, event=EVENT["activity"], event_type=EVENT_TYPE["stop"],
                local_timestamp=end + utc_offset_s)
    return enc.finish()


def encode_interleaved_activity(
    records: Mapping[str, ArrayLike],
    *,
    sport: str = "run",
    seed: int = 0,
    pause_every_s: float = 900.0,
    device_info_every_s: float = 300.0,
    lap_every_m: float = 1000.0,
) -> bytes:
    """An activity file laid out the way recent watches write one, message by message.

    Unlike :func:`encode_activity` (all records in one block) every record is followed by an
    ``hrv`` message (1-5 beat intervals, padded with invalid values), records switch
    between several definitions (with and without position, with two developer fields
    declared by ``developer_data_id``/``field_description``), and ``event`` (timer
    stop/start), ``device_info`` and ``lap`` messages fall between records, so local message
    types change at nearly every message. Which definition a record uses is drawn from a
    seeded generator: the file is the same for the same ``seed``. Used to benchmark and test
    the decoder on interleaved files.
    """
    rng = np.random.default_rng(seed)
    cols = {k: np.asarray(v, dtype=np.float64) for k, v in records.items()}
    fields = _record_fields(cols, sport)
    time_s = cols["time_s"]
    n = time_s.size
    start, end = float(time_s[0]), float(time_s[-1])
    fit_sport = SPORT_CODE[STRIDEWISE_TO_FIT_SPORT.get(sport, "generic")]
    enc = FitEncoder()
    enc.message("file_id", type=FILE_TYPE["activity"], manufacturer=DEVELOPMENT_MANUFACTURER,
                product=0, serial_number=seed + 1, time_created=start)
    enc.message("developer_data_id", developer_data_index=0, application_version=1)
    enc.message("field_description", developer_data_index=0, field_definition_number=0,
                fit_base_type_id=0x84, field_name="Power", units="Watts")
    enc.message("field_description", developer_data_index=0, field_definition_number=1,
                fit_base_type_id=0x02, field_name="Form Power", units="%")
    enc.message("event", timestamp=start, event=EVENT["timer"], event_type=EVENT_TYPE["start"])
    no_position = [k for k in fields if k not in ("position_lat", "position_long")]
    beats = rng.integers(1, 6, size=n)
    variant = rng.choice(4, size=n, p=[0.55, 0.25, 0.1, 0.1])
    power = rng.integers(150, 400, size=n).astype("<u2")
    form = rng.integers(10, 30, size=n).astype("u1")
    distance = fields.get("distance")
    next_info, next_pause = start + device_info_every_s, start + pause_every_s
    next_lap_m, lap_start, lap_index = lap_every_m, start, 0
    for i in range(n):
        t = float(time_s[i])
        if t >= next_info:
            enc.message("device_info", timestamp=t, device_index=int(i % 3) + 1,
                        device_type=120, manufacturer=DEVELOPMENT_MANUFACTURER, product=1)
            next_info += device_info_every_s
        if t >= next_pause:
            enc.message("event", timestamp=t, event=EVENT["timer"],
                        event_type=EVENT_TYPE["stop_all"])
            enc.message("event", timestamp=t, event=EVENT["timer"],
                        event_type=EVENT_TYPE["start"])
            next_pause += pause_every_s
        names = list(fields) if variant[i] != 1 else no_position
        row = {k: [fields[k][i]] for k in names}
        dev = {}
        if variant[i] in (0, 1):
            dev = {(0, 0): power[i : i + 1], (1, 0): form[i : i + 1]}
        elif variant[i] == 2:
            dev = {(0, 0): power[i : i + 1]}
        enc.rows("record", row, dev)
        rr = np.full((1, 5), np.nan)
        rr[0, : beats[i]] = rng.uniform(0.35, 0.65, size=beats[i])
        enc.rows("hrv", {"time": rr})
        if distance is not None and distance[i] >= next_lap_m:
            enc.message("lap", timestamp=t, message_index=lap_index, start_time=lap_start,
                        total_elapsed_time=t - lap_start, total_timer_time=t - lap_start,
                        total_distance=lap_every_m, sport=fit_sport)
            enc.message("event", timestamp=t, event=EVENT["lap"], event_type=EVENT_TYPE["stop"])
            next_lap_m += lap_every_m
            lap_start, lap_index = t, lap_index + 1
    total_m = float(np.nanmax(distance)) if distance is not None else None
    enc.message("event", timestamp=end, event=EVENT["timer"], event_type=EVENT_TYPE["stop_all"])
    enc.message("session", timestamp=end, message_index=0, start_time=start, sport=fit_sport,
                total_elapsed_time=end - start, total_timer_time=end - start,
                total_distance=total_m, first_lap_index=0, num_laps=lap_index)
    enc.message("activity", timestamp=end, total_timer_time=end - start, num_sessions=1,
                type=0, event=EVENT["activity"], event_type=EVENT_TYPE["stop"],
                local_timestamp=end)
    return enc.finish()


def _record_fields(cols: Mapping[str, np.ndarray], sport: str) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {"timestamp": cols["time_s"]}
    if "lat_deg" in cols and "lon_deg" in cols:
        out["position_lat"] = cols["lat_deg"] * DEG_TO_SEMICIRCLE
        out["position_long"] = cols["lon_deg"] * DEG_TO_SEMICIRCLE
    for ours, theirs in (("distance_m", "distance"), ("speed_mps", "speed"),
                         ("altitude_m", "altitude"), ("heart_rate_bpm", "heart_rate"),
                         ("power_w", "power"), ("cadence_rpm", "cadence")):
        if ours in cols:
            out[theirs] = cols[ours]
    if "cadence_spm" in cols and sport in FOOT_SPORTS:
        strides = cols["cadence_spm"] / 2.0
        whole = np.floor(strides)
        out["cadence"] = whole
        out["fractional_cadence"] = np.floor((strides - whole) * 128.0) / 128.0
    return out


@dataclass(frozen=True)
class WorkoutStep:
    """One step. Give ``duration_s`` or ``distance_m``; with neither, the step lasts until
    the lap button is pressed. Targets are (low, high) ranges."""

    intensity: str = "active"
    duration_s: float | None = None
    distance_m: float | None = None
    name: str | None = None
    notes: str | None = None
    target_hr_bpm: tuple[int, int] | None = None
    target_speed_mps: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.intensity not in INTENSITY:
            raise ValueError(
                f"intensity must be one of {sorted(INTENSITY)}, got {self.intensity!r}"
            )
        if self.duration_s is not None and self.distance_m is not None:
            raise ValueError("a step lasts either a time or a distance, not both")


@dataclass(frozen=True)
class Repeat:
    """Repeat ``steps`` ``times`` times in total."""

    steps: Sequence[WorkoutStep]
    times: int


def encode_workout(
    name: str,
    steps: Sequence[WorkoutStep | Repeat],
    *,
    sport: str = "run",
    time_created_s: float = 1_700_000_000.0,
    serial_number: int = 1,
) -> bytes:
    """A workout file (file type 5) a Garmin watch loads from ``GARMIN/NewFiles``."""
    rows: list[dict[str, Any]] = []
    for item in steps:
        if isinstance(item, Repeat):
            if item.times < 2 or not item.steps:
                raise ValueError("a repeat needs at least one step and at least 2 times")
            first = len(rows)
            rows.extend(_step_row(s) for s in item.steps)
            rows.append({"duration_type": WKT_STEP_DURATION["repeat_until_steps_cmplt"],
                         "duration_value": first, "target_value": item.times})
        else:
            rows.append(_step_row(item))
    enc = FitEncoder()
    enc.message("file_id", type=FILE_TYPE["workout"], manufacturer=DEVELOPMENT_MANUFACTURER,
                product=0, serial_number=serial_number, time_created=time_created_s)
    enc.message("workout", wkt_name=name[:40],
                sport=SPORT_CODE[STRIDEWISE_TO_FIT_SPORT.get(sport, "generic")],
                num_valid_steps=len(rows))
    for index, row in enumerate(rows):
        enc.message("workout_step", message_index=index, **row)
    return enc.finish()


def _step_row(step: WorkoutStep) -> dict[str, Any]:
    row: dict[str, Any] = {"intensity": INTENSITY[step.intensity],
                           "wkt_step_name": step.name, "notes": step.notes}
    if step.duration_s is not None:
        row.update(duration_type=WKT_STEP_DURATION["time"], duration_value=step.duration_s * 1000)
    elif step.distance_m is not None:
        row.update(duration_type=WKT_STEP_DURATION["distance"],
                   duration_value=step.distance_m * 100)
    else:
        row.update(duration_type=WKT_STEP_DURATION["open"])
    if step.target_hr_bpm is not None:
        low, high = step.target_hr_bpm
        # Custom heart-rate targets are stored as bpm + 100 (0-100 means % of max).
        row.update(target_type=WKT_STEP_TARGET["heart_rate"], target_value=0,
                   custom_target_value_low=low + 100, custom_target_value_high=high + 100)
    elif step.target_speed_mps is not None:
        low_s, high_s = step.target_speed_mps
        row.update(target_type=WKT_STEP_TARGET["speed"], target_value=0,
                   custom_target_value_low=low_s * 1000, custom_target_value_high=high_s * 1000)
    else:
        row.update(target_type=WKT_STEP_TARGET["open"])
    return row
