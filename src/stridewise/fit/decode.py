"""A vectorised FIT decoder: Python walks message headers, NumPy decodes the data.

How it works, per chained segment (a FIT file may hold several, back to back):

1. The header is checked (size, ``.FIT`` signature, header CRC) and the file CRC is
   verified over the whole segment *before* any message is looked at, so a damaged file
   never comes through as data.
2. A Python loop walks message headers only. A data message's size is known from its
   definition, so when the header byte repeats at the next message boundary, the rest of
   the run is found with one NumPy comparison over a strided view (``header[k*stride]``)
   and skipped without visiting each message. On interleaved files (a record, an hrv, a
   record, an event, ...) runs are short and this loop costs about 1 µs a message, so a
   process that has spent a quarter second in it switches to the same walk compiled by
   numba (:mod:`stridewise.fit.walk`, a few ns a message; see docs/design.md).
3. All data messages sharing one definition are then gathered at once (a zero-copy strided
   view for a single run, one fancy-index otherwise) and read through one structured dtype
   whose byte order comes from the definition. Developer fields and unknown fields are
   simply not in the dtype, so their bytes never reach the standard fields.

Columns come out as float64 with the profile's scale and offset applied and invalid
sentinels as NaN (see :mod:`stridewise.fit.columns`). date_time fields stay as seconds
since the FIT epoch, because values below ``0x10000000`` are device-relative and only the
caller knows whether an absolute reference exists.

Anything this path cannot interpret (a base type outside the FIT spec on a field we read)
raises :class:`FastPathUnsupported`; :func:`stridewise.fit.fallback.decode_fitdecode`
reads such files with fitdecode (``CrcCheck.RAISE``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from stridewise.fit.columns import Column, Field, MessageTable, assemble, convert_rows
from stridewise.fit.crc import crc16_arc
from stridewise.fit.profile import BASE_TYPES, MESSAGES, TIMESTAMP, MessageSpec


class FitFormatError(ValueError):
    """The bytes are not a well-formed FIT file; the message is one plain sentence."""


class FastPathUnsupported(Exception):
    """The file is valid as far as seen, but needs the fallback decoder."""


@dataclass
class FitData:
    """Decoded messages by profile name, each a :class:`MessageTable` in file order."""

    messages: dict[str, MessageTable]
    segment_count: int
    segment_file_types: list[int | None] = field(default_factory=list)
    decoder: str = "numpy"

    def table(self, name: str) -> MessageTable:
        return self.messages.get(name) or MessageTable.empty()


@dataclass
class Definition:
    """One definition message (identical re-definitions share an instance)."""

    spec: MessageSpec | None
    size: int
    dtype: np.dtype | None
    fields: list[Field]
    run_starts: list[int] = field(default_factory=list)
    run_counts: list[int] = field(default_factory=list)
    has_compressed: bool = False
    # Header positions found by the compiled walk (sorted, one array per segment).
    chunks: list[NDArray[np.int64]] = field(default_factory=list)


_HEADER = struct.Struct("<BBHI4s")


def decode(data: bytes, *, walk: str = "auto") -> FitData:
    """Decode every segment of ``data``; raise :class:`FitFormatError` on any damage.

    ``walk`` chooses the header walk: ``"compiled"`` (numba, :mod:`stridewise.fit.walk`),
    ``"reference"`` (the Python loop), or ``"auto"``: the compiled walk once this process
    has spent :data:`~stridewise.fit.walk.COMPILE_AFTER_S` in the Python one (or has it
    loaded already). All give identical tables (tested); the reference is the oracle."""
    from stridewise.fit import walk as fit_walk

    if walk not in ("auto", "compiled", "reference"):
        raise ValueError(f"walk must be 'auto', 'compiled' or 'reference', got {walk!r}")
    if walk == "auto":
        walk = "compiled" if fit_walk.worth_compiling() else "reference"
    walker = _walk_fast if walk == "compiled" else _walk_reference
    if len(data) == 0:
        raise FitFormatError("the file is empty (0 bytes)")
    if len(data) < 12:
        raise FitFormatError(f"the file is only {len(data)} bytes long, too short for a FIT header")
    u8 = np.frombuffer(data, dtype=np.uint8)
    defs_all: list[Definition] = []
    segment_starts: list[int] = []
    compressed_seen = False
    pos = 0
    while pos < len(data):
        if segment_starts and _only_padding(data, pos):
            break
        seg_no = len(segment_starts) + 1
        data_start, data_end = _check_segment(data, pos, seg_no)
        segment_starts.append(pos)
        compressed_seen |= walker(data, u8, data_start, data_end, defs_all)
        pos = data_end + 2
    parts = [
        (d, *_gather(u8, d))
        for d in defs_all
        if d.spec is not None and (compressed_seen or not d.spec.name.startswith("_"))
    ]
    tables = assemble(u8, parts, segment_starts, compressed_seen)
    file_types = _segment_file_types(tables.get("file_id"), len(segment_starts))
    return FitData(tables, len(segment_starts), file_types)


def _only_padding(data: bytes, pos: int) -> bool:
    """Trailing zero bytes after a complete segment are padding some tools add; accept them."""
    return data[pos:].count(0) == len(data) - pos


def _check_segment(data: bytes, pos: int, seg_no: int) -> tuple[int, int]:
    where = "the file" if seg_no == 1 else f"chained segment {seg_no} (at byte {pos})"
    remaining = len(data) - pos
    if remaining < 12:
        raise FitFormatError(f"{where} has {remaining} stray bytes where a FIT header should be")
    header_size, _protocol, _profile, data_size, signature = _HEADER.unpack_from(data, pos)
    if signature != b".FIT" or header_size not in (12, 14):
        if seg_no == 1:
            raise FitFormatError("not a FIT file: the header lacks the '.FIT' signature")
        raise FitFormatError(f"{where} has no valid FIT header: trailing data is damaged")
    if header_size == 14 and remaining >= 14:
        stored = data[pos + 12] | data[pos + 13] << 8
        if stored != 0 and crc16_arc(data[pos : pos + 12]) != stored:
            raise FitFormatError(f"header CRC mismatch in {where}: the header is damaged")
    if data_size == 0:
        raise FitFormatError(f"{where} declares no data (data size 0): it was never finished")
    data_start = pos + header_size
    data_end = data_start + data_size
    if data_end > len(data):
        have = max(len(data) - data_start, 0)
        raise FitFormatError(
            f"{where} is truncated: its header declares {data_size} bytes of messages "
            f"but only {have} are present"
        )
    if data_end + 2 > len(data):
        raise FitFormatError(f"{where} ends without its file CRC: it is truncated")
    segment = data if pos == 0 and data_end + 2 == len(data) else data[pos : data_end + 2]
    if crc16_arc(segment) != 0:
        which = "the file" if seg_no == 1 else f"chained segment {seg_no}"
        raise FitFormatError(f"file CRC mismatch in {which}: the file is damaged")
    return data_start, data_end


def _walk_reference(
    data: bytes, u8: NDArray[np.uint8], pos: int, end: int, defs_all: list[Definition]
) -> bool:
    """The Python walk, timed so the process knows when compiling the walk pays off."""
    from stridewise import clock
    from stridewise.fit import walk

    start = clock.monotonic_s()
    try:
        return _walk(data, u8, pos, end, defs_all)
    finally:
        walk.count_python_walk(clock.monotonic_s() - start)


def _walk(
    data: bytes, u8: NDArray[np.uint8], pos: int, end: int, defs_all: list[Definition]
) -> bool:
    """Walk one segment's message headers; record each definition's runs of data messages."""
    local: list[Definition | None] = [None] * 16
    cache: dict[bytes, Definition] = {}
    compressed = False
    while pos < end:
        h = data[pos]
        if h & 0x80:
            compressed = True
            lt = (h >> 5) & 0x03
            mask = 0xE0
        elif h & 0x40:
            pos = _read_definition(data, pos, end, h, local, cache, defs_all)
            continue
        else:
            lt = h & 0x0F
            mask = 0xFF
        d = local[lt]
        if d is None:
            raise FitFormatError(
                f"message at byte {pos} uses local type {lt} that was never defined"
            )
        stride = d.size + 1
        if pos + stride > end:
            raise FitFormatError(
                f"truncated in the middle of a {_name(d)} message at byte {pos}"
            )
        count = 1
        nxt = pos + stride
        if nxt + stride <= end and (data[nxt] & mask) == (h & mask):
            count += _run_length(u8, nxt, end, stride, h & mask, mask)
        if mask == 0xE0:
            d.has_compressed = True
        if d.run_starts and d.run_starts[-1] + d.run_counts[-1] * stride == pos:
            d.run_counts[-1] += count
        else:
            d.run_starts.append(pos)
            d.run_counts.append(count)
        pos += count * stride
    return compressed


def _walk_fast(
    data: bytes, u8: NDArray[np.uint8], pos: int, end: int, defs_all: list[Definition]
) -> bool:
    """The header walk compiled by numba (:mod:`stridewise.fit.walk`), definitions in Python.

    The compiled loop runs from one definition message to the next, writing each data
    message's header position and the index of its definition; definitions (a few dozen to
    a few hundred per file) are built here as in :func:`_walk`. Positions are grouped by
    definition once per segment. Falls back to :func:`_walk` when numba is not installed.
    Checked against :func:`_walk` on every sample and on interleaved files.
    """
    from stridewise.fit import walk

    kernel = walk.kernel()
    if kernel is None:
        return _walk(data, u8, pos, end, defs_all)
    local: list[Definition | None] = [None] * 16
    cache: dict[bytes, Definition] = {}
    index_of: dict[int, int] = {}
    strides = np.zeros(16, dtype=np.int64)
    def_ids = np.full(16, -1, dtype=np.int64)
    capacity = end - pos  # a size-0 data message is its header byte alone: one per byte
    run_pos = np.empty(capacity, dtype=np.int64)
    run_count = np.empty(capacity, dtype=np.int64)
    run_def = np.empty(capacity, dtype=np.int64)
    n_runs = 0
    compressed = False
    while pos < end:
        pos, n_runs, status, saw_compressed = kernel(
            u8, pos, end, strides, def_ids, run_pos, run_count, run_def, n_runs
        )
        compressed |= bool(saw_compressed)
        if status == walk.DEFINITION:
            h = data[pos]
            known = len(defs_all)
            pos = _read_definition(data, pos, end, h, local, cache, defs_all)
            d = local[h & 0x0F]
            assert d is not None
            if len(defs_all) > known:
                index_of[id(d)] = len(defs_all) - 1
            strides[h & 0x0F] = d.size + 1
            def_ids[h & 0x0F] = index_of[id(d)]
        elif status != walk.END:
            _data_message_error(data, pos, end, local)
    _runs_to_chunks(defs_all, run_pos[:n_runs], run_count[:n_runs], run_def[:n_runs])
    return compressed


def _runs_to_chunks(
    defs_all: list[Definition],
    run_pos: NDArray[np.int64],
    run_count: NDArray[np.int64],
    run_def: NDArray[np.int64],
) -> None:
    """Expand each definition's runs into its sorted header positions (vectorised)."""
    if run_def.size == 0:
        return
    order = np.argsort(run_def, kind="stable")
    run_pos, run_count, run_def = run_pos[order], run_count[order], run_def[order]
    bounds = np.flatnonzero(np.diff(run_def)) + 1
    for a, b in zip([0, *bounds.tolist()], [*bounds.tolist(), run_def.size], strict=True):
        d = defs_all[int(run_def[a])]
        stride = d.size + 1
        starts, counts = run_pos[a:b], run_count[a:b]
        if b - a == 1:
            positions = np.arange(int(starts[0]), int(starts[0]) + int(counts[0]) * stride,
                                  stride, dtype=np.int64)
        elif int(counts.max()) == 1:
            positions = starts
        else:
            first = np.cumsum(counts) - counts  # index of each run's first message
            within = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(first, counts)
            positions = np.repeat(starts, counts) + within * stride
        d.chunks.append(positions)


