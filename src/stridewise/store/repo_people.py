"""Athletes, body mass, check-ins and manual sessions.

Values are checked here, once, for every caller (CLI, web, importer): an absurd value raises
``ValueError`` with a sentence a person can act on. Every method on an athlete's data takes the
athlete id; a read by id filters on it in SQL, so another athlete's row reads as a missing one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from stridewise import clock
from stridewise.activity import ManualSession as ManualSessionInput
from stridewise.core.validation import RANGES, InvalidValue, birth_year_bounds
from stridewise.store import models as m


def _bounds(field: str) -> tuple[int, int]:
    """The range of :data:`stridewise.core.validation.RANGES` (one table for every entrance)."""
    rule = RANGES[field]
    return int(rule.low), int(rule.high)


@dataclass(frozen=True)
class CheckInInput:
    """One check-in as a person gives it; every field but the time is optional."""

    at_utc: datetime
    pain_site: str | None = None
    pain_score: int | None = None
    pain_timing: str | None = None
    pain_localised_bone: bool | None = None
    fell: bool | None = None
    #: A doctor has checked the pain and cleared the person (ends a pain stop).
    doctor_cleared: bool | None = None
    sleep_hours: float | None = None
    sleep_quality: int | None = None
    who5: tuple[int, int, int, int, int] | None = None
    energy: int | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        if self.at_utc.tzinfo is None:
            raise InvalidValue("at_utc", "the check-in time must carry a time zone", self.at_utc)
        _int_range("pain score", self.pain_score, *_bounds("pain_score"), field="pain_score")
        _int_range("sleep quality", self.sleep_quality, *_bounds("sleep_quality"),
                   field="sleep_quality")
        _int_range("energy", self.energy, *_bounds("energy"), field="energy")
        if self.pain_timing is not None and self.pain_timing not in m.PAIN_TIMINGS:
            raise InvalidValue(
                "pain_timing", f"pain timing must be one of {', '.join(m.PAIN_TIMINGS)}, got "
                f"{self.pain_timing!r}", self.pain_timing)
        _float_range("sleep hours", self.sleep_hours, *_bounds("sleep_hours"), "hours",
                     field="sleep_hours")
        if self.who5 is not None:
            if len(self.who5) != 5:
                raise InvalidValue("who5", "WHO-5 needs exactly five answers, got "
                                           f"{len(self.who5)}", self.who5)
            for i, answer in enumerate(self.who5, start=1):
                _int_range(f"WHO-5 answer {i}", answer, *_bounds("who5_item"), field="who5")
        if self.pain_score and not self.pain_site:
            raise InvalidValue("pain_site", "say where it hurts (pain site) when the pain score "
                                            "is above 0", self.pain_site)


def _int_range(what: str, value: int | None, lo: int, hi: int, *, field: str = "") -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidValue(field or what.replace(" ", "_"),
                           f"{what} must be a whole number from {lo} to {hi}, got {value!r}",
                           value)


def _float_range(what: str, value: float | None, lo: float, hi: float, unit: str, *,
                 field: str = "") -> None:
    if value is not None and not (math.isfinite(value) and lo <= value <= hi):
        raise InvalidValue(field or what.replace(" ", "_"),
                           f"{what} must be between {lo:g} and {hi:g} {unit}, got {value:g}",
                           value)


def validate_profile(
    *,
    sex: str | None = None,
    birth_year: int | None = None,
    resting_hr_bpm: float | None = None,
    max_hr_bpm: float | None = None,
    units: str | None = None,
    time_zone: str | None = None,
) -> None:
    if sex is not None and sex not in m.SEXES:
        raise ValueError(f"sex must be one of {', '.join(m.SEXES)}, got {sex!r}")
    if birth_year is not None:
        # A day ahead of UTC: the athlete's own today may already be in the next year.
        _int_range("birth year", birth_year,
                   *birth_year_bounds(clock.now_utc().date() + timedelta(days=1)))
    _float_range("resting heart rate", resting_hr_bpm, *_bounds("resting_hr_bpm"), "bpm")
    _float_range("maximum heart rate", max_hr_bpm, *_bounds("max_hr_bpm"), "bpm")
    if units is not None and units not in m.UNITS:
        raise ValueError(f"units must be km or mi, got {units!r}")
    if time_zone is not None:
        try:
            ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a huge name
            raise ValueError(f"unknown time zone {time_zone[:60]!r} (try e.g. Europe/Paris)"
                             ) from exc


class PeopleRepo:
    session: Session

    # -- athletes -------------------------------------------------------------------------
    def add_athlete(self, name: str) -> m.Athlete:
        """A new athlete with an empty profile (fill it with :meth:`update_athlete`)."""
        if not name.strip():
            raise ValueError("an athlete needs a name")
        if len(name.strip()) > 100 or not name.isprintable():
            raise ValueError("an athlete's name is at most 100 letters, with no control "
                             "characters")
        # The zone is fixed when the athlete is created (the machine's, as the default) and the
        # machine's zone is never read again: 'today' follows the athlete (stridewise.clock).
        athlete = m.Athlete(name=name.strip(), time_zone=clock.machine_zone_name())
        self.session.add(athlete)
        self.session.flush()
        return athlete

    def get_athlete(self, athlete_id: int) -> m.Athlete | None:
        return self.session.get(m.Athlete, athlete_id)

    def get_athlete_by_name(self, name: str) -> m.Athlete | None:
        return self.session.scalar(select(m.Athlete).where(m.Athlete.name == name))

    def list_athletes(self) -> list[m.Athlete]:
        return list(self.session.scalars(select(m.Athlete).order_by(m.Athlete.id)))

    def update_athlete(
        self,
        athlete_id: int,
        *,
        sex: str | None = None,
        birth_year: int | None = None,
        resting_hr_bpm: float | None = None,
        resting_hr_estimated: bool = False,
        max_hr_bpm: float | None = None,
        max_hr_estimated: bool = False,
        units: str | None = None,
        time_zone: str | None = None,
    ) -> m.Athlete:
        """Set the given fields (None leaves a field unchanged)."""
        validate_profile(
            sex=sex, birth_year=birth_year, resting_hr_bpm=resting_hr_bpm,
            max_hr_bpm=max_hr_bpm, units=units, time_zone=time_zone,
        )
        athlete = self.session.get(m.Athlete, athlete_id)
        if athlete is None:
            raise LookupError(f"no athlete with id {athlete_id}")
        if sex is not None:
            athlete.sex = sex
        if birth_year is not None:
            athlete.birth_year = birth_year
        if resting_hr_bpm is not None:
            athlete.resting_hr_bpm = resting_hr_bpm
            athlete.resting_hr_estimated = resting_hr_estimated
            athlete.resting_hr_source = None  # typed or estimated, not a device's
        if max_hr_bpm is not None:
            athlete.max_hr_bpm = max_hr_bpm
            athlete.max_hr_estimated = max_hr_estimated
        if units is not None:
            athlete.units = units
        if time_zone is not None:
            athlete.time_zone = time_zone
        self.session.flush()
        return athlete

    def revision(self, athlete_id: int) -> tuple[int, int]:
        """Two numbers the database's triggers move (migration 0008): the first whenever any
        row the advice reads changes for the athlete, the second only when the profile, an
        activity or a hand-logged session does. The keys of the core's caches; (0, 0) before
        the athlete's first change."""
        found = self.session.execute(
            select(m.AthleteRevision.revision, m.AthleteRevision.sessions_revision)
            .where(m.AthleteRevision.athlete_id == athlete_id)).first()
        return (int(found[0]), int(found[1])) if found is not None else (0, 0)

    def zones_and_revisions(self, athlete_ids: Sequence[int]) -> dict[int, tuple[str, int]]:
        """Each athlete's time zone and first revision number (:meth:`revision`), in one
        query: what a roster needs to find each athlete's kept advice. Athletes that do not
        exist are left out."""
        rows = self.session.execute(
            select(m.Athlete.id, m.Athlete.time_zone, m.AthleteRevision.revision)
            .outerjoin(m.AthleteRevision, m.AthleteRevision.athlete_id == m.Athlete.id)
            .where(m.Athlete.id.in_(list(athlete_ids))))
        return {int(i): (zone, int(revision or 0)) for i, zone, revision in rows}

    # -- body mass --------------------------------------------------------------------------
    def add_body_mass(self, athlete_id: int, measured_on: date, mass_kg: float) -> m.BodyMass:
        """Record body mass on a day (replacing that day's earlier value)."""
        _float_range("body mass", mass_kg, *_bounds("body_mass_kg"), "kg")
        row = self.session.scalar(
            select(m.BodyMass).where(
                m.BodyMass.athlete_id == athlete_id, m.BodyMass.measured_on == measured_on
            )
        )
        if row is None:
            row = m.BodyMass(athlete_id=athlete_id, measured_on=measured_on, mass_kg=mass_kg)
            self.session.add(row)
        else:
            row.mass_kg = mass_kg
        self.session.flush()
        return row

    def get_body_mass(self, athlete_id: int, body_mass_id: int) -> m.BodyMass | None:
        """The athlete's body-mass row; None when missing or another athlete's."""
        q = select(m.BodyMass).where(
            m.BodyMass.id == body_mass_id, m.BodyMass.athlete_id == athlete_id
        )
        return self.session.scalar(q)

    def list_body_mass(self, athlete_id: int) -> list[m.BodyMass]:
        q = select(m.BodyMass).where(m.BodyMass.athlete_id == athlete_id)
        return list(self.session.scalars(q.order_by(m.BodyMass.measured_on)))

    def latest_body_mass(self, athlete_id: int, on: date | None = None) -> m.BodyMass | None:
        q = select(m.BodyMass).where(m.BodyMass.athlete_id == athlete_id)
        if on is not None:
            q = q.where(m.BodyMass.measured_on <= on)
        return self.session.scalar(q.order_by(m.BodyMass.measured_on.desc()).limit(1))

    # -- check-ins ----------------------------------------------------------------------------
    def add_checkin(self, athlete_id: int, checkin: CheckInInput) -> m.CheckIn:
        row = m.CheckIn(
            athlete_id=athlete_id,
            at_utc=checkin.at_utc,
            pain_site=checkin.pain_site,
            pain_score=checkin.pain_score,
            pain_timing=checkin.pain_timing,
            pain_localised_bone=checkin.pain_localised_bone,
            fell=checkin.fell,
            doctor_cleared=checkin.doctor_cleared,
            sleep_hours=checkin.sleep_hours,
            sleep_quality=checkin.sleep_quality,
            who5=list(checkin.who5) if checkin.who5 is not None else None,
            energy=checkin.energy,
            notes=checkin.notes,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def get_checkin(self, athlete_id: int, checkin_id: int) -> m.CheckIn | None:
        """The athlete's check-in; None when missing or another athlete's."""
        q = select(m.CheckIn).where(m.CheckIn.id == checkin_id, m.CheckIn.athlete_id == athlete_id)
        return self.session.scalar(q)

    def list_checkins(
        self, athlete_id: int, since: datetime | None = None, until: datetime | None = None
    ) -> list[m.CheckIn]:
        q = select(m.CheckIn).where(m.CheckIn.athlete_id == athlete_id)
        if since is not None:
            q = q.where(m.CheckIn.at_utc >= since)
        if until is not None:
            q = q.where(m.CheckIn.at_utc < until)
        return list(self.session.scalars(q.order_by(m.CheckIn.at_utc)))

    # -- manual sessions ----------------------------------------------------------------------
    def add_manual_session(
        self, athlete_id: int, entry: ManualSessionInput, *, source_sha256: str | None = None
    ) -> m.ManualSession:
        """Store a session; :class:`stridewise.activity.ManualSession` has checked its values."""
        row = m.ManualSession(
            athlete_id=athlete_id,
            kind=entry.kind,
            start_time_utc=entry.start_time_utc,
            duration_s=entry.duration_s,
            distance_m=entry.distance_m,
            rpe=entry.rpe,
            notes=entry.notes,
            source_sha256=source_sha256,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def add_manual_sessions(
        self, athlete_id: int, entries: Sequence[ManualSessionInput], *,
        source_sha256: str | None = None,
    ) -> list[int]:
        """Store many sessions in one flush (a 100,000-row log in seconds, not minutes);
        their ids, in order."""
        if not entries:
            return []
        rows = [
            {"athlete_id": athlete_id, "kind": e.kind, "start_time_utc": e.start_time_utc,
             "duration_s": e.duration_s, "distance_m": e.distance_m, "rpe": e.rpe,
             "notes": e.notes, "source_sha256": source_sha256}
            for e in entries
        ]
        # One executemany on the table: ORM objects cost ~0.3 ms each and RETURNING makes
        # SQLite insert row by row, which a long log cannot afford. Writers are serialised
        # (write_transaction), so this file's rows are the athlete's rows above the old top id.
        table = m.ManualSession.__table__
        assert isinstance(table, Table)
        top = self.session.scalar(select(func.max(table.c.id))) or 0
        self.session.execute(insert(table), rows)
        mine = select(table.c.id).where(table.c.athlete_id == athlete_id, table.c.id > top)
        if source_sha256 is not None:
            mine = mine.where(table.c.source_sha256 == source_sha256)
        return list(self.session.scalars(mine.order_by(table.c.id)))

    def find_manual_sessions(
        self, athlete_id: int, entry: ManualSessionInput
    ) -> list[m.ManualSession]:
        """Stored sessions that ``entry`` repeats: same start, kind, duration and distance
        (to the second and the metre), so re-importing an edited log adds only new rows."""
        q = select(m.ManualSession).where(
            m.ManualSession.athlete_id == athlete_id,
            m.ManualSession.start_time_utc == entry.start_time_utc,
            m.ManualSession.kind == entry.kind,
            func.abs(m.ManualSession.duration_s - entry.duration_s) < 1.0,
        )
        return [
            row for row in self.session.scalars(q.order_by(m.ManualSession.id))
            if (row.distance_m is None and entry.distance_m is None)
            or (row.distance_m is not None and entry.distance_m is not None
                and abs(row.distance_m - entry.distance_m) < 1.0)
        ]

    def get_manual_session(self, athlete_id: int, session_id: int) -> m.ManualSession | None:
        """The athlete's manual session; None when missing or another athlete's."""
        q = select(m.ManualSession).where(
            m.ManualSession.id == session_id, m.ManualSession.athlete_id == athlete_id
        )
        return self.session.scalar(q)

    def list_manual_sessions(
        self, athlete_id: int, since: datetime | None = None, until: datetime | None = None
    ) -> list[m.ManualSession]:
        q = select(m.ManualSession).where(m.ManualSession.athlete_id == athlete_id)
        if since is not None:
            q = q.where(m.ManualSession.start_time_utc >= since)
        if until is not None:
            q = q.where(m.ManualSession.start_time_utc < until)
        return list(self.session.scalars(q.order_by(m.ManualSession.start_time_utc)))
