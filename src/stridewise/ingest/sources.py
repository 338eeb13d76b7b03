"""Walk files, folders and zip archives into :class:`Source` items, one per activity file.

- **Files** given explicitly are always yielded (the reader sniffs the format and explains a
  refusal). Manual-session ``.csv`` logs are taken only this way: export folders and archives
  are full of CSVs that are not session logs.
- **Folders** are walked recursively for ``.fit``, ``.gpx``, ``.tcx`` (each optionally
  ``.gz``) and ``.zip``; OS junk (``__MACOSX``, ``.DS_Store``, ``._*``, ``Thumbs.db``) is
  skipped.
- **Zip archives**, nested up to ``MAX_ZIP_DEPTH`` deep (a Garmin Connect export holds
  ``UploadedFiles_*.zip`` inside the export zip). A Strava bulk export's ``activities.csv``
  gives each file under ``activities/`` its name, type and perceived exertion; a Garmin
  export's ``*summarizedActivities*.json`` gives names and types to files whose name carries
  the activity ID (Garmin does not always name uploaded files that way; the rest keep the
  file's own sport).

Zip bombs and hostile archives are refused member by member: too many members, a member or
the archive's total over its size cap, a compression ratio no activity file has, nesting
deeper than ``MAX_ZIP_DEPTH``, absolute or ``..`` paths, symlinks and encrypted members. A
refused member is still yielded, as a Source whose ``read()`` raises the
:class:`~stridewise.errors.IngestError`, so an import reports it and carries on. Strava's
"Relative Effort" is a heart-rate load score, not an exertion rating, so it is not used as RPE.
"""

from __future__ import annotations

import csv
import io
import json
import os
import posixpath
import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from stridewise.activity import normalise_sport
from stridewise.errors import (
    CorruptFileError,
    FileTooLargeError,
    IngestError,
    UnsafeFileError,
    UnsupportedFormatError,
)
from stridewise.ingest import MAX_FILE_BYTES

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
MAX_ZIP_DEPTH = 2
MAX_ZIP_MEMBERS = 100_000
MAX_MEMBER_BYTES = MAX_FILE_BYTES
#: Sum of the uncompressed sizes read from one archive (nested archives included).
MAX_ARCHIVE_TOTAL_BYTES = 8 * 1024**3
#: Activity XML deflates ~10-20x and FIT ~2-3x; past this ratio a member is a bomb.
MAX_COMPRESSION_RATIO = 100
_RATIO_CHECK_FROM_BYTES = 1024 * 1024
_JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_META_JSON_MAX_BYTES = 64 * 1024 * 1024
#: Largest cell read from an export's activities.csv (Strava descriptions can be long).
CSV_FIELD_LIMIT = 16 * 1024 * 1024


@dataclass(frozen=True)
class SourceMeta:
    """What an export says about a file, beyond the file itself."""

    name: str | None = None
    sport: str | None = None
    rpe: float | None = None
    #: Problems with the export's index itself (e.g. an unreadable activities.csv).
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """One file to import. ``read()`` loads the bytes only when called."""

    name: str
    size_bytes: int
    loader: Callable[[], bytes] = field(repr=False, compare=False)
    meta: SourceMeta = SourceMeta()

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


