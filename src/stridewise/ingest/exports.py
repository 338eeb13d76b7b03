"""Phone and platform exports found while walking files, folders and zips.

An Apple Health export (``export.zip`` or the unzipped ``apple_health_export/`` folder, or its
``export.xml`` alone) becomes one :class:`ExportSource`: the importer streams it instead of
loading its bytes (real ones are 1 to 4 GB), and its ``workout-routes/*.gpx`` are joined to
their workouts rather than imported as activities of their own. An Apple export without its
``export.xml`` is reported as such; its routes are then imported as plain GPX tracks.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from stridewise.errors import CorruptFileError, IngestError

APPLE_XML = "export.xml"
APPLE_ROUTES = "workout-routes"
#: How much of an ``export.xml`` is read to see whether it is Apple's.
_PEEK_BYTES = 16 * 1024
#: Largest route GPX read from an export (an 8-hour walk at 1 Hz is ~3 MB).
MAX_ROUTE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ExportSource:
    """A whole export streamed by its reader. ``kind`` names the reader ('apple_health');
    ``route(path)`` gives the bytes of a file the export refers to, or None."""

    name: str
    size_bytes: int
    kind: str
    opener: Callable[[], IO[bytes]] | None = field(repr=False, compare=False)
    route: Callable[[str], bytes | None] = field(repr=False, compare=False)
    #: The member files a JSON export (Garmin, Fitbit) is read from, via ``route``.
    names: tuple[str, ...] = ()

    def open(self) -> IO[bytes]:
        if self.opener is None:
            raise IngestError("is read file by file, not as one stream", source=self.name)
        return self.opener()

    def read(self) -> bytes:
        raise IngestError("is a whole export, streamed by its reader", source=self.name)


def is_apple_xml(head: bytes) -> bool:
    return b"<HealthData" in head


def apple_in_zip(archive: zipfile.ZipFile, display: str,
                 problem: Callable[[zipfile.ZipInfo, str], IngestError | None],
                 ) -> tuple[list[ExportSource | IngestError], set[str]]:
    """Apple exports inside ``archive``: the sources (or why one is refused), and the member
    names the walk must skip (routes joined to workouts)."""
    found: list[ExportSource | IngestError] = []
    skip: set[str] = set()
    infos = archive.infolist()
    roots = {posixpath.dirname(i.filename) for i in infos
             if posixpath.basename(i.filename).lower() == APPLE_XML}
    for root in sorted(roots):
        info = archive.getinfo(posixpath.join(root, APPLE_XML) if root else APPLE_XML)
        shown = f"{display}!{info.filename}"
        try:
            with archive.open(info) as stream:
                if not is_apple_xml(stream.read(_PEEK_BYTES)):
                    continue
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError) as exc:
            found.append(CorruptFileError(f"could not be read from the archive ({exc})",
                                          source=shown))
            continue
        refused = problem(info, shown)
        if refused is not None:
            found.append(refused)
            continue
        prefix = f"{root}/" if root else ""
        skip.update(i.filename for i in infos
                    if i.filename.startswith(f"{prefix}{APPLE_ROUTES}/"))
        found.append(ExportSource(
            name=shown, size_bytes=info.file_size, kind="apple_health",
            opener=_zip_opener(archive, info),
            route=_zip_route(archive, prefix),
        ))
    if not found:
        # Routes without their export.xml: say so; the routes import as plain GPX tracks.
        routes = [i for i in infos if f"/{APPLE_ROUTES}/" in f"/{i.filename}"]
        if routes and any("apple_health_export" in i.filename for i in infos):
            found.append(CorruptFileError(
                "this Apple Health export has no export.xml, so only its workout routes "
                "could be imported (export again from the Health app)",
                source=f"{display}!apple_health_export/{APPLE_XML}"))
    return found, skip


def platform_in_zip(archive: zipfile.ZipFile, display: str) -> list[ExportSource]:
    """Garmin's and Fitbit's daily-data JSON inside ``archive``, one source per platform."""
    from stridewise.ingest.platform_exports import fitbit_members, garmin_members

    infos = {i.filename: i for i in archive.infolist() if not i.is_dir()}
    found = []
    for kind, members in (("garmin", garmin_members(infos)), ("fitbit", fitbit_members(infos))):
        if members:
            found.append(ExportSource(
                name=f"{display}!{kind} daily data", kind=kind, opener=None,
                size_bytes=sum(infos[n].file_size for n in members),
                route=_zip_route(archive, ""), names=tuple(members)))
    return found


def platform_in_folder(folder: Path) -> list[ExportSource]:
    """The same for an unzipped export folder."""
    from stridewise.ingest.platform_exports import fitbit_members, garmin_members

    files = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*.json") if p.is_file()}
    found = []
    for kind, members in (("garmin", garmin_members(files)), ("fitbit", fitbit_members(files))):
        if members:
            def route(name: str, files: dict[str, Path] = files) -> bytes | None:
                path = files.get(name)
                if path is None or path.stat().st_size > MAX_ROUTE_BYTES:
                    return None
                return path.read_bytes()

            found.append(ExportSource(
                name=f"{folder}!{kind} daily data", kind=kind, opener=None,
                size_bytes=sum(files[n].stat().st_size for n in members),
                route=route, names=tuple(members)))
    return found


def _zip_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        return archive.open(info)

    return opener


def _zip_route(archive: zipfile.ZipFile, prefix: str) -> Callable[[str], bytes | None]:
    def route(path: str) -> bytes | None:
        name = prefix + path.lstrip("/")
        try:
            info = archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > MAX_ROUTE_BYTES:
            return None
        try:
            with archive.open(info) as stream:
                return stream.read(MAX_ROUTE_BYTES)
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError):
            return None

    return route


def apple_file(path: Path) -> ExportSource | None:
    """``path`` as an Apple Health ``export.xml``, when it is one."""
    if path.name.lower() != APPLE_XML:
        return None
    try:
        with path.open("rb") as handle:
            if not is_apple_xml(handle.read(_PEEK_BYTES)):
                return None
    except OSError:
        return None
    root = path.parent

    def route(ref: str) -> bytes | None:
        target = (root / ref.lstrip("/")).resolve()
        # Never outside the export's folder, whatever the path says.
        if root.resolve() not in target.parents or not target.is_file():
            return None
        if target.stat().st_size > MAX_ROUTE_BYTES:
            return None
        return target.read_bytes()

    return ExportSource(name=str(path), size_bytes=path.stat().st_size, kind="apple_health",
                        opener=lambda: path.open("rb"), route=route)
