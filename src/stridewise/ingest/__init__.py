"""Readers for every supported format, behind one dispatcher.

Each format module exposes ``read(data: bytes, *, source_name: str)`` returning a list of
:class:`~stridewise.activity.Activity` (or, for the manual-session CSV,
:class:`~stridewise.activity.ManualSession`). The format is sniffed from the bytes, with
the file name only as a tie-breaker, so a FIT file named ``.gpx`` still reads as FIT.
Archives (zip) and folders are walked by :mod:`stridewise.ingest.sources`, which yields one
:class:`~stridewise.ingest.sources.Source` per contained file.

Every error a reader raises reaches the caller as an :class:`~stridewise.errors.IngestError`
with a plain reason: :func:`read_bytes` is the reader boundary, where an unexpected exception
inside a decoder (an ``IndexError`` on a damaged FIT message, a NumPy broadcasting error, an
invalid value) becomes "the file is damaged" in words a person can act on; the internal detail
goes only to the debug log.

Ingest knows nothing of the store.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Callable
from datetime import tzinfo

from stridewise.activity import Activity, ManualSession
from stridewise.core.validation import InvalidValue
from stridewise.errors import (
    CorruptFileError,
    EmptyActivityError,
    FileTooLargeError,
    IngestError,
    UnsupportedFormatError,
)

log = logging.getLogger(__name__)
_FORMAT_NAMES = {"fit": "FIT", "gpx": "GPX", "tcx": "TCX", "csv": "CSV"}

#: Largest single file accepted, before or after gunzip. A 10-hour 1 Hz TCX is ~20 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: How far sniffing looks for the XML root element (past comments and processing
#: instructions); the readers themselves are not limited by it.
SNIFF_XML_BYTES = 64 * 1024
_XML_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_ROOT_ELEMENT = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_XML_ROOTS = {"gpx": "gpx", "trainingcenterdatabase": "tcx"}

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
    head = _xml_head(data)
    if head is not None:
        return _xml_kind(head, source_name)
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


def _xml_head(data: bytes) -> str | None:
    """The first ``SNIFF_XML_BYTES`` as text when they start like XML (UTF-8 or UTF-16)."""
    window = data[:SNIFF_XML_BYTES]
    if window.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = window.decode("utf-16", errors="ignore")
    elif window.startswith(b"<\x00"):
        text = window.decode("utf-16-le", errors="ignore")
    elif window.startswith(b"\x00<"):
        text = window.decode("utf-16-be", errors="ignore")
    else:
        text = window.decode("utf-8", errors="ignore").removeprefix("\ufeff")
    text = text.lstrip(" \t\r\n")
    return text if text.startswith("<") else None


def _xml_kind(head: str, source_name: str) -> str:
    """'gpx' or 'tcx' from the root element, found past the prolog (declaration, comments,
    processing instructions), so a long leading comment does not hide it."""
    prolog = _XML_PROLOG.match(head)
    pos = prolog.end() if prolog else 0
    root = _ROOT_ELEMENT.match(head, pos)
    if root is not None:
        name = root.group(1).lower()
        if name in _XML_ROOTS:
            return _XML_ROOTS[name]
        raise UnsupportedFormatError(
            f"an XML file that is neither GPX nor TCX (its root element is <{root.group(1)}>)",
            source=source_name,
        )
    # A DOCTYPE (the XML reader refuses it with its own reason) or a prolog longer than the
    # sniffing window: look for either root anywhere in the window, then at the file name.
    low = head.lower()
    if "<gpx" in low or source_name.lower().endswith((".gpx", ".gpx.gz")):
        return "gpx"
    if "<trainingcenterdatabase" in low or source_name.lower().endswith((".tcx", ".tcx.gz")):
        return "tcx"
    raise UnsupportedFormatError(
        f"an XML file with no GPX or TCX element in its first {SNIFF_XML_BYTES >> 10} KiB",
        source=source_name,
    )


def gunzip_capped(data: bytes, source_name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """Decompress gzip data, refusing to inflate past ``limit`` bytes (gzip bombs).

    Concatenated members (``cat a.gz b.gz``, pigz, bgzip) are all read, under one total cap;
    bytes after the last member that do not start another one are ignored, as gzip does."""
    chunks: list[bytes] = []
    total = 0
    rest = data
    while True:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = d.decompress(rest, limit + 1 - total)
        except zlib.error as exc:
            raise CorruptFileError(
                f"the gzip data is damaged ({exc})", source=source_name
            ) from exc
        chunks.append(out)
        total += len(out)
        if total > limit or d.unconsumed_tail:
            raise FileTooLargeError(
                f"inflates to more than {limit // (1024 * 1024)} MiB: refused as a possible "
                "gzip bomb",
                source=source_name,
            )
        if not d.eof:
            raise CorruptFileError("the gzip data is truncated", source=source_name)
        rest = d.unused_data
        if rest[:2] != b"\x1f\x8b":
            return b"".join(chunks)


def read_bytes(
    data: bytes, *, source_name: str, local_tz: tzinfo | None = None,
    row_progress: Callable[[str, int], None] | None = None,
) -> Parsed:
    """Read one file's bytes (any supported format, optionally gzipped) into activities.

    ``local_tz`` is the zone of manual-session CSV times written without one (the athlete's);
    activity files carry their own UTC times. ``row_progress`` hears ``(source_name, rows
    read)`` while a session CSV is read."""
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLargeError(
            f"is {len(data) >> 20} MiB, over the {MAX_FILE_BYTES >> 20} MiB cap",
            source=source_name,
        )
    kind = sniff_format(data, source_name)
    if kind in ("gz", "zip"):
        return _read_kind(kind, data, source_name, local_tz, row_progress)
    try:
        return _read_kind(kind, data, source_name, local_tz, row_progress)
    except IngestError:
        raise
    except InvalidValue as exc:
        raise IngestError(exc.message, source=source_name) from exc
    except MemoryError as exc:
        raise FileTooLargeError(
            "needs more memory to read than this computer has free", source=source_name
        ) from exc
    except Exception as exc:  # the reader boundary: no internal text reaches the person
        log.debug("reader error on %s", source_name, exc_info=True)
        raise CorruptFileError(
            f"the file is damaged: its contents do not follow the {_FORMAT_NAMES[kind]} "
            "format, so it could not be read",
            source=source_name,
        ) from exc


def _read_kind(
    kind: str, data: bytes, source_name: str, local_tz: tzinfo | None,
    row_progress: Callable[[str, int], None] | None,
) -> Parsed:
    if kind == "gz":
        inner = source_name[:-3] if source_name.lower().endswith(".gz") else source_name
        return read_bytes(gunzip_capped(data, source_name), source_name=inner, local_tz=local_tz,
                          row_progress=row_progress)
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

        progress = None
        if row_progress is not None:
            def progress(rows: int) -> None:
                row_progress(source_name, rows)
        return list(csvlog.read(data, source_name=source_name, local_tz=local_tz,
                                progress=progress))
    return list(reader.read(data, source_name=source_name))


__all__ = ["MAX_FILE_BYTES", "Parsed", "gunzip_capped", "read_bytes", "sniff_format"]

