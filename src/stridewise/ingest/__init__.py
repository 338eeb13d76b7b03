"""Readers for every supported format, behind one dispatcher.

Each format module exposes ``read(data: bytes, *, source_name: str)`` returning a list of
:class:`~stridewise.activity.Activity` (or, for the manual-session CSV,
:class:`~stridewise.activity.ManualSession`). The format is sniffed from the bytes, with
the file name only as a tie-breaker, so a FIT file named ``.gpx`` still reads as FIT.
Archives (zip) and folders are walked by :mod:`stridewise.ingest.sources`, which yields one
:class:`~stridewise.ingest.sources.Source` per contained file.

Ingest knows nothing of the store.
"""

from __future__ import annotations

import zlib
from datetime import tzinfo

from stridewise.activity import Activity, ManualSession
from stridewise.errors import (
    CorruptFileError,
    EmptyActivityError,
    FileTooLargeError,
    UnsupportedFormatError,
)

#: Largest single file accepted, before or after gunzip. A 10-hour 1 Hz TCX is ~20 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024

Parsed = list[Activity | ManualSession]


def sniff_format(data: bytes, source_name: str = "") -> str:
    """Return 'gz', 'zip', 'fit', 'gpx', 'tcx' or 'csv'; raise UnsupportedFormatError."""
    if not data:
        raise EmptyActivityError("the file is empty (0 bytes)", source=source_name)
    if data[:2] == b"\x1f\x8b":
        return "gz"
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        low = head.lower()
        if b"<gpx" in low:
            return "gpx"
        if b"<trainingcenterdatabase" in low:
            return "tcx"
        raise UnsupportedFormatError(
            "an XML file that is neither GPX nor TCX", source=source_name
        )
    if source_name.lower().endswith(".csv"):
        return "csv"
    if source_name.lower().endswith(".fit"):
        raise CorruptFileError(
            "named .fit but has no valid FIT header (the '.FIT' signature is missing)",
            source=source_name,
        )
    raise UnsupportedFormatError(
        "not a FIT, GPX, TCX or CSV file (nor one of those gzipped)", source=source_name
    )


def gunzip_capped(data: bytes, source_name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """Decompress gzip data, refusing to inflate past ``limit`` bytes (gzip bombs)."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        raise CorruptFileError(f"the gzip data is damaged ({exc})", source=source_name) from exc
    if len(out) > limit or d.unconsumed_tail:
        raise FileTooLargeError(
            f"inflates to more than {limit // (1024 * 1024)} MiB: refused as a possible gzip bomb",
            source=source_name,
        )
    if not d.eof:
        raise CorruptFileError("the gzip data is truncated", source=source_name)
    return out


def read_bytes(data: bytes, *, source_name: str, local_tz: tzinfo | None = None) -> Parsed:
    """Read one file's bytes (any supported format, optionally gzipped) into activities.

    ``local_tz`` is the zone of manual-session CSV times written without one (the athlete's);
    activity files carry their own UTC times."""
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLargeError(
            f"is {len(data) >> 20} MiB, over the {MAX_FILE_BYTES >> 20} MiB cap",
            source=source_name,
        )
    kind = sniff_format(data, source_name)
    if kind == "gz":
        inner = source_name[:-3] if source_name.lower().endswith(".gz") else source_name
        return read_bytes(gunzip_capped(data, source_name), source_name=inner, local_tz=local_tz)
    if kind == "zip":
        raise UnsupportedFormatError(
            "is a zip archive: import it as a path so its files are walked", source=source_name
        )
    if kind == "fit":
        from stridewise.ingest import fit as reader
    elif kind == "gpx":
        from stridewise.ingest import gpx as reader  # type: ignore[no-redef]
    elif kind == "tcx":
        from stridewise.ingest import tcx as reader  # type: ignore[no-redef]
    else:
        from stridewise.ingest import csvlog

        return list(csvlog.read(data, source_name=source_name, local_tz=local_tz))
    return list(reader.read(data, source_name=source_name))


__all__ = ["MAX_FILE_BYTES", "Parsed", "gunzip_capped", "read_bytes", "sniff_format"]

