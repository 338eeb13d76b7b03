"""Raw files kept content-addressed on disk: ``<root>/<aa>/<bb>/<sha256>``.

Raw files are the truth every derived number can be recomputed from. Writes are atomic
(temporary file + rename), so a crash leaves either the whole file or nothing; a file left
behind by a crash before its database transaction committed is harmless, because the next
import of the same bytes reuses it.

One file may belong to several athletes (the same bytes are stored once), so the directory
itself has no owner: athletes reach their files through :class:`RawRepo`, which returns a file
only to an athlete whose import log, activities or sessions name it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from stridewise.store import models as m


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class RawFileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Store ``data`` (once) and return its sha256."""
        digest = sha256 or sha256_hex(data)
        target = self.path_for(digest)
        if target.exists() and target.stat().st_size == len(data):
            return digest
        if sha256 is not None and sha256_hex(data) != sha256:
            # A wrong digest would put these bytes where another file (perhaps another
            # athlete's) belongs; checked only when writing, so a re-import costs nothing.
            raise ValueError(f"the data does not have the sha256 {sha256}")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()


class RawRepo:
    """Raw files as seen by one athlete (mixed into :class:`stridewise.store.Tx`)."""

    session: Session
    raw: RawFileStore

    def owns_raw_file(self, athlete_id: int, sha256: str) -> bool:
        """Whether the athlete's import log, activities or manual sessions name this file."""
        for column, owner in (
            (m.ImportLog.sha256, m.ImportLog.athlete_id),
            (m.Activity.source_sha256, m.Activity.athlete_id),
            (m.ManualSession.source_sha256, m.ManualSession.athlete_id),
        ):
            q = select(column).where(column == sha256, owner == athlete_id).limit(1)
            if self.session.scalar(q) is not None:
                return True
        return False

    def get_raw_file(self, athlete_id: int, sha256: str) -> bytes | None:
        """The bytes of a file the athlete imported; None when it is missing or only another
        athlete's."""
        if not self.owns_raw_file(athlete_id, sha256):
            return None
        try:
            return self.raw.get(sha256)
        except FileNotFoundError:
            return None
