"""Hardened, streaming XML parsing shared by the GPX and TCX readers.

Activity files come from anywhere (exports, e-mail, shared folders), so the parser is locked
down: no entity substitution, no DTD loading, no network, libxml2's size limits kept on
(``huge_tree=False``), and any document type declaration is refused outright. A DOCTYPE is
the only place an ``<!ENTITY`` can be declared, so refusing it stops billion-laughs
(exponential entity expansion) and XXE (external entities reading local files or URLs)
before a single entity is even looked at. No GPX or TCX writer emits a DOCTYPE.

Two Garmin Connect quirks are tolerated: a UTF-8 byte-order mark and whitespace before
``<?xml`` (an XML declaration must be the very first thing in a file, so strict parsers reject
both). Parsing is strict otherwise: a truncated or malformed file raises
:class:`~stridewise.errors.CorruptFileError` naming the line, never a silent half-activity.

A namespace prefix used but never declared (Strava GPX exports write ``gpxdata:cadence``
without declaring ``gpxdata``) is the one well-formedness fault repaired: readers call
:func:`declare_undeclared_prefixes` and parse again with the same locked-down settings. Only
``xmlns:`` attributes are added to the root element; nothing else in the file changes, and
libxml2's recover mode (which would also hide truncation) is never used.

Memory stays constant: callers handle each element at its ``end`` event and then call
:func:`release`, which empties it and drops the already-handled siblings before it.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from lxml import etree

from stridewise.errors import CorruptFileError, UnsafeFileError

_fromisoformat = datetime.fromisoformat

_UTF8_BOM = b"\xef\xbb\xbf"
_LEADING_JUNK = b" \t\r\n"
_PROLOG_SCAN_BYTES = 64 * 1024


def _strip_leading(data: bytes) -> bytes:
    """Drop a UTF-8 BOM and any whitespace before the first ``<`` (Garmin export quirk)."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    return data.lstrip(_LEADING_JUNK)


def _refuse_doctype_in_prolog(data: bytes, source_name: str) -> None:
    """Walk the prolog (declaration, comments, processing instructions) up to the root
    element and refuse a ``<!DOCTYPE``. Cheap, and gives the clearest message; the parser
    also checks the parsed document (which covers encodings this byte scan cannot read)."""
    head = data[:_PROLOG_SCAN_BYTES]
    pos = 0
    while True:
        lt = head.find(b"<", pos)
        if lt < 0:
            return
        if head.startswith(b"<?", lt):
            end = head.find(b"?>", lt)
            if end < 0:
                return
            pos = end + 2
        elif head.startswith(b"<!--", lt):
            end = head.find(b"-->", lt)
            if end < 0:
                return
            pos = end + 3
        elif head.startswith(b"<!", lt):
            raise _doctype_error(source_name)
        else:
            return


