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
    #: A phone or platform export's days of daily measures (steps, resting heart rate,
    #: sleep...) added and updated, and its sleep intervals added (importer_exports).
    days_added: int = 0
    days_updated: int = 0
    sleep_added: int = 0

    @property
    def days_stored(self) -> int:
        return self.days_added + self.days_updated

    def sessions_kept(self, gone: set[int] | frozenset[int] = frozenset()) -> int:
        """Activities (not replaced later in the batch) and logged sessions this file added."""
        return (sum(1 for i in self.activity_ids if i not in gone)
                + len(self.manual_session_ids))

    def detail(self, gone: set[int] | frozenset[int] = frozenset()) -> tuple[str, str]:
        """(status, what it added, in words): the one wording of a file's outcome for every
        face. An imported file that stored nothing any more (its only activity replaced by a
        richer copy later in the batch) is ``replaced``; an export that added only days is
        ``imported``, with its days counted."""
        if self.status != "imported":
            return self.status, self.reason or ""
        sessions = self.sessions_kept(gone)
        if (self.activity_ids and sessions == 0 and not self.days_stored
                and not self.sleep_added):
            return "replaced", "; ".join(self.warnings[-1:])
        parts = []
        if sessions or self.activity_ids or self.manual_session_ids:
            parts.append(_count(sessions, "session") + " added")
        if self.days_added:
            parts.append(_count(self.days_added, "day") + " of daily measures added")
        if self.days_updated:
            parts.append(_count(self.days_updated, "day") + " updated")
        if self.sleep_added:
            parts.append(_count(self.sleep_added, "sleep interval") + " added")
        text = ", ".join(parts) or "no new sessions or days"
        if self.replaced_ids:
            text += ", replacing " + ", ".join(f"#{i}" for i in self.replaced_ids)
        notes = [w for w in self.warnings if _EXPORT_COUNTS not in w]
        if notes:
            text += ". Note: " + "; ".join(notes[:3])
        return "imported", text


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


#: In the export importer's own count line (already said by :meth:`FileResult.detail`).
_EXPORT_COUNTS = " workout(s) added, "


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
        activity a later file of the same batch replaced is not counted twice; an export
        that added days of daily measures (and perhaps no workout) counts."""
        gone = set(self.replaced_ids)
        return [f for f in self.imported if f.detail(gone)[0] == "imported"
                and (f.sessions_kept(gone) or f.days_stored or f.sleep_added)]

    @property
    def days_added(self) -> int:
        return sum(f.days_added for f in self.files)

    @property
    def days_updated(self) -> int:
        return sum(f.days_updated for f in self.files)

    def summary_line(self) -> str:
        """"imported 1, replaced #1, duplicate 0, failed 0": the counts match what is stored
        (a GPX and a TCX of one run in one import store one activity). When exports added
        days of daily measures: "imported 1 (2 sessions, 21 days of daily measures), ..."."""
        replaced = ", ".join(f"#{i}" for i in self.replaced_ids)
        gone = set(self.replaced_ids)
        imported = f"imported {len(self.stored)}"
        if self.days_added or self.days_updated:
            sessions = sum(f.sessions_kept(gone) for f in self.imported)
            inner = [_count(sessions, "session"),
                     _count(self.days_added, "day") + " of daily measures"]
            if self.days_updated:
                inner.append(f"{self.days_updated} updated")
            imported += f" ({', '.join(inner)})"
        parts = [imported]
        if replaced:
            parts.append(f"replaced {replaced}")
        parts += [f"duplicate {len(self.duplicates)}", f"failed {len(self.failed)}"]
        return ", ".join(parts)


class Progress(Protocol):
    """Called after each file; ``total`` is 0 while the number of files is unknown."""

    def __call__(self, result: FileResult, done: int, total: int) -> None: ...
