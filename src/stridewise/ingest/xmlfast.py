"""Fast path for the GPX and TCX readers: track points read by regular expressions, in C.

The lxml readers (:mod:`stridewise.ingest.gpx`, :mod:`stridewise.ingest.tcx`) visit every
element of every point from Python, about 1 µs an element, which made reading slower than
the pure-Python peers allow (issue 12). Files written by devices and services follow the
schemas' element order closely, so a point is one regular expression: this module checks
the file is well-formed XML with expat (no DTD, no entities, same refusals as the lxml
path), then pulls every point's values with one ``re.split`` over the whole document and
converts whole columns at once; expat checks the rest of the document (all but the points).

It is strictly a fast path. Whenever a file strays from what the patterns describe (another
element order, comments, CDATA, entity references, prefixed core elements, a point the
pattern does not match, a count that does not add up, an encoding other than UTF-8/ASCII),
the functions return ``None`` and the reader parses the file with lxml as before, which is
also what produces every error message. Both paths give identical activities on every sample
file and on the benchmark corpus (tests/ingest/test_xmlfast.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.parsers import expat

import numpy as np

from stridewise.ingest.xmlsafe import iso_time_s, number

_UTF8_BOM = b"\xef\xbb\xbf"
_DECL = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix
# A point's element text: ASCII, no markup, no entity reference (else the point does not
# match and the file goes to lxml). Names and notes may be any text without markup.
_V = rb"([^<&\x80-\xff]*)"
_TEXT = rb"([^<&]*)"


def _body(data: bytes) -> bytes | None:
    """The document without BOM and leading whitespace, if its encoding is UTF-8/ASCII."""
    body = data[len(_UTF8_BOM):] if data.startswith(_UTF8_BOM) else data
    body = body.lstrip(b" \t\r\n")
    if not body.startswith(b"<"):
        return None
    decl = _DECL.match(body)
    if decl is not None and decl.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii",
                                                            b"ascii"):
        return None
    return body


def _plain(rest: bytes) -> bool:
    """No DOCTYPE, comment, CDATA, entity reference or processing instruction (after the
    XML declaration) in what is left once the point lists are cut out."""
    if rest.startswith(b"<?xml"):
        rest = rest[rest.find(b"?>") + 2 :]
    return b"<!" not in rest and b"&" not in rest and b"<?" not in rest


def _well_formed(pieces: list[bytes]) -> bool:
    """expat's verdict on the document with the point lists cut out (those were matched
    byte for byte by the point pattern already). No DTD or parameter entities are read."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(b"".join(pieces), True)
    except expat.ExpatError:
        return False
    return True


class _Points:
    """The document split by one point pattern: ``rest`` is everything that is not a matched
    point (its structure, a few % of the file), ``offsets[j]`` where point ``j`` sat in
    ``rest``, ``columns[g]`` capture group ``g`` of every point."""

    def __init__(self, body: bytes, pattern: re.Pattern[bytes]) -> None:
        parts = pattern.split(body)  # one pass, in C: gap, groups..., gap, groups..., gap
        width = pattern.groups + 1
        gaps = parts[::width]
        # A point is markup only where a tag may start: right after another tag. (Inside an
        # attribute value it would be invalid XML that cutting it out could hide.)
        self.tags_only = all(not g.strip() or g.rstrip().endswith(b">") for g in gaps[:-1])
        self.rest = b"".join(gaps)
        lengths = np.fromiter(map(len, gaps), dtype=np.int64, count=len(gaps))
        self.offsets = np.cumsum(lengths)[:-1]
        self.columns = [parts[1 + g :: width] for g in range(pattern.groups)]

    def within(self, start: int, end: int) -> list[list[bytes | None]]:
        """The columns of the points inside ``rest[start:end]``."""
        lo, hi = np.searchsorted(self.offsets, [start, end])
        return [col[lo:hi] for col in self.columns]


def _number(value: bytes | None) -> float:
    if not value:
        return math.nan
    try:
        return float(value)
    except ValueError:
        return math.nan


def _floats(values: Sequence[bytes | None]) -> list[float]:
    """Element texts -> floats, as :func:`~stridewise.ingest.xmlsafe.number` reads each
    (``float`` parses ASCII bytes exactly as it parses the same str)."""
    if not any(values):
        return [math.nan] * len(values)
    try:
        return list(map(float, values))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        pass
    try:
        return list(map(float, [v or b"nan" for v in values]))
    except ValueError:
        return [_number(v) for v in values]


_T_AT = (4, 7, 10, 13, 16)


