"""Walk files, folders and zip archives into :class:`Source` items, one per activity file.

- **Files** given explicitly are always yielded (the reader sniffs the format and explains a
  refusal).
- **Folders** are walked recursively for ``.fit``, ``.gpx``, ``.tcx`` (each optionally
  ``.gz``) and ``.zip``; OS junk (``__MACOSX``, ``.DS_Store``, ``._*``, ``Thumbs.db``) is
  skipped. A ``.csv`` file in a folder or archive is taken only when its first line is a
  manual-session header (``date``, ``type`` and ``duration`` columns): export folders and
  archives are full of CSVs that are not session logs (Strava's ``activities.csv``), and only
  the first bytes are read to tell.
- **Zip archives**, nested up to ``MAX_ZIP_DEPTH`` deep (a Garmin Connect export holds
  ``UploadedFiles_*.zip`` inside the export zip). A Strava bulk export's ``activities.csv``
  gives each file under ``activities/`` its name, type and perceived exertion; a Garmin
  export's ``*summarizedActivities*.json`` gives names and types to files whose name carries
  the activity ID (Garmin does not always name uploaded files that way; the rest keep the
  file's own sport).

Zip bombs and hostile archives are refused member by member: too many members, a file or
the archive's total over its size cap, a compression ratio no activity file has, nesting
deeper than ``MAX_ZIP_DEPTH``, absolute or ``..`` paths, symlinks and encrypted members. A
refused member is still yielded, as a Source whose ``read()`` raises the
:class:`~stridewise.errors.IngestError`, so an import reports it and carries on. Strava's
"Relative Effort" is a heart-rate load score, not an exertion rating, so it is not used as RPE.
A nested zip is spooled to an anonymous temporary file (a Garmin export's ``UploadedFiles``
part can be several GiB) and is not held to the per-file cap; only the files inside it count
against the archive's total, so nothing is counted twice.
"""

from __future__ import annotations

import csv
import os
import posixpath
import re
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from stridewise.errors import (
    CorruptFileError,
    FileTooLargeError,
    IngestError,
    UnsafeFileError,
    UnsupportedFormatError,
)
from stridewise.ingest import MAX_FILE_BYTES
from stridewise.ingest.csvlog import is_session_log_header
from stridewise.ingest.exportindex import SourceMeta as SourceMeta
from stridewise.ingest.exportindex import garmin_metadata, strava_metadata
from stridewise.ingest.exports import (
    ExportSource,
    apple_file,
    apple_in_zip,
    platform_in_folder,
    platform_in_zip,
)

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
MAX_ZIP_DEPTH = 2
MAX_ZIP_MEMBERS = 100_000
MAX_MEMBER_BYTES = MAX_FILE_BYTES
#: Sum of the uncompressed sizes read from one archive (nested archives included).
MAX_ARCHIVE_TOTAL_BYTES = 8 * 1024**3
#: Activity XML deflates ~10-20x and FIT ~2-3x; past this ratio a member is a bomb.
MAX_COMPRESSION_RATIO = 100
_RATIO_CHECK_FROM_BYTES = 1024 * 1024
_SPOOL_CHUNK_BYTES = 1024 * 1024
_JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_META_JSON_MAX_BYTES = 64 * 1024 * 1024
#: How much of a CSV is read to see whether its header is a session log's.
_CSV_PEEK_BYTES = 4096


@dataclass(frozen=True)
class Source:
    """One file to import. ``read()`` loads the bytes only when called."""

    name: str
    size_bytes: int
    loader: Callable[[], bytes] = field(repr=False, compare=False)
    meta: SourceMeta = field(default_factory=SourceMeta)

    def read(self) -> bytes:
        return self.loader()


def _failing(error: IngestError) -> Callable[[], bytes]:
    def load() -> bytes:
        raise error

    return load


def _refused(name: str, error: IngestError, size_bytes: int = 0) -> Source:
    return Source(name=name, size_bytes=size_bytes, loader=_failing(error))


def _is_junk(path_part: str) -> bool:
    low = path_part.lower()
    return low in _JUNK_NAMES or low.startswith("._") or low == "__macosx"


def _is_activity_name(name: str) -> bool:
    return name.lower().endswith(ACTIVITY_SUFFIXES)


