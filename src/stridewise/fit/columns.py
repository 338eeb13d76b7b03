"""Turn gathered FIT data messages into columns, and stitch them into one table per message.

Conventions for every column: float64, profile scale and offset applied
(``raw / scale - offset``), invalid sentinels of the field's *declared* base type as NaN
(integers: the type's sentinel; floats: the all-ones pattern, which is a NaN anyway).
Array fields are ``(n, k)``. Strings are object arrays of ``str`` (``None`` when empty).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from stridewise.fit.profile import BaseType, FieldSpec

if TYPE_CHECKING:
    from stridewise.fit.decode import Definition

Column = NDArray[Any]


@dataclass(frozen=True)
class Field:
    spec: FieldSpec
    key: str  # name in the structured dtype
    count: int  # elements (1 for scalars and strings)
    base: BaseType  # as declared by the file's definition message


@dataclass
class MessageTable:
    """One message type's rows in file order. ``position`` is each header's byte offset."""

    columns: dict[str, Column]
    position: NDArray[np.int64]
    segment: NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.position.size)

    def get(self, name: str) -> Column:
        """The column, or all-NaN when no definition of this message had the field."""
        col = self.columns.get(name)
        return col if col is not None else np.full(len(self), np.nan)

    def scalar(self, name: str) -> NDArray[np.float64]:
        """One float per message: the first element of an array field; NaN for text and for
        a field whose definition a damaged file garbled (another shape or type)."""
        n = len(self)
        col = self.columns.get(name)
        if col is None or n == 0 or col.dtype == object or col.shape[:1] != (n,):
            return np.full(n, np.nan)
        if col.ndim > 1:
            col = col.reshape(n, -1)[:, 0] if col.size else np.full(n, np.nan)
        return np.asarray(col, dtype=np.float64)

    @classmethod
    def empty(cls) -> MessageTable:
        return cls({}, np.zeros(0, np.int64), np.zeros(0, np.int64))


def convert_rows(rows: np.ndarray, fields: list[Field]) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for f in fields:
        raw = rows[f.key]
        if f.base.numpy_code == "S":
            out[f.spec.name] = np.array(
                [_text(b) for b in raw.tolist()], dtype=object
            )
            continue
        values = raw.astype(np.float64)
        if f.base.name == "byte":
            # A byte array is invalid only when every byte is 0xFF.
            bad = np.all(raw == 0xFF, axis=-1) if raw.ndim > 1 else raw == 0xFF
            values[bad] = np.nan
        elif f.base.numpy_code[0] != "f":
            values[raw == f.base.invalid] = np.nan
        if f.spec.scale != 1.0:
            values /= f.spec.scale
        if f.spec.offset:
            values -= f.spec.offset
        out[f.spec.name] = values
    return out


def _text(raw: bytes) -> str | None:
    text = raw.split(b"\x00", 1)[0].decode("utf-8", errors="replace").strip()
    return text or None


Part = tuple["Definition", NDArray[np.int64], dict[str, Column]]


def assemble(
    u8: NDArray[np.uint8],
    parts: list[Part],
    segment_starts: list[int],
    compressed_seen: bool,
) -> dict[str, MessageTable]:
    """Merge each message's parts (one per definition) into a table in file order."""
    if compressed_seen:
        _fill_compressed_timestamps(u8, parts, segment_starts)
    grouped: dict[str, list[Part]] = defaultdict(list)
    for part in parts:
        assert part[0].spec is not None
        if not part[0].spec.name.startswith("_"):
            grouped[part[0].spec.name].append(part)
    starts = np.asarray(segment_starts, dtype=np.int64)
    tables: dict[str, MessageTable] = {}
    for name, group in grouped.items():
        table = _concat(group)
        table.segment = np.searchsorted(starts, table.position, side="right") - 1
        if name == "record":
            _expand_compressed_speed_distance(table)
        tables[name] = table
    return tables


def _concat(group: list[Part]) -> MessageTable:
    if len(group) == 1:
        _, pos, cols = group[0]
        return MessageTable(cols, pos, np.zeros(0, np.int64))
    names: dict[str, None] = {}
    for _, _, cols in group:
        names.update(dict.fromkeys(cols))
    position = np.concatenate([pos for _, pos, _ in group])
    order = np.argsort(position, kind="stable")
    columns: dict[str, Column] = {}
    for name in names:
        pieces = [cols.get(name) for _, _, cols in group]
        present = [p for p in pieces if p is not None]
        if present[0].dtype == object:
            filled = [p if p is not None else np.full(len(pos), None, dtype=object)
                      for p, (_, pos, _) in zip(pieces, group, strict=True)]
        else:
            width = max(p.shape[1] if p.ndim > 1 else 0 for p in present)
            filled = [
                _widen(p, len(pos), width)
                for p, (_, pos, _) in zip(pieces, group, strict=True)
            ]
        columns[name] = np.concatenate(filled)[order]
    return MessageTable(columns, position[order], np.zeros(0, np.int64))