def _times(values: Sequence[bytes | None]) -> list[float]:
    """ISO 8601 texts -> Unix seconds, as :func:`~stridewise.ingest.xmlsafe.iso_time_s`.
    Whole columns of UTC times (``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``, one length) are parsed
    by NumPy; anything else one by one."""
    if not any(values):
        return [math.nan] * len(values)
    if all(values):
        raw = np.array(values)
        width = raw.dtype.itemsize
        if width in (20, *range(22, 28)) and bool(np.all(np.char.str_len(raw) == width)):
            chars = raw.view(np.uint8).reshape(raw.size, width)
            seps = _T_AT + ((19,) if width > 20 else ())
            digits = [i for i in range(width - 1) if i not in seps]
            # Every other character a digit: NumPy then only ever sees plain UTC times.
            ok = np.all(chars[:, _T_AT] == np.frombuffer(b"--T::", np.uint8), axis=1)
            ok &= chars[:, width - 1] == ord("Z")
            if width > 20:
                ok &= chars[:, 19] == ord(".")
            ok &= np.all((chars[:, digits] >= ord("0")) & (chars[:, digits] <= ord("9")), axis=1)
            if bool(ok.all()):
                try:
                    stamps = raw.astype(f"S{width - 1}").astype("datetime64[us]")
                except ValueError:
                    stamps = None
                if stamps is not None:
                    seconds: list[float] = (stamps.astype(np.int64) / 1e6).tolist()
                    return seconds
    return [iso_time_s(v.decode()) if v else math.nan for v in values]


def _text(match: re.Match[bytes] | None) -> str | None:
    if match is None:
        return None
    text = match.group(1).decode().strip()
    return text or None


def _spans(body: bytes, open_tag: re.Pattern[bytes], close: bytes) -> list[tuple[int, int]]:
    spans = []
    for m in open_tag.finditer(body):
        end = body.find(close, m.end())
        if end < 0:
            return []
        spans.append((m.start(), end + len(close)))
    return spans


# --------------------------------------------------------------------------------------- TCX

def _el(name: bytes) -> bytes:
    return rb"(?:<" + name + rb">" + _V + rb"</" + name + rb">\s*)?"


def _ext(name: bytes) -> bytes:
    return rb"(?:<" + _P + name + rb">" + _V + rb"</" + _P + name + rb">\s*)?"


_TRACKPOINT = re.compile(
    rb"<Trackpoint>\s*" + _el(b"Time")
    + rb"(?:<Position>\s*<LatitudeDegrees>" + _V + rb"</LatitudeDegrees>\s*"
    rb"<LongitudeDegrees>" + _V + rb"</LongitudeDegrees>\s*</Position>\s*)?"
    + _el(b"AltitudeMeters") + _el(b"DistanceMeters")
    + rb"(?:<HeartRateBpm(?:\s[^>]*)?>\s*(?:<Value>" + _V + rb"</Value>\s*|<Value\s*/>\s*)?"
    rb"</HeartRateBpm>\s*)?"
    + _el(b"Cadence") + rb"(?:<SensorState>[^<]*</SensorState>\s*)?"
    + rb"(?:<Extensions>\s*<" + _P + rb"TPX(?:\s[^>]*)?>\s*" + _ext(b"Speed") + _ext(b"RunCadence")
    + _ext(b"Watts") + rb"</" + _P + rb"TPX>\s*</Extensions>\s*)?"
    + rb"</Trackpoint>"
)
# Group order of _TRACKPOINT -> tcx._FIELDS order (time, lat, lon, alt, dist, hr, cad,
# run_cad, speed, power): Time, Lat, Lon, Alt, Dist, HR, Cadence, Speed, RunCadence, Watts.
_TCX_GROUP_OF_FIELD = (0, 1, 2, 3, 4, 5, 6, 8, 7, 9)
_ACTIVITY = re.compile(rb"<Activity(?:\s[^>]*)?>")
_SPORT = re.compile(rb"\sSport\s*=\s*[\"']([^\"']*)[\"']")
_LAP = re.compile(rb"<Lap\s[^>]*?StartTime\s*=\s*[\"']([^\"']*)[\"'][^>]*>\s*"
                  rb"<TotalTimeSeconds>" + _V + rb"</TotalTimeSeconds>\s*"
                  rb"<DistanceMeters>" + _V + rb"</DistanceMeters>")
_NOTES = re.compile(rb"<Notes>" + _TEXT + rb"</Notes>")
_CREATOR = re.compile(rb"<Creator(?:\s[^>]*)?>\s*<Name>" + _TEXT + rb"</Name>")
_LAP_TAG = re.compile(rb"<Lap[\s>/]")


