"""Tables of the system of record. Every row belongs to an athlete (multi-athlete from day one).

Conventions: instants are stored as UTC (``UTCDateTime`` hands back aware datetimes on every
backend); units are in column names; enumerations are plain strings guarded by CHECK
constraints so that PostgreSQL and SQLite migrate the same way.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from stridewise import clock

SEXES = ("female", "male")
UNITS = ("km", "mi")
PAIN_TIMINGS = ("during", "after", "next_morning", "at_rest", "at_night")
IMPORT_STATUSES = ("imported", "duplicate", "failed")
PLANNED_STATUSES = ("planned", "done", "missed", "changed", "cancelled")

# Deterministic constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return clock.now_utc()


class UTCDateTime(TypeDecorator[datetime]):
    """Naive UTC in the database, aware UTC in Python: SQLite keeps no zone, so we decide once."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("datetimes stored must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Athlete(Base):
    __tablename__ = "athlete"
    __table_args__ = (
        CheckConstraint(_one_of("sex", SEXES), name="sex"),
        CheckConstraint(_one_of("units", UNITS), name="units"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    sex: Mapped[str | None] = mapped_column(String(8))
    birth_year: Mapped[int | None]
    resting_hr_bpm: Mapped[float | None]
    resting_hr_estimated: Mapped[bool] = mapped_column(default=False)
    #: The platform a measured resting HR came from (e.g. "apple_health"); None when typed or
    #: estimated. Typed beats a device's, which beats an estimate (migration 0003).
    resting_hr_source: Mapped[str | None] = mapped_column(String(32))
    max_hr_bpm: Mapped[float | None]
    max_hr_estimated: Mapped[bool] = mapped_column(default=False)
    units: Mapped[str] = mapped_column(String(2), default="km")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AthleteRevision(Base):
    """A number the database moves whenever any row the advice reads changes for the athlete
    (triggers of migration 0008): the key of the core's caches. Never deleted, no foreign
    key (see the migration for why)."""

    __tablename__ = "athlete_revision"
    athlete_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(BigInteger, server_default="0")
    #: Moves only with the profile, activities and hand-logged sessions.
    sessions_revision: Mapped[int] = mapped_column(BigInteger, server_default="0")


class BodyMass(Base):
    __tablename__ = "body_mass"
    __table_args__ = (
        UniqueConstraint("athlete_id", "measured_on", name="uq_body_mass_athlete_day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    measured_on: Mapped[dt.date] = mapped_column(Date)
    mass_kg: Mapped[float] = mapped_column(Float)


class Activity(Base):
    __tablename__ = "activity"
    # AUTOINCREMENT: an id is never handed to another activity after a deletion (migration 0002).
    __table_args__ = (
        Index("ix_activity_athlete_start", "athlete_id", "start_time_utc"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    sport: Mapped[str] = mapped_column(String(16))
    sub_sport: Mapped[str | None] = mapped_column(String(32))
    start_time_utc: Mapped[datetime]
    utc_offset_s: Mapped[int | None]
    elapsed_s: Mapped[float]
    moving_s: Mapped[float]
    distance_m: Mapped[float | None]
    ascent_m: Mapped[float | None]
    avg_heart_rate_bpm: Mapped[float | None]
    max_heart_rate_bpm: Mapped[float | None]
    avg_cadence_spm: Mapped[float | None]
    steps: Mapped[int | None]
    avg_speed_mps: Mapped[float | None]
    n_records: Mapped[int]
    device: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(500))
    rpe: Mapped[float | None]
    source_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    source_format: Mapped[str] = mapped_column(String(16))
    source_name: Mapped[str | None] = mapped_column(Text)
    laps: Mapped[list[Any]] = mapped_column(default=list)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActivityStream(Base):
    """Per-record columns of one activity as one compressed columnar blob (see streams.py)."""

    __tablename__ = "activity_stream"
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True
    )
    codec: Mapped[str] = mapped_column(String(32))
    columns: Mapped[list[Any]]
    n_records: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ManualSession(Base):
    __tablename__ = "manual_session"
    __table_args__ = (
        CheckConstraint(
            _one_of("kind", ("run", "walk", "strength", "balance", "impact", "other")),
            name="kind",
        ),
        Index("ix_manual_session_athlete_start", "athlete_id", "start_time_utc"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    start_time_utc: Mapped[datetime]
    duration_s: Mapped[float]
    distance_m: Mapped[float | None]
    rpe: Mapped[float | None]
    notes: Mapped[str | None] = mapped_column(Text)
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CheckIn(Base):
    __tablename__ = "checkin"
    __table_args__ = (
        CheckConstraint(_one_of("pain_timing", PAIN_TIMINGS), name="pain_timing"),
        CheckConstraint("pain_score BETWEEN 0 AND 10", name="pain_score"),
        CheckConstraint("sleep_quality BETWEEN 1 AND 5", name="sleep_quality"),
        CheckConstraint("energy BETWEEN 1 AND 5", name="energy"),
        Index("ix_checkin_athlete_at", "athlete_id", "at_utc"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    at_utc: Mapped[datetime]
    pain_site: Mapped[str | None] = mapped_column(String(200))
    pain_score: Mapped[int | None]
    pain_timing: Mapped[str | None] = mapped_column(String(16))
    pain_localised_bone: Mapped[bool | None]
    fell: Mapped[bool | None]
    #: A doctor has checked the pain and cleared the person: ends a pain stop (issue 10).
    doctor_cleared: Mapped[bool | None]
    sleep_hours: Mapped[float | None]
    sleep_quality: Mapped[int | None]
    who5: Mapped[list[Any] | None]
    energy: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)


class ImportLog(Base):
    __tablename__ = "import_log"
    __table_args__ = (
        CheckConstraint(_one_of("status", IMPORT_STATUSES), name="status"),
        Index("ix_import_log_athlete_sha256", "athlete_id", "sha256"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    source_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL")
    )
    at_utc: Mapped[datetime] = mapped_column(default=utcnow)


class Screening(Base):
    __tablename__ = "screening"
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    taken_at_utc: Mapped[datetime] = mapped_column(default=utcnow)
    answers: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any]]


class Plan(Base):
    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    goal: Mapped[str] = mapped_column(String(200))
    created_at_utc: Mapped[datetime] = mapped_column(default=utcnow)
    params: Mapped[dict[str, Any]]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PlannedSession(Base):
    __tablename__ = "planned_session"
    __table_args__ = (
        CheckConstraint(_one_of("status", PLANNED_STATUSES), name="status"),
        Index("ix_planned_session_plan_date", "plan_id", "date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    slot: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(32))
    duration_s: Mapped[float | None]
    distance_m: Mapped[float | None]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    reason: Mapped[str | None] = mapped_column(Text)


class PlanChange(Base):
    __tablename__ = "plan_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    at_utc: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


SLEEP_STAGES = ("in_bed", "asleep", "core", "deep", "rem", "awake")


class DailyMeasure(Base):
    """One local day of one source's measures (Apple Health, Garmin, Fitbit): the key is
    (athlete, day, source), so a newer export of the same account updates its days in place
    and another platform's days sit beside them (the series picks one per day)."""

    __tablename__ = "daily_measure"
    __table_args__ = (
        UniqueConstraint("athlete_id", "day", "source", name="uq_daily_measure_athlete_day_src"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(32))
    steps: Mapped[float | None]
    walking_distance_m: Mapped[float | None]
    resting_hr_bpm: Mapped[float | None]
    walking_speed_mps: Mapped[float | None]
    walking_steadiness_pct: Mapped[float | None]
    body_mass_kg: Mapped[float | None]
    sleep_asleep_s: Mapped[float | None]
    sleep_in_bed_s: Mapped[float | None]
    steps_moderate_min: Mapped[float | None]
    steps_vigorous_min: Mapped[float | None]
    device_moderate_min: Mapped[float | None]
    device_vigorous_min: Mapped[float | None]


class SleepInterval(Base):
    """One interval of a night as the device recorded it: in bed, asleep (or a stage), awake.
    Time in bed and time asleep are separate rows and never added together."""

    __tablename__ = "sleep_interval"
    __table_args__ = (
        CheckConstraint(_one_of("stage", SLEEP_STAGES), name="stage"),
        UniqueConstraint("athlete_id", "source", "device", "start_utc", "stage",
                         name="uq_sleep_interval_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(32))
    device: Mapped[str] = mapped_column(String(200), default="")
    start_utc: Mapped[datetime]
    end_utc: Mapped[datetime]
    stage: Mapped[str] = mapped_column(String(8))
    utc_offset_s: Mapped[int] = mapped_column(default=0)


BRISK_INTENSITIES = ("moderate", "vigorous")


class BriskInterval(Base):
    """A span of brisk walking graded from step cadence (science.steps.brisk_spans), kept
    with its time so the daily series can take out whatever recorded session overlaps it,
    whichever was imported first (series.measures). ``day`` is the local day of the source's
    day row it belongs to."""

    __tablename__ = "brisk_interval"
    __table_args__ = (
        CheckConstraint(_one_of("intensity", BRISK_INTENSITIES), name="intensity"),
        UniqueConstraint("athlete_id", "source", "start_utc", "intensity",
                         name="uq_brisk_interval_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(32))
    day: Mapped[dt.date] = mapped_column(Date)
    start_utc: Mapped[datetime]
    end_utc: Mapped[datetime]
    intensity: Mapped[str] = mapped_column(String(8))


class BrainAnswers(Base):
    """One filling-in of the brain-health questionnaire (issue 14): the answers as JSON,
    question id -> choice (science.brain.BRAIN_QUESTIONS), checked before they are stored.
    The latest row is the person's current answers; older rows keep the history."""

    __tablename__ = "brain_answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    taken_at_utc: Mapped[datetime] = mapped_column(default=utcnow)
    answers: Mapped[dict[str, Any]]


# The multi-user server's tables share this metadata (migrations compare all of it).
from stridewise.store import models_server as _models_server  # noqa: E402,F401