def _data_message_error(
    data: bytes, pos: int, end: int, local: list[Definition | None]
) -> None:
    """The error the reference walk raises for the data message at ``pos``."""
    h = data[pos]
    lt = (h >> 5) & 0x03 if h & 0x80 else h & 0x0F
    d = local[lt]
    if d is None:
        raise FitFormatError(f"message at byte {pos} uses local type {lt} that was never defined")
    raise FitFormatError(f"truncated in the middle of a {_name(d)} message at byte {pos}")


def _run_length(
    u8: NDArray[np.uint8], start: int, end: int, stride: int, header: int, mask: int
) -> int:
    """How many whole messages from ``start`` on repeat ``header`` (windows grow 4x)."""
    count = 0
    window = 32
    last = end - stride + 1  # a message starting at or past this cannot fit
    while start < last:
        stop = min(last, start + window * stride)
        heads = u8[start:stop:stride]
        miss = np.flatnonzero((heads & mask if mask != 0xFF else heads) != header)
        if miss.size:
            return count + int(miss[0])
        count += heads.size
        start += heads.size * stride
        window *= 4
    return count


def _read_definition(
    data: bytes,
    pos: int,
    end: int,
    h: int,
    local: list[Definition | None],
    cache: dict[bytes, Definition],
    defs_all: list[Definition],
) -> int:
    if pos + 6 > end:
        raise FitFormatError(f"truncated in the middle of a definition message at byte {pos}")
    arch = data[pos + 2]
    if arch > 1:
        raise FitFormatError(f"definition message at byte {pos} has an invalid byte order")
    n_fields = data[pos + 5]
    stop = pos + 6 + 3 * n_fields
    if h & 0x20:
        if stop + 1 > end:
            raise FitFormatError(f"truncated in the middle of a definition message at byte {pos}")
        stop += 1 + 3 * data[stop]
    if stop > end:
        raise FitFormatError(f"truncated in the middle of a definition message at byte {pos}")
    raw = data[pos + 1 : stop]
    d = cache.get(raw)
    if d is None:
        d = _build_definition(data, pos, n_fields, stop, arch, h)
        cache[raw] = d
        defs_all.append(d)
    local[h & 0x0F] = d
    return stop


