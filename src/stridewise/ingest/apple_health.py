"""Apple Health ``export.xml`` (from ``export.zip`` or the unzipped ``apple_health_export/``).

Structure (Apple's DTD at the top of every export, HealthKit identifiers):
``<HealthData>`` holds ``<Record type= sourceName= unit= value= startDate= endDate=>`` (dates
written ``2020-01-31 08:15:00 +0100``, local time with its UTC offset) and ``<Workout
workoutActivityType= duration= durationUnit= totalDistance= totalDistanceUnit= startDate=
endDate=>`` with children ``WorkoutEvent`` (pauses), ``WorkoutStatistics`` (newer exports put
distance and energy there), ``WorkoutActivity`` and ``WorkoutRoute`` > ``FileReference
path="/workout-routes/route_....gpx"``.

**Streaming, bounded memory.** The file (1 to 4 GB) is read with lxml ``iterparse`` with
entity resolution, DTD loading and network access off (the export carries an internal DTD),
each element cleared once read. Only compact number arrays are kept: steps and distance
samples, heart-rate samples (to join into workouts), and per-day values.

**What is read.** Workouts become activities: the route GPX joined, heart-rate records joined
by time (the nearest sample within 15 s). Records become per-day measures: steps, walking and
running distance, resting heart rate, walking speed, walking steadiness, body mass, sleep.

**Overlap rule (iPhone and Watch).** Both count the same steps. For each local clock hour, only
the source that counted the most steps (or distance) in that hour is kept, and the day is the
sum of its hours. So hours the Watch was worn use the Watch, hours it was on the charger use
the phone, and nothing is added twice; this follows Apple's own one-source-per-interval
display. A sample is dated by the local day and hour it starts in, in its own UTC offset, so
travel across time zones keeps each day's local date. Resting heart rate: the source with the
most readings that day, their mean. Sleep: per night (the local date of waking), the source
with the most time asleep gives the hours asleep, the one with the most time in bed the
hours in bed; the two are never added.

**Refused values** (counted and named, never stored): values outside the core's ranges (heart
rate 0 or 300, negative steps), dates before 2007 or in the future, samples that end before
they start. A truncated file keeps what was read, minus the last, incomplete day of the record
type being read when it ended.
"""

from __future__ import annotations

import math
import re
import zipfile
import zlib
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO

import numpy as np
from lxml import etree

from stridewise.activity import Activity, build_activity
from stridewise.errors import IngestError
from stridewise.ingest.measures import ASLEEP_STAGES, Checks, ExportData, SleepSpan
from stridewise.science.steps import brisk_spans

SOURCE = "apple_health"
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
#: Heart-rate samples further than this from a route point are not joined to it.
HR_JOIN_S = 15.0
_PROGRESS_EVERY_BYTES = 8 * 1024 * 1024
_CHUNK_BYTES = 1024 * 1024
_WORKOUT_CHILDREN = frozenset({"WorkoutStatistics", "WorkoutEvent", "FileReference"})
_MAX_NAMED_UNKNOWN = 20
#: Children no reader uses, removed from the byte stream before lxml sees them: newer exports
#: (iOS 16+) give most heart-rate records a ``MetadataEntry`` (motion context), and HRV records
#: carry ``InstantaneousBeatsPerMinute`` lists; each would cost two Python callbacks. Only
#: complete empty elements in exactly Apple's form match (attribute values cannot hold ``"``
#: or ``<``), so removing them never changes what else the document says or whether it is
#: well-formed; any other form is left for lxml. Measured in bench/bench_apple_formats.py.
_UNREAD_CHILDREN = re.compile(
    rb'<MetadataEntry key="[^"<]*" value="[^"<]*"\s*/>'
    rb'|<InstantaneousBeatsPerMinute bpm="[^"<]*" time="[^"<]*"\s*/>')