def iter_sources(paths: Iterable[Path]) -> Iterator[Source]:
    """Yield one :class:`Source` per activity file under ``paths`` (files, folders, zips)."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _walk_folder(path)
        elif path.is_file():
            yield from _from_file(path)
        else:
            yield _refused(str(path), IngestError("no such file or folder", source=str(path)))


def _walk_folder(folder: Path) -> Iterator[Source]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _is_junk(d))
        for file_name in sorted(files):
            if _is_junk(file_name):
                continue
            if _is_activity_name(file_name) or file_name.lower().endswith(".zip"):
                yield from _from_file(Path(root) / file_name)


def _looks_like_zip(path: Path) -> bool:
    if path.suffix.lower() == ".zip":
        return True
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def _from_file(path: Path) -> Iterator[Source]:
    display = str(path)
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


def _member_problem(info: zipfile.ZipInfo, shown: str, budget: _Budget) -> IngestError | None:
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
    if info.file_size > MAX_MEMBER_BYTES:
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
    try:
        with archive.open(info) as stream:
            data = _read_capped(stream, min(info.file_size, MAX_MEMBER_BYTES) + 1)
    except NotImplementedError as exc:
        raise UnsupportedFormatError(
            f"is stored in the archive with a compression method this program cannot unpack "
            f"(zip method {info.compress_type}, e.g. Deflate64 from Windows Explorer): extract "
            "the archive with another tool and import the folder", source=shown) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise CorruptFileError(f"could not be read from the archive ({exc})",
                               source=shown) from exc
    if len(data) > info.file_size:
        raise FileTooLargeError("inflates past its declared size: refused as a zip bomb",
                                source=shown)
    return data


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
              inherited: dict[str, SourceMeta] | None = None) -> Iterator[Source]:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        yield _refused(display, FileTooLargeError(
            f"holds {len(infos)} files, over the cap of {MAX_ZIP_MEMBERS}: refused as a "
            "possible zip bomb", source=display))
        return
    # A Garmin export's JSON sits in the outer zip, its FIT files in the nested ones.
    own, problems = _export_metadata(archive, infos, display, budget)
    metadata = {**(inherited or {}), **own}
    for info in infos:
        if info.is_dir() or any(_is_junk(p) for p in info.filename.split("/")):
            continue
        is_zip = info.filename.lower().endswith(".zip")
        if not (is_zip or _is_activity_name(info.filename)):
            continue
        shown = f"{display}!{info.filename}"
        problem = _member_problem(info, shown, budget)
        if problem is None and is_zip and depth >= MAX_ZIP_DEPTH:
            problem = UnsafeFileError(
                f"is a zip nested more than {MAX_ZIP_DEPTH} deep, refused", source=shown)
        if problem is not None:
            yield _refused(shown, problem, info.file_size)
            continue
        budget.remaining -= info.file_size
        if is_zip:
            yield from _walk_nested_zip(archive, info, shown, depth, budget, metadata)
        else:
            meta = _meta_for(info.filename, metadata)
            if problems:
                meta = replace(meta, warnings=(*meta.warnings, *problems))
            yield Source(name=shown, size_bytes=info.file_size,
                         loader=_member_loader(archive, info, shown), meta=meta)


def _walk_nested_zip(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str,
                     depth: int, budget: _Budget,
                     metadata: dict[str, SourceMeta]) -> Iterator[Source]:
    try:
        inner = zipfile.ZipFile(io.BytesIO(_read_member(archive, info, shown)))
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
                found.update(_strava_metadata(raw, posixpath.dirname(info.filename)))
            else:
                found.update(_garmin_metadata(raw))
        except (IngestError, csv.Error, ValueError, RecursionError) as exc:
            reason = exc.reason if isinstance(exc, IngestError) else str(exc)
            problems.append(
                f"the archive's {info.filename} could not be read ({reason}), so names, sports "
                "and effort from it were not used"
            )
    return found, problems


def _strava_metadata(raw: bytes, root: str) -> dict[str, SourceMeta]:
    # The limit is process-wide (csv has no per-reader one); the default 128 KiB is too small
    # for long Strava descriptions.
    csv.field_size_limit(CSV_FIELD_LIMIT)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig", errors="replace"))))
    if not rows:
        return {}
    header = [h.strip() for h in rows[0]]

    def column(title: str) -> int | None:
        # Strava repeats some titles (e.g. "Distance"); the first one is the summary field.
        return header.index(title) if title in header else None

    file_col, name_col = column("Filename"), column("Activity Name")
    type_col, rpe_col = column("Activity Type"), column("Perceived Exertion")
    if file_col is None:
        return {}
    out: dict[str, SourceMeta] = {}
    for row in rows[1:]:
        if file_col >= len(row) or not row[file_col].strip():
            continue

        def cell(index: int | None, row: list[str] = row) -> str | None:
            return row[index].strip() or None if index is not None and index < len(row) else None

        sport_text = cell(type_col)
        out[posixpath.join(root, row[file_col].strip())] = SourceMeta(
            name=cell(name_col),
            sport=normalise_sport(sport_text) if sport_text else None,
            rpe=_rpe(cell(rpe_col)),
        )
    return out


def _rpe(text: str | None) -> float | None:
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value <= 10 else None


def _garmin_metadata(raw: bytes) -> dict[str, SourceMeta]:
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    # The export wraps the list: [{"summarizedActivitiesExport": [ {...}, ... ]}]
    chunks = payload if isinstance(payload, list) else [payload]
    out: dict[str, SourceMeta] = {}
    for chunk in chunks:
        items = chunk.get("summarizedActivitiesExport") if isinstance(chunk, dict) else None
        for item in items or []:
            if not isinstance(item, dict) or item.get("activityId") is None:
                continue
            kind = item.get("activityType")
            if isinstance(kind, dict):
                kind = kind.get("typeKey")
            name = item.get("name")
            out[f"id:{item['activityId']}"] = SourceMeta(
                name=name if isinstance(name, str) and name.strip() else None,
                sport=normalise_sport(kind) if isinstance(kind, str) else None,
            )
    return out
