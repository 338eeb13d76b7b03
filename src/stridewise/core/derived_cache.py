"""What the core derives from one athlete's rows (the daily series, the day's advice, a face's
views of them), kept while those rows are unchanged.

Derived data is a cache, and the database says when it is stale: triggers move the athlete's
revision number on every insert, update or delete of a row the advice reads (migration 0008,
``Tx.revision``), whichever face, process or import made it. A page then costs one
primary-key read instead of a recomputation, and several server processes behave as one: each
keeps its own copy, and none can serve an answer older than the revision it read.

The revision is read before the value is computed, and the computation reads the rows itself
(never a value read before the revision), so a value is stored under a number no newer than
the rows it was computed from; a change made meanwhile (or by the computation itself, such as
a re-plan) moves the number, and the next request computes again.

Numbers only grow while the database is in use; a database restored from a backup (or
downgraded and upgraded again) may show numbers seen before, so server processes are
restarted after a restore (docs/server.md, "Backup and upgrade").
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd

T = TypeVar("T")

#: Memory kept per process: frames are counted by their size, anything else as
#: ``OTHER_BYTES``. A year of one athlete's series is about 0.15 MiB, ten years 1.2 MiB.
MAX_BYTES = 512 * 2**20
OTHER_BYTES = 64 * 2**10


def _size(value: Any) -> int:
    if isinstance(value, pd.DataFrame):
        # Eight bytes a cell (a float, or an object column's pointer), as
        # ``memory_usage(deep=False)`` counts them, without its cost per column.
        rows, columns = value.shape
        return 8 * rows * (columns + 1)
    return OTHER_BYTES


class DerivedCache:
    """Values keyed by (athlete, what) and stamped with (the athlete's today, revision): a
    new day or a new revision replaces the entry, so an athlete's entries do not pile up.
    Least recently used entries go first beyond ``max_bytes``. Thread-safe; two threads may
    compute the same value at once (both right), never a stale one."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self._entries: OrderedDict[tuple[int, Hashable], tuple[Any, Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_bytes
        self._bytes = 0

    def get(self, athlete_id: int, what: Hashable, stamp: tuple[Any, int],
            compute: Callable[[], T]) -> T:
        """The value for ``what`` at ``stamp`` (today, revision): kept, or computed now and
        kept."""
        key = (athlete_id, what)
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == stamp:
                self._entries.move_to_end(key)
                return found[1]
        value = compute()
        self.put(athlete_id, what, stamp, value)
        return value

    def peek(self, athlete_id: int, what: Hashable, stamp: tuple[Any, int]) -> tuple[bool, Any]:
        """(True, the value) kept for ``what`` at ``stamp``, else (False, None)."""
        key = (athlete_id, what)
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == stamp:
                self._entries.move_to_end(key)
                return True, found[1]
        return False, None

    def put(self, athlete_id: int, what: Hashable, stamp: tuple[Any, int], value: Any) -> None:
        """Keep ``value`` for ``what`` at ``stamp``, unless a newer stamp is kept already."""
        key = (athlete_id, what)
        size = _size(value)
        with self._lock:
            held = self._entries.get(key)
            if held is None or held[0] <= stamp:
                if held is not None:
                    self._bytes -= held[2]
                self._entries[key] = (stamp, value, size)
                self._bytes += size
                self._entries.move_to_end(key)
                while self._bytes > self._max and len(self._entries) > 1:
                    _key, (_stamp, _value, dropped) = self._entries.popitem(last=False)
                    self._bytes -= dropped