_STEPS = "HKQuantityTypeIdentifierStepCount"
_DISTANCE = "HKQuantityTypeIdentifierDistanceWalkingRunning"
_HR = "HKQuantityTypeIdentifierHeartRate"
_RHR = "HKQuantityTypeIdentifierRestingHeartRate"
_SPEED = "HKQuantityTypeIdentifierWalkingSpeed"
_STEADINESS = "HKQuantityTypeIdentifierAppleWalkingSteadiness"
_MASS = "HKQuantityTypeIdentifierBodyMass"
_SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"

_SLEEP_VALUES = {
    "HKCategoryValueSleepAnalysisInBed": "in_bed",
    "HKCategoryValueSleepAnalysisAsleep": "asleep",
    "HKCategoryValueSleepAnalysisAsleepUnspecified": "asleep",
    "HKCategoryValueSleepAnalysisAsleepCore": "core",
    "HKCategoryValueSleepAnalysisAsleepDeep": "deep",
    "HKCategoryValueSleepAnalysisAsleepREM": "rem",
    "HKCategoryValueSleepAnalysisAwake": "awake",
}
#: Units to metres, metres per second and kilograms.
_LENGTH_M = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "yd": 0.9144, "ft": 0.3048, "cm": 0.01}
_SPEED_MPS = {"m/s": 1.0, "km/hr": 1 / 3.6, "km/h": 1 / 3.6, "mi/hr": 0.44704, "mph": 0.44704}
_MASS_KG = {"kg": 1.0, "lb": 0.45359237, "g": 0.001, "st": 6.35029318}
_DURATION_S = {"min": 60.0, "s": 1.0, "hr": 3600.0, "h": 3600.0}
_SPORTS = {
    "HKWorkoutActivityTypeWalking": "walk", "HKWorkoutActivityTypeRunning": "run",
    "HKWorkoutActivityTypeHiking": "hike", "HKWorkoutActivityTypeCycling": "ride",
    "HKWorkoutActivityTypeSwimming": "swim",
    "HKWorkoutActivityTypeTraditionalStrengthTraining": "strength",
    "HKWorkoutActivityTypeFunctionalStrengthTraining": "strength",
}
_LABELS = {
    _STEPS: "step count", _DISTANCE: "walking and running distance", _HR: "heart rate",
    _RHR: "resting heart rate", _SPEED: "walking speed", _STEADINESS: "walking steadiness",
    _MASS: "body mass", _SLEEP: "sleep",
}
#: Record type -> the core's validation field its value is checked against.
_FIELDS = {
    _STEPS: "step_count", _DISTANCE: "walking_distance_m", _HR: "heart_rate_bpm",
    _RHR: "resting_hr_bpm", _SPEED: "walking_speed_mps", _STEADINESS: "walking_steadiness_pct",
    _MASS: "body_mass_kg", _SLEEP: "sleep_interval_s",
}


class _Moments:
    """``2020-01-31 08:15:00 +0100`` -> (UTC seconds, offset seconds, local day number), with
    the day and offset parts cached: strptime would dominate the parse of a 4 GB export."""

    def __init__(self) -> None:
        self._days: dict[str, int] = {}
        self._offsets: dict[str, int] = {}
        self._hours: dict[str, tuple[float, int, int, int]] = {}

    def parse(self, text: str) -> tuple[float, int, int, int]:
        """UTC seconds, UTC offset seconds, local days since 1970-01-01, local hour."""
        # Date, hour and offset repeat for an hour of samples: one lookup, two int()s.
        key = text[:13] + text[19:]
        hit = self._hours.get(key)
        if hit is not None and text[16:17] == ":":
            return hit[0] + int(text[14:16]) * 60 + int(text[17:19]), hit[1], hit[2], hit[3]
        utc, offset, days, hour = self._parse(text)
        minutes_s = int(text[14:16]) * 60 + int(text[17:19])
        self._hours[key] = (utc - minutes_s, offset, days, hour)
        return utc, offset, days, hour

    def _parse(self, text: str) -> tuple[float, int, int, int]:
        day_text = text[:10]
        days = self._days.get(day_text)
        if days is None:
            days = date.fromisoformat(day_text).toordinal() - _EPOCH_ORDINAL
            self._days[day_text] = days
        if text[10] != " " or text[13] != ":" or text[16] != ":":
            raise ValueError(text)
        hour, minute, second = int(text[11:13]), int(text[14:16]), int(text[17:19])
        off_text = text[20:]
        offset = self._offsets.get(off_text)
        if offset is None:
            sign = -1 if off_text[:1] == "-" else 1
            digits = off_text.lstrip("+-").replace(":", "")
            if len(digits) != 4 or not digits.isdigit():
                raise ValueError(text)
            offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
            self._offsets[off_text] = offset
        local = days * 86400 + hour * 3600 + minute * 60 + second
        return float(local - offset), offset, days, hour

    @property
    def n_offsets(self) -> int:
        return len(self._offsets)