def _build_definition(
    data: bytes, pos: int, n_fields: int, stop: int, arch: int, h: int
) -> Definition:
    order = ">" if arch else "<"
    global_num = int.from_bytes(data[pos + 3 : pos + 5], "big" if arch else "little")
    spec = MESSAGES.get(global_num)
    if spec is None:
        # Unknown messages matter only for their timestamp, the reference that
        # compressed-timestamp headers count from.
        spec = MessageSpec(global_num, f"_unknown_{global_num}", (TIMESTAMP,))
    known = {f.number: f for f in spec.fields}
    names: list[str] = []
    formats: list[str] = []
    offsets: list[int] = []
    fields: list[Field] = []
    offset = 0
    for i in range(n_fields):
        num, size, base_code = data[pos + 6 + 3 * i : pos + 9 + 3 * i]
        fspec = known.get(num)
        if fspec is not None and size > 0 and f"f{num}" not in names:
            base = BASE_TYPES.get(base_code & 0x1F)
            if base is None:
                raise FastPathUnsupported(
                    f"field {fspec.name} at byte {pos} has unknown base type {base_code:#x}"
                )
            if base.numpy_code == "S":
                fmt = f"S{size}"
                count = 1
            else:
                # A size that is not a multiple of the base size (COROS) holds
                # size // base.size whole values; the spare bytes are skipped.
                count = size // base.size
                fmt = f"{order}{base.numpy_code}"
                if count > 1:
                    fmt = f"({count},){fmt}"
            if count >= 1:
                names.append(f"f{num}")
                formats.append(fmt)
                offsets.append(offset)
                fields.append(Field(fspec, f"f{num}", count, base))
        offset += size
    if h & 0x20:
        n_dev = data[pos + 6 + 3 * n_fields]
        dev = data[pos + 7 + 3 * n_fields : stop]
        offset += sum(dev[3 * i + 1] for i in range(n_dev))
    if spec.name.startswith("_") and not names:
        return Definition(None, offset, None, fields)
    dtype = np.dtype({"names": names, "formats": formats, "offsets": offsets, "itemsize": offset})
    return Definition(spec, offset, dtype, fields)


