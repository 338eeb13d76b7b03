"""Batch import: files, folders and archives into the store, one transaction per file.

For each source, in order:

1. hash the bytes (sha256); a hash already imported for this athlete is a
   "duplicate (same file)" and is not decoded again, so re-running an import resumes it;
2. decode with :func:`stridewise.ingest.read_bytes`, in a process pool across files when the
   batch is large enough to repay the workers' start-up (see :func:`choose_workers`);
3. compare every activity with those already stored (:func:`is_same_activity`): the same
   activity recorded in two formats is kept once, from the richer format (FIT over TCX over
   GPX); the other file is logged as a duplicate, or, when the new file is the richer one,
   the stored activity is replaced and the report says so ("imported 1, replaced #1",
   :meth:`ImportReport.summary_line`);
4. store the raw file (content-addressed), the activity rows, their streams and one import-log
   row in ONE transaction: a crash or Ctrl-C loses nothing already imported and never leaves
   half a file.

Concurrent imports (two terminals, the CLI and the web app) are safe: each file's transaction
is a write transaction (:meth:`Store.write_transaction`) that serialises against other writers
for the athlete before it re-checks the file's hash and looks for duplicates, so nothing is
stored twice.

A file that cannot be read or stored is logged with its reason and the batch goes on, whatever
went wrong: a reader error, an unreadable archive member, a database error on that file, a
decoder process that died.
"""

from __future__ import annotations

import logging
import math
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sized
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import SQLAlchemyError

from stridewise.activity import Activity, ManualSession, normalise_sport, with_sport
from stridewise.errors import IngestError
from stridewise.import_report import (
    FileResult,
    ImportReport,
    Progress,
    SourceLike,
    SourceMetaLike,
)
from stridewise.ingest import MAX_FILE_BYTES
from stridewise.ingest.exports import ExportSource
from stridewise.ingest.measures import Checks
from stridewise.ingest.parallel import Decoded, DecodePool, Reader, decode
from stridewise.store import Store, Tx, sha256_hex
from stridewise.store import models as m
from stridewise.store.duplicates import (
    is_same_activity,
    resolve_duplicate,
    split_new_sessions,
)

RowProgress = Callable[[str, int], None]

#: Below this many files decoding inline beats paying for worker processes.
POOL_MIN_FILES = 16
SAME_FILE = "duplicate (same file)"
SAME_SESSIONS = "every session in it is already stored"
#: The reason shown when a source fails for an unexpected reason (details in the debug log).
UNREADABLE = "cannot be read: the file or archive is damaged"
log = logging.getLogger(__name__)

__all__ = [
    "SAME_FILE", "SAME_SESSIONS", "FileResult", "ImportReport", "choose_workers",
    "import_paths", "import_sources", "is_same_activity",
]


def choose_workers(n_files: int | None, requested: int | None) -> int:
    """Worker processes for decoding: as asked, else the cores for big (or not yet counted)
    batches, else 1."""
    if requested is not None:
        return max(1, requested)
    if n_files is not None and n_files < POOL_MIN_FILES:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


@dataclass
class _Job:
    source: SourceLike
    data: bytes | None = None
    sha256: str | None = None
    decoded: Future[Decoded] | Decoded | None = None
    early: FileResult | None = None


def import_paths(
    store: Store,
    paths: Iterable[Path | str],
    *,
    athlete_id: int,
    workers: int | None = None,
    progress: Progress | None = None,
    reader: Reader | None = None,
    row_progress: RowProgress | None = None,
    checks: Checks | None = None,
) -> ImportReport:
    """Import files, folders and archives; an unreadable path is reported, not raised.

    ``checks`` are the core's plausibility rules
    (:data:`stridewise.core.validation.MEASURE_CHECKS`), needed for phone exports.

    Sources are walked lazily, so an export with many nested archives is not held in memory
    at once; the progress callback then gets ``total=0`` (unknown). ``row_progress`` hears
    ``(file name, rows read)`` while a big session CSV is read in this process.
    """
    return import_sources(
        store, _walk(paths), athlete_id=athlete_id, workers=workers, progress=progress,
        reader=reader, row_progress=row_progress, checks=checks,
    )


@dataclass
class _UnreadablePath:
    name: str
    error: IngestError
    size_bytes: int = 0

    def read(self) -> bytes:
        raise self.error


def _walk(paths: Iterable[Path | str]) -> Iterator[SourceLike]:
    from stridewise.ingest.sources import iter_sources

    for path in paths:
        try:
            yield from iter_sources([Path(path)])
        except IngestError as exc:
            yield _UnreadablePath(str(path), exc)
        except OSError as exc:
            yield _UnreadablePath(str(path), IngestError(f"cannot be opened ({exc})"))
        except Exception:  # a damaged archive must not stop the other paths
            log.debug("cannot walk %s", path, exc_info=True)
            yield _UnreadablePath(str(path), IngestError(UNREADABLE))


