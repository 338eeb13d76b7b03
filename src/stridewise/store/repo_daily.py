"""Per-day measures and sleep intervals from phone and platform exports (issue 13).

Every method takes the athlete's id. Writing is idempotent: a day is keyed by (athlete, local
day, source) and rewritten only when a value changed; a sleep interval by (athlete, source,
device, start, stage) and added only when new. So an identical export writes 0 rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from stridewise.store import models as m

#: Columns of :class:`~stridewise.store.models.DailyMeasure` that hold values.
MEASURE_COLUMNS: tuple[str, ...] = (
    "steps", "walking_distance_m", "resting_hr_bpm", "walking_speed_mps",
    "walking_steadiness_pct", "body_mass_kg", "sleep_asleep_s", "sleep_in_bed_s",
    "steps_moderate_min", "steps_vigorous_min", "device_moderate_min", "device_vigorous_min",
)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


class DailyRepo:
    session: Session

    def upsert_days(
        self, athlete_id: int, source: str, days: Mapping[date, Mapping[str, float | None]]
    ) -> tuple[int, int]:
        """Store each day's measures from ``source``; returns (days added, days changed)."""
        if not days:
            return 0, 0
        q = select(m.DailyMeasure).where(
            m.DailyMeasure.athlete_id == athlete_id, m.DailyMeasure.source == source,
            m.DailyMeasure.day >= min(days), m.DailyMeasure.day <= max(days),
        )
        stored = {row.day: row for row in self.session.scalars(q)}
        added = changed = 0
        for day, values in sorted(days.items()):
            clean = {k: values.get(k) for k in MEASURE_COLUMNS}
            row = stored.get(day)
            if row is None:
                if all(v is None for v in clean.values()):
                    continue
                self.session.add(m.DailyMeasure(athlete_id=athlete_id, day=day, source=source,
                                                **clean))
                added += 1
                continue
            # A newer export says more about a day; a value it no longer holds is kept.
            diff = {k: v for k, v in clean.items()
                    if v is not None and not _same(getattr(row, k), v)}
            if diff:
                for key, value in diff.items():
                    setattr(row, key, value)
                changed += 1
        self.session.flush()
        return added, changed

    def add_sleep_intervals(
        self, athlete_id: int, source: str,
        intervals: Iterable[tuple[datetime, datetime, str, str, int]],
    ) -> int:
        """Add (start UTC, end UTC, stage, device, UTC offset s) intervals not yet stored."""
        todo = list(intervals)
        if not todo:
            return 0
        first = min(i[0] for i in todo)
        last = max(i[0] for i in todo)
        q = select(m.SleepInterval.device, m.SleepInterval.start_utc,
                   m.SleepInterval.stage).where(
            m.SleepInterval.athlete_id == athlete_id, m.SleepInterval.source == source,
            m.SleepInterval.start_utc >= first, m.SleepInterval.start_utc <= last,
        )
        seen = {(d, s.astimezone(UTC), st) for d, s, st in self.session.execute(q)}
        added = 0
        for start, end, stage, device, offset in todo:
            key = (device[:200], start.astimezone(UTC), stage)
            if key in seen:
                continue
            seen.add(key)
            self.session.add(m.SleepInterval(
                athlete_id=athlete_id, source=source, device=device[:200], start_utc=start,
                end_utc=end, stage=stage, utc_offset_s=offset,
            ))
            added += 1
        self.session.flush()
        return added

    def put_brisk_intervals(
        self, athlete_id: int, source: str,
        by_day: Mapping[date, Iterable[tuple[datetime, datetime, str]]],
    ) -> int:
        """Store each day's brisk spans (start UTC, end UTC, 'moderate' or 'vigorous') from
        ``source``: a day whose stored spans differ is replaced whole (a newer export may
        extend the last span of a day), an identical day writes nothing. Returns the number
        of days written."""
        if not by_day:
            return 0
        q = select(m.BriskInterval).where(
            m.BriskInterval.athlete_id == athlete_id, m.BriskInterval.source == source,
            m.BriskInterval.day >= min(by_day), m.BriskInterval.day <= max(by_day),
        )
        stored: dict[date, list[m.BriskInterval]] = {}
        for row in self.session.scalars(q):
            stored.setdefault(row.day, []).append(row)
        written = 0
        for day, spans in sorted(by_day.items()):
            want = {(s.astimezone(UTC), e.astimezone(UTC), k) for s, e, k in spans}
            have = {(r.start_utc.astimezone(UTC), r.end_utc.astimezone(UTC), r.intensity)
                    for r in stored.get(day, [])}
            if want == have:
                continue
            for row in stored.get(day, []):
                self.session.delete(row)
            self.session.flush()
            for start, end, intensity in sorted(want):
                self.session.add(m.BriskInterval(
                    athlete_id=athlete_id, source=source, day=day, start_utc=start,
                    end_utc=end, intensity=intensity))
            written += 1
        self.session.flush()
        return written

    def list_brisk_intervals(self, athlete_id: int) -> list[m.BriskInterval]:
        q = select(m.BriskInterval).where(m.BriskInterval.athlete_id == athlete_id)
        return list(self.session.scalars(q.order_by(m.BriskInterval.start_utc)))

    def list_daily_measures(
        self, athlete_id: int, first: date | None = None, last: date | None = None
    ) -> list[m.DailyMeasure]:
        q = select(m.DailyMeasure).where(m.DailyMeasure.athlete_id == athlete_id)
        if first is not None:
            q = q.where(m.DailyMeasure.day >= first)
        if last is not None:
            q = q.where(m.DailyMeasure.day <= last)
        return list(self.session.scalars(q.order_by(m.DailyMeasure.day, m.DailyMeasure.source)))

    def list_sleep_intervals(self, athlete_id: int) -> list[m.SleepInterval]:
        q = select(m.SleepInterval).where(m.SleepInterval.athlete_id == athlete_id)
        return list(self.session.scalars(q.order_by(m.SleepInterval.start_utc)))

    def activity_spans_s(self, athlete_id: int) -> list[tuple[float, float]]:
        """(start, end) UTC seconds of every stored activity and hand-logged session: the
        minutes they already count, which brisk minutes from steps must not count again."""
        q = select(m.Activity.start_time_utc, m.Activity.elapsed_s).where(
            m.Activity.athlete_id == athlete_id)
        spans = [(s.timestamp(), s.timestamp() + e) for s, e in self.session.execute(q)]
        manual = select(m.ManualSession.start_time_utc, m.ManualSession.duration_s).where(
            m.ManualSession.athlete_id == athlete_id)
        spans += [(s.timestamp(), s.timestamp() + d) for s, d in self.session.execute(manual)]
        return spans

    def set_device_resting_hr(self, athlete_id: int, bpm: float, source: str) -> bool:
        """A device's resting heart rate for the profile, unless the person typed one:
        typed beats a device's, which beats an estimate. True when the profile changed."""
        athlete = self.session.get(m.Athlete, athlete_id)
        if athlete is None:
            return False
        typed = (athlete.resting_hr_bpm is not None and not athlete.resting_hr_estimated
                 and athlete.resting_hr_source is None)
        if typed or (athlete.resting_hr_source == source
                     and _same(athlete.resting_hr_bpm, bpm)):
            return False
        athlete.resting_hr_bpm = bpm
        athlete.resting_hr_estimated = False
        athlete.resting_hr_source = source
        self.session.flush()
        return True
