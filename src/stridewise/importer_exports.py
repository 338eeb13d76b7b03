"""Importing a whole phone or platform export (Apple Health; Garmin and Fitbit daily data).

Called by :func:`stridewise.importer.import_sources` for each
:class:`~stridewise.ingest.exports.ExportSource`:

1. hash the export while reading it once (a 4 GB ``export.xml`` is never held in memory); an
   export already imported is a "duplicate (same file)" without being parsed;
2. parse it with its streaming reader (the progress callback's ``on_bytes(done, total)``, when
   it has one, follows the bytes read). Brisk minutes from step cadence are stored as spans
   with their times: the daily series takes out whatever recorded session overlaps them
   (series.measures), so the order of imports does not matter;
3. store its workouts (the cross-format duplicate rule: a workout matching a stored one by
   start and duration is not stored again), its days (by local date and source: only new or
   changed days are written) and sleep intervals, and the device's latest resting heart rate
   (never over a typed one), with one import-log row, in ONE transaction: nothing is
   half-stored. An identical or older export of the same account writes 0 rows.

What the reader refused (impossible values, unknown record types, missing routes, a file
cut short) is counted and named in the report's warnings.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import SQLAlchemyError

from stridewise.errors import IngestError
from stridewise.import_report import FileResult, Progress
from stridewise.ingest.exports import ExportSource
from stridewise.ingest.measures import Checks, ExportData
from stridewise.store import Store, Tx
from stridewise.store.duplicates import resolve_duplicate

_HASH_CHUNK_BYTES = 4 * 1024 * 1024
SAME_EXPORT = "duplicate (same file)"
NOTHING_NEW = "everything in this export is already stored"


def _digest(source: ExportSource) -> str:
    sha = hashlib.sha256()
    if source.names:
        for member in source.names:
            sha.update(member.encode() + b"\0" + (source.route(member) or b""))
        return sha.hexdigest()
    with source.open() as stream:
        while chunk := stream.read(_HASH_CHUNK_BYTES):
            sha.update(chunk)
    return sha.hexdigest()


def _read(source: ExportSource, checks: Checks, progress: Progress | None,
          zone: tzinfo) -> ExportData:
    on_bytes = getattr(progress, "on_bytes", None)
    if source.kind == "apple_health":
        from stridewise.ingest.apple_health import read_export

        with source.open() as stream:
            return read_export(stream, source_name=source.name, checks=checks,
                               total_bytes=source.size_bytes, route=source.route,
                               on_bytes=on_bytes)
    if source.kind == "garmin":
        from stridewise.ingest.platform_exports import read_garmin

        return read_garmin(list(source.names), source.route, checks=checks)
    if source.kind == "fitbit":
        from stridewise.ingest.platform_exports import read_fitbit

        return read_fitbit(list(source.names), source.route, checks=checks, zone=zone)
    raise IngestError(f"has no reader for exports of kind {source.kind!r}", source=source.name)


def import_export(store: Store, athlete_id: int, source: ExportSource, checks: Checks | None,
                  progress: Progress | None = None) -> FileResult:
    """Import one export (see the module docstring); never raises for its content."""
    name = source.name
    if checks is None:
        return _failed(store, athlete_id, FileResult(
            name, "failed", "phone exports are imported through the application core "
            "(it supplies the plausibility rules)"), source)
    try:
        digest = _digest(source)
        with store.transaction() as tx:
            if tx.is_done_hash(athlete_id, digest):
                return FileResult(name, "duplicate", SAME_EXPORT, digest)
            athlete = tx.get_athlete(athlete_id)
        zone = _zone(athlete.time_zone if athlete is not None else None)
        data = _read(source, checks, progress, zone)
    except IngestError as exc:
        return _failed(store, athlete_id, FileResult(name, "failed", exc.reason), source)
    except Exception as exc:  # a damaged archive or stream: this export fails, not the batch
        return _failed(store, athlete_id, FileResult(
            name, "failed", f"could not be read ({type(exc).__name__}: {exc})"), source)
    result = FileResult(name, "failed", None, digest)
    try:
        with store.write_transaction(athlete_id) as tx:
            if tx.is_done_hash(athlete_id, digest):
                return FileResult(name, "duplicate", SAME_EXPORT, digest)
            _store(tx, athlete_id, data, result)
            tx.add_import_log(
                athlete_id, source_name=name, status=result.status, sha256=digest,
                size_bytes=source.size_bytes, reason=result.reason, warnings=result.warnings,
                activity_id=result.activity_ids[0] if result.activity_ids else None,
            )
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        return _failed(store, athlete_id, FileResult(
            name, "failed", f"could not be saved to the database ({detail})", digest), source)
    return result


def _zone(name: str | None) -> tzinfo:
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _store(tx: Tx, athlete_id: int, data: ExportData, result: FileResult) -> None:
    skipped = 0
    for activity in data.activities:
        if resolve_duplicate(tx, athlete_id, activity, result.source_name) is not None:
            skipped += 1
            continue
        added = tx.add_activity(athlete_id, activity, source_sha256=result.sha256,
                                source_name=result.source_name)
        result.activity_ids.append(added.id)
    days = {day: measures.as_dict() for day, measures in data.days.items()}
    new_days, changed_days = tx.upsert_days(athlete_id, data.source, days)
    brisk_days = tx.put_brisk_intervals(athlete_id, data.source, {
        day: [(datetime.fromtimestamp(s, UTC), datetime.fromtimestamp(e, UTC),
               "vigorous" if vigorous else "moderate") for s, e, vigorous in spans]
        for day, spans in data.brisk.items()
        if day in data.days and data.days[day].steps is not None})
    new_sleep = tx.add_sleep_intervals(athlete_id, data.source, (
        (datetime.fromtimestamp(s.start_utc_s, UTC), datetime.fromtimestamp(s.end_utc_s, UTC),
         s.stage, s.device, s.utc_offset_s) for s in data.sleep))
    resting = [(day, m.resting_hr_bpm) for day, m in data.days.items()
               if m.resting_hr_bpm is not None]
    profile = False
    if resting:
        day, bpm = max(resting)
        profile = tx.set_device_resting_hr(athlete_id, bpm, data.source)
        if profile:
            result.warnings.append(
                f"resting heart rate {bpm:.0f} bpm from {data.source} ({day:%Y-%m-%d}) is now "
                "the profile's (a rate you type yourself always comes first)")
    result.days_added, result.days_updated, result.sleep_added = (
        new_days, changed_days, new_sleep)
    result.warnings.append(
        f"{len(result.activity_ids)} workout(s) added, {skipped} already stored; "
        f"{new_days} day(s) added, {changed_days} updated; {new_sleep} sleep interval(s) added")
    if data.truncated:
        result.warnings.append(data.truncated)
    result.warnings.extend(f"refused {line}" for line in data.problem_lines())
    result.warnings.extend(data.notes)
    if result.activity_ids or new_days or changed_days or new_sleep or profile or brisk_days:
        result.status, result.reason = "imported", None
    else:
        result.status, result.reason = "duplicate", NOTHING_NEW


def _failed(store: Store, athlete_id: int, result: FileResult,
            source: ExportSource) -> FileResult:
    try:
        with store.write_transaction(athlete_id) as tx:
            tx.add_import_log(athlete_id, source_name=result.source_name, status="failed",
                              sha256=result.sha256, size_bytes=source.size_bytes,
                              reason=result.reason, warnings=result.warnings)
    except SQLAlchemyError:
        result.warnings.append("this failure could not be written to the import log")
    return result
