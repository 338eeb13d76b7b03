"""The slow, general path: fitdecode (MIT) for files the NumPy decoder flags.

:func:`read_fit` is what callers use: the vectorised decoder first, fitdecode with
``CrcCheck.RAISE`` when the fast path raises :class:`FastPathUnsupported`. fitdecode's output
is reshaped into the same :class:`FitData` tables (same names, units and NaN convention), so
callers never see which decoder ran except through ``FitData.decoder``.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from typing import Any

import fitdecode
import numpy as np

from stridewise.fit.columns import MessageTable
from stridewise.fit.decode import FastPathUnsupported, FitData, FitFormatError, decode
from stridewise.fit.profile import MESSAGES, FieldSpec


def read_fit(data: bytes) -> FitData:
    """Decode ``data``; raise :class:`FitFormatError` when it is damaged."""
    try:
        return decode(data)
    except FastPathUnsupported:
        return decode_fitdecode(data)


def decode_fitdecode(data: bytes) -> FitData:
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    positions: dict[str, list[int]] = defaultdict(list)
    segments: dict[str, list[int]] = defaultdict(list)
    segment = -1
    # fitdecode warns (UserWarning) about developer fields it cannot type; we skip developer
    # fields anyway, and the warnings would only spill onto the user's terminal.
    try:
        with warnings.catch_warnings(), fitdecode.FitReader(
            data, check_crc=fitdecode.CrcCheck.RAISE, keep_raw_chunks=False
        ) as reader:
            warnings.simplefilter("ignore", UserWarning)
            for index, frame in enumerate(reader):
                if isinstance(frame, fitdecode.FitHeader):
                    segment += 1
                elif isinstance(frame, fitdecode.FitDataMessage):
                    spec = MESSAGES.get(frame.global_mesg_num)
                    if spec is None:
                        continue
                    rows[spec.name].append(
                        {f.name: _value(frame, f) for f in spec.fields}
                    )
                    positions[spec.name].append(index)
                    segments[spec.name].append(segment)
    except fitdecode.FitError as exc:
        raise FitFormatError(f"the file is damaged ({exc})") from exc
    except (TypeError, ValueError, IndexError, KeyError, OverflowError) as exc:
        # fitdecode trips over definitions a damaged file garbled (a field of the wrong size).
        raise FitFormatError(
            f"the file is damaged: a message definition does not fit its fields ({exc})"
        ) from exc
    if segment < 0:
        raise FitFormatError("not a FIT file: the header lacks the '.FIT' signature")
    tables = {
        name: MessageTable(
            _columns(table_rows),
            np.asarray(positions[name], dtype=np.int64),
            np.asarray(segments[name], dtype=np.int64),
        )
        for name, table_rows in rows.items()
    }
    n_segments = segment + 1
    file_types: list[int | None] = [None] * n_segments
    file_id = tables.get("file_id")
    if file_id is not None:
        types = file_id.scalar("type").tolist()
        for seg, value in zip(file_id.segment.tolist(), types, strict=True):
            if file_types[seg] is None and value == value:
                file_types[seg] = int(value)
    return FitData(tables, n_segments, file_types, decoder="fitdecode")


def _value(frame: fitdecode.FitDataMessage, spec: FieldSpec) -> Any:
    for field in frame.fields:
        if field.def_num != spec.number or field.raw_value is None:
            continue
        if spec.base_type == "string":
            return field.value if isinstance(field.value, str) and field.value else None
        value = field.value if spec.scale != 1.0 or spec.offset else field.raw_value
        if isinstance(value, tuple | list):
            return [float(v) if isinstance(v, int | float) else np.nan for v in value]
        return float(value) if isinstance(value, int | float) else None
    return None


def _columns(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for name in rows[0]:
        values = [r[name] for r in rows]
        present = [v for v in values if v is not None]
        if not present:
            continue
        # A damaged file can give one field several shapes; each row is coerced to the first.
        if isinstance(present[0], str):
            out[name] = np.array([v if isinstance(v, str) else None for v in values],
                                 dtype=object)
        elif isinstance(present[0], list):
            width = max(len(v) if isinstance(v, list) else 1 for v in present)
            col = np.full((len(values), width), np.nan)
            for i, v in enumerate(values):
                if isinstance(v, list):
                    col[i, : len(v)] = v
                elif isinstance(v, float):
                    col[i, 0] = v
            out[name] = col
        else:
            out[name] = np.array(
                [v if isinstance(v, float) else np.nan for v in values], dtype=np.float64
            )
    return out