#: Namespaces of the prefixes GPX writers use; an unknown undeclared prefix gets a private URN
#: (readers match extension elements by local name, so any namespace reads the same).
KNOWN_PREFIXES: dict[str, str] = {
    "gpxdata": "http://www.cluetrust.com/XML/GPXDATA/1/0",
    "gpxtpx": "http://www.garmin.com/xmlschemas/TrackPointExtension/v1",
    "gpxx": "http://www.garmin.com/xmlschemas/GpxExtensions/v3",
    "ns3": "http://www.garmin.com/xmlschemas/TrackPointExtension/v2",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_USED_PREFIX = re.compile(rb"</?([A-Za-z_][\w.-]*):[A-Za-z_]")
_USED_ATTR_PREFIX = re.compile(rb"\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=\s*[\"']")
_DECLARED_PREFIX = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")
UNDECLARED_PREFIX_ERROR = "Namespace prefix"


def declare_undeclared_prefixes(data: bytes) -> tuple[bytes, list[str]] | None:
    """``data`` with every element prefix that is used but never declared now declared on
    the root element, and those prefixes; None when there is none to declare or no root
    element is found (the file then stays refused)."""
    body = _strip_leading(data)
    used = {m.decode("ascii") for m in _USED_PREFIX.findall(body)}
    used |= {m.decode("ascii") for m in _USED_ATTR_PREFIX.findall(body)}
    declared = {m.decode("ascii") for m in _DECLARED_PREFIX.findall(body)}
    missing = sorted(used - declared - {"xml", "xmlns"})
    root = _root_name_end(body)
    if not missing or root is None:
        return None
    attrs = "".join(
        f' xmlns:{p}="{KNOWN_PREFIXES.get(p, "urn:stridewise:undeclared:" + p)}"' for p in missing
    )
    return body[:root] + attrs.encode("ascii") + body[root:], missing


def _root_name_end(body: bytes) -> int | None:
    """Offset just after the root element's name in its start tag (past the prolog)."""
    pos = 0
    while True:
        lt = body.find(b"<", pos)
        if lt < 0:
            return None
        if body.startswith(b"<?", lt):
            pos = body.find(b"?>", lt) + 2
        elif body.startswith(b"<!--", lt):
            pos = body.find(b"-->", lt) + 3
        elif body.startswith(b"<!", lt):
            return None
        else:
            name = re.compile(rb"<[^\s/>]+").match(body, lt)
            return name.end() if name else None
        if pos < 2:
            return None


def _doctype_error(source_name: str) -> UnsafeFileError:
    return UnsafeFileError(
        "declares a DOCTYPE (a DTD that can define entities); activity files never need one, "
        "so it is refused to rule out entity-expansion and external-entity attacks",
        source=source_name,
    )


def iter_elements(
    data: bytes,
    *,
    source_name: str,
    tags: Sequence[str],
    events: tuple[str, ...] = ("start", "end"),
) -> Iterator[tuple[str, etree._Element]]:
    """Yield ``(event, element)`` for the given tags (``"{*}trkpt"`` matches any namespace).

    The first event is always the root element's ``start`` (whatever ``tags`` says), so a
    caller can learn the document's namespace. Raises :class:`UnsafeFileError` for a
    DOCTYPE and :class:`CorruptFileError` (with the line number) for malformed XML.
    """
    body = _strip_leading(data)
    _refuse_doctype_in_prolog(body, source_name)
    context = etree.iterparse(
        io.BytesIO(body),
        events=events,
        tag=list(tags),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        strip_cdata=False,
    )
    try:
        first = True
        for event, element in context:
            if first:
                first = False
                root = element.getroottree().getroot()
                if root.getroottree().docinfo.internalDTD is not None:
                    raise _doctype_error(source_name)
                if element is not root:
                    yield "start", root
            yield event, element
    except etree.XMLSyntaxError as exc:
        reason = _syntax_reason(exc, body.count(b"\n") + 1)
        raise CorruptFileError(reason, source=source_name) from exc
    if context.root is not None and context.root.getroottree().docinfo.internalDTD is not None:
        raise _doctype_error(source_name)


def _syntax_reason(exc: etree.XMLSyntaxError, total_lines: int) -> str:
    line = exc.lineno
    message = (exc.msg or str(exc)).split(", line ")[0]
    if line <= 1 and total_lines <= 1 and "no element found" in message:
        return "holds no XML element at all"
    # An error on the last line means the input stopped mid-document: a cut-off download
    # or copy, the most common damage, so say so plainly.
    if line >= total_lines:
        return f"the XML stops abruptly at line {line} (the file looks truncated): {message}"
    return f"the XML is malformed at line {line}: {message}"


def release(element: etree._Element) -> None:
    """Free a handled element and the handled siblings before it (constant memory)."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def local_name(tag: object) -> str:
    """``'{ns}name'`` -> ``'name'``; non-element nodes (their tag is not a str) -> ``''``."""
    if not isinstance(tag, str):
        return ""
    return tag[tag.rfind("}") + 1 :]


def namespace_of(element: etree._Element) -> str:
    """The ``'{ns}'`` prefix of an element's tag (``''`` when it has no namespace)."""
    tag = element.tag
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[: tag.find("}") + 1]
    return ""


def number(text: str | None) -> float:
    """A number from element text or an attribute; NaN when empty or not a number."""
    if not text:
        return math.nan
    try:
        return float(text)
    except ValueError:
        return math.nan


def iso_time_s(text: str | None) -> float:
    """ISO 8601 time -> seconds since the Unix epoch; no zone means UTC (GPX and TCX say so).
    NaN when empty or unreadable (the record is then dropped with a warning downstream)."""
    if not text:
        return math.nan
    try:
        moment = _fromisoformat(text.strip())
    except ValueError:
        return math.nan
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
