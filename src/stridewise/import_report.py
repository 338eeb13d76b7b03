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
    #: Stored activities this file's richer recording replaced (superseded), by id.
    replaced_ids: list[int] = field(default_factory=list)


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

    @property
    def replaced_ids(self) -> list[int]:
        """Activities this batch replaced with a richer recording, in order."""
        return [i for f in self.files for i in f.replaced_ids]

    @property
    def stored(self) -> list[FileResult]:
        """Imported files that still hold something this batch stored: a file whose only
        activity a later file of the same batch replaced is not counted twice."""
        gone = set(self.replaced_ids)
        return [
            f for f in self.imported
            if f.manual_session_ids or any(i not in gone for i in f.activity_ids)
        ]

    def summary_line(self) -> str:
        """"imported 1, replaced #1, duplicate 0, failed 0": the counts match what is stored
        (a GPX and a TCX of one run in one import store one activity)."""
        replaced = ", ".join(f"#{i}" for i in self.replaced_ids)
        parts = [f"imported {len(self.stored)}"]
        if replaced:
            parts.append(f"replaced {replaced}")
        parts += [f"duplicate {len(self.duplicates)}", f"failed {len(self.failed)}"]
        return ", ".join(parts)


class Progress(Protocol):
    """Called after each file; ``total`` is 0 while the number of files is unknown."""

    def __call__(self, result: FileResult, done: int, total: int) -> None: ...
