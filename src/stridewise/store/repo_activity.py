"""Activities, their streams, and the import log.

Every method takes the athlete id and touches only that athlete's rows: a read by id filters on
the owner in SQL (``WHERE id = ? AND athlete_id = ?``), so another athlete's row is answered
exactly as a missing one (None, or the same ``LookupError``).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stridewise.activity import Activity as ActivityInput
from stridewise.activity import FloatArray
from stridewise.store import models as m
from stridewise.store.streams import CODEC, decode_records, encode_records

#: Text columns with a length limit (PostgreSQL enforces it; SQLite would not).
_TEXT_LIMITS = {
    "name": m.Activity.name.type.length,
    "device": m.Activity.device.type.length,
    "sub_sport": m.Activity.sub_sport.type.length,
}


def fit_text(value: str | None, what: str, warnings: list[str]) -> str | None:
    """``value`` cut to its column's limit, with a warning when it had to be cut."""
    limit = _TEXT_LIMITS[what]
    if value is None or limit is None or len(value) <= limit:
        return value
    warnings.append(f"shortened the {what.replace('_', ' ')} from {len(value)} to "
                    f"{limit} characters")
    return value[: limit - 1] + "\u2026"


class ActivityRepo:
    session: Session

    def add_activity(
        self,
        athlete_id: int,
        activity: ActivityInput,
        *,
        source_sha256: str | None = None,
        source_name: str | None = None,
    ) -> m.Activity:
        """Store the activity's summary row and its per-record stream. Text longer than its
        column (a 600-character name) is shortened, with a warning in the row's warnings."""
        s = activity.summary
        warnings = list(activity.warnings)
        row = m.Activity(
            athlete_id=athlete_id,
            sport=activity.sport,
            sub_sport=fit_text(activity.sub_sport, "sub_sport", warnings),
            start_time_utc=activity.start_time_utc,
            utc_offset_s=activity.utc_offset_s,
            elapsed_s=s.elapsed_s,
            moving_s=s.moving_s,
            distance_m=s.distance_m,
            ascent_m=s.ascent_m,
            avg_heart_rate_bpm=s.avg_heart_rate_bpm,
            max_heart_rate_bpm=s.max_heart_rate_bpm,
            avg_cadence_spm=s.avg_cadence_spm,
            steps=s.steps,
            avg_speed_mps=s.avg_speed_mps,
            n_records=activity.n_records,
            device=fit_text(activity.device, "device", warnings),
            name=fit_text(activity.name, "name", warnings),
            rpe=activity.rpe,
            source_sha256=source_sha256,
            source_format=activity.source_format,
            source_name=source_name,
            laps=[asdict(lap) for lap in activity.laps],
            warnings=warnings,
        )
        self.session.add(row)
        self.session.flush()
        self.session.add(
            m.ActivityStream(
                activity_id=row.id,
                codec=CODEC,
                columns=list(activity.records),
                n_records=activity.n_records,
                data=encode_records(activity.records),
            )
        )
        self.session.flush()
        return row

    def get_activity(self, athlete_id: int, activity_id: int) -> m.Activity | None:
        """The athlete's activity ``activity_id``; None when missing or another athlete's."""
        q = select(m.Activity).where(
            m.Activity.id == activity_id, m.Activity.athlete_id == athlete_id
        )
        return self.session.scalar(q)

    def list_activities(
        self,
        athlete_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        sport: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[m.Activity]:
        q = select(m.Activity).where(m.Activity.athlete_id == athlete_id)
        if since is not None:
            q = q.where(m.Activity.start_time_utc >= since)
        if until is not None:
            q = q.where(m.Activity.start_time_utc < until)
        if sport is not None:
            q = q.where(m.Activity.sport == sport)
        order = m.Activity.start_time_utc.desc() if newest_first else m.Activity.start_time_utc
        q = q.order_by(order, m.Activity.id)
        if limit is not None:
            q = q.limit(limit)
        return list(self.session.scalars(q))

    def count_activities(self, athlete_id: int) -> int:
        q = select(func.count()).select_from(m.Activity)
        return int(self.session.scalar(q.where(m.Activity.athlete_id == athlete_id)) or 0)

    def activities_starting_near(
        self, athlete_id: int, start: datetime, window_s: float
    ) -> list[m.Activity]:
        """Activities whose start is within ``window_s`` of ``start`` (duplicate candidates)."""
        delta = timedelta(seconds=window_s)
        q = select(m.Activity).where(
            m.Activity.athlete_id == athlete_id,
            m.Activity.start_time_utc >= start - delta,
            m.Activity.start_time_utc <= start + delta,
        )
        return list(self.session.scalars(q.order_by(m.Activity.id)))

    def get_stream(self, athlete_id: int, activity_id: int) -> dict[str, FloatArray] | None:
        """The athlete's activity's record columns; None when missing or another athlete's."""
        q = (
            select(m.ActivityStream)
            .join(m.Activity, m.Activity.id == m.ActivityStream.activity_id)
            .where(m.Activity.id == activity_id, m.Activity.athlete_id == athlete_id)
        )
        row = self.session.scalar(q)
        return None if row is None else decode_records(row.data, row.codec)

    def delete_activity(self, athlete_id: int, activity_id: int) -> bool:
        """Remove the athlete's activity and its stream (import-log rows keep their history);
        False, changing nothing, when it is missing or another athlete's."""
        activity = self.get_activity(athlete_id, activity_id)
        if activity is None:
            return False
        stream = self.session.get(m.ActivityStream, activity_id)
        if stream is not None:
            self.session.delete(stream)
        for log in self.session.scalars(
            select(m.ImportLog).where(m.ImportLog.activity_id == activity_id)
        ):
            log.activity_id = None
        self.session.delete(activity)
        self.session.flush()
        return True

    def supersede_activity(self, athlete_id: int, activity_id: int, reason: str) -> None:
        """Replace a stored activity by a richer recording of it: the file that brought it
        is logged as a duplicate (or, if it brought other activities too, keeps a warning)."""
        old = self.get_activity(athlete_id, activity_id)
        if old is None:
            raise LookupError(f"no activity with id {activity_id}")
        siblings = [
            a.id
            for a in self.session.scalars(
                select(m.Activity).where(
                    m.Activity.athlete_id == athlete_id,
                    m.Activity.source_sha256 == old.source_sha256,
                    m.Activity.id != activity_id,
                )
            )
        ] if old.source_sha256 is not None else []
        for log in self.session.scalars(
            select(m.ImportLog).where(m.ImportLog.activity_id == activity_id)
        ):
            if siblings:
                log.activity_id = siblings[0]
                log.warnings = [*log.warnings, reason]
            else:
                log.status, log.reason, log.activity_id = "duplicate", reason, None
        self.delete_activity(athlete_id, activity_id)

    # -- import log ---------------------------------------------------------------------------
    def add_import_log(
        self,
        athlete_id: int,
        *,
        source_name: str,
        status: str,
        sha256: str | None = None,
        size_bytes: int | None = None,
        reason: str | None = None,
        warnings: list[str] | None = None,
        activity_id: int | None = None,
    ) -> m.ImportLog:
        if status not in m.IMPORT_STATUSES:
            raise ValueError(f"import status must be one of {m.IMPORT_STATUSES}, got {status!r}")
        if activity_id is not None:
            # A log row may only point at the same athlete's activity (by primary key: the
            # activity was usually just added, so this costs no query).
            owner = self.session.get(m.Activity, activity_id)
            if owner is None or owner.athlete_id != athlete_id:
                raise LookupError(f"no activity with id {activity_id}")
        row = m.ImportLog(
            athlete_id=athlete_id,
            source_name=source_name,
            sha256=sha256,
            size_bytes=size_bytes,
            status=status,
            reason=reason,
            warnings=list(warnings or []),
            activity_id=activity_id,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def list_import_log(self, athlete_id: int, *, sha256: str | None = None) -> list[m.ImportLog]:
        q = select(m.ImportLog).where(m.ImportLog.athlete_id == athlete_id)
        if sha256 is not None:
            q = q.where(m.ImportLog.sha256 == sha256)
        return list(self.session.scalars(q.order_by(m.ImportLog.id)))

    def get_import_log(self, athlete_id: int, log_id: int) -> m.ImportLog | None:
        """The athlete's import-log row ``log_id``; None when missing or another athlete's."""
        q = select(m.ImportLog).where(
            m.ImportLog.id == log_id, m.ImportLog.athlete_id == athlete_id
        )
        return self.session.scalar(q)

    def import_log_for_activity(self, athlete_id: int, activity_id: int) -> m.ImportLog | None:
        q = select(m.ImportLog).where(
            m.ImportLog.activity_id == activity_id, m.ImportLog.athlete_id == athlete_id
        )
        return self.session.scalar(q.order_by(m.ImportLog.id).limit(1))

    def is_done_hash(self, athlete_id: int, sha256: str) -> bool:
        """Whether a file with this hash was imported (or was a duplicate) for the athlete."""
        q = select(m.ImportLog.id).where(
            m.ImportLog.athlete_id == athlete_id,
            m.ImportLog.status.in_(("imported", "duplicate")),
            m.ImportLog.sha256 == sha256,
        )
        return self.session.scalar(q.limit(1)) is not None

    def done_hashes(self, athlete_id: int) -> set[str]:
        """Hashes of files already imported (or recognised as duplicates) for the athlete;
        files that failed are not "done" and are tried again."""
        q = select(m.ImportLog.sha256).where(
            m.ImportLog.athlete_id == athlete_id,
            m.ImportLog.status.in_(("imported", "duplicate")),
            m.ImportLog.sha256.is_not(None),
        )
        return {h for h in self.session.scalars(q.distinct()) if h is not None}