def _widen(col: Column | None, n: int, width: int) -> Column:
    shape = (n, width) if width else (n,)
    if col is None:
        return np.full(shape, np.nan)
    if col.shape == shape:
        return col
    out = np.full(shape, np.nan)
    if width and col.ndim == 1:
        out[:, 0] = col
    elif width:
        out[:, : col.shape[1]] = col
    else:
        out[:] = col[:, 0]
    return out


def _fill_compressed_timestamps(
    u8: NDArray[np.uint8], parts: list[Part], segment_starts: list[int]
) -> None:
    """Give compressed-header messages their timestamps.

    Each compressed header carries the low 5 bits of its timestamp; the full value is the
    previous timestamp (full or compressed) advanced by ``(offset - previous) mod 32``,
    which handles the 5-bit rollover. Chains restart at every full timestamp and every
    segment; a compressed header before any full timestamp has no time (NaN).
    """
    pos_list, full_list, low_list, is_full_list = [], [], [], []
    for _, pos, cols in parts:
        compressed = (u8[pos] & 0x80) != 0
        ts = cols.get("timestamp")
        if ts is not None:
            keep = ~compressed & np.isfinite(ts)
            pos_list.append(pos[keep])
            full_list.append(ts[keep])
            low_list.append(ts[keep].astype(np.int64) & 0x1F)
            is_full_list.append(np.ones(int(keep.sum()), bool))
        pos_list.append(pos[compressed])
        full_list.append(np.full(int(compressed.sum()), np.nan))
        low_list.append((u8[pos[compressed]] & 0x1F).astype(np.int64))
        is_full_list.append(np.zeros(int(compressed.sum()), bool))
    seg_pos = np.asarray(segment_starts, dtype=np.int64)
    position = np.concatenate([*pos_list, seg_pos])
    full = np.concatenate([*full_list, np.full(seg_pos.size, np.nan)])
    low = np.concatenate([*low_list, np.zeros(seg_pos.size, np.int64)])
    is_full = np.concatenate([*is_full_list, np.ones(seg_pos.size, bool)])
    order = np.argsort(position, kind="stable")
    position, full, low, is_full = position[order], full[order], low[order], is_full[order]
    step = np.zeros(position.size, np.int64)
    step[1:] = (low[1:] - low[:-1]) & 0x1F
    step[is_full] = 0
    total = np.cumsum(step)
    group = np.cumsum(is_full) - 1
    group_start = np.flatnonzero(is_full)
    times = full[group_start][group] + (total - total[group_start][group])
    lookup = dict(zip(position.tolist(), times.tolist(), strict=True))
    for _, pos, cols in parts:
        compressed = (u8[pos] & 0x80) != 0
        if not compressed.any():
            continue
        ts = cols.get("timestamp")
        ts = ts.copy() if ts is not None else np.full(pos.size, np.nan)
        ts[compressed] = [lookup[p] for p in pos[compressed].tolist()]
        cols["timestamp"] = ts


def _expand_compressed_speed_distance(table: MessageTable) -> None:
    """Expand record field 8 (12-bit speed in cm/s, 12-bit accumulated distance in 1/16 m).

    Only valid compressed values are expanded, and only into rows without a valid
    ``speed``/``distance`` of their own: an invalid compressed field never overwrites a
    good distance (fitdecode and fitparse get this wrong on null_compressed_speed_dist).
    """
    raw = table.columns.get("compressed_speed_distance")
    if raw is None or raw.ndim != 2 or raw.shape[1] < 3:
        return
    valid = np.isfinite(raw).all(axis=1)
    if not valid.any():
        return
    b = raw[valid].astype(np.int64)
    speed = (b[:, 0] | (b[:, 1] & 0x0F) << 8) / 100.0
    dist12 = (b[:, 1] >> 4) | (b[:, 2] << 4)
    accumulated = dist12[0] + np.concatenate([[0], np.cumsum((np.diff(dist12)) & 0xFFF)])
    for name, expanded in (("speed", speed), ("distance", accumulated / 16.0)):
        col = table.columns.get(name)
        col = col.copy() if col is not None else np.full(len(table), np.nan)
        target = col[valid]
        missing = np.isnan(target)
        target[missing] = expanded[missing]
        col[valid] = target
        table.columns[name] = col
