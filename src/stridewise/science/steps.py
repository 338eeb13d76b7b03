"""Active minutes from step counts: walking cadence as an estimate of intensity.

Cadence (steps per minute) of a step sample = ``steps / (duration_s / 60)``. Thresholds from
Tudor-Locke C et al. (2018) "How fast is fast enough? Walking cadence (steps/min) as a
practical estimate of intensity in adults: a narrative review", Br J Sports Med 52:776-788:

- **>= 100 steps/min: moderate** (>= 3 METs). Evidence grade B: consistent across the
  treadmill and overground calibration studies the review pools (ROC sensitivity and
  specificity ~0.8), confirmed in CADENCE-Adults (Tudor-Locke 2020, ages 21-85).
- **>= 130 steps/min: vigorous** (>= 6 METs). Grade C: the review calls it a reasonable
  heuristic; fewer studies, wider spread between people.

Only samples lasting at most ``max_sample_s`` (one minute by default) are graded: a longer
sample's mean cadence can hide or invent a brisk bout (3 brisk minutes and 2 standing ones
average to "5 moderate minutes"). Minutes inside a recorded activity do not count again, since
the activity already counts them (a walk recorded on the watch is not counted twice): the
readers keep the brisk time as spans (:func:`brisk_spans`) and the daily series takes out the
recorded sessions (:func:`seconds_outside`), whichever was imported first.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Tudor-Locke 2018: >= 100 steps/min ~ 3 METs (moderate). Grade B.
MODERATE_CADENCE_SPM = 100.0
#: Tudor-Locke 2018: >= 130 steps/min ~ 6 METs (vigorous). Grade C.
VIGOROUS_CADENCE_SPM = 130.0
#: Longest step sample whose mean cadence is graded (per minute or finer).
MAX_GRADED_SAMPLE_S = 60.0


def _merged(start_s: FloatArray, end_s: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sorted, non-overlapping intervals covering the same time."""
    if len(start_s) == 0:
        return start_s, end_s
    order = np.argsort(start_s, kind="stable")
    s, e = start_s[order], end_s[order]
    running_end = np.maximum.accumulate(e)
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] > running_end[:-1]
    groups = np.cumsum(new) - 1
    out_end = np.zeros(int(groups[-1]) + 1)
    np.maximum.at(out_end, groups, e)
    return s[new], out_end


def overlaps_any(
    start_s: FloatArray, end_s: FloatArray, busy_start_s: FloatArray, busy_end_s: FloatArray
) -> np.ndarray:
    """True where ``[start_s, end_s)`` overlaps any busy interval (times in seconds)."""
    start_s = np.asarray(start_s, dtype=np.float64)
    end_s = np.asarray(end_s, dtype=np.float64)
    bs, be = _merged(np.asarray(busy_start_s, dtype=np.float64),
                     np.asarray(busy_end_s, dtype=np.float64))
    if len(bs) == 0:
        return np.zeros(len(start_s), dtype=bool)
    # The last busy interval starting before the sample ends is the only candidate, since
    # merged intervals are disjoint and sorted by both start and end.
    idx = np.searchsorted(bs, end_s, side="left") - 1
    ok = idx >= 0
    hit = np.zeros(len(start_s), dtype=bool)
    hit[ok] = be[idx[ok]] > start_s[ok]
    return hit