def iter_sources(paths: Iterable[Path]) -> Iterator[Source | ExportSource]:
    """Yield one :class:`Source` per activity file under ``paths`` (files, folders, zips)."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from platform_in_folder(path)
            yield from _walk_folder(path)
        elif path.is_file():
            yield from _from_file(path)
        else:
            yield _refused(str(path), IngestError("no such file or folder", source=str(path)))


def _walk_folder(folder: Path) -> Iterator[Source | ExportSource]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _is_junk(d))
        apple = apple_file(Path(root) / "export.xml") if "export.xml" in files else None
        if apple is not None:
            # The unzipped Apple Health folder: its routes are joined to its workouts.
            yield apple
            dirs[:] = [d for d in dirs if d != "workout-routes"]
        for file_name in sorted(files):
            if _is_junk(file_name):
                continue
            path = Path(root) / file_name
            low = file_name.lower()
            if (_is_activity_name(file_name) or low.endswith(".zip")
                    or (low.endswith(".csv") and _is_session_log_file(path))):
                yield from _from_file(path)


def _is_session_log_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return is_session_log_header(handle.read(_CSV_PEEK_BYTES))
    except OSError:
        return False


def _is_session_log_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    try:
        with archive.open(info) as stream:
            return is_session_log_header(stream.read(_CSV_PEEK_BYTES))
    except (NotImplementedError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError,
            OSError, ValueError):
        # Unreadable: not worth a failure report for a CSV that is most likely not a log.
        return False


def _looks_like_zip(path: Path) -> bool:
    if path.suffix.lower() == ".zip":
        return True
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def _from_file(path: Path) -> Iterator[Source | ExportSource]:
    display = str(path)
    apple = apple_file(path)
    if apple is not None:
        yield apple
        return
    if _looks_like_zip(path):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            yield _refused(display, CorruptFileError(
                f"the zip archive is damaged or truncated ({exc})", source=display))
            return
        yield from _walk_zip(archive, display, depth=1,
                             budget=_Budget(remaining=MAX_ARCHIVE_TOTAL_BYTES))
        return
    size_bytes = path.stat().st_size
    if size_bytes > MAX_FILE_BYTES:
        # Refused from its size on disk: never read into memory.
        yield _refused(display, FileTooLargeError(
            f"is {size_bytes >> 20} MiB, over the {MAX_FILE_BYTES >> 20} MiB cap",
            source=display), size_bytes)
        return
    yield Source(name=display, size_bytes=size_bytes, loader=path.read_bytes)


@dataclass
class _Budget:
    """Uncompressed bytes still allowed from one top-level archive (nested ones included)."""

    remaining: int


def _member_problem(info: zipfile.ZipInfo, shown: str, budget: _Budget,
                    container: bool = False) -> IngestError | None:
    """Why a member is refused, if it is. A nested zip (``container``) is not held to the
    per-file cap, only to what is left of the archive's total, since it is spooled to disk
    and its own members are each checked again."""
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
        return UnsafeFileError(
            "has an absolute or '..' path inside the archive (path traversal), refused",
            source=shown,
        )
    if stat.S_ISLNK(info.external_attr >> 16):
        return UnsafeFileError("is a symbolic link inside the archive, refused", source=shown)
    if info.flag_bits & 0x1:
        return UnsupportedFormatError("is password-protected inside the archive", source=shown)
    if not container and info.file_size > MAX_MEMBER_BYTES:
        return FileTooLargeError(
            f"would inflate to {info.file_size // 1024**2} MiB, over the "
            f"{MAX_MEMBER_BYTES // 1024**2} MiB cap per file",
            source=shown,
        )
    if (info.file_size >= _RATIO_CHECK_FROM_BYTES
            and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
        ratio = info.file_size / max(info.compress_size, 1)
        return FileTooLargeError(
            f"is compressed {ratio:.0f}:1, far beyond any activity file "
            f"(cap {MAX_COMPRESSION_RATIO}:1): refused as a possible zip bomb",
            source=shown,
        )
    if info.file_size > budget.remaining:
        return FileTooLargeError(
            f"would take the archive past {MAX_ARCHIVE_TOTAL_BYTES // 1024**3} GiB "
            "uncompressed: refused as a possible zip bomb",
            source=shown,
        )
    return None


def _member_loader(archive: zipfile.ZipFile, info: zipfile.ZipInfo,
                   shown: str) -> Callable[[], bytes]:
    def load() -> bytes:
        return _read_member(archive, info, shown)

    return load


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> bytes:
    """Read at most the declared size (+1 byte to catch a lying header)."""
    with _member_errors(info, shown), archive.open(info) as stream:
        data = _read_capped(stream, min(info.file_size, MAX_MEMBER_BYTES) + 1)
    if len(data) > info.file_size:
        raise FileTooLargeError("inflates past its declared size: refused as a zip bomb",
                                source=shown)
    return data


def _spool_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> IO[bytes]:
    """Copy a nested zip to an anonymous temporary file (memory stays bounded however large
    it is), at most its declared size (+1 byte to catch a lying header)."""
    # Not a with-block: the file must outlive this call, as the nested ZipFile reads from it
    # until its members are imported; it is deleted when the last reference goes.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        copied = 0
        with _member_errors(info, shown), archive.open(info) as stream:
            while copied <= info.file_size:
                chunk = stream.read(min(_SPOOL_CHUNK_BYTES, info.file_size + 1 - copied))
                if not chunk:
                    break
                spool.write(chunk)
                copied += len(chunk)
        if copied > info.file_size:
            raise FileTooLargeError("inflates past its declared size: refused as a zip bomb",
                                    source=shown)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool


@contextmanager
def _member_errors(info: zipfile.ZipInfo, shown: str) -> Iterator[None]:
    """Turn what reading a member can raise into an :class:`IngestError` for that member."""
    try:
        yield
    except NotImplementedError as exc:
        raise UnsupportedFormatError(
            f"is stored in the archive with a compression method this program cannot unpack "
            f"(zip method {info.compress_type}, e.g. Deflate64 from Windows Explorer): extract "
            "the archive with another tool and import the folder", source=shown) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise CorruptFileError(f"could not be read from the archive ({exc})",
                               source=shown) from exc


def _read_capped(stream: IO[bytes], limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = stream.read(min(1024 * 1024, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _walk_zip(archive: zipfile.ZipFile, display: str, depth: int, budget: _Budget,
              inherited: dict[str, SourceMeta] | None = None,
              ) -> Iterator[Source | ExportSource]:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        yield _refused(display, FileTooLargeError(
            f"holds {len(infos)} files, over the cap of {MAX_ZIP_MEMBERS}: refused as a "
            "possible zip bomb", source=display))
        return
    # A Garmin export's JSON sits in the outer zip, its FIT files in the nested ones.
    own, problems = _export_metadata(archive, infos, display, budget)
    metadata = {**(inherited or {}), **own}
    exports, joined = apple_in_zip(
        archive, display, lambda info, shown: _member_problem(info, shown, budget, True))
    for found in [*exports, *platform_in_zip(archive, display)]:
        if isinstance(found, ExportSource):
            budget.remaining -= found.size_bytes
            yield found
        else:
            yield _refused(found.source or display, found)
    for info in infos:
        if (info.is_dir() or info.filename in joined
                or any(_is_junk(p) for p in info.filename.split("/"))):
            continue
        is_zip = info.filename.lower().endswith(".zip")
        is_csv = info.filename.lower().endswith(".csv")
        if not (is_zip or is_csv or _is_activity_name(info.filename)):
            continue
        shown = f"{display}!{info.filename}"
        problem = _member_problem(info, shown, budget, container=is_zip)
        if is_csv and (problem is not None or not _is_session_log_member(archive, info)):
            continue
        if problem is None and is_zip and depth >= MAX_ZIP_DEPTH:
            problem = UnsafeFileError(
                f"is a zip nested more than {MAX_ZIP_DEPTH} deep, refused", source=shown)
        if problem is not None:
            yield _refused(shown, problem, info.file_size)
            continue
        if is_zip:
            # Only the innermost files count against the budget: a container's bytes are
            # its members' bytes, which are counted as each is walked.
            yield from _walk_nested_zip(archive, info, shown, depth, budget, metadata)
        else:
            budget.remaining -= info.file_size
            meta = _meta_for(info.filename, metadata)
            if problems:
                meta = replace(meta, warnings=(*meta.warnings, *problems))
            yield Source(name=shown, size_bytes=info.file_size,
                         loader=_member_loader(archive, info, shown), meta=meta)


def _walk_nested_zip(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str,
                     depth: int, budget: _Budget,
                     metadata: dict[str, SourceMeta]) -> Iterator[Source | ExportSource]:
    try:
        inner = zipfile.ZipFile(_spool_member(archive, info, shown))
    except IngestError as exc:
        yield _refused(shown, exc, info.file_size)
        return
    except zipfile.BadZipFile as exc:
        yield _refused(shown, CorruptFileError(f"the nested zip is damaged ({exc})",
                                               source=shown), info.file_size)
        return
    yield from _walk_zip(inner, shown, depth + 1, budget, metadata)


def _meta_for(member: str, metadata: dict[str, SourceMeta]) -> SourceMeta:
    if member in metadata:
        return metadata[member]
    # Garmin: match the activity ID as the last number in the file name.
    numbers = re.findall(r"\d+", posixpath.basename(member))
    if numbers and f"id:{numbers[-1]}" in metadata:
        return metadata[f"id:{numbers[-1]}"]
    return SourceMeta()


def _export_metadata(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], display: str, budget: _Budget
) -> tuple[dict[str, SourceMeta], list[str]]:
    """Member path (Strava) or ``id:<activityId>`` (Garmin) -> what the export says; and the
    problems with an index that could not be used (its files are imported without it)."""
    found: dict[str, SourceMeta] = {}
    problems: list[str] = []
    for info in infos:
        base = posixpath.basename(info.filename).lower()
        is_strava = base == "activities.csv"
        is_garmin = "summarizedactivities" in base and base.endswith(".json")
        if not (is_strava or is_garmin) or info.file_size > _META_JSON_MAX_BYTES:
            continue
        shown = f"{display}!{info.filename}"
        if _member_problem(info, shown, budget) is not None:
            continue
        try:
            raw = _read_member(archive, info, shown)
            if is_strava:
                found.update(strava_metadata(raw, posixpath.dirname(info.filename)))
            else:
                found.update(garmin_metadata(raw))
        except (IngestError, csv.Error, ValueError, RecursionError) as exc:
            reason = exc.reason if isinstance(exc, IngestError) else str(exc)
            problems.append(
                f"the archive's {info.filename} could not be read ({reason}), so names, sports "
                "and effort from it were not used"
            )
    return found, problems
