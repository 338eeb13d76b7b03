"""The FIT header walk compiled with numba, imported only when a FIT file is decoded.

Why numba: on files that interleave message types (a record, an hrv, a record, an event, ...)
the Python loop over message headers cost about 1 µs a message and dominated decoding
(docs/design.md, "FIT header walk"). Compiled, the loop costs a few ns a message. numba is
imported lazily, on the first FIT decode of a process, so commands that read no FIT file do
not pay its import; the compiled kernel is cached on disk (``cache=True``), so only the first
process after an install pays the compile. When numba is missing or fails to compile, the
decoder uses its Python walk, which gives identical results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

END = 0
DEFINITION = 1
UNDEFINED = 2
TRUNCATED = 3

_kernel: Callable[..., tuple[int, int, int, bool]] | None = None
_tried = False


def _walk_py(
    u8: Any, pos: int, end: int, strides: Any, def_ids: Any,
    run_pos: Any, run_count: Any, run_def: Any, n_runs: int,
) -> tuple[int, int, int, bool]:
    """Walk data messages from ``pos`` until a definition, an error or ``end``.

    ``strides[lt]`` is local type ``lt``'s message size plus its header byte (0: undefined),
    ``def_ids[lt]`` its definition's index. Back-to-back messages of one definition form a
    run: its first header position, message count and definition index go to
    ``run_pos``/``run_count``/``run_def`` at index ``n_runs``. Returns (position, number
    of runs, status, whether a compressed-timestamp header was seen).
    """
    compressed = False
    while pos < end:
        h = u8[pos]
        if h & 0xC0 == 0x40:
            return pos, n_runs, DEFINITION, compressed
        if h & 0x80:
            lt = (h >> 5) & 0x03
            compressed = True
        else:
            lt = h & 0x0F
        stride = strides[lt]
        if stride == 0:
            return pos, n_runs, UNDEFINED, compressed
        if pos + stride > end:
            return pos, n_runs, TRUNCATED, compressed
        d = def_ids[lt]
        last = n_runs - 1
        if last >= 0 and run_def[last] == d and run_pos[last] + run_count[last] * stride == pos:
            run_count[last] += 1
        else:
            run_pos[n_runs] = pos
            run_count[n_runs] = 1
            run_def[n_runs] = d
            n_runs += 1
        pos += stride
    return pos, n_runs, END, compressed


_python_walk_s = 0.0
#: Seconds of Python header walking after which a process loads the compiled walk: about
#: what importing numba and loading the cached kernel costs, so a process that reads few
#: FIT files never pays more for numba than it would save (docs/design.md).
COMPILE_AFTER_S = 0.25


def count_python_walk(seconds: float) -> None:
    global _python_walk_s
    _python_walk_s += seconds


def worth_compiling() -> bool:
    """True once the compiled walk is loaded or this process has walked long enough."""
    return _kernel is not None or _python_walk_s >= COMPILE_AFTER_S


def kernel() -> Callable[..., tuple[int, int, int, bool]] | None:
    """The compiled walk, or None when numba is unavailable (the caller walks in Python)."""
    global _kernel, _tried
    if not _tried:
        _tried = True
        try:
            import numba

            _kernel = numba.njit(cache=True, nogil=True)(_walk_py)
        except Exception:  # no numba, or a platform it cannot compile for
            _kernel = None
    return _kernel