def _name(d: Definition) -> str:
    return d.spec.name if d.spec else "data"


def _gather(u8: NDArray[np.uint8], d: Definition) -> tuple[NDArray[np.int64], dict[str, Column]]:
    """All of ``d``'s data messages at once: header positions, converted columns."""
    assert d.dtype is not None
    stride = d.size + 1
    if d.chunks:
        return _gather_positions(u8, d, _merged_positions(d))
    if len(d.run_starts) == 1:
        start, count = d.run_starts[0], d.run_counts[0]
        positions = np.arange(start, start + count * stride, stride, dtype=np.int64)
        view_dtype = np.dtype({**_dtype_parts(d.dtype), "itemsize": stride})  # type: ignore[call-overload]
        rows = np.frombuffer(u8, dtype=view_dtype, count=count, offset=start + 1)
    else:
        positions = np.concatenate([
            np.arange(s, s + c * stride, stride, dtype=np.int64)
            for s, c in zip(d.run_starts, d.run_counts, strict=True)
        ]) if d.run_starts else np.zeros(0, dtype=np.int64)
        index = (positions + 1)[:, None] + np.arange(d.size, dtype=np.int64)
        rows = u8[index].reshape(-1).view(d.dtype)
    return positions, convert_rows(rows, d.fields)


def _merged_positions(d: Definition) -> NDArray[np.int64]:
    """All header positions of ``d``: fast-walk chunks plus any reference-walk runs."""
    parts = list(d.chunks) + [
        np.arange(s, s + c * (d.size + 1), d.size + 1, dtype=np.int64)
        for s, c in zip(d.run_starts, d.run_counts, strict=True)
    ]
    positions = parts[0] if len(parts) == 1 else np.concatenate(parts)
    if d.run_starts:
        positions = np.sort(positions)
    return positions