def _count(body: bytes, name: bytes) -> int:
    """Start tags ``<name>``, ``<name ...>``, ``<name/>`` (bytes.count: no regex pass)."""
    return sum(body.count(b"<" + name + end) for end in (b">", b" ", b"/", b"\n", b"\r", b"\t"))


@dataclass
class TcxActivity:
    sport_text: str | None
    columns: list[list[float]]  # one list per tcx._FIELDS entry, lap repeats merged
    laps: list[tuple[float, float, float]]  # (start_s, elapsed_s, distance_m or NaN)
    notes: str | None
    device: str | None


def read_tcx(data: bytes) -> tuple[list[TcxActivity], int] | None:
    """Every ``<Activity>`` and the number of ``<Course>`` elements, or None: use lxml."""
    body = _body(data)
    if body is None or not re.match(rb"(?:<\?xml[^>]*>\s*)?<TrainingCenterDatabase[\s>]",
                                    body):
        return None
    return _read_tcx(body)


def _read_tcx(body: bytes) -> tuple[list[TcxActivity], int] | None:
    points = _Points(body, _TRACKPOINT)
    rest = points.rest
    # Prefixed TCX elements (<tcx:Trackpoint>) and points the pattern did not match are
    # left to lxml, which checks namespaces and reads any element order.
    if (not points.tags_only or not _plain(rest) or b"<Trackpoint" in rest
            or any(b":" + name in rest for name in (b"Track", b"Activity", b"Lap", b"Course"))
            or not _well_formed([rest])):
        return None
    spans = _spans(rest, _ACTIVITY, b"</Activity>")
    if len(spans) != _count(rest, b"Activity"):
        return None
    activities = []
    for start, end in spans:
        part = rest[start:end]
        laps = _LAP.findall(part)
        if len(laps) != len(_LAP_TAG.findall(part)):
            return None
        # The Activity's own children: before its first Lap and after its last one.
        first_lap = part.find(b"<Lap")
        own = part[: first_lap] + part[part.rfind(b"</Lap>") + 6 :] if laps else part
        if (b"<Notes" in own and _NOTES.search(own) is None) or (
                b"<Creator" in own and _CREATOR.search(own) is None):
            return None
        sport = _SPORT.search(part[: part.find(b">") + 1])
        activities.append(TcxActivity(
            sport_text=sport.group(1).decode() if sport else None,
            columns=_tcx_columns(points.within(start, end)),
            laps=[(iso_time_s(s.decode()), number(t.decode()), number(d.decode()))
                  for s, t, d in laps],
            notes=_text(_NOTES.search(own)),
            device=_text(_CREATOR.search(own)),
        ))
    return activities, _count(rest, b"Course")


def _tcx_columns(groups: list[list[bytes | None]]) -> list[list[float]]:
    if not groups[0]:
        return [[] for _ in _TCX_GROUP_OF_FIELD]
    columns = [_times(groups[0])] + [_floats(groups[g]) for g in _TCX_GROUP_OF_FIELD[1:]]
    return _merge_repeats(columns) if columns[0] else columns


def _merge_repeats(columns: list[list[float]]) -> list[list[float]]:
    """Garmin repeats a lap's last point as the next lap's first: a point with the same
    time as the point kept before it fills that point's gaps and is dropped (as
    ``tcx._ActivityBuilder.add`` does)."""
    time_s = np.asarray(columns[0])
    repeat = np.zeros(time_s.size, dtype=bool)
    repeat[1:] = time_s[1:] == time_s[:-1]
    if not repeat.any():
        return columns
    head = 0
    for i in range(time_s.size):  # only lap boundaries repeat: cheap
        if not repeat[i]:
            head = i
            continue
        for col in columns:
            if col[head] != col[head]:
                col[head] = col[i]
    keep = np.flatnonzero(~repeat).tolist()
    return [[col[i] for i in keep] for col in columns]


# --------------------------------------------------------------------------------------- GPX

_Q = rb"\s*=\s*[\"']([^\"']*)[\"']"
_SIMPLE_OTHER = (rb"(?:<(?!extensions\b|speed\b|ele\b|time\b)(?P<other>[A-Za-z]\w*)(?:\s[^>]*)?>"
                 rb"[^<]*</(?P=other)>\s*)*")
