"""GPX 1.0 / 1.1 reader: each recorded track (``<trk>``) becomes one :class:`Activity`.

Per track point: ``time``, ``lat``/``lon``, ``ele``, GPX 1.0 ``speed``, and from
``<extensions>`` the Garmin TrackPointExtension v1/v2 values (``hr``, ``cad``, ``power``,
``speed``) in any namespace or none (apps such as Strava write bare ``<power>``). The
segments of a track are joined; the gap between them is simply a gap in time.

Cadence: GPX ``cad`` counts per minute of one foot (strides) for foot sports; it is handed to
:func:`~stridewise.activity.build_activity` as it is, which converts it by the activity's
final sport (doubled into ``cadence_spm`` for foot sports, ``cadence_rpm`` for cycling).

Sport: the track's ``<type>``. Strava writes numeric codes there (``9`` run, ``1`` ride, ...),
mapped by :data:`STRAVA_GPX_TYPES`; an unknown number becomes ``other`` with a warning.

A Strava export that uses a namespace prefix it never declares (``gpxdata:cadence``) is read
again with the prefix declared (:func:`~stridewise.ingest.xmlsafe.declare_undeclared_prefixes`,
same locked-down parser), with a warning, instead of being refused as malformed.

Times without a zone are read as UTC, as the GPX schema defines. A track without timestamps
is a planned route or course, not something that was recorded, and ``<rte>`` routes are never
activities: both give :class:`~stridewise.errors.EmptyActivityError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lxml import etree

from stridewise import sanitise
from stridewise.activity import Activity, build_activity, normalise_sport
from stridewise.errors import CorruptFileError, EmptyActivityError
from stridewise.ingest import xmlfast
from stridewise.ingest.xmlsafe import (
    UNDECLARED_PREFIX_ERROR,
    declare_undeclared_prefixes,
    iso_time_s,
    iter_elements,
    local_name,
    namespace_of,
    number,
    release,
)

NAN = math.nan

_EXTENSION_FIELDS = {
    "hr": "hr", "heartrate": "hr", "heart_rate": "hr",
    "cad": "cad", "cadence": "cad",
    "power": "power", "watts": "power",
    "speed": "speed",
}
#: Strava's numeric GPX ``<type>`` codes. Strava does not publish them; the mapping is the one
#: documented in "What do the Strava GPX <type></type> elements mean?" (Stack Overflow question
#: 61903437) and used by pR0Ps/stravaweblib (webclient.py ``_gpx_type_from_strava``: Run 9,
#: Bike 1, Swim 16, Hike 4, Walk 10); ``9`` = run is confirmed by a Strava export quoted in
#: cpfair/tapiriik issue #574. Codes not listed here are not guessed.
STRAVA_GPX_TYPES: dict[str, str] = {
    "1": "ride", "4": "hike", "9": "run", "10": "walk", "16": "swim",
}

_COLUMNS = ("time_s", "lat_deg", "lon_deg", "altitude_m", "speed_mps", "hr", "cad", "power")


@dataclass
class _Track:
    columns: dict[str, list[float]] = field(
        default_factory=lambda: {name: [] for name in _COLUMNS}
    )
    timed_points: int = 0

    @property
    def n_points(self) -> int:
        return len(self.columns["time_s"])

    @property
    def is_recording(self) -> bool:
        """Most points timed. A drawn route with a few stray timestamps (some tools stamp
        the last few points) is still a route, not a recorded activity."""
        return self.timed_points > 0 and 2 * self.timed_points >= self.n_points


def _read_point(point: etree._Element, tags: dict[str, str], track: _Track) -> None:
    cols = track.columns
    t = alt = speed = hr = cad = power = NAN
    for child in point:
        tag = child.tag
        if tag == tags["time"]:
            t = iso_time_s(child.text)
        elif tag == tags["ele"]:
            alt = number(child.text)
        elif tag == tags["extensions"]:
            for node in child.iter():
                key = _EXTENSION_FIELDS.get(local_name(node.tag).lower())
                if key is None or node.text is None:
                    continue
                value = number(node.text)
                if key == "hr":
                    hr = value
                elif key == "cad":
                    cad = value
                elif key == "power":
                    power = value
                else:
                    speed = value
        elif tag == tags["speed"]:
            speed = number(child.text)
    if t == t:
        track.timed_points += 1
    cols["time_s"].append(t)
    cols["lat_deg"].append(number(point.get("lat")))
    cols["lon_deg"].append(number(point.get("lon")))
    cols["altitude_m"].append(alt)
    cols["speed_mps"].append(speed)
    cols["hr"].append(hr)
    cols["cad"].append(cad)
    cols["power"].append(power)


def _records(track: _Track) -> dict[str, list[float]]:
    cols = track.columns
    out: dict[str, list[float]] = {"time_s": cols["time_s"]}
    for src, dst in (("lat_deg", "lat_deg"), ("lon_deg", "lon_deg"), ("altitude_m", "altitude_m"),
                     ("speed_mps", "speed_mps"), ("hr", "heart_rate_bpm"), ("power", "power_w")):
        if any(v == v for v in cols[src]):
            out[dst] = cols[src]
    return out


def _child_text(element: etree._Element, tag: str) -> str | None:
    found = element.find(tag)
    if found is None or found.text is None:
        return None
    text: str = found.text.strip()
    return text or None


def read(data: bytes, *, source_name: str) -> list[Activity]:
    """Read every recorded track of a GPX file (bytes) into activities."""
    try:
        return _read(data, source_name, [])
    except CorruptFileError as exc:
        if UNDECLARED_PREFIX_ERROR not in exc.reason:
            raise
        repaired = declare_undeclared_prefixes(data)
        if repaired is None:
            raise
        fixed, prefixes = repaired
        note = (
            f"the file uses the namespace prefix(es) {', '.join(prefixes)} without declaring "
            "them (a known Strava export fault); they were declared and the file read again"
        )
        return _read(fixed, source_name, [note])


def sport_of_type(track_type: str | None, warnings: list[str]) -> str:
    """The sport a track's ``<type>`` names: Strava's numeric codes by
    :data:`STRAVA_GPX_TYPES`, words by :func:`~stridewise.activity.normalise_sport`."""
    if track_type is not None and track_type.isdigit():
        sport = STRAVA_GPX_TYPES.get(track_type.lstrip("0") or "0")
        if sport is None:
            warnings.append(
                f"the track's activity type code {track_type} is not a known Strava code, so "
                "its sport is recorded as other; set the sport by hand if it was a run or walk"
            )
            return "other"
        return sport
    return normalise_sport(track_type)


def _read(data: bytes, source_name: str, notes: list[str]) -> list[Activity]:
    ns = ""
    tags: dict[str, str] = {}
    creator: str | None = None
    file_name: str | None = None
    file_name_read = False
    tracks: list[tuple[_Track, str | None, str | None]] = []
    current: _Track | None = None
    route_points = waypoints = 0
    fast = xmlfast.read_gpx(data)  # None: not a file the fast path reads, parse with lxml
    stream = iter_elements(
        data, source_name=source_name,
        tags=("{*}gpx", "{*}trk", "{*}trkpt", "{*}rtept", "{*}wpt"),
    ) if fast is None else iter(())
    for event, element in stream:
        name = local_name(element.tag)
        if event == "start":
            if name == "gpx" and not tags:
                ns = namespace_of(element)
                tags = {k: ns + k for k in ("time", "ele", "extensions", "speed", "name", "type")}
                creator = element.get("creator")
            elif name == "trk":
                current = _Track()
            continue
        if not file_name_read:
            # Before the first release() drops them: <metadata><name> (1.1) or <name> (1.0).
            file_name_read = True
            file_name = _file_name(element, ns)
        if name == "trkpt" and current is not None:
            _read_point(element, tags, current)
            release(element)
            if current.n_points > sanitise.MAX_RECORDS:  # refuse before memory fills
                sanitise.check_record_count(current.n_points)
        elif name == "trk" and current is not None:
            track_name = _child_text(element, tags["name"])
            track_type = _child_text(element, tags["type"])
            tracks.append((current, track_name, track_type))
            current = None
            release(element)
        elif name == "rtept":
            route_points += 1
            release(element)
        elif name == "wpt":
            waypoints += 1
            release(element)

    if fast is not None:
        creator, file_name = fast.creator, fast.file_name
        route_points, waypoints = fast.route_points, fast.waypoints
        for fast_track in fast.tracks:
            track = _Track(fast_track.columns)
            track.timed_points = sum(1 for t in fast_track.columns["time_s"] if t == t)
            tracks.append((track, fast_track.name, fast_track.type))
    recorded = [t for t in tracks if t[0].is_recording]
    if not recorded:
        raise EmptyActivityError(
            _why_empty(tracks, route_points, waypoints), source=source_name
        )
    activities = []
    for track, track_name, track_type in recorded:
        warnings = list(notes)
        sport = sport_of_type(track_type, warnings)
        activities.append(
            build_activity(
                _records(track),
                cadence_per_min=track.columns["cad"],
                sport=sport,
                source_format="gpx",
                device=creator,
                name=track_name or file_name,
                warnings=warnings,
            )
        )
    return activities


def _file_name(element: etree._Element, ns: str) -> str | None:
    root = element.getroottree().getroot()
    meta = root.find(ns + "metadata")
    return _child_text(meta if meta is not None else root, ns + "name")


def _why_empty(
    tracks: list[tuple[_Track, str | None, str | None]], route_points: int, waypoints: int
) -> str:
    points = sum(t[0].n_points for t in tracks)
    if points:
        timed = sum(t[0].timed_points for t in tracks)
        detail = "no timestamps" if timed == 0 else f"timestamps on only {timed} of them"
        return (
            f"its tracks have {points} points but {detail}: it is a planned route or course, "
            "not a recorded activity"
        )
    if route_points:
        return (
            f"holds a route ({route_points} route points), which is a plan, not a recorded "
            "activity"
        )
    if waypoints:
        return f"holds only {waypoints} waypoint(s) and no recorded track"
    return "holds no track points"
