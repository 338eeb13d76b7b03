"""Errors a user can read. Every ingest failure names the file and the problem."""

from __future__ import annotations


class StridewiseError(Exception):
    """Base of every error the tool raises on purpose."""


class IngestError(StridewiseError):
    """A file could not be read. ``reason`` is one plain sentence for the import report."""

    def __init__(self, reason: str, *, source: str | None = None) -> None:
        self.reason = reason
        self.source = source
        super().__init__(f"{source}: {reason}" if source else reason)


class UnsupportedFormatError(IngestError):
    """Not a FIT, GPX, TCX, CSV or archive file (or one of those gzipped)."""


class CorruptFileError(IngestError):
    """The file is damaged: bad CRC, truncated, malformed XML, undefined messages..."""


class FileTooLargeError(IngestError):
    """Over a size cap (a decompression or zip bomb, or simply too big to be an activity)."""


class UnsafeFileError(IngestError):
    """Refused for safety: XML entities/DTDs, path traversal in an archive, and the like."""


class EmptyActivityError(IngestError):
    """The file is valid but holds no activity records."""


class ImplausibleActivityError(IngestError, ValueError):
    """The activity as a whole cannot be right (e.g. dated 1990 or in the future).

    An :class:`~stridewise.errors.IngestError`, so every reader's caller reports it like any
    other bad file, with its reason."""
