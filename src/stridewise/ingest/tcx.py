"""TCX (Garmin Training Center) reader: each ``<Activity>`` becomes one :class:`Activity`.

Per ``Trackpoint``: ``Time``, ``Position``, ``AltitudeMeters``, ``DistanceMeters``,
``HeartRateBpm/Value`` (an empty ``<Value/>`` is a missing value), ``Cadence`` and the
ActivityExtension ``TPX`` values ``Speed``, ``RunCadence`` and ``Watts``. Laps come from each
``Lap``'s ``StartTime``, ``TotalTimeSeconds`` and ``DistanceMeters``.

Cadence: ``RunCadence`` counts strides of one foot per minute and is doubled into
``cadence_spm``; plain ``Cadence`` is converted by the activity's final sport
(:func:`~stridewise.activity.build_activity`: doubled into ``cadence_spm`` for foot sports,
``cadence_rpm`` for cycling).

Garmin Connect repeats the last point of a lap as the first of the next; a point with the
same timestamp as the one before it is merged into it (its values fill the gaps of the
first) rather than kept twice. A file with ``Courses`` but no ``Activities`` is a planned
route: :class:`~stridewise.errors.EmptyActivityError`. TCX has no activity name; the
``Notes`` text, when present, is used as one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from stridewise import sanitise
from stridewise.activity import Activity, Lap, build_activity, normalise_sport
from stridewise.errors import EmptyActivityError
from stridewise.ingest import xmlfast
from stridewise.ingest.xmlsafe import (
    iso_time_s,
    iter_elements,
    local_name,
    namespace_of,
    number,
    release,
)

NAN = math.nan

# Column order of one point as collected; "cad" is resolved per sport at the end.
_FIELDS = ("time_s", "lat_deg", "lon_deg", "altitude_m", "distance_m", "heart_rate_bpm",
           "cad", "run_cad", "speed_mps", "power_w")
_T, _LAT, _LON, _ALT, _DIST, _HR, _CAD, _RUNCAD, _SPEED, _POWER = range(len(_FIELDS))
_EXTENSION_INDEX = {"Speed": _SPEED, "RunCadence": _RUNCAD, "Watts": _POWER}


@dataclass
class _ActivityBuilder:
    sport_text: str | None
    points: list[list[float]] = field(default_factory=list)
    laps: list[Lap] = field(default_factory=list)
    # Set by the fast path (stridewise.ingest.xmlfast): one list per _FIELDS entry.
    columns: list[list[float]] | None = None

    def times(self) -> list[float]:
        return self.columns[_T] if self.columns is not None else [p[_T] for p in self.points]

    def add(self, point: list[float]) -> None:
        if self.points:
            previous = self.points[-1]
            if point[_T] == previous[_T]:
                # Lap-boundary repeat: keep one point, filling its gaps from the repeat.
                for i, value in enumerate(point):
                    if previous[i] != previous[i]:
                        previous[i] = value
                return
        self.points.append(point)


class _Tags:
    def __init__(self, ns: str) -> None:
        self.time = ns + "Time"
        self.position = ns + "Position"
        self.latitude = ns + "LatitudeDegrees"
        self.longitude = ns + "LongitudeDegrees"
        self.altitude = ns + "AltitudeMeters"
        self.distance = ns + "DistanceMeters"
        self.heart_rate = ns + "HeartRateBpm"
        self.value = ns + "Value"
        self.cadence = ns + "Cadence"
        self.extensions = ns + "Extensions"
        self.total_time = ns + "TotalTimeSeconds"
        self.notes = ns + "Notes"
        self.creator = ns + "Creator"
        self.name = ns + "Name"


def _read_point(tp: etree._Element, tags: _Tags) -> list[float]:
    point = [NAN] * len(_FIELDS)
    for child in tp:
        tag = child.tag
        if tag == tags.time:
            point[_T] = iso_time_s(child.text)
        elif tag == tags.position:
            for coord in child:
                if coord.tag == tags.latitude:
                    point[_LAT] = number(coord.text)
                elif coord.tag == tags.longitude:
                    point[_LON] = number(coord.text)
        elif tag == tags.altitude:
            point[_ALT] = number(child.text)
        elif tag == tags.distance:
            point[_DIST] = number(child.text)
        elif tag == tags.heart_rate:
            value = child.find(tags.value)
            point[_HR] = number(value.text) if value is not None else NAN
        elif tag == tags.cadence:
            point[_CAD] = number(child.text)
        elif tag == tags.extensions:
            for node in child.iter():
                index = _EXTENSION_INDEX.get(local_name(node.tag))
                if index is not None:
                    point[index] = number(node.text)
    return point


def _read_lap(lap: etree._Element, tags: _Tags) -> Lap | None:
    start = iso_time_s(lap.get("StartTime"))
    elapsed = number(_text(lap, tags.total_time))
    if start != start or elapsed != elapsed:
        return None
    distance = number(_text(lap, tags.distance))
    return Lap(start_time_s=start, elapsed_s=elapsed,
               distance_m=distance if distance == distance else None)


def _text(element: etree._Element, tag: str) -> str | None:
    found = element.find(tag)
    if found is None or found.text is None:
        return None
    text: str = found.text.strip()
    return text or None


def _records(builder: _ActivityBuilder) -> tuple[dict[str, list[float]], list[float] | None]:
    """The record columns, and plain ``Cadence`` for :func:`build_activity` to convert by the
    final sport (``RunCadence`` is a foot cadence whatever the sport says)."""
    columns: Sequence[Sequence[float]] = (
        builder.columns or list(zip(*builder.points, strict=True)))
    out: dict[str, list[float]] = {"time_s": list(columns[_T])}
    for index, name in enumerate(_FIELDS):
        if name in ("time_s", "cad", "run_cad"):
            continue
        if any(v == v for v in columns[index]):
            out[name] = list(columns[index])
    cad, run_cad = columns[_CAD], columns[_RUNCAD]
    if any(v == v for v in run_cad):
        # RunCadence wins where both exist; either is strides of one foot per minute.
        out["cadence_spm"] = [2.0 * (r if r == r else c) for r, c in zip(run_cad, cad, strict=True)]
        return out, None
    return out, list(cad) if any(v == v for v in cad) else None


def read(data: bytes, *, source_name: str) -> list[Activity]:
    """Read every ``<Activity>`` of a TCX file (bytes) into activities."""
    tags = _Tags("")
    builders: list[tuple[_ActivityBuilder, str | None, str | None]] = []
    current: _ActivityBuilder | None = None
    courses = 0
    fast = xmlfast.read_tcx(data)  # None: not a file the fast path reads, parse with lxml
    stream = iter_elements(
        data, source_name=source_name,
        tags=("{*}TrainingCenterDatabase", "{*}Activity", "{*}Lap", "{*}Trackpoint",
              "{*}Course"),
    ) if fast is None else iter(())
    for event, element in stream:
        name = local_name(element.tag)
        if event == "start":
            if name == "TrainingCenterDatabase":
                tags = _Tags(namespace_of(element))
            elif name == "Activity":
                current = _ActivityBuilder(sport_text=element.get("Sport"))
            continue
        if name == "Trackpoint":
            if current is not None:
                current.add(_read_point(element, tags))
                if len(current.points) > sanitise.MAX_RECORDS:  # refuse before memory fills
                    sanitise.check_record_count(len(current.points))
            release(element)
        elif name == "Lap" and current is not None:
            lap = _read_lap(element, tags)
            if lap is not None:
                current.laps.append(lap)
            element.clear(keep_tail=False)
        elif name == "Activity" and current is not None:
            creator = element.find(tags.creator)
            device = _text(creator, tags.name) if creator is not None else None
            builders.append((current, _text(element, tags.notes), device))
            current = None
            release(element)
        elif name == "Course":
            courses += 1
            release(element)

    if fast is not None:
        fast_activities, courses = fast
        for act in fast_activities:
            builder = _ActivityBuilder(sport_text=act.sport_text, columns=act.columns)
            builder.points = [[]] * len(act.columns[_T])  # counted by _why_empty only
            builder.laps = [Lap(start_time_s=start, elapsed_s=elapsed,
                                distance_m=distance if distance == distance else None)
                            for start, elapsed, distance in act.laps
                            if start == start and elapsed == elapsed]
            builders.append((builder, act.notes, act.device))
    recorded = [b for b in builders if any(t == t for t in b[0].times())]
    if not recorded:
        raise EmptyActivityError(_why_empty(builders, courses), source=source_name)
    activities = []
    for builder, notes, device in recorded:
        sport = normalise_sport(builder.sport_text)
        records, cadence = _records(builder)
        activities.append(
            build_activity(
                records,
                cadence_per_min=cadence,
                sport=sport,
                source_format="tcx",
                laps=builder.laps,
                device=device,
                name=notes,
            )
        )
    return activities


def _why_empty(builders: list[tuple[_ActivityBuilder, str | None, str | None]],
               courses: int) -> str:
    if courses and not builders:
        return (
            f"holds {courses} course(s), which are planned routes, and no recorded activity"
        )
    points = sum(len(b[0].points) for b in builders)
    if points:
        return f"its {points} track points have no timestamps, so nothing was recorded"
    if builders:
        return "its activities hold no track points"
    return "holds no activities"