def _gather_positions(
    u8: NDArray[np.uint8], d: Definition, positions: NDArray[np.int64]
) -> tuple[NDArray[np.int64], dict[str, Column]]:
    assert d.dtype is not None
    stride = d.size + 1
    count = positions.size
    # Increasing positions at least one stride apart span exactly (count-1) strides only
    # when they are back to back: then a zero-copy strided view reads them.
    if int(positions[-1] - positions[0]) == (count - 1) * stride:
        view_dtype = np.dtype({**_dtype_parts(d.dtype), "itemsize": stride})  # type: ignore[call-overload]
        rows = np.frombuffer(u8, dtype=view_dtype, count=count, offset=int(positions[0]) + 1)
    else:
        index = (positions + 1)[:, None] + np.arange(d.size, dtype=np.int64)
        rows = u8[index].reshape(-1).view(d.dtype)
    return positions, convert_rows(rows, d.fields)


def _dtype_parts(dtype: np.dtype) -> dict[str, list[Any]]:
    assert dtype.fields is not None
    names = list(dtype.names or ())
    return {
        "names": names,
        "formats": [dtype.fields[n][0] for n in names],
        "offsets": [dtype.fields[n][1] for n in names],
    }


def _segment_file_types(file_id: MessageTable | None, n_segments: int) -> list[int | None]:
    types: list[int | None] = [None] * n_segments
    if file_id is None or "type" not in file_id.columns:
        return types
    col = np.asarray(file_id.columns["type"], dtype=np.float64)
    for seg, value in zip(file_id.segment.tolist(), col.tolist(), strict=True):
        if types[seg] is None and value == value:
            types[seg] = int(value)
    return types