def cadence_minutes(
    start_s: FloatArray,
    duration_s: FloatArray,
    steps: FloatArray,
    busy_start_s: FloatArray | None = None,
    busy_end_s: FloatArray | None = None,
    *,
    max_sample_s: float = MAX_GRADED_SAMPLE_S,
) -> tuple[FloatArray, FloatArray]:
    """Moderate and vigorous minutes of each step sample (see the module docstring).

    ``start_s`` and ``duration_s`` in seconds, ``steps`` a count per sample; ``busy_*`` the
    recorded activities whose minutes are already counted. Returns two arrays, minutes per
    sample: a graded sample contributes its whole duration to one of them.
    """
    start = np.asarray(start_s, dtype=np.float64)
    dur = np.asarray(duration_s, dtype=np.float64)
    n = np.asarray(steps, dtype=np.float64)
    graded = (dur > 0) & (dur <= max_sample_s) & np.isfinite(n)
    if busy_start_s is not None and busy_end_s is not None:
        graded &= ~overlaps_any(start, start + dur, busy_start_s, busy_end_s)
    cadence_spm = np.where(graded, n / np.where(dur > 0, dur, 1.0) * 60.0, 0.0)
    minutes = dur / 60.0
    vigorous = np.where(graded & (cadence_spm >= VIGOROUS_CADENCE_SPM), minutes, 0.0)
    moderate = np.where(
        graded & (cadence_spm >= MODERATE_CADENCE_SPM) & (cadence_spm < VIGOROUS_CADENCE_SPM),
        minutes, 0.0,
    )
    return moderate, vigorous


def brisk_spans(
    start_s: FloatArray,
    duration_s: FloatArray,
    steps: FloatArray,
    *,
    max_sample_s: float = MAX_GRADED_SAMPLE_S,
) -> tuple[FloatArray, FloatArray, np.ndarray]:
    """The brisk time of step samples as merged spans: ``(start_s, end_s, vigorous)``.

    Each sample is graded as in :func:`cadence_minutes` (no busy intervals: recorded
    activities are taken out later, by whoever knows them); touching or overlapping graded
    samples of the same intensity become one span, so a 20-minute brisk walk of per-minute
    samples is one span of 1200 s. ``vigorous`` is a boolean array (False: moderate).
    Sum of ``end_s - start_s`` over the spans equals the graded minutes x 60 when samples do
    not overlap (overlapping samples are counted once here).
    """
    start = np.asarray(start_s, dtype=np.float64)
    dur = np.asarray(duration_s, dtype=np.float64)
    moderate, vigorous = cadence_minutes(start, dur, steps, max_sample_s=max_sample_s)
    out_s: list[FloatArray] = []
    out_e: list[FloatArray] = []
    out_v: list[np.ndarray] = []
    for minutes, is_vigorous in ((moderate, False), (vigorous, True)):
        pick = minutes > 0
        s, e = _merged(start[pick], start[pick] + dur[pick])
        out_s.append(s)
        out_e.append(e)
        out_v.append(np.full(len(s), is_vigorous))
    return np.concatenate(out_s), np.concatenate(out_e), np.concatenate(out_v)


def seconds_outside(
    start_s: FloatArray, end_s: FloatArray, busy_start_s: FloatArray, busy_end_s: FloatArray
) -> FloatArray:
    """Seconds of each ``[start_s, end_s)`` not covered by any busy interval (the busy
    intervals may overlap one another; each second is taken out once). Vectorised with the
    cumulative busy time C(t): the covered part of [s, e) is C(e) - C(s)."""
    start = np.asarray(start_s, dtype=np.float64)
    end = np.asarray(end_s, dtype=np.float64)
    bs, be = _merged(np.asarray(busy_start_s, dtype=np.float64),
                     np.asarray(busy_end_s, dtype=np.float64))
    if len(bs) == 0:
        return np.maximum(end - start, 0.0)
    before = np.concatenate(([0.0], np.cumsum(be - bs)))  # busy seconds before interval i

    def covered(t: FloatArray) -> FloatArray:
        i = np.searchsorted(bs, t, side="right")  # busy intervals starting at or before t
        last = np.maximum(i - 1, 0)
        inside = np.where(i > 0, np.clip(t - bs[last], 0.0, be[last] - bs[last]), 0.0)
        return before[np.maximum(i - 1, 0)] * (i > 0) + inside

    return np.maximum((end - start) - (covered(end) - covered(start)), 0.0)