def import_sources(
    store: Store,
    sources: Iterable[SourceLike],
    *,
    athlete_id: int,
    workers: int | None = None,
    progress: Progress | None = None,
    reader: Reader | None = None,
    row_progress: RowProgress | None = None,
    checks: Checks | None = None,
) -> ImportReport:
    """Import already-listed sources (see the module docstring for the steps).

    The default reader reads manual-session CSV times without a zone in the athlete's zone;
    files it decodes in this process report rows read to ``row_progress`` (worker processes
    cannot call back).
    """
    with store.transaction() as tx:
        done = tx.done_hashes(athlete_id)
        athlete = tx.get_athlete(athlete_id)
    if reader is None:
        from stridewise.ingest import read_bytes

        zone = _zone(athlete.time_zone if athlete else None)
        reader = partial(read_bytes, local_tz=zone)
        inline: Reader = reader
        if row_progress is not None:
            inline = partial(read_bytes, local_tz=zone, row_progress=row_progress)
    else:
        inline = reader
    decode_with: Reader = reader
    total = len(sources) if isinstance(sources, Sized) else 0
    n_workers = choose_workers(total or None, workers)
    # With an unknown count, decode inline until the batch proves big enough for workers.
    pool_from = 0 if (total or workers is not None) else POOL_MIN_FILES
    report = ImportReport()
    in_run: set[str] = set()
    pending: deque[_Job] = deque()
    window = 0
    pool: DecodePool | None = None

    def finish(job: _Job) -> None:
        if job.early is not None:
            result = job.early
            if result.status == "failed":
                _log_failure(store, athlete_id, result, job.source.size_bytes)
        else:
            result = _store_safely(store, athlete_id, job, done, inline, pool)
            _note_replaced(report, result)
        report.files.append(result)
        if progress is not None:
            progress(result, len(report.files), total)

    try:
        for index, source in enumerate(sources):
            if pool is None and n_workers > 1 and index >= pool_from:
                pool = DecodePool(decode_with, n_workers)
                window = 4 * n_workers
            if isinstance(source, ExportSource):
                # A whole phone export is streamed on its own (see stridewise.import_exports).
                while pending:
                    finish(pending.popleft())
                from stridewise.importer_exports import import_export

                report.files.append(import_export(store, athlete_id, source, checks, progress))
                if progress is not None:
                    progress(report.files[-1], len(report.files), total)
                continue
            job = _read_job(source)
            if job.data is not None:
                job.sha256 = sha256_hex(job.data)
                if job.sha256 in done:
                    job.early = FileResult(source.name, "duplicate", SAME_FILE, job.sha256)
                elif job.sha256 not in in_run:
                    in_run.add(job.sha256)
                    if pool is not None:
                        job.decoded = pool.submit(job.data, source.name)
            pending.append(job)
            while len(pending) > window:
                finish(pending.popleft())
        while pending:
            finish(pending.popleft())
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if pool is not None:
            pool.shutdown(wait=not report.interrupted)
    return report


def _note_replaced(report: ImportReport, result: FileResult) -> None:
    """Tell an earlier file of this batch that its activity was replaced by ``result``'s
    richer recording, so the report does not count one activity twice."""
    if not result.replaced_ids:
        return
    replaced = set(result.replaced_ids)
    for earlier in report.files:
        hit = sorted(replaced.intersection(earlier.activity_ids))
        if hit:
            earlier.warnings.append(
                "its activity " + ", ".join(f"#{i}" for i in hit) + " was replaced by "
                f"{result.source_name}, a richer recording of the same activity"
            )


def _zone(name: str | None) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _read_job(source: SourceLike) -> _Job:
    """The source's bytes, or why they could not be had: the cap is checked from the size on
    disk first, so a 2 GiB file is refused without being read into memory."""
    job = _Job(source)
    if source.size_bytes > MAX_FILE_BYTES:
        job.early = FileResult(
            source.name, "failed",
            f"is {source.size_bytes >> 20} MiB, over the {MAX_FILE_BYTES >> 20} MiB cap",
        )
        return job
    try:
        job.data = source.read()
    except IngestError as exc:
        job.early = FileResult(source.name, "failed", exc.reason)
    except OSError as exc:
        job.early = FileResult(source.name, "failed", f"cannot be read ({exc})")
    except Exception:  # any archive or source bug: this file fails, the batch goes on
        log.debug("cannot read %s", source.name, exc_info=True)
        job.early = FileResult(source.name, "failed", UNREADABLE)
    return job


def _log_failure(store: Store, athlete_id: int, result: FileResult, size_bytes: int) -> None:
    """Log a failed file; a database that cannot even take the log row is left at that."""
    try:
        with store.write_transaction(athlete_id) as tx:
            _log(tx, athlete_id, result, size_bytes=size_bytes)
    except SQLAlchemyError:
        result.warnings.append("this failure could not be written to the import log")


def _store_safely(
    store: Store, athlete_id: int, job: _Job, done: set[str], reader: Reader,
    pool: DecodePool | None,
) -> FileResult:
    """:func:`_store_job`; a database error fails this file (rolled back), not the batch."""
    try:
        return _store_job(store, athlete_id, job, done, reader, pool)
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        result = FileResult(
            job.source.name, "failed", f"could not be saved to the database ({detail})",
            job.sha256,
        )
        _log_failure(store, athlete_id, result, len(job.data or b""))
        return result


