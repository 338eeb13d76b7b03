"""A fake file format and fake sources, so the import pipeline is tested on its own.

A fake file is one line, ``<format> <start ISO> <elapsed s> <distance m|-> [sport]``
(``manual`` as the format gives a manual strength session); a file starting with ``BAD`` is
corrupt. The reader is a module-level function so worker processes can receive it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from stridewise.activity import Activity, ManualSession, build_activity
from stridewise.errors import CorruptFileError


def fake_reader(data: bytes, *, source_name: str) -> list[Activity | ManualSession]:
    text = data.decode()
    if text.startswith("BAD"):
        raise CorruptFileError("the test file is damaged", source=source_name)
    fmt, start_iso, elapsed, distance, *rest = text.split()
    start = datetime.fromisoformat(start_iso)
    if fmt == "manual":
        return [ManualSession(start, "strength", float(elapsed))]
    n = int(elapsed) + 1
    records: dict[str, object] = {"time_s": start.timestamp() + np.arange(n, dtype=float)}
    if distance != "-":
        records["distance_m"] = np.linspace(0.0, float(distance), n)
    return [build_activity(records, sport=rest[0] if rest else "run", source_format=fmt)]


@dataclass
class FakeMeta:
    name: str | None = None
    sport: str | None = None
    rpe: float | None = None


@dataclass
class FakeSource:
    name: str
    payload: str
    meta: FakeMeta | None = None

    @property
    def size_bytes(self) -> int:
        return len(self.payload.encode())

    def read(self) -> bytes:
        return self.payload.encode()


def dying_reader(data: bytes, *, source_name: str) -> list[Activity | ManualSession]:
    """Like :func:`fake_reader`, but a file starting with ``DIE`` kills its process, as the
    OOM killer or a crash in a C extension would."""
    if data.startswith(b"DIE"):
        import os

        os._exit(9)
    return fake_reader(data, source_name=source_name)
