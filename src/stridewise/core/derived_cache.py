"""What the core derives from one athlete's rows (the daily series, the day's advice), kept
while those rows are unchanged.

Derived data is a cache, and the database says when it is stale: triggers move the athlete's
revision number on every insert, update or delete of a row the advice reads (migration 0008,
``Tx.revision``), whichever face, process or import made it. A page then costs one
primary-key read instead of a recomputation, and several server processes behave as one: each
keeps its own copy, and none can serve an answer older than the revision it read.

The revision is read before the value is computed, so a value is stored under a number no
newer than the rows it was computed from; a change made meanwhile (or by the computation
itself, such as a re-plan) moves the number, and the next request computes again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Entries kept per process (an entry is one athlete's series or one day's answer): enough
#: for a server's active athletes, bounded so a long-running process does not grow.
MAX_ENTRIES = 4096


class DerivedCache:
    """Values keyed by (athlete, what) and stamped with the athlete's revision. Thread-safe;
    two threads may compute the same value at once (both right), never a stale one."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: OrderedDict[tuple[int, Hashable], tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, athlete_id: int, what: Hashable, revision: int,
            compute: Callable[[], T]) -> T:
        """The value for ``what`` at ``revision``: kept, or computed now and kept."""
        key = (athlete_id, what)
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == revision:
                self._entries.move_to_end(key)
                return found[1]
        value = compute()
        with self._lock:
            held = self._entries.get(key)
            if held is None or held[0] <= revision:
                self._entries[key] = (revision, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self._max:
                    self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)
