"""Compiled (numba) passes of :func:`stridewise.series.daily.daily_columns` for a cohort.

The straightforward path of ``daily_columns`` scatters each daily column with its own
``np.bincount`` and copies it into the result, and merges the bone-loading bouts of days with
several sessions through :func:`stridewise.science.bone.daily_bone_stimulus` on padded
arrays. On 10,000 athletes x 3 years that was most of the series' cost beyond the load
metrics. Here one pass over a block's sessions writes every per-day sum and flag straight
into the result rows, and a second small pass works out the bout terms of the days with
several sessions.

The results are bit for bit those of the straightforward path (``tests/series``): the sums
add the sessions in the same order, from 0, as ``np.bincount`` does; the bout terms repeat
``daily_bone_stimulus`` step by step (stable sorts, running sums from the left). Logarithms
are not taken here: NumPy's ``log1p`` (vectorised) and the C library's can differ in the last
bit, so the caller takes them with NumPy, as ``daily_bone_stimulus`` does. Days with eight or
more sessions are left to ``daily_bone_stimulus`` itself, whose NumPy sum adds eight or more
terms pairwise rather than from the left.

numba is imported only when a cohort is big enough to gain from it (a single athlete's series
never loads it), and the kernels are cached on disk after the first compile; without numba
the straightforward path runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

_kernels: tuple[Callable[..., Any], ...] | None = None
_tried = False

#: Largest number of sessions on one day whose bout terms the compiled pass adds up; NumPy
#: adds eight or more terms of a row pairwise, so such days go through NumPy.
MAX_SEQUENTIAL_SESSIONS = 7


def _nan_to_num(value: float) -> float:
    if math.isnan(value):
        return 0.0
    if math.isinf(value):
        return 1.7976931348623157e308 if value > 0 else -1.7976931348623157e308
    return value


def _zero_nan(value: float) -> float:
    return 0.0 if math.isnan(value) else value


def _scatter_py(
    positions: Any, want: Any, moderate_level: int, vigorous_level: int,
    minutes: Any, distance: Any, run: Any, load: Any, estimated: Any, trimp: Any,
    level: Any, met: Any, strength: Any, balance: Any, oi_real: Any, oi_walk: Any,
    counts: Any, duration_out: Any, distance_out: Any, run_out: Any, longest_out: Any,
    load_out: Any, estimated_out: Any, trimp_out: Any, moderate_out: Any, vigorous_out: Any,
    met_out: Any, strength_out: Any, balance_out: Any, bone_out: Any, walk_out: Any,
    shared: Any,
) -> None:
    """Every per-day sum and flag of one block, at flat athlete-day ``positions``.

    ``want`` flags, in order: duration, distance, run distance (and longest run), load,
    estimated, trimp, intensity minutes, MET minutes, strength, balance, bone. Arrays of
    unwanted columns are empty; the others (and ``counts``) must arrive zeroed (the caller
    allocates them with ``np.zeros``, whose fresh pages the operating system zeroes anyway).
    Bone: days with one session get its osteogenic index (``oi_real``, ``oi_walk``); sessions of
    days with several are flagged in ``shared``."""
    n = positions.shape[0]
    for i in range(n):
        counts[positions[i]] += 1
    for i in range(n):
        p = positions[i]
        m = _zero_nan(minutes[i]) if want[0] or want[6] else 0.0
        if want[0]:
            duration_out[p] += m
        if want[1]:
            distance_out[p] += _zero_nan(distance[i])
        if want[2]:
            d = _zero_nan(distance[i]) if run[i] else 0.0
            run_out[p] += d
            # daily_longest_run_m: NaN as 0 and inf as the largest float (np.nan_to_num).
            longest = _nan_to_num(d)
            if longest > longest_out[p]:
                longest_out[p] = longest
        if want[3]:
            load_out[p] += _nan_to_num(load[i])
        if want[4] and estimated[i]:
            estimated_out[p] = True
        if want[5]:
            trimp_out[p] += _zero_nan(trimp[i])
        if want[6]:
            lv = level[i]
            moderate_out[p] += m if lv == moderate_level else 0.0
            vigorous_out[p] += m if lv == vigorous_level else 0.0
        if want[7]:
            met_out[p] += _zero_nan(met[i])
        if want[8] and strength[i]:
            strength_out[p] = True
        if want[9] and balance[i]:
            balance_out[p] = True
        if want[10]:
            if counts[p] > 1:
                shared[i] = True
            else:
                shared[i] = False
                bone_out[p] += _zero_nan(oi_real[i])
                walk_out[p] += _zero_nan(oi_walk[i])


def _cycles_py(
    grf: Any, cycles: Any, minutes: Any, walk_cadence_spm: float, real_out: Any, walk_out: Any,
) -> None:
    """The arguments of the logarithm in :func:`stridewise.science.bone.osteogenic_index` for
    each session (``np.maximum(cycles, 0)``, NaN kept) and for the same minutes walked (cycles
    per leg = cadence x minutes / 2, :func:`~stridewise.science.bone.walking_equivalent_loading`,
    NaN unless the session scores on foot, i.e. has a finite force and cycle count)."""
    for i in range(grf.shape[0]):
        c = cycles[i]
        real_out[i] = c if (c >= 0.0 or math.isnan(c)) else 0.0
        if math.isfinite(grf[i]) and math.isfinite(c):
            w = walk_cadence_spm * _zero_nan(minutes[i]) / 2.0
            walk_out[i] = w if (w >= 0.0 or math.isnan(w)) else 0.0
        else:
            walk_out[i] = math.nan


def _bout_terms_py(
    bounds: Any, start: Any, grf: Any, cycles: Any, duration: Any, recovery_gap_h: float,
    grf_ranked: Any, bout_cycles: Any, before_cycles: Any,
) -> None:
    """The terms of :func:`stridewise.science.bone.daily_bone_stimulus` for each day
    ``bounds[k]:bounds[k + 1]`` of the given sessions, its steps repeated exactly: the day's
    gain is ``sum(grf_ranked * (log1p(bout_cycles) - log1p(before_cycles)))``, in order."""
    widest = 0
    for k in range(bounds.shape[0] - 1):
        widest = max(widest, bounds[k + 1] - bounds[k])
    valid = np.empty(widest, np.bool_)
    key = np.empty(widest)
    order = np.empty(widest, np.int64)
    bout = np.empty(widest, np.int64)
    g = np.empty(widest)
    n = np.empty(widest)
    rank = np.empty(widest, np.int64)
    for k in range(bounds.shape[0] - 1):
        lo, hi = bounds[k], bounds[k + 1]
        c = hi - lo
        for j in range(c):
            i = lo + j
            ok = not (math.isnan(start[i]) or math.isnan(grf[i]) or math.isnan(cycles[i]))
            ok = ok and grf[i] > 0 and cycles[i] > 0
            valid[j] = ok
            key[j] = start[i] if ok else np.inf
        # Stable argsort of the start times (invalid sessions last), by insertion.
        for j in range(c):
            v = key[j]
            t = j
            while t > 0 and key[order[t - 1]] > v:
                order[t] = order[t - 1]
                t -= 1
            order[t] = j
        previous_end = -np.inf
        bout_id = 0
        for t in range(c):
            j = order[t]
            i = lo + j
            s = start[i]
            if s - previous_end >= recovery_gap_h:
                bout_id += 1
            bout[t] = bout_id
            if valid[j]:
                end = s + _nan_to_num(duration[i])
                g[t] = grf[i]
                n[t] = max(cycles[i], 0.0)
            else:
                end = -np.inf
                g[t] = 0.0
                n[t] = 0.0
            if end > previous_end:
                previous_end = end
        # Stable sort by (bout, -grf), as np.lexsort((-grf, bout)).
        for t in range(c):
            b, ng = bout[t], -g[t]
            u = t
            while u > 0 and (bout[rank[u - 1]] > b or (
                    bout[rank[u - 1]] == b and -g[rank[u - 1]] > ng)):
                rank[u] = rank[u - 1]
                u -= 1
            rank[u] = t
        running = 0.0
        cycles_before_bout = -np.inf
        for t in range(c):
            r = rank[t]
            cyc = n[r]
            running = cyc if t == 0 else running + cyc
            first = t == 0 or bout[r] != bout[rank[t - 1]]
            candidate = running - cyc if first else 0.0
            if t == 0 or math.isnan(candidate) or candidate > cycles_before_bout:
                cycles_before_bout = candidate  # np.maximum.accumulate: NaN propagates
            total = running - cycles_before_bout
            grf_ranked[lo + t] = g[r]
            bout_cycles[lo + t] = total
            before_cycles[lo + t] = total - cyc


def _day_sums_py(bounds: Any, gain: Any, days: Any, out: Any) -> None:
    """``out[days[k]]`` = the day's gains added from the left (NaN as 0)."""
    for k in range(bounds.shape[0] - 1):
        total = 0.0
        for i in range(bounds[k], bounds[k + 1]):
            total += gain[i]
        out[days[k]] = _zero_nan(total)


def kernels() -> tuple[Callable[..., Any], ...] | None:
    """``(scatter, cycles, bout_terms, day_sums)`` compiled, or None without numba."""
    global _kernels, _tried
    if not _tried:
        _tried = True
        try:
            import numba

            jit = numba.njit(cache=True, nogil=True)
            # The kernels call these two by their module names, looked up when compiled.
            global _nan_to_num, _zero_nan
            _nan_to_num, _zero_nan = jit(_nan_to_num), jit(_zero_nan)
            _kernels = (jit(_scatter_py), jit(_cycles_py), jit(_bout_terms_py),
                        jit(_day_sums_py))
        except Exception:  # no numba, or a platform it cannot compile for
            _kernels = None
    return _kernels