_TRKPT = re.compile(
    rb"<trkpt\s+(?:lat" + _Q + rb"\s+lon" + _Q + rb"|lon" + _Q + rb"\s+lat" + _Q + rb")\s*>\s*"
    + _el(b"ele") + _el(b"time") + rb"(?:<course>[^<]*</course>\s*)?" + _el(b"speed")
    + _SIMPLE_OTHER
    + rb"(?:<extensions>\s*" + _ext(b"power")
    + rb"(?:<" + _P + rb"TrackPointExtension(?:\s[^>]*)?>\s*"
    + rb"(?:<" + _P + rb"(?P<tpx1>atemp|wtemp|depth)>[^<]*</" + _P + rb"(?P=tpx1)>\s*)*"
    + _ext(b"hr") + _ext(b"cad") + _ext(b"speed")
    + rb"(?:<" + _P + rb"(?P<tpx2>course|bearing)>[^<]*</" + _P + rb"(?P=tpx2)>\s*)*"
    + rb"</" + _P + rb"TrackPointExtension>\s*)?"
    + rb"</extensions>\s*)?"
    + rb"</trkpt>"
)
_TRK = re.compile(rb"<trk>")
_NAME = re.compile(rb"<name>" + _TEXT + rb"</name>")
_TYPE = re.compile(rb"<type>" + _TEXT + rb"</type>")
_CREATOR_ATTR = re.compile(rb"\screator" + _Q)
_FIRST_CONTENT = re.compile(rb"<(?:wpt|rte|trk)[\s>/]")


@dataclass
class GpxTrack:
    columns: dict[str, list[float]]  # gpx._COLUMNS
    name: str | None
    type: str | None


@dataclass
class GpxFile:
    tracks: list[GpxTrack]
    creator: str | None
    file_name: str | None
    route_points: int
    waypoints: int


def read_gpx(data: bytes) -> GpxFile | None:
    """Every ``<trk>`` with its points, or None: use lxml."""
    body = _body(data)
    if body is None:
        return None
    root = re.match(rb"(?:<\?xml[^>]*>\s*)?<gpx[\s>]", body)
    if root is None:
        return None
    return _read_gpx(body, root.end() - 5)


def _read_gpx(body: bytes, root: int) -> GpxFile | None:
    points = _Points(body, _TRKPT)
    rest = points.rest
    # Prefixed GPX elements (<gpx:trkpt>) and points the pattern did not match are left to
    # lxml, which checks namespaces and reads any element order.
    if (not points.tags_only or not _plain(rest) or b"<trkpt" in rest
            or any(b":" + name in rest for name in (b"trk", b"gpx ", b"gpx>", b"rte", b"wpt",
                                                    b"metadata", b"name"))
            or not _well_formed([rest])):
        return None
    body = rest  # the points are in `points`; the rest is all that is searched below
    root_tag = body[root : body.find(b">", root) + 1]
    creator = _CREATOR_ATTR.search(root_tag)
    first = _FIRST_CONTENT.search(body, root)
    head = body[root : first.start() if first else len(body)]
    if b"<metadata" in head:
        meta = head[head.find(b"<metadata") : head.find(b"</metadata>")]
        meta_head = re.match(rb"<metadata(?:\s[^>]*)?>\s*(?:<name>" + _TEXT + rb"</name>)?",
                             meta)
        if meta_head is None or (meta_head.group(1) is None and b"<name>" in meta):
            return None
        file_name = _text(meta_head) if meta_head.group(1) is not None else None
    else:
        file_name = _text(_NAME.search(head))
    spans = _spans(body, _TRK, b"</trk>")
    if len(spans) != _count(rest, b"trk"):
        return None
    tracks = []
    for start, end in spans:
        part = body[start:end]
        seg = part.find(b"<trkseg")
        track_head = part[: seg if seg >= 0 else len(part)]
        if b"<link" in track_head or b"<extensions" in track_head:
            return None
        tracks.append(GpxTrack(_gpx_columns(points.within(start, end)),
                               _text(_NAME.search(track_head)),
                               _text(_TYPE.search(track_head))))
    return GpxFile(tracks, creator.group(1).decode() if creator else None, file_name,
                   _count(rest, b"rtept"), _count(rest, b"wpt"))


def _gpx_columns(g: list[list[bytes | None]]) -> dict[str, list[float]]:
    """Groups of _TRKPT: 0 lat, 1 lon (lat first) | 2 lon, 3 lat; 4 ele, 5 time, 6 speed,
    8 extension power, 10 hr, 11 cad, 12 extension speed."""
    lat = [a or b for a, b in zip(g[0], g[3], strict=True)]
    lon = [a or b for a, b in zip(g[1], g[2], strict=True)]
    # An extension speed (written after the GPX 1.0 <speed>) wins, as in document order.
    speed = [e or c for c, e in zip(g[6], g[12], strict=True)]
    return {
        "time_s": _times(g[5]), "lat_deg": _floats(lat), "lon_deg": _floats(lon),
        "altitude_m": _floats(g[4]), "speed_mps": _floats(speed), "hr": _floats(g[10]),
        "cad": _floats(g[11]), "power": _floats(g[8]),
    }
