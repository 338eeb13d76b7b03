"""What an import reports, and the shapes of what it reads: the per-file result, the batch
report, the progress callback, and the source protocol :mod:`stridewise.ingest.sources` meets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


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
