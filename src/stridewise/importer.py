"""Batch import: files, folders and archives into the store, one transaction per file.

For each source, in order:

1. hash the bytes (sha256); a hash already imported for this athlete is a
   "duplicate (same file)" and is not decoded again, so re-running an import resumes it;
2. decode with :func:`stridewise.ingest.read_bytes`, in a process pool across files when the
   batch is large enough to repay the workers' start-up (see :func:`choose_workers`);
3. compare every activity with those already stored (:func:`is_same_activity`): the same
   activity recorded in two formats is kept once, from the richer format (FIT over TCX over
   GPX); the other file is logged as a duplicate;
4. store the raw file (content-addressed), the activity rows, their streams and one import-log
   row in ONE transaction: a crash or Ctrl-C loses nothing already imported and never leaves
   half a file.

A file that cannot be read is logged with its reason and the batch goes on.
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sized
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool as BrokenExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Protocol

from stridewise.activity import Activity, ManualSession, normalise_sport
from stridewise.errors import IngestError
from stridewise.store import Store, Tx, sha256_hex
from stridewise.store import models as m
from stridewise.summary import compute_summary

#: Cross-format duplicate rule: same athlete, starts within 60 s, elapsed times within 5 %
#: of the longer, and distances within 3 % of the longer when both have one.
DUPLICATE_START_WINDOW_S = 60.0
DUPLICATE_ELAPSED_TOLERANCE = 0.05
DUPLICATE_DISTANCE_TOLERANCE = 0.03
#: Which recording to keep when two formats hold the same activity (higher is richer).
FORMAT_RICHNESS = {"fit": 3, "tcx": 2, "gpx": 1}
#: Below this many files decoding inline beats paying for worker processes.
POOL_MIN_FILES = 16
SAME_FILE = "duplicate (same file)"

Reader = Callable[..., list[Activity | ManualSession]]


class SourceMetaLike(Protocol):
    name: str | None
    sport: str | None
    rpe: float | None


class SourceLike(Protocol):
    """What :mod:`stridewise.ingest.sources` yields: a name, a size and lazily read bytes."""

    @property
    def name(self) -> str: ...

    @property
    def size_bytes(self) -> int: ...

    def read(self) -> bytes: ...


@dataclass
class FileResult:
    source_name: str
    status: str
    reason: str | None = None
    sha256: str | None = None
    warnings: list[str] = field(default_factory=list)
    activity_ids: list[int] = field(default_factory=list)
    manual_session_ids: list[int] = field(default_factory=list)


@dataclass
class ImportReport:
    """Every file with its status; ``interrupted`` when Ctrl-C stopped the batch early
    (everything reported was committed; running the import again resumes it)."""

    files: list[FileResult] = field(default_factory=list)
    interrupted: bool = False

    def with_status(self, status: str) -> list[FileResult]:
        return [f for f in self.files if f.status == status]

    @property
    def imported(self) -> list[FileResult]:
        return self.with_status("imported")

    @property
    def duplicates(self) -> list[FileResult]:
        return self.with_status("duplicate")

    @property
    def failed(self) -> list[FileResult]:
        return self.with_status("failed")


class Progress(Protocol):
    """Called after each file; ``total`` is 0 while the number of files is unknown."""

    def __call__(self, result: FileResult, done: int, total: int) -> None: ...


def is_same_activity(
    start_a_s: float,
    elapsed_a_s: float,
    distance_a_m: float | None,
    start_b_s: float,
    elapsed_b_s: float,
    distance_b_m: float | None,
) -> bool:
    """The cross-format duplicate rule (module constants), for two recordings of one athlete."""
    if abs(start_a_s - start_b_s) > DUPLICATE_START_WINDOW_S:
        return False
    if not _within(elapsed_a_s, elapsed_b_s, DUPLICATE_ELAPSED_TOLERANCE):
        return False
    if distance_a_m is not None and distance_b_m is not None:
        return _within(distance_a_m, distance_b_m, DUPLICATE_DISTANCE_TOLERANCE)
    return True


def _within(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def choose_workers(n_files: int | None, requested: int | None) -> int:
    """Worker processes for decoding: as asked, else the cores for big (or not yet counted)
    batches, else 1."""
    if requested is not None:
        return max(1, requested)
    if n_files is not None and n_files < POOL_MIN_FILES:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


@dataclass
class _Decoded:
    items: list[Activity | ManualSession] | None
    error: str | None


def _decode(reader: Reader, data: bytes, source_name: str) -> _Decoded:
    """Run in a worker: errors come back as text, since exception pickling loses fields."""
    try:
        items = reader(data, source_name=source_name)
    except IngestError as exc:
        return _Decoded(None, exc.reason)
    except (ValueError, OverflowError) as exc:
        return _Decoded(None, str(exc))
    except Exception as exc:  # an unexpected reader bug must not stop the batch
        return _Decoded(None, f"could not be read ({type(exc).__name__}: {exc})")
    if not items:
        return _Decoded(None, "holds no activity or session")
    return _Decoded(items, None)


@dataclass
class _Job:
    source: SourceLike
    data: bytes | None = None
    sha256: str | None = None
    decoded: Future[_Decoded] | _Decoded | None = None
    early: FileResult | None = None


def import_paths(
    store: Store,
    paths: Iterable[Path | str],
    *,
    athlete_id: int,
    workers: int | None = None,
    progress: Progress | None = None,
    reader: Reader | None = None,
) -> ImportReport:
    """Import files, folders and archives; an unreadable path is reported, not raised.

    Sources are walked lazily, so an export with many nested archives is not held in memory
    at once; the progress callback then gets ``total=0`` (unknown).
    """
    return import_sources(
        store, _walk(paths), athlete_id=athlete_id, workers=workers, progress=progress,
        reader=reader,
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


def import_sources(
    store: Store,
    sources: Iterable[SourceLike],
    *,
    athlete_id: int,
    workers: int | None = None,
    progress: Progress | None = None,
    reader: Reader | None = None,
) -> ImportReport:
    """Import already-listed sources (see the module docstring for the steps)."""
    if reader is None:
        from stridewise.ingest import read_bytes

        reader = read_bytes
    decode_with: Reader = reader
    total = len(sources) if isinstance(sources, Sized) else 0
    n_workers = choose_workers(total or None, workers)
    # With an unknown count, decode inline until the batch proves big enough for workers.
    pool_from = 0 if (total or workers is not None) else POOL_MIN_FILES
    report = ImportReport()
    with store.transaction() as tx:
        done = tx.done_hashes(athlete_id)
    in_run: set[str] = set()
    pending: deque[_Job] = deque()
    window = 0
    pool: Executor | None = None

    def finish(job: _Job) -> None:
        result = job.early or _store_job(store, athlete_id, job, done, decode_with)
        report.files.append(result)
        if progress is not None:
            progress(result, len(report.files), total)

    try:
        for index, source in enumerate(sources):
            if pool is None and n_workers > 1 and index >= pool_from:
                # forkserver: workers are not forked from a process that holds database
                # connections and a progress-bar thread.
                pool = ProcessPoolExecutor(n_workers, mp_context=get_context("forkserver"))
                window = 4 * n_workers
            job = _Job(source)
            try:
                job.data = source.read()
            except IngestError as exc:
                job.early = FileResult(source.name, "failed", exc.reason)
            except OSError as exc:
                job.early = FileResult(source.name, "failed", f"cannot be read ({exc})")
            if job.data is not None:
                job.sha256 = sha256_hex(job.data)
                if job.sha256 in done:
                    job.early = FileResult(source.name, "duplicate", SAME_FILE, job.sha256)
                elif job.sha256 not in in_run:
                    in_run.add(job.sha256)
                    job.decoded = (
                        pool.submit(_decode, decode_with, job.data, source.name)
                        if pool is not None
                        else None
                    )
            pending.append(job)
            while len(pending) > window:
                finish(pending.popleft())
        while pending:
            finish(pending.popleft())
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if pool is not None:
            pool.shutdown(wait=not report.interrupted, cancel_futures=True)
    return report


def _store_job(
    store: Store, athlete_id: int, job: _Job, done: set[str], reader: Reader
) -> FileResult:
    name, data, digest = job.source.name, job.data, job.sha256
    assert data is not None and digest is not None
    if digest in done:  # a copy of a file imported earlier in this batch
        return FileResult(name, "duplicate", SAME_FILE, digest)
    decoded = job.decoded
    if isinstance(decoded, Future):
        try:
            decoded = decoded.result()
        except BrokenExecutor:  # a worker died (killed, out of memory): decode here instead
            decoded = _decode(reader, data, name)
    elif decoded is None:
        decoded = _decode(reader, data, name)
    result = FileResult(name, "failed", decoded.error, digest)
    if decoded.items is None:
        with store.transaction() as tx:
            _log(tx, athlete_id, result, size_bytes=len(data))
        return result
    items = decoded.items
    _apply_meta(items, getattr(job.source, "meta", None), result.warnings)
    store.raw.put(data, digest)
    with store.transaction() as tx:
        duplicates_of: list[str] = []
        for item in items:
            if isinstance(item, ManualSession):
                row = tx.add_manual_session(athlete_id, item, source_sha256=digest)
                result.manual_session_ids.append(row.id)
                continue
            result.warnings.extend(item.warnings)
            kept_instead = _resolve_duplicate(tx, athlete_id, item, name)
            if kept_instead is not None:
                duplicates_of.append(kept_instead)
                continue
            added = tx.add_activity(athlete_id, item, source_sha256=digest, source_name=name)
            result.activity_ids.append(added.id)
        if result.activity_ids or result.manual_session_ids:
            result.status, result.reason = "imported", None
            result.warnings.extend(f"skipped a duplicate of {d}" for d in duplicates_of)
        else:
            result.status = "duplicate"
            result.reason = "same activity as " + "; ".join(duplicates_of)
        _log(tx, athlete_id, result, size_bytes=len(data))
    done.add(digest)
    return result


def _resolve_duplicate(tx: Tx, athlete_id: int, new: Activity, new_name: str) -> str | None:
    """None to store ``new`` (replacing a poorer recording of it, if any); else a description
    of the stored recording that is kept instead."""
    candidates = tx.activities_starting_near(
        athlete_id, new.start_time_utc, DUPLICATE_START_WINDOW_S
    )
    for old in candidates:
        if not is_same_activity(
            old.start_time_utc.timestamp(), old.elapsed_s, old.distance_m,
            new.start_time_utc.timestamp(), new.summary.elapsed_s, new.summary.distance_m,
        ):
            continue
        old_rank = FORMAT_RICHNESS.get(old.source_format, 0)
        if FORMAT_RICHNESS.get(new.source_format, 0) > old_rank:
            tx.supersede_activity(
                old.id,
                f"same activity as {new_name}, kept as the richer recording "
                f"({new.source_format.upper()} over {old.source_format.upper()})",
            )
            continue
        origin = old.source_name or "an earlier import"
        return f"activity #{old.id} ({origin}, {old.source_format.upper()})"
    return None


def _apply_meta(
    items: list[Activity | ManualSession], meta: SourceMetaLike | None, warnings: list[str]
) -> None:
    """Names, sports and RPE that an archive's index gives (Strava/Garmin) override the file's."""
    if meta is None:
        return
    activities = [a for a in items if isinstance(a, Activity)]
    rpe = meta.rpe
    if rpe is not None and not (math.isfinite(rpe) and 0 <= rpe <= 10):
        warnings.append(f"ignored the archive's RPE {rpe}: not on the 0-10 scale")
        rpe = None
    for activity in activities:
        if meta.name:
            activity.name = meta.name
        if rpe is not None:
            activity.rpe = rpe
    sport = normalise_sport(meta.sport)
    if len(activities) == 1 and sport != "other" and sport != activities[0].sport:
        # The summary depends on the sport (cadence and steps count for foot sports only).
        activities[0].sport = sport
        activities[0].summary = compute_summary(activities[0].records, sport)


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
