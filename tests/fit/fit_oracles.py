"""Reference decoders for the differential tests: garmin-fit-sdk first, fitdecode where the
SDK cannot read a file (compressed-timestamp headers). Both read with CRC checks on."""

from __future__ import annotations

from typing import Any

import fitdecode
import numpy as np
from garmin_fit_sdk import Decoder, Stream

COMPARED = ("timestamp", "position_lat", "position_long", "distance", "speed", "altitude",
            "heart_rate", "cadence")


def _prefer(msg: dict[str, Any], enhanced: str, plain: str) -> Any:
    value = msg.get(enhanced)
    return value if value is not None else msg.get(plain)


def _columns(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    return {
        name: np.array([np.nan if r.get(name) is None else float(r[name]) for r in rows])
        for name in COMPARED
    }


def garmin_records(data: bytes) -> dict[str, np.ndarray] | None:
    """Record columns per garmin-fit-sdk, or None when the SDK cannot read the file."""
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    messages, errors = decoder.read(
        convert_datetimes_to_dates=False, convert_types_to_strings=False,
        merge_heart_rates=False, enable_crc_check=True,
    )
    if errors:
        return None
    rows = [
        {**m, "speed": _prefer(m, "enhanced_speed", "speed"),
         "altitude": _prefer(m, "enhanced_altitude", "altitude")}
        for m in messages.get("record_mesgs", [])
    ]
    return _columns(rows)


def fitdecode_records(data: bytes) -> dict[str, np.ndarray]:
    rows = []
    with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                row = {f.name: f.value for f in frame.fields}
                row["timestamp"] = frame.get_raw_value("timestamp", fallback=None)
                row["speed"] = _prefer(row, "enhanced_speed", "speed")
                row["altitude"] = _prefer(row, "enhanced_altitude", "altitude")
                rows.append({k: v for k, v in row.items() if isinstance(v, (int, float))})
    return _columns(rows)
