"""The loader: one athlete's rows from the store as plain data frames for the series kernels.

The kernels in :mod:`stridewise.series.sessions` and :mod:`stridewise.series.daily` take a
:class:`SeriesFrames` and never a store, so they run the same on rows read from this process's
database, from another server, or generated for a cohort. This module is the only part of
``series`` that reads the store; the application core calls :func:`load_frames`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from sqlalchemy import select

from stridewise.core.validation import DATE_FLOORS
from stridewise.series.empty import empty_frame, frame_of
from stridewise.series.measures import (
    brisk_frame,
    busy_frame,
    empty_brisk,
    empty_busy,
    empty_measures,
    measures_rows,
)
from stridewise.store import Store, Tx
from stridewise.store import models as m

#: Columns of :attr:`SeriesFrames.activities` (recorded activities, times in UTC).
ACTIVITY_COLUMNS = (
    "id", "start_time_utc", "utc_offset_s", "sport", "moving_s", "distance_m", "avg_speed_mps",
    "avg_heart_rate_bpm", "max_heart_rate_bpm", "steps", "avg_cadence_spm", "rpe", "name",
)
#: Columns of :attr:`SeriesFrames.manual` (hand-logged sessions).
MANUAL_COLUMNS = ("id", "start_time_utc", "kind", "duration_s", "distance_m", "rpe", "notes")
#: Columns of :attr:`SeriesFrames.checkins`; ``who5_raw`` is the sum of the five WHO-5 items
#: (0-25), NaN when the check-in has none.
CHECKIN_COLUMNS = ("at_utc", "pain_score", "sleep_hours", "who5_raw")


@dataclass(frozen=True)
class SeriesProfile:
    """The profile fields the series reads (the same names as the store's athlete row)."""

    athlete_id: int
    name: str = ""
    time_zone: str = "UTC"
    sex: str | None = None
    birth_year: int | None = None
    resting_hr_bpm: float | None = None
    resting_hr_estimated: bool = False
    max_hr_bpm: float | None = None
    max_hr_estimated: bool = False


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return empty_frame(columns)


@dataclass(frozen=True)
class SeriesFrames:
    """Everything the series of one athlete is computed from: the profile and three tables
    (columns :data:`ACTIVITY_COLUMNS`, :data:`MANUAL_COLUMNS`, :data:`CHECKIN_COLUMNS`)."""

    profile: SeriesProfile
    activities: pd.DataFrame = field(default_factory=lambda: _empty(ACTIVITY_COLUMNS))
    manual: pd.DataFrame = field(default_factory=lambda: _empty(MANUAL_COLUMNS))
    checkins: pd.DataFrame = field(default_factory=lambda: _empty(CHECKIN_COLUMNS))
    #: Per-day measures from phone and platform exports (series.measures.measures_frame).
    measures: pd.DataFrame = field(default_factory=empty_measures)
    #: Brisk walking spans from step cadence (series.measures.brisk_frame) and the spans of
    #: recorded sessions they must not count again (series.measures.busy_frame).
    brisk: pd.DataFrame = field(default_factory=empty_brisk)
    busy: pd.DataFrame = field(default_factory=empty_busy)


def profile_of(athlete: m.Athlete) -> SeriesProfile:
    return SeriesProfile(
        athlete_id=athlete.id, name=athlete.name, time_zone=athlete.time_zone, sex=athlete.sex,
        birth_year=athlete.birth_year, resting_hr_bpm=athlete.resting_hr_bpm,
        resting_hr_estimated=bool(athlete.resting_hr_estimated),
        max_hr_bpm=athlete.max_hr_bpm, max_hr_estimated=bool(athlete.max_hr_estimated),
    )


#: Rows dated outside these years cannot be entered any more (core.validation's date floors
#: and no future), but one stored before those rules must not break every page: the series
#: leaves it out rather than stretch over millennia or fail to place it on a calendar.
CALENDAR_YEARS = (min(floor for floor, _ in DATE_FLOORS.values()).year, 2200)


def _on_the_calendar(moment: datetime) -> bool:
    return CALENDAR_YEARS[0] <= moment.year <= CALENDAR_YEARS[1]


def load_frames(store: Store, athlete_id: int, *, sessions: bool = True) -> SeriesFrames:
    """One athlete's activities, hand-logged sessions, check-ins and profile, in one
    transaction. Raises ``KeyError`` for an athlete that does not exist. ``sessions=False``
    leaves activities and hand-logged sessions empty, for a caller that holds the session
    columns already (``series.daily.with_checkins_and_measures``)."""
    with store.transaction() as tx:
        return frames_in(tx, athlete_id, sessions=sessions)


def frames_in(tx: Tx, athlete_id: int, *, sessions: bool = True) -> SeriesFrames:
    """:func:`load_frames` inside a transaction the caller holds (the planner's)."""
    athlete = tx.get_athlete(athlete_id)
    if athlete is None:
        raise KeyError(f"no athlete with id {athlete_id}")
    activities = [] if not sessions else tx.session.execute(
        select(
            m.Activity.id, m.Activity.start_time_utc, m.Activity.utc_offset_s,
            m.Activity.sport, m.Activity.moving_s, m.Activity.distance_m,
            m.Activity.avg_speed_mps, m.Activity.avg_heart_rate_bpm,
            m.Activity.max_heart_rate_bpm, m.Activity.steps,
            m.Activity.avg_cadence_spm, m.Activity.rpe, m.Activity.name,
        ).where(m.Activity.athlete_id == athlete_id)
    ).all()
    manual = [] if not sessions else [
        (s.id, s.start_time_utc, s.kind, s.duration_s, s.distance_m, s.rpe, s.notes)
        for s in tx.list_manual_sessions(athlete_id) if _on_the_calendar(s.start_time_utc)
    ]
    checkins = [
        (c.at_utc, c.pain_score, c.sleep_hours, float(sum(c.who5)) if c.who5 else None)
        for c in tx.list_checkins(athlete_id) if _on_the_calendar(c.at_utc)
    ]
    profile = profile_of(athlete)
    brisk = brisk_frame(tx, athlete_id)
    # The sessions' spans only matter against brisk-walking spans: none, nothing to take out.
    busy = busy_frame(tx, athlete_id) if len(brisk) else empty_busy()
    return SeriesFrames(
        profile=profile,
        activities=frame_of([tuple(a) for a in activities
                             if _on_the_calendar(a.start_time_utc)], ACTIVITY_COLUMNS),
        manual=frame_of(manual, MANUAL_COLUMNS),
        checkins=frame_of(checkins, CHECKIN_COLUMNS),
        measures=measures_rows(tx, athlete_id),
        brisk=brisk,
        busy=busy,
    )


def load_daily_series(
    store: Store,
    athlete_id: int,
    *,
    through: date | None = None,
    start: date | None = None,
) -> pd.DataFrame:
    """:func:`~stridewise.series.daily.daily_series` of an athlete in the store."""
    from stridewise.series.daily import daily_series

    return daily_series(load_frames(store, athlete_id), through=through, start=start)


def load_sessions_frame(
    store: Store, athlete_id: int, *, today: date | None = None
) -> pd.DataFrame:
    """:func:`~stridewise.series.sessions.sessions_frame` of an athlete in the store."""
    from stridewise.series.sessions import sessions_frame

    return sessions_frame(load_frames(store, athlete_id), today=today)


def daily_series_all(store: Store, athlete_id: int | None = None) -> pd.DataFrame:
    """The daily series of every athlete (or one), with ``athlete_id`` and ``athlete`` columns,
    for export. Each athlete's rows run from their first session to today."""
    from stridewise.series.daily import DAILY_SERIES_COLUMNS, daily_series

    with store.transaction() as tx:
        ids = [a.id for a in tx.list_athletes() if athlete_id is None or a.id == athlete_id]
    frames = []
    for one in ids:
        loaded = load_frames(store, one)
        frame = daily_series(loaded)
        frame.insert(0, "athlete", loaded.profile.name)
        frame.insert(0, "athlete_id", one)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["athlete_id", "athlete", *DAILY_SERIES_COLUMNS])
    return pd.concat(frames, ignore_index=True)