def _decoded(job: _Job, reader: Reader, pool: DecodePool | None) -> Decoded:
    assert job.data is not None
    decoded = job.decoded
    if isinstance(decoded, Future):
        assert pool is not None
        return pool.result(decoded, job.data, job.source.name)
    return decoded if decoded is not None else decode(reader, job.data, job.source.name)


def _store_job(
    store: Store, athlete_id: int, job: _Job, done: set[str], reader: Reader,
    pool: DecodePool | None,
) -> FileResult:
    name, data, digest = job.source.name, job.data, job.sha256
    assert data is not None and digest is not None
    if digest in done:  # a copy of a file imported earlier in this batch
        return FileResult(name, "duplicate", SAME_FILE, digest)
    decoded = _decoded(job, reader, pool)
    result = FileResult(name, "failed", decoded.error, digest)
    if decoded.items is None:
        with store.write_transaction(athlete_id) as tx:
            _log(tx, athlete_id, result, size_bytes=len(data))
        return result
    items = _apply_meta(decoded.items, getattr(job.source, "meta", None), result.warnings)
    store.raw.put(data, digest)
    with store.write_transaction(athlete_id) as tx:
        # Another import (another process) may have stored this file since the batch began.
        if tx.is_done_hash(athlete_id, digest):
            done.add(digest)
            return FileResult(name, "duplicate", SAME_FILE, digest)
        _store_items(tx, athlete_id, items, result)
        _log(tx, athlete_id, result, size_bytes=len(data))
    done.add(digest)
    return result


def _store_items(
    tx: Tx, athlete_id: int, items: list[Activity | ManualSession], result: FileResult
) -> None:
    """Add what is new; the result says what was stored and what was a duplicate."""
    digest, name = result.sha256, result.source_name
    sessions, sessions_already = split_new_sessions(
        tx, athlete_id, [s for s in items if isinstance(s, ManualSession)]
    )
    if sessions:  # one flush for the whole log
        result.manual_session_ids.extend(
            tx.add_manual_sessions(athlete_id, sessions, source_sha256=digest)
        )
    duplicates_of: list[str] = []
    for item in (a for a in items if isinstance(a, Activity)):
        result.warnings.extend(item.warnings)
        kept_instead = resolve_duplicate(tx, athlete_id, item, name, result.replaced_ids)
        if kept_instead is not None:
            duplicates_of.append(kept_instead)
            continue
        added = tx.add_activity(athlete_id, item, source_sha256=digest, source_name=name)
        result.warnings.extend(added.warnings[len(item.warnings):])
        result.activity_ids.append(added.id)
    skipped = [f"skipped a duplicate of {d}" for d in duplicates_of]
    if sessions_already:
        skipped.append(f"skipped {sessions_already} session(s) already stored")
    if result.activity_ids or result.manual_session_ids:
        result.status, result.reason = "imported", None
        result.warnings.extend(skipped)
    else:
        result.status = "duplicate"
        reasons = ["same activity as " + "; ".join(duplicates_of)] if duplicates_of else []
        result.reason = "; ".join([*reasons, *([SAME_SESSIONS] if sessions_already else [])])


def _apply_meta(
    items: list[Activity | ManualSession], meta: SourceMetaLike | None, warnings: list[str]
) -> list[Activity | ManualSession]:
    """Names, sports and RPE that an archive's index gives (Strava/Garmin) override the file's.

    A new sport rebuilds the activity (:func:`stridewise.activity.with_sport`): cadence units,
    steps and speed limits depend on it."""
    if meta is None:
        return items
    warnings.extend(getattr(meta, "warnings", ()))
    rpe = meta.rpe
    if rpe is not None and not (math.isfinite(rpe) and 0 <= rpe <= 10):
        warnings.append(f"ignored the archive's RPE {rpe}: not on the 0-10 scale")
        rpe = None
    sport = normalise_sport(meta.sport)
    n_activities = sum(1 for a in items if isinstance(a, Activity))
    out: list[Activity | ManualSession] = []
    for item in items:
        if isinstance(item, Activity):
            if n_activities == 1 and sport != "other" and sport != item.sport:
                try:
                    item = with_sport(item, sport)
                except IngestError as exc:  # e.g. a ride that the index calls a run
                    warnings.append(f"kept as {item.sport}: the archive's index calls it "
                                    f"{sport}, but as {sport} {exc.reason}")
            if meta.name:
                item.name = meta.name
            if rpe is not None:
                item.rpe = rpe
        out.append(item)
    return out


def _log(tx: Tx, athlete_id: int, result: FileResult, *, size_bytes: int | None) -> m.ImportLog:
    return tx.add_import_log(
        athlete_id,
        source_name=result.source_name,
        status=result.status,
        sha256=result.sha256,
        size_bytes=size_bytes,
        reason=result.reason,
        warnings=result.warnings,
        activity_id=result.activity_ids[0] if result.activity_ids else None,
    )
