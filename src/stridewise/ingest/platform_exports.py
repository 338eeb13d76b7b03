"""Daily data from Garmin Connect's account export and Fitbit's Google Takeout export.

**Garmin Connect** ("Request your data" zip): the FIT files in the nested
``DI-Connect-Uploaded-Files/*.zip`` parts import as activities, named and typed by
``DI-Connect-Fitness/*summarizedActivities*.json`` (see :mod:`stridewise.ingest.exportindex`);
this module reads the daily data:

- ``DI_CONNECT/DI-Connect-Aggregator/UDSFile_*.json``: a list of daily summaries with
  ``calendarDate`` (the local day), ``totalSteps``, ``totalDistanceMeters``,
  ``restingHeartRate``, ``moderateIntensityMinutes`` and ``vigorousIntensityMinutes`` (the
  watch's own intensity minutes, which include recorded activities);
- ``DI_CONNECT/DI-Connect-Wellness/*sleepData.json``: per night ``calendarDate`` (the wake
  day), ``sleepStartTimestampGMT`` / ``sleepEndTimestampGMT`` (UTC) and ``deepSleepSeconds``,
  ``lightSleepSeconds``, ``remSleepSeconds``, ``awakeSleepSeconds``. Asleep = deep + light +
  REM; the window from start to end is stored as time in bed.

**Fitbit** (Google Takeout ``Takeout/Fitbit/Global Export Data/`` or the older Fitbit
``user-site-export/``), one file per metric and period:

- ``steps-YYYY-MM-DD.json``: per-minute ``{"dateTime": "01/15/24 08:01:00", "value": "23"}``.
  These timestamps are UTC, so each minute is dated in the athlete's time zone; per-minute
  counts are exactly what cadence grading needs (:mod:`stridewise.science.steps`);
- ``resting_heart_rate-YYYY-MM-DD.json``: ``{"value": {"date": "01/15/24", "value": 58.3}}``
  per day (a local date);
- ``sleep-YYYY-MM-DD.json``: sleep logs with ``dateOfSleep`` (the wake day), ``startTime``
  and ``endTime`` in the device's local time (no offset: read in the athlete's zone),
  ``minutesAsleep`` and ``timeInBed``.

Values outside the core's ranges are counted and named, never stored.
"""

from __future__ import annotations

import json
import math
import posixpath
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, tzinfo

import numpy as np

from stridewise.ingest.measures import Checks, DayMeasures, ExportData, SleepSpan
from stridewise.science.steps import brisk_spans

_GARMIN_UDS = re.compile(r"(^|/)DI-Connect-Aggregator/UDSFile_[^/]*\.json$", re.IGNORECASE)
_GARMIN_SLEEP = re.compile(r"(^|/)DI-Connect-Wellness/[^/]*sleepData\.json$", re.IGNORECASE)
_FITBIT = re.compile(
    r"(^|/)(steps|resting_heart_rate|sleep)-\d{4}-\d{2}-\d{2}\.json$", re.IGNORECASE)
#: Largest daily-data JSON read (a month of per-minute steps is ~3 MB).
MAX_JSON_BYTES = 64 * 1024 * 1024


def garmin_members(names: Iterable[str]) -> list[str]:
    return sorted(n for n in names if _GARMIN_UDS.search(n) or _GARMIN_SLEEP.search(n))


def fitbit_members(names: Iterable[str]) -> list[str]:
    return sorted(n for n in names if _FITBIT.search(n))


def _load(name: str, read: Callable[[str], bytes | None], out: ExportData) -> list[object]:
    data = read(name)
    if data is None:
        out.problems[f"files that could not be read ({posixpath.basename(name)})"] += 1
        return []
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError):
        out.problems["files that are not valid JSON"] += 1
        return []
    return payload if isinstance(payload, list) else [payload]


