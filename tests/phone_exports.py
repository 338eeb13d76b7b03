"""Generated Apple Health exports with a known truth, for tests and ``bench/bench_apple_health``.

The structure follows Apple's export (the DTD at the top of ``export.xml``, HealthKit type
identifiers, ``workout-routes/route_*.gpx``): see tests/fixtures/phone/PROVENANCE.md. Each
day, in local time (UTC+1 for the first half of the days, UTC+2 after: mixed offsets):

- 07:00-07:30 on even days: a Watch walking workout with 110 steps/min per-minute Watch
  step samples and heart rate every 5 s (the iPhone counts the same walk at 90 % in 10-minute
  samples: the Watch wins the hour); a GPX route for it;
- 12:00-12:30: iPhone-only steps, 3 samples of 10 minutes x 500 steps (no graded minutes);
- 17:00-17:20: a brisk walk outside any workout, Watch per-minute samples at 105 steps/min
  (20 moderate minutes), the iPhone again at 90 %;
- resting heart rate from the Watch, 55 + day % 5 bpm; body mass every 7th day;
- sleep: iPhone in bed 22:30-06:45, Watch core 23:00-03:00, deep 03:00-04:00, REM
  04:00-06:30 (asleep 7.5 h, in bed 8.25 h: never added together).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO

DTD = """<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|
ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate value CDATA #REQUIRED>
<!ELEMENT Me EMPTY>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics|
WorkoutActivity)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  totalDistance         CDATA #IMPLIED
  totalDistanceUnit     CDATA #IMPLIED
  totalEnergyBurned     CDATA #IMPLIED
  totalEnergyBurnedUnit CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutEvent EMPTY>
<!ATTLIST WorkoutEvent type CDATA #REQUIRED date CDATA #REQUIRED duration CDATA #IMPLIED>
<!ELEMENT WorkoutActivity ((WorkoutEvent|WorkoutStatistics|MetadataEntry)*)>
<!ATTLIST WorkoutActivity uuid CDATA #REQUIRED startDate CDATA #REQUIRED
  endDate CDATA #IMPLIED duration CDATA #IMPLIED durationUnit CDATA #IMPLIED>
<!ELEMENT WorkoutStatistics EMPTY>
<!ATTLIST WorkoutStatistics type CDATA #REQUIRED startDate CDATA #REQUIRED
  endDate CDATA #REQUIRED average CDATA #IMPLIED minimum CDATA #IMPLIED
  maximum CDATA #IMPLIED sum CDATA #IMPLIED unit CDATA #IMPLIED>
<!ELEMENT WorkoutRoute ((MetadataEntry|FileReference)*)>
<!ATTLIST WorkoutRoute sourceName CDATA #REQUIRED startDate CDATA #IMPLIED
  endDate CDATA #IMPLIED>