@dataclass
class _Workout:
    sport: str
    start_s: float
    end_s: float
    offset_s: int
    duration_s: float | None
    distance_m: float | None
    device: str
    route_path: str | None
    pauses: list[tuple[float, float]] = field(default_factory=list)


class _StreamBroken(Exception):
    """The stream under the parser failed (a damaged zip member, a disk error)."""


class _Target:
    """lxml parser target: Records at the top level, Workouts with their children's
    attributes; Records inside a Correlation are skipped, as Apple's DTD notes that they
    also appear as top-level records."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.depth = 0
        self.seen_root = False
        self.workout: dict[str, str] | None = None
        self.children: list[tuple[str, dict[str, str]]] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            self.seen_root = tag == "HealthData"
            if not self.seen_root:
                raise etree.XMLSyntaxError(f"the root element is <{tag}>, not <HealthData>",
                                           0, 0, 0)
        elif self.depth == 2:
            if tag == "Record":
                self.reader.record(attrib)
            elif tag == "Workout":
                self.workout = dict(attrib)
                self.children = []
        elif self.workout is not None and tag in _WORKOUT_CHILDREN:
            self.children.append((tag, dict(attrib)))

    def end(self, tag: str) -> None:
        if self.depth == 2 and tag == "Workout" and self.workout is not None:
            self.reader.workout(self.workout, self.children)
            self.workout, self.children = None, []
        self.depth -= 1

    # No ``data`` method: lxml then never calls back for text (the whitespace between
    # elements, which a newer export's metadata children multiply).

    def close(self) -> None:
        pass


class _Reader:
    def __init__(self, checks: Checks) -> None:
        self.checks = checks
        # The core's rules, read once: a 4 GB export holds tens of millions of values.
        self.first_s, self.last_s = checks.moment_bounds("phone")
        self.bounds = {kind: checks.value_bounds(f) for kind, f in _FIELDS.items()}
        self.out = ExportData(source=SOURCE)
        self.moments = _Moments()
        self.sources: dict[str, int] = {}
        self.source_names: list[str] = []
        # Sums per sample: UTC start, duration, value, source, local hour key (days*24+hour).
        self.samples: dict[str, tuple[array[float], ...]] = {
            kind: tuple(array("d") for _ in range(5)) for kind in (_STEPS, _DISTANCE)
        }
        # Heart rate is most of a real export: whole UTC seconds (uint32) and bpm (float32),
        # 8 bytes a sample, so 15 million samples (a 4 GB export) hold 120 MB.
        self.hr_t: array[int] = array("I")
        self.hr_bpm: array[float] = array("f")
        # Per (local day, type): values by source.
        self.daily: dict[tuple[int, str], dict[int, list[float]]] = {}
        self.sleep_local_day: list[int] = []
        self.workouts: list[_Workout] = []
        self.not_read: Counter[str] = Counter()
        self.unknown_named = 0
        self.last: tuple[str, int] | None = None

    def source_index(self, name: str) -> int:
        index = self.sources.get(name)
        if index is None:
            index = self.sources[name] = len(self.sources)
            self.source_names.append(name)
        return index

    def refuse(self, kind: str, why: str) -> None:
        self.out.problems[f"{_LABELS.get(kind, kind)} records {why}"] += 1

    # -- records ----------------------------------------------------------------------------
    def record(self, attrib: dict[str, str]) -> None:
        kind = attrib.get("type") or ""
        if kind not in _FIELDS:
            if kind.startswith("HK"):
                self.not_read[kind] += 1
            elif self.unknown_named < _MAX_NAMED_UNKNOWN or \
                    f"records of unknown type {kind!r}" in self.out.problems:
                if f"records of unknown type {kind!r}" not in self.out.problems:
                    self.unknown_named += 1
                self.out.problems[f"records of unknown type {kind!r}"] += 1
            else:
                self.out.problems["records of other unknown types"] += 1
            return
        try:
            start_s, offset, day, hour = self.moments.parse(attrib.get("startDate") or "")
            end_s, _, end_day, _ = self.moments.parse(attrib.get("endDate") or "")
        except (ValueError, IndexError):
            self.refuse(kind, "with an unreadable date")
            return
        if not (self.first_s <= start_s and end_s <= self.last_s):
            self.refuse(kind, "dated before 2007 or in the future")
            return
        if end_s < start_s:
            self.refuse(kind, "that end before they start")
            return
        self.last = (kind, day)
        source = self.source_index(attrib.get("sourceName") or "")
        if kind == _SLEEP:
            self.sleep(attrib, kind, start_s, end_s, offset, source)
            return
        try:
            value = float(attrib.get("value") or "nan")
        except ValueError:
            value = math.nan
        if kind != _STEPS and kind != _HR:
            value = self.in_units(kind, value, attrib.get("unit") or "")
        low, high = self.bounds[kind]
        if not low <= value <= high:  # NaN fails too
            self.refuse(kind, "with impossible values")
            return
        if kind in self.samples:
            cols = self.samples[kind]
            cols[0].append(start_s)
            cols[1].append(end_s - start_s)
            cols[2].append(value)
            cols[3].append(source)
            cols[4].append(day * 24 + hour)
        elif kind == _HR:
            self.hr_t.append(int(start_s))
            self.hr_bpm.append(value)
        else:
            # Steadiness summarises the week that ends on its end date.
            day = end_day if kind == _STEADINESS else day
            self.daily.setdefault((day, kind), {}).setdefault(source, []).append(value)

    def in_units(self, kind: str, value: float, unit: str) -> float:
        if kind == _DISTANCE:
            return value * _LENGTH_M.get(unit, math.nan)
        if kind == _SPEED:
            return value * _SPEED_MPS.get(unit, math.nan)
        if kind == _MASS:
            return value * _MASS_KG.get(unit, math.nan)
        if kind == _STEADINESS:
            # Apple writes the percentage as a fraction with unit "%".
            return value * 100.0 if value <= 1.0 else value
        return value

    def sleep(self, attrib: dict[str, str], kind: str, start_s: float, end_s: float,
              offset: int, source: int) -> None:
        stage = _SLEEP_VALUES.get(attrib.get("value") or "")
        if stage is None:
            self.refuse(kind, "with an unknown sleep stage")
            return
        if not self.checks.value_ok("sleep_interval_s", end_s - start_s):
            self.refuse(kind, "longer than 24 hours")
            return
        self.out.sleep.append(
            SleepSpan(start_s, end_s, stage, self.source_names[source], offset))
        # The night belongs to the local day of waking.
        self.sleep_local_day.append(int((end_s + offset) // 86400))

    # -- workouts ---------------------------------------------------------------------------
    def workout(self, attrib: dict[str, str], children: list[tuple[str, dict[str, str]]]
                ) -> None:
        try:
            start_s, offset, _, _ = self.moments.parse(attrib.get("startDate") or "")
            end_s = self.moments.parse(attrib.get("endDate") or "")[0]
        except (ValueError, IndexError):
            self.out.problems["workouts with an unreadable date"] += 1
            return
        if not (self.checks.moment_ok(start_s) and self.checks.moment_ok(end_s)):
            self.out.problems["workouts dated before 2007 or in the future"] += 1
            return
        if end_s <= start_s:
            self.out.problems["workouts that end before they start"] += 1
            return
        duration = _number(attrib.get("duration"))
        if duration is not None:
            duration *= _DURATION_S.get(attrib.get("durationUnit") or "min", math.nan)
        distance = _number(attrib.get("totalDistance"))
        if distance is not None:
            distance *= _LENGTH_M.get(attrib.get("totalDistanceUnit") or "km", math.nan)
        route: str | None = None
        pause_at: float | None = None
        pauses: list[tuple[float, float]] = []
        stats_distance = 0.0
        for tag, child in children:
            if tag == "WorkoutStatistics":
                # Newer exports: distance in statistics, per workout and per WorkoutActivity;
                # the workout's own statistics and its activities' are the same metres, so
                # the largest total is taken rather than their sum.
                stat_type = child.get("type") or ""
                if stat_type.startswith("HKQuantityTypeIdentifierDistance"):
                    metres = (_number(child.get("sum")) or 0.0) * _LENGTH_M.get(
                        child.get("unit") or "km", math.nan)
                    if math.isfinite(metres):
                        stats_distance = max(stats_distance, metres)
            elif tag == "WorkoutEvent":
                event = child.get("type") or ""
                try:
                    at = self.moments.parse(child.get("date") or "")[0]
                except (ValueError, IndexError):
                    continue
                if event.endswith("Pause"):
                    pause_at = at
                elif event.endswith("Resume") and pause_at is not None:
                    pauses.append((pause_at, at))
                    pause_at = None
            elif tag == "FileReference" and route is None:
                route = child.get("path")
        if distance is None and stats_distance > 0:
            distance = stats_distance
        if distance is not None and not (math.isfinite(distance)
                                         and self.checks.value_ok("distance_m", distance)):
            self.out.problems["workouts with an impossible distance"] += 1
            distance = None
        sport = _SPORTS.get(attrib.get("workoutActivityType") or "", "other")
        self.workouts.append(_Workout(
            sport, start_s, end_s, offset, duration, distance,
            attrib.get("sourceName") or "", route, pauses,
        ))

    # -- the end ----------------------------------------------------------------------------
    def finish(self, route: Callable[[str], bytes | None] | None,
               source_name: str) -> ExportData:
        out = self.out
        if out.truncated and self.last is not None:
            self._drop_day(*self.last)
        hr_t = np.frombuffer(self.hr_t, dtype=np.uint32) if self.hr_t else np.zeros(0, np.uint32)
        hr_v = (np.frombuffer(self.hr_bpm, dtype=np.float32) if self.hr_bpm
                else np.zeros(0, np.float32))
        # Apple writes each type's records in time order: sort only when they are not.
        if len(hr_t) > 1 and not bool(np.all(hr_t[1:] >= hr_t[:-1])):
            order = np.argsort(hr_t, kind="stable")
            hr_t, hr_v = hr_t[order], hr_v[order]
        for workout in self.workouts:
            activity = self._activity(workout, hr_t, hr_v, route, source_name)
            if activity is not None:
                out.activities.append(activity)
        self._sums(_STEPS)
        self._sums(_DISTANCE)
        self._per_day()
        self._nights()
        if self.not_read:
            top = ", ".join(f"{k.removeprefix('HKQuantityTypeIdentifier')} {v}"
                            for k, v in self.not_read.most_common(5))
            out.notes.append(f"not read: {sum(self.not_read.values())} records of "
                             f"{len(self.not_read)} other types ({top}, ...)")
        if self.moments.n_offsets > 1:
            out.notes.append(f"dates carry {self.moments.n_offsets} different UTC offsets "
                             "(travel or daylight saving): each sample keeps its own local day")
        return out

    def _drop_day(self, kind: str, day: int) -> None:
        """The file ended inside ``kind``'s samples of local ``day``: that day is partial."""
        if kind in self.samples:
            cols = self.samples[kind]
            keep = [i for i in range(len(cols[4])) if int(cols[4][i]) // 24 != day]
            self.samples[kind] = tuple(array("d", (col[i] for i in keep)) for col in cols)
        self.daily.pop((day, kind), None)

    def _sums(self, kind: str) -> None:
        """The overlap rule: per local hour, the one source with the largest total."""
        cols = [np.frombuffer(c, dtype=np.float64) if len(c) else np.zeros(0)
                for c in self.samples[kind]]
        start, dur, value, source, hour = cols
        if len(start) == 0:
            return
        n_sources = max(len(self.sources), 1)
        key = hour.astype(np.int64) * n_sources + source.astype(np.int64)
        keys, inverse = np.unique(key, return_inverse=True)
        totals = np.bincount(inverse, weights=value)
        key_hours = keys // n_sources
        # Within each hour, the largest total first; its key is the one kept.
        order = np.lexsort((-totals, key_hours))
        first = np.ones(len(order), dtype=bool)
        first[1:] = key_hours[order][1:] != key_hours[order][:-1]
        kept_key = np.zeros(len(keys), dtype=bool)
        kept_key[order[first]] = True
        kept = kept_key[inverse]
        days = (hour[kept] // 24).astype(np.int64)
        if len(days) == 0:
            return
        first_day = int(days.min())
        per_day = np.bincount(days - first_day, weights=value[kept])
        present = np.bincount(days - first_day) > 0
        if kind == _STEPS:
            mod_day, vig_day = self._brisk(start[kept], dur[kept], value[kept], days,
                                           first_day, len(per_day))
        for i in np.flatnonzero(present):
            day = _day(first_day + int(i))
            total = float(per_day[i])
            measures = self.out.day(day)
            if kind == _STEPS:
                if not self.checks.value_ok("step_count", total):
                    self.out.problems["days with an impossible step total"] += 1
                    continue
                measures.steps = round(total)
                measures.steps_moderate_min = float(mod_day[i])
                measures.steps_vigorous_min = float(vig_day[i])
            else:
                if not self.checks.value_ok("walking_distance_m", total):
                    self.out.problems["days with an impossible distance total"] += 1
                    continue
                measures.walking_distance_m = total

    def _brisk(self, start: np.ndarray, dur: np.ndarray, steps: np.ndarray, days: np.ndarray,
               first_day: int, n_days: int) -> tuple[np.ndarray, np.ndarray]:
        """Brisk spans of the kept step samples (science.steps.brisk_spans), each on the local
        day of the sample it starts with, into ``out.brisk``; returns the day's moderate and
        vigorous minutes (recorded sessions are taken out later, by the series)."""
        order = np.argsort(start, kind="stable")
        start, dur, steps, days = start[order], dur[order], steps[order], days[order]
        span_s, span_e, vigorous = brisk_spans(start, dur, steps)
        span_day = days[np.clip(np.searchsorted(start, span_s), 0, max(len(start) - 1, 0))]
        minutes = (span_e - span_s) / 60.0
        offsets = span_day - first_day
        mod_day = np.bincount(offsets, weights=np.where(vigorous, 0.0, minutes),
                              minlength=n_days)
        vig_day = np.bincount(offsets, weights=np.where(vigorous, minutes, 0.0),
                              minlength=n_days)
        for s_, e_, v_, d_ in zip(span_s.tolist(), span_e.tolist(), vigorous.tolist(),
                                  span_day.tolist(), strict=True):
            self.out.brisk.setdefault(_day(int(d_)), []).append((s_, e_, bool(v_)))
        return mod_day, vig_day

    def _per_day(self) -> None:
        for (day_number, kind), by_source in self.daily.items():
            measures = self.out.day(_day(day_number))
            if kind == _RHR:
                # The source with the most readings that day, so one device decides.
                values = max(by_source.values(), key=len)
                measures.resting_hr_bpm = float(np.mean(values))
            else:
                values = [v for vs in by_source.values() for v in vs]
                if kind == _SPEED:
                    measures.walking_speed_mps = float(np.mean(values))
                elif kind == _STEADINESS:
                    measures.walking_steadiness_pct = float(np.mean(values))
                elif kind == _MASS:
                    measures.body_mass_kg = float(np.mean(values))

    def _nights(self) -> None:
        nights: dict[int, dict[str, list[SleepSpan]]] = {}
        for span, day in zip(self.out.sleep, self.sleep_local_day, strict=True):
            nights.setdefault(day, {}).setdefault(span.device, []).append(span)
        for day, by_device in nights.items():
            asleep = {d: _union_s([s for s in spans if s.stage in ASLEEP_STAGES])
                      for d, spans in by_device.items()}
            device = max(asleep, key=lambda d: asleep[d])
            # In bed often comes from the phone (bedtime), asleep from the watch: each
            # from the one device that measured most of it, never added together.
            in_bed = max(_union_s([s for s in spans if s.stage == "in_bed"])
                         for spans in by_device.values())
            measures = self.out.day(_day(day))
            measures.sleep_asleep_s = asleep[device] or None
            measures.sleep_in_bed_s = in_bed or None

    def _activity(self, workout: _Workout, hr_t: np.ndarray, hr_v: np.ndarray,
                  route: Callable[[str], bytes | None] | None,
                  source_name: str) -> Activity | None:
        warnings: list[str] = []
        records: dict[str, np.ndarray] | None = None
        if workout.route_path is not None:
            records = self._route(workout, route, warnings)
        lo, hi = (int(i) for i in np.searchsorted(
            hr_t, np.array([math.floor(workout.start_s), math.ceil(workout.end_s)],
                           dtype=np.uint32)))
        hr_t = hr_t[lo:hi].astype(np.float64)
        hr_v = hr_v[lo:hi].astype(np.float64)
        lo, hi = 0, len(hr_t)
        if records is None:
            times = np.concatenate(([workout.start_s], hr_t[lo:hi], [workout.end_s]))
            times = np.unique(times)
            records = {"time_s": times}
        if hi > lo:
            records["heart_rate_bpm"] = _join(records["time_s"], hr_t[lo:hi], hr_v[lo:hi])
        if workout.distance_m is not None:
            # The workout's own total (pedometer and GPS) is the distance; only the first and
            # last points carry it, the rest stay unknown rather than invented.
            dist = np.full(len(records["time_s"]), np.nan)
            dist[0], dist[-1] = 0.0, workout.distance_m
            records["distance_m"] = dist
        if workout.pauses:
            warnings.append(f"{len(workout.pauses)} pause(s) recorded in Apple Health")
        try:
            return build_activity(
                records, sport=workout.sport, source_format="apple_health",
                utc_offset_s=workout.offset_s, device=workout.device or None,
                warnings=warnings,
            )
        except (ValueError, IngestError) as exc:
            self.out.problems[f"workouts that could not be read ({exc})"[:160]] += 1
            return None

    def _route(self, workout: _Workout, route: Callable[[str], bytes | None] | None,
               warnings: list[str]) -> dict[str, np.ndarray] | None:
        from stridewise.ingest import gpx

        path = workout.route_path or ""
        data = route(path) if route is not None else None
        if data is None:
            self.out.problems["workout routes missing from the export"] += 1
            warnings.append(f"the route {path} is missing from the export")
            return None
        try:
            tracks = gpx.read(data, source_name=path)
        except IngestError as exc:
            self.out.problems["workout routes that could not be read"] += 1
            warnings.append(f"the route {path} could not be read ({exc.reason})")
            return None
        cols = tracks[0].records
        wanted = ("time_s", "lat_deg", "lon_deg", "altitude_m", "speed_mps")
        keep: dict[str, np.ndarray] = {k: cols[k] for k in wanted if k in cols}
        return keep


def _join(times: np.ndarray, hr_t: np.ndarray, hr_v: np.ndarray) -> np.ndarray:
    """Heart rate at ``times``: the nearest sample within :data:`HR_JOIN_S`, else NaN."""
    idx = np.clip(np.searchsorted(hr_t, times), 1, len(hr_t) - 1) if len(hr_t) > 1 else \
        np.zeros(len(times), dtype=np.int64)
    if len(hr_t) > 1:
        left = idx - 1
        use_left = np.abs(times - hr_t[left]) <= np.abs(hr_t[idx] - times)
        idx = np.where(use_left, left, idx)
    out = hr_v[idx].astype(np.float64)
    out[np.abs(hr_t[idx] - times) > HR_JOIN_S] = np.nan
    return out


def _union_s(spans: list[SleepSpan]) -> float:
    """Seconds covered by the spans, overlaps counted once."""
    total, end = 0.0, -math.inf
    for span in sorted(spans, key=lambda s: s.start_utc_s):
        start = max(span.start_utc_s, end)
        if span.end_utc_s > start:
            total += span.end_utc_s - start
        end = max(end, span.end_utc_s)
    return total


def _day(number: int) -> date:
    return date(1970, 1, 1) + timedelta(days=number)


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_export(
    stream: IO[bytes],
    *,
    source_name: str,
    checks: Checks,
    total_bytes: int = 0,
    route: Callable[[str], bytes | None] | None = None,
    on_bytes: Callable[[int, int], None] | None = None,
) -> ExportData:
    """Read an Apple Health ``export.xml`` stream (see the module docstring).

    ``route(path)`` returns the bytes of a ``workout-routes`` GPX named in the export, or
    None when it is missing; ``on_bytes(done, total)`` is
    called as the file is read. Never raises for bad content: problems are counted in the
    result, and a file cut short is marked ``truncated``.
    """
    reader = _Reader(checks)
    target = _Target(reader)
    # A target parser builds no tree at all: memory stays bounded whatever the file's size.
    parser = etree.XMLParser(target=target, resolve_entities=False, load_dtd=False,
                             no_network=True, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    done = 0
    pending = b""
    next_report = _PROGRESS_EVERY_BYTES
    try:
        while True:
            try:
                chunk = stream.read(_CHUNK_BYTES)
            except (OSError, EOFError, ValueError, zlib.error, zipfile.BadZipFile) as exc:
                raise _StreamBroken(str(exc)) from exc
            if not chunk:
                break
            done += len(chunk)
            chunk = pending + chunk
            # A tag cut at the chunk's end waits for the next chunk, so the filter below only
            # ever sees whole elements.
            cut = chunk.rfind(b"<")
            if cut >= 0 and chunk.find(b">", cut) < 0 and len(chunk) - cut < _CHUNK_BYTES:
                chunk, pending = chunk[:cut], chunk[cut:]
            else:
                pending = b""
            parser.feed(_UNREAD_CHILDREN.sub(b"", chunk))
            if on_bytes is not None and done >= next_report:
                next_report = done + _PROGRESS_EVERY_BYTES
                on_bytes(done, total_bytes)
        if pending:
            parser.feed(pending)
        parser.close()
    except (etree.XMLSyntaxError, _StreamBroken) as exc:
        if not target.seen_root:
            raise IngestError(f"is not a readable Apple Health export ({exc})",
                              source=source_name) from exc
        reader.out.truncated = (
            f"export.xml could not be read past about {done >> 20} MiB ({exc}); "
            "everything before is imported, the last incomplete day left out"
        )
    if on_bytes is not None:
        on_bytes(done, total_bytes or done)
    return reader.finish(route, source_name)