def _float(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _day_ok(day: date, checks: Checks) -> bool:
    return checks.moment_ok(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp())


def read_garmin(names: list[str], read: Callable[[str], bytes | None], *,
                checks: Checks) -> ExportData:
    """Garmin's daily summaries and nights (see the module docstring)."""
    out = ExportData(source="garmin")
    for name in names:
        for item in _load(name, read, out):
            if not isinstance(item, dict):
                continue
            try:
                day = date.fromisoformat(str(item.get("calendarDate")))
            except ValueError:
                out.problems["days with an unreadable date"] += 1
                continue
            if not _day_ok(day, checks):
                out.problems["days dated before 2007 or in the future"] += 1
                continue
            if _GARMIN_UDS.search(name):
                _garmin_day(item, out.day(day), checks, out)
            else:
                _garmin_night(item, day, checks, out)
    return out


def _checked(value: object, field: str, what: str, checks: Checks,
             out: ExportData) -> float | None:
    number = _float(value)
    if number is None:
        return None
    if not checks.value_ok(field, number):
        out.problems[f"{what} values that are impossible"] += 1
        return None
    return number


def _garmin_day(item: dict[str, object], measures: DayMeasures, checks: Checks,
                out: ExportData) -> None:
    measures.steps = _checked(item.get("totalSteps"), "step_count", "step", checks, out)
    measures.walking_distance_m = _checked(item.get("totalDistanceMeters"),
                                           "walking_distance_m", "distance", checks, out)
    measures.resting_hr_bpm = _checked(item.get("restingHeartRate"), "resting_hr_bpm",
                                       "resting heart rate", checks, out)
    for key, attr in (("moderateIntensityMinutes", "device_moderate_min"),
                      ("vigorousIntensityMinutes", "device_vigorous_min")):
        minutes = _float(item.get(key))
        if minutes is not None and 0 <= minutes <= 24 * 60:
            setattr(measures, attr, minutes)
        elif minutes is not None:
            out.problems["intensity minutes that are impossible"] += 1


def _garmin_night(item: dict[str, object], day: date, checks: Checks,
                  out: ExportData) -> None:
    parts = [_float(item.get(k)) for k in ("deepSleepSeconds", "lightSleepSeconds",
                                           "remSleepSeconds")]
    asleep = sum(p for p in parts if p is not None)
    start: datetime | None
    end: datetime | None
    try:
        start = datetime.fromisoformat(str(item.get("sleepStartTimestampGMT"))).replace(
            tzinfo=UTC)
        end = datetime.fromisoformat(str(item.get("sleepEndTimestampGMT"))).replace(tzinfo=UTC)
    except ValueError:
        start = end = None
    measures = out.day(day)
    if asleep > 0:
        if not checks.value_ok("sleep_interval_s", asleep):
            out.problems["nights longer than 24 hours"] += 1
            return
        measures.sleep_asleep_s = asleep
    if start is not None and end is not None and end > start:
        span = (end - start).total_seconds()
        if checks.value_ok("sleep_interval_s", span):
            measures.sleep_in_bed_s = span
            out.sleep.append(SleepSpan(start.timestamp(), end.timestamp(), "in_bed", "garmin"))


_FITBIT_TIME = "%m/%d/%y %H:%M:%S"


def read_fitbit(names: list[str], read: Callable[[str], bytes | None], *, checks: Checks,
                zone: tzinfo) -> ExportData:
    """Fitbit's per-minute steps, resting heart rate and sleep logs (module docstring)."""
    out = ExportData(source="fitbit")
    step_t: list[float] = []
    step_n: list[float] = []
    for name in names:
        kind = posixpath.basename(name).rsplit("-", 3)[0].lower()
        for item in _load(name, read, out):
            if not isinstance(item, dict):
                continue
            if kind == "steps":
                try:
                    at = datetime.strptime(str(item.get("dateTime")), _FITBIT_TIME).replace(
                        tzinfo=UTC).timestamp()
                except ValueError:
                    out.problems["step minutes with an unreadable time"] += 1
                    continue
                count = _checked(item.get("value"), "step_count", "step", checks, out)
                if count is None or not checks.moment_ok(at):
                    continue
                if count > 300:  # more than 300 steps in one minute: a sensor error
                    out.problems["step values that are impossible"] += 1
                    continue
                step_t.append(at)
                step_n.append(count)
            elif kind == "resting_heart_rate":
                _fitbit_resting(item, checks, out)
            else:
                _fitbit_sleep(item, checks, zone, out)
    if step_t:
        t = np.array(step_t)
        n = np.array(step_n)
        totals: dict[date, list[float]] = {}
        for at, steps in zip(t.tolist(), n.tolist(), strict=True):
            acc = totals.setdefault(datetime.fromtimestamp(at, zone).date(), [0.0, 0.0, 0.0])
            acc[0] += steps
        # Brisk spans with their times: the series takes out recorded sessions (science.steps).
        span_s, span_e, vigorous = brisk_spans(t, np.full(len(t), 60.0), n)
        for s_, e_, v_ in zip(span_s.tolist(), span_e.tolist(), vigorous.tolist(), strict=True):
            day = datetime.fromtimestamp(s_, zone).date()
            out.brisk.setdefault(day, []).append((s_, e_, bool(v_)))
            totals.setdefault(day, [0.0, 0.0, 0.0])[2 if v_ else 1] += (e_ - s_) / 60.0
        for day, (steps, mod, vig) in totals.items():
            measures = out.day(day)
            measures.steps = round(steps)
            measures.steps_moderate_min = mod
            measures.steps_vigorous_min = vig
    return out


def _fitbit_resting(item: dict[str, object], checks: Checks, out: ExportData) -> None:
    value = item.get("value")
    if not isinstance(value, dict):
        return
    bpm = _float(value.get("value"))
    if bpm is None or bpm == 0:  # Fitbit writes 0 for days without a reading
        return
    try:
        day = datetime.strptime(str(value.get("date")), "%m/%d/%y").replace(tzinfo=UTC).date()
    except ValueError:
        out.problems["resting heart rates with an unreadable date"] += 1
        return
    if not checks.value_ok("resting_hr_bpm", bpm):
        out.problems["resting heart rate values that are impossible"] += 1
        return
    if _day_ok(day, checks):
        out.day(day).resting_hr_bpm = bpm


def _fitbit_sleep(item: dict[str, object], checks: Checks, zone: tzinfo,
                  out: ExportData) -> None:
    try:
        day = date.fromisoformat(str(item.get("dateOfSleep")))
        start = datetime.fromisoformat(str(item.get("startTime"))).replace(tzinfo=zone)
        end = datetime.fromisoformat(str(item.get("endTime"))).replace(tzinfo=zone)
    except ValueError:
        out.problems["sleep logs with an unreadable date"] += 1
        return
    asleep_min = _float(item.get("minutesAsleep"))
    in_bed_min = _float(item.get("timeInBed"))
    if not (_day_ok(day, checks) and end > start):
        out.problems["sleep logs dated before 2007, in the future or ending first"] += 1
        return
    measures = out.day(day)
    if asleep_min is not None and checks.value_ok("sleep_interval_s", asleep_min * 60):
        measures.sleep_asleep_s = (measures.sleep_asleep_s or 0.0) + asleep_min * 60
    if in_bed_min is not None and checks.value_ok("sleep_interval_s", in_bed_min * 60):
        measures.sleep_in_bed_s = (measures.sleep_in_bed_s or 0.0) + in_bed_min * 60
    delta = start.utcoffset()
    offset = int(delta.total_seconds()) if delta is not None else 0
    out.sleep.append(SleepSpan(start.timestamp(), end.timestamp(), "in_bed", "fitbit", offset))