<!ELEMENT FileReference EMPTY>
<!ATTLIST FileReference path CDATA #REQUIRED>
]>
"""

WATCH = "Jane's Apple Watch"
PHONE = "Jane's iPhone"
STEPS = "HKQuantityTypeIdentifierStepCount"
DIST = "HKQuantityTypeIdentifierDistanceWalkingRunning"
HR = "HKQuantityTypeIdentifierHeartRate"
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
STRIDE_M = 0.75


@dataclass
class Truth:
    steps: dict[date, int] = field(default_factory=dict)
    distance_m: dict[date, float] = field(default_factory=dict)
    moderate_min: dict[date, float] = field(default_factory=dict)
    resting_hr: dict[date, float] = field(default_factory=dict)
    asleep_h: dict[date, float] = field(default_factory=dict)
    in_bed_h: dict[date, float] = field(default_factory=dict)
    #: (local start, UTC offset hours, distance m) of each walk.
    walks: list[tuple[datetime, int, float]] = field(default_factory=list)
    routes: dict[str, bytes] = field(default_factory=dict)


def _stamp(local: datetime, offset_h: int) -> str:
    return f"{local:%Y-%m-%d %H:%M:%S} {'+' if offset_h >= 0 else '-'}{abs(offset_h):02d}00"


def _record(kind: str, source: str, unit: str, value: object, start: datetime,
            end: datetime, off: int) -> str:
    return (f' <Record type="{kind}" sourceName="{source}" sourceVersion="17.1" unit="{unit}"'
            f' creationDate="{_stamp(end, off)}" startDate="{_stamp(start, off)}"'
            f' endDate="{_stamp(end, off)}" value="{value}"/>\n')


def _sleep_record(source: str, value: str, start: datetime, end: datetime, off: int) -> str:
    """Sleep samples carry the time zone as metadata, as the Health app writes them."""
    return _record(SLEEP, source, "", value, start, end, off).replace(
        "/>\n", '>\n  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>\n </Record>\n')


def route_gpx(start_utc: datetime, minutes: int) -> bytes:
    points = []
    for s in range(0, minutes * 60 + 1, 5):
        t = start_utc + timedelta(seconds=s)
        lat = 51.5 + s * 1.375 / 111_320.0  # 1.375 m/s due north: the workout's distance
        # Apple's route points carry speed, course and accuracies as extensions.
        points.append(f'<trkpt lon="-0.1" lat="{lat:.7f}"><ele>20</ele>'
                      f'<time>{t:%Y-%m-%dT%H:%M:%SZ}</time><extensions><speed>1.375</speed>'
                      '<course>0.0</course><hAcc>3.1</hAcc><vAcc>2.4</vAcc></extensions>'
                      '</trkpt>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Apple Health '
            'Export" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Route</name><trkseg>'
            + "".join(points) + "</trkseg></trk></gpx>").encode()


#: ``layout`` values of :func:`write_export`.
LAYOUTS = ("mixed", "older", "newer")
_MOTION = ('>\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="1"/>\n'
           ' </Record>\n')


def write_export(out: IO[str], first: date, n_days: int, *, noise: bool = True,
                 background_hr_every_s: int = 0, background_energy_every_s: int = 0,
                 layout: str = "mixed") -> Truth:
    """Write ``export.xml`` text to ``out``; return the truth it was built from.

    Records are grouped by type as Apple writes them (all steps, then distance, ...), then
    the workouts. ``layout``: ``older`` puts every workout's distance in attributes of
    ``<Workout>`` (iOS up to 15); ``newer`` (iOS 16+) puts it in ``<WorkoutStatistics>``, at
    the workout's level and inside a ``<WorkoutActivity>``, and gives heart-rate records
    their motion-context ``<MetadataEntry>``; ``mixed`` (default) alternates workouts of both
    (one in four newer)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    newer_hr = layout == "newer"

    def hr(source: str, value: object, t: datetime, off: int) -> str:
        text = _record(HR, source, "count/min", value, t, t, off)
        return text.replace("/>\n", _MOTION) if newer_hr else text

    truth = Truth()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + DTD)
    out.write('<HealthData locale="en_GB">\n <ExportDate value="2026-01-01 09:00:00 +0000"/>\n'
              ' <Me HKCharacteristicTypeIdentifierDateOfBirth="1958-03-01"/>\n')
    days = [(first + timedelta(days=i), 1 if i < n_days // 2 else 2) for i in range(n_days)]

    def at(day: date, h: int, m: int = 0) -> datetime:
        return datetime(day.year, day.month, day.day, h, m)

    for kind, unit, per_step in ((STEPS, "count", 1.0), (DIST, "km", STRIDE_M / 1000)):
        for i, (day, off) in enumerate(days):
            walk = i % 2 == 0
            total = 0.0
            bouts = [(at(day, 17), 20, 105)] + ([(at(day, 7), 30, 110)] if walk else [])
            for start, minutes, spm in bouts:
                for k in range(minutes):
                    s = start + timedelta(minutes=k)
                    out.write(_record(kind, WATCH, unit, _fmt(spm * per_step), s,
                                      s + timedelta(minutes=1), off))
                for k in range(0, minutes, 10):
                    s = start + timedelta(minutes=k)
                    n = min(10, minutes - k) * spm * 0.9
                    out.write(_record(kind, PHONE, unit, _fmt(n * per_step), s,
                                      s + timedelta(minutes=min(10, minutes - k)), off))
                total += minutes * spm
            for k in range(3):
                s = at(day, 12, 10 * k)
                out.write(_record(kind, PHONE, unit, _fmt(500 * per_step), s,
                                  s + timedelta(minutes=10), off))
            total += 1500
            if kind == STEPS:
                truth.steps[day] = round(total)
                truth.moderate_min[day] = 20.0
            else:
                truth.distance_m[day] = total * STRIDE_M
    for i, (day, off) in enumerate(days):
        if i % 2 == 0:
            for s in range(0, 30 * 60, 5):
                t = at(day, 7) + timedelta(seconds=s)
                out.write(hr(WATCH, 110, t, off))
        if background_hr_every_s:
            for s in range(8 * 3600, 22 * 3600, background_hr_every_s):
                t = at(day, 0) + timedelta(seconds=s)
                if i % 2 == 0 and at(day, 7) <= t < at(day, 7, 30):
                    continue
                out.write(hr(WATCH, 72 + s % 7, t, off))
    if background_energy_every_s:  # the bulk of a real export: active energy samples
        for day, off in days:
            for s in range(6 * 3600, 23 * 3600, background_energy_every_s):
                t = at(day, 0) + timedelta(seconds=s)
                out.write(_record("HKQuantityTypeIdentifierActiveEnergyBurned", WATCH, "kcal",
                                  0.25 + s % 5 / 10, t, t + timedelta(seconds=60), off))
    for i, (day, off) in enumerate(days):
        rhr = 55 + i % 5
        out.write(_record("HKQuantityTypeIdentifierRestingHeartRate", WATCH, "count/min", rhr,
                          at(day, 0), at(day, 23, 59), off))
        truth.resting_hr[day] = rhr
        out.write(_record("HKQuantityTypeIdentifierActiveEnergyBurned", WATCH, "kcal", 1.5,
                          at(day, 9), at(day, 9, 1), off))
        if i % 7 == 0:
            out.write(_record("HKQuantityTypeIdentifierBodyMass", PHONE, "kg", 68.5,
                              at(day, 8), at(day, 8), off))
    for i, (day, off) in enumerate(days[1:], start=1):
        prev = days[i - 1][0]
        out.write(_sleep_record(PHONE, "HKCategoryValueSleepAnalysisInBed",
                                at(prev, 22, 30), at(day, 6, 45), off))
        for value, s, e in (("AsleepCore", at(prev, 23), at(day, 3)),
                            ("AsleepDeep", at(day, 3), at(day, 4)),
                            ("AsleepREM", at(day, 4), at(day, 6, 30))):
            out.write(_sleep_record(WATCH, f"HKCategoryValueSleepAnalysis{value}", s, e, off))
        truth.asleep_h[day] = 7.5
        truth.in_bed_h[day] = 8.25
    if noise:
        day, off = days[-1]
        bad = [
            (HR, "count/min", 0, at(day, 10)), (HR, "count/min", 300, at(day, 10)),
            (STEPS, "count", -5, at(day, 10)),
            (HR, "count/min", 80, datetime(1970, 1, 1, 0, 0)),
            (HR, "count/min", 80, datetime(2099, 1, 1, 0, 0)),
        ]
        for kind, unit, value, t in bad:
            out.write(_record(kind, WATCH, unit, value, t, t, off))
        out.write(_record("FooTypeIdentifierUnknown", WATCH, "", 1, at(day, 9), at(day, 9),
                          off))
    for i, (day, off) in enumerate(days):
        if i % 2:
            continue
        start, end = at(day, 7), at(day, 7, 30)
        distance_km = 30 * 110 * STRIDE_M / 1000
        start_utc = (start - timedelta(hours=off)).replace(tzinfo=UTC)
        name = f"route_{day:%Y-%m-%d}_7.00am.gpx"
        truth.routes[f"workout-routes/{name}"] = route_gpx(start_utc, 30)
        truth.walks.append((start, off, distance_km * 1000))
        # Newer exports: distance in WorkoutStatistics.
        newer = layout == "newer" or (layout == "mixed" and i % 4 == 0)
        dist_attr = "" if newer else (f' totalDistance="{distance_km:.4f}" '
                                      'totalDistanceUnit="km"')
        out.write(f' <Workout workoutActivityType="HKWorkoutActivityTypeWalking" '
                  f'duration="30" durationUnit="min"{dist_attr} sourceName="{WATCH}" '
                  f'sourceVersion="10.1" creationDate="{_stamp(end, off)}" '
                  f'startDate="{_stamp(start, off)}" endDate="{_stamp(end, off)}">\n')
        if newer:
            stats = (f'<WorkoutStatistics type="{DIST}" startDate="{_stamp(start, off)}" '
                     f'endDate="{_stamp(end, off)}" sum="{distance_km:.4f}" unit="km"/>\n')
            out.write("  " + stats)
            if layout == "newer":
                out.write(f'  <WorkoutActivity uuid="A{i:07d}" startDate="{_stamp(start, off)}"'
                          f' endDate="{_stamp(end, off)}" duration="30" durationUnit="min">\n'
                          "   " + stats + "  </WorkoutActivity>\n")
        out.write(f'  <WorkoutRoute sourceName="{WATCH}" sourceVersion="10.1" '
                  f'startDate="{_stamp(start, off)}" endDate="{_stamp(end, off)}">\n'
                  f'   <FileReference path="/workout-routes/{name}"/>\n  </WorkoutRoute>\n'
                  " </Workout>\n")
    out.write("</HealthData>\n")
    return truth


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def export_text(first: date, n_days: int, **kwargs: object) -> tuple[str, Truth]:
    buffer = io.StringIO()
    truth = write_export(buffer, first, n_days, **kwargs)  # type: ignore[arg-type]
    return buffer.getvalue(), truth


def write_zip(path: Path, first: date, n_days: int, *, with_xml: bool = True,
              **kwargs: object) -> Truth:
    text, truth = export_text(first, n_days, **kwargs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if with_xml:
            archive.writestr("apple_health_export/export.xml", text)
        archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
        for name, data in truth.routes.items():
            archive.writestr(f"apple_health_export/{name}", data)
    return truth
