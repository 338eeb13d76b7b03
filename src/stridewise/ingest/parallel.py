"""Decoding files in worker processes, surviving a worker that dies.

A reader runs in a process pool across files; errors come back as text (exception pickling
loses fields). When a worker dies (the OOM killer, a crash in a C extension), every file in
flight gets :class:`BrokenProcessPool`, though only one of them killed it. Each of those files
is then decoded again ALONE in a fresh one-worker pool: the innocent ones are read, and the one
that kills its worker again is reported as failed. Such a file is never decoded in the main
process, where it would take the whole import down. Later files go to a new pool.

Workers die with their parent. When an import is killed (``kill -9``, the OOM killer, a closed
terminal), its decoder processes must not linger, holding memory and CPU: on Linux each worker
asks the kernel for SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``; the parent of a
worker is the forkserver, which exits as soon as the importing process is gone), and on every
system a watchdog thread in each worker exits it within ``WATCHDOG_S`` once its parent has
changed (it was re-parented) or the importing process no longer exists.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context

from stridewise import clock
from stridewise.activity import Activity, ManualSession
from stridewise.errors import IngestError

Reader = Callable[..., list[Activity | ManualSession]]
log = logging.getLogger(__name__)

WORKER_DIED = (
    "the decoder process stopped abruptly while reading this file (it ran out of memory or "
    "crashed), so the file was not imported"
)


UNEXPECTED = (
    "could not be read: the file is damaged or in a form stridewise does not understand"
)


@dataclass
class Decoded:
    """What a reader made of one file: items, or the reason it could not."""

    items: list[Activity | ManualSession] | None
    error: str | None


def decode(reader: Reader, data: bytes, source_name: str) -> Decoded:
    """Run ``reader``; any exception becomes a reason, so one bad file never stops a batch.

    Only an :class:`IngestError`'s reason is shown; anything else is a reader bug whose text
    means nothing to the person, so it is logged at debug level and reported in plain words."""
    try:
        items = reader(data, source_name=source_name)
    except IngestError as exc:
        return Decoded(None, exc.reason)
    except Exception:  # an unexpected reader bug must not stop the batch
        log.debug("reader error on %s", source_name, exc_info=True)
        return Decoded(None, UNEXPECTED)
    if not items:
        return Decoded(None, "holds no activity or session")
    return Decoded(items, None)


#: How often a worker's watchdog checks that the importing process is still there.
WATCHDOG_S = 1.0
_PR_SET_PDEATHSIG = 1


def _init_worker(parent_clock: clock.Clock, importer_pid: int) -> None:
    """Pool initializer: the parent's clock, and death with the parent (module docstring)."""
    clock.install(parent_clock)
    die_with_parent(importer_pid)


def die_with_parent(importer_pid: int) -> None:
    """Make this process exit when its parent or ``importer_pid`` dies: a parent-death signal
    on Linux, and a watchdog thread everywhere (also covering a parent that died before the
    signal was asked for)."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the watchdog alone does it
            log.debug("prctl(PR_SET_PDEATHSIG) unavailable", exc_info=True)

    def watch() -> None:
        # Event.wait, not time.sleep: under libfaketime (the date tests) sleeping in a thread
        # fails with EINVAL.
        tick = threading.Event()
        while True:
            if os.getppid() != parent or not _alive(importer_pid):
                os._exit(1)
            tick.wait(WATCHDOG_S)

    threading.Thread(target=watch, name="stridewise-parent-watchdog", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie (a killed parent not yet reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:  # no /proc (macOS): os.kill said it exists
        return True


def _new_pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: workers are not forked from a process that holds database connections and
    # a progress-bar thread.
    # Workers read the parent's clock (a test's fixed clock too), so "in the future" means the
    # same instant in the parent and in every worker.
    return ProcessPoolExecutor(workers, mp_context=get_context("forkserver"),
                               initializer=_init_worker, initargs=(clock.current(), os.getpid()))


class DecodePool:
    """A process pool for :func:`decode` that is replaced when a worker dies."""

    def __init__(self, reader: Reader, workers: int) -> None:
        self.reader = reader
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = _new_pool(workers)
        # Which pool ran each future, so a late report from a dead pool does not also
        # shut down its healthy replacement.
        self._pool_of: dict[Future[Decoded], ProcessPoolExecutor] = {}

    def submit(self, data: bytes, source_name: str) -> Future[Decoded]:
        if self._pool is None:
            self._pool = _new_pool(self.workers)
        try:
            future = self._pool.submit(decode, self.reader, data, source_name)
        except BrokenProcessPool:
            self._retire(self._pool)
            return self.submit(data, source_name)
        self._pool_of[future] = self._pool
        return future

    def result(self, future: Future[Decoded], data: bytes, source_name: str) -> Decoded:
        """The decoded file; if the pool broke meanwhile, decode it alone in a fresh worker."""
        pool = self._pool_of.pop(future, None)
        try:
            return future.result()
        except BrokenProcessPool:
            self._retire(pool)
            return self._decode_alone(data, source_name)

    def _retire(self, pool: ProcessPoolExecutor | None) -> None:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if pool is self._pool:
            self._pool = None

    def _decode_alone(self, data: bytes, source_name: str) -> Decoded:
        alone = _new_pool(1)
        try:
            return alone.submit(decode, self.reader, data, source_name).result()
        except BrokenProcessPool:
            return Decoded(None, WORKER_DIED)
        finally:
            alone.shutdown(wait=False, cancel_futures=True)

    def shutdown(self, *, wait: bool) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
        self._pool = None
        self._pool_of.clear()
