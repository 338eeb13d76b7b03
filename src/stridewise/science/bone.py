"""Bone-loading stimulus: ground reaction force, osteogenic index, BPAQ loading values.

Every function is pure and vectorised over NumPy arrays. Evidence grades follow
``shared/reference/science.md``: **[V]** checked against the primary abstract or publisher page,
**[S]** secondary source only, **[U]** unverified or our own inference. See docs/science/bone.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stridewise.science.bpaq import BPAQ_LOADING_TABLE

FloatArray = NDArray[np.float64]


class Gait(StrEnum):
    """How the person moved: walking or running (jogging counts as running)."""

    WALK = "walk"
    RUN = "run"


# Keller et al. 1996 abstract [V]: peak vertical GRF rose linearly from 1.2 BW (walking; slowest
# speed tested 1.5 m/s) to ~2.5 BW at 6.0 m/s and stayed constant at higher speeds; walking and
# slow jogging were tested at 1.5-3.0 m/s and running at 3.5-6.0 m/s; loading rate 8-30 BW/s.
KELLER_SLOWEST_SPEED_MPS = 1.5
KELLER_WALK_GRF_BW = 1.2
KELLER_PLATEAU_SPEED_MPS = 6.0
KELLER_PLATEAU_GRF_BW = 2.5
KELLER_FASTEST_WALK_MPS = 3.0
KELLER_MIN_LOADING_RATE_BW_PER_S = 8.0
KELLER_MAX_LOADING_RATE_BW_PER_S = 30.0
KELLER_GRF_SLOPE_BW_PER_MPS = (KELLER_PLATEAU_GRF_BW - KELLER_WALK_GRF_BW) / (
    KELLER_PLATEAU_SPEED_MPS - KELLER_SLOWEST_SPEED_MPS
)
# Running and jogging at any speed: Keller's plateau, 2.5 BW [V]. Weeks & Beck 2008 Table 6 gives
# 2.6 BW for running/jogging [V]; slow jogging at 1.5 x walking is at most 2.45 BW [V, lower
# bound]. A constant is the only shape all three allow without inventing a slope [U].
RUNNING_GRF_BW = KELLER_PLATEAU_GRF_BW

# Robling, Burr & Turner 2001 [V]: ~8 h between bouts restored full mechanosensitivity.
BONE_RECOVERY_GAP_H = 8.0
# Typical walking used for the "same minutes walked" comparison: 110 steps/min (both feet) is the
# science.md worked example (1,650 steps per leg in 30 min); 1.4 m/s is an ordinary adult pace.
TYPICAL_WALK_CADENCE_SPM = 110.0
TYPICAL_WALK_SPEED_MPS = 1.4
#: Steps per minute above which a stride is running, not walking [U]: brisk walking rarely
#: exceeds ~130 spm, while even slow jogging is usually 150 spm or more.
RUNNING_FROM_CADENCE_SPM = 140.0
#: The walk-to-run transition speed when cadence is unknown: ~2.0 m/s (Hreljac, Med Sci Sports
#: Exerc 1993;25:1158-1162, preferred transition 2.06 m/s) [S].
WALK_RUN_TRANSITION_SPEED_MPS = 2.0


def _as_float(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _walking_line_bw(speed_mps: FloatArray) -> FloatArray:
    return KELLER_WALK_GRF_BW + KELLER_GRF_SLOPE_BW_PER_MPS * (speed_mps - KELLER_SLOWEST_SPEED_MPS)


def peak_vgrf_bw(speed_mps: ArrayLike, gait: Gait | str) -> FloatArray:
    r"""Peak vertical ground reaction force, in body weights, from speed and gait.

    Built from published points only; the shape between them is our choice [U]:

    * walking: the straight line through Keller et al.'s (1996) two anchors [V],
      (1.5 m/s, 1.2 BW) and (6.0 m/s, 2.5 BW): :math:`F(v) = 1.2 + (1.3 / 4.5)(v - 1.5)` BW,
      used over the walking speeds they tested (1.5-3.0 m/s), held at 1.2 BW below 1.5 m/s
      and at its 3.0 m/s value (1.63 BW) above;
    * running and jogging, at every speed: 2.5 BW, Keller's plateau [V]. Two other published
      points bracket it: Weeks & Beck (2008, Table 6) give 2.6 BW for running/jogging [V],
      and Keller's slow jogging is at least 1.5 x walking, 1.8-2.45 BW over 1.5-3.0 m/s [V].
      The curve is therefore never below 2.5 BW and never falls with speed.

    Keller's pooled line is not used for running: it would put running at 3.5 m/s at 1.78 BW,
    below their own slow jogging and below BPAQ's 2.6. Their finding that slow jogging loads
    more than fast running is not modelled either; we found no published numbers for it. A
    run/walk session scores as running: its running bouts reach running forces, and the
    osteogenic index counts the session's peak force.

    Parameters
    ----------
    speed_mps : array_like
        Speed in metres per second; NaN stays NaN.
    gait : Gait or str
        ``"walk"`` or ``"run"``.

    Returns
    -------
    numpy.ndarray
        Peak vertical GRF in body weights (BW).

    References
    ----------
    Keller TS, Weisberger AM, Ray JL, Hasan SS, Shiavi RG, Spengler DM. Relationship between
    vertical ground reaction force and speed during walking, slow jogging, and running.
    Clin Biomech 1996;11(5):253-259.
    Weeks BK, Beck BR. The BPAQ: a bone-specific physical activity assessment instrument.
    Osteoporos Int 2008;19:1567-1577.
    """
    speed = _as_float(speed_mps)
    if Gait(gait) is Gait.WALK:
        walk_speed = np.clip(speed, KELLER_SLOWEST_SPEED_MPS, KELLER_FASTEST_WALK_MPS)
        return _walking_line_bw(walk_speed)
    return np.where(np.isnan(speed), np.nan, RUNNING_GRF_BW)


def loading_rate_bw_per_s(
    speed_mps: ArrayLike, gait: Gait | str, *, method: str = "keller"
) -> FloatArray:
    r"""Estimated vertical loading rate in body weights per second.

    ``method="keller"`` (default): Keller et al. (1996) report that loading rate :math:`G_z` was
    linearly correlated with peak force :math:`F_z` and ranged 8-30 BW/s over their speeds [V].
    We map the force range onto the rate range [U, our fit]:
    :math:`G = 8 + (F - 1.2)\,(30 - 8)/(2.5 - 1.2)` with :math:`F` from :func:`peak_vgrf_bw`.

    ``method="bpaq"``: the single values of Weeks & Beck (2008) Table 6 [V]: 8.4 BW/s walking,
    46.9 BW/s running, whatever the speed. They come from other force-plate studies and are
    higher for running than Keller's range; the two methods are not interchangeable.

    Evidence grade: an estimate from group averages, not a measurement of this person; shoes,
    surface and running style change loading rate a great deal.

    Parameters
    ----------
    speed_mps : array_like
        Speed in m/s.
    gait : Gait or str
        ``"walk"`` or ``"run"``.
    method : {"keller", "bpaq"}

    Returns
    -------
    numpy.ndarray
        Loading rate in BW/s.
    """
    speed = _as_float(speed_mps)
    if method == "bpaq":
        row = BPAQ_LOADING_TABLE["walking/hiking" if Gait(gait) is Gait.WALK else "running/jogging"]
        return np.where(np.isnan(speed), np.nan, row.loading_rate_bw_per_s)
    if method != "keller":
        raise ValueError(f"method must be 'keller' or 'bpaq', not {method!r}")
    grf_bw = peak_vgrf_bw(speed, gait)
    rate_per_bw = (KELLER_MAX_LOADING_RATE_BW_PER_S - KELLER_MIN_LOADING_RATE_BW_PER_S) / (
        KELLER_PLATEAU_GRF_BW - KELLER_WALK_GRF_BW
    )
    return KELLER_MIN_LOADING_RATE_BW_PER_S + (grf_bw - KELLER_WALK_GRF_BW) * rate_per_bw


def loading_cycles_per_leg(
    *,
    steps: ArrayLike | None = None,
    cadence_spm: ArrayLike | None = None,
    duration_min: ArrayLike | None = None,
) -> FloatArray:
    """Loading cycles for one leg: half the total steps.

    Each leg is loaded once per stride, so a leg's cycles are total steps / 2. Watches report
    cadence as steps per minute counting both feet, so cycles = cadence x minutes / 2. We count
    per leg because the osteogenic index describes the load one bone receives (science.md worked
    example: 2,400 footfalls per leg for a 30-min run at 160 steps/min).

    Give either ``steps`` or both ``cadence_spm`` and ``duration_min``.
    """
    if steps is not None:
        return _as_float(steps) / 2.0
    if cadence_spm is None or duration_min is None:
        raise ValueError("give steps, or both cadence_spm and duration_min")
    return _as_float(cadence_spm) * _as_float(duration_min) / 2.0


def osteogenic_index(peak_grf_bw: ArrayLike, loading_cycles: ArrayLike) -> FloatArray:
    r"""Osteogenic index of one session: :math:`OI = F \cdot \ln(1 + N)`.

    :math:`F` is peak GRF in body weights, :math:`N` the loading cycles (per leg, see
    :func:`loading_cycles_per_leg`). The logarithm says that bone's response saturates: the
    first few hundred cycles do most of the work. Worked examples (science.md): a 30-min run at
    2.5 BW with 2,400 footfalls per leg gives 19.5; a 30-min walk at 1.2 BW with 1,650 steps per
    leg gives 8.9.

    Evidence: title and concept [V]; the exact form as quoted in PMC2465063 [S].

    References
    ----------
    Turner CH, Robling AG. Designing exercise regimens to increase bone strength.
    Exerc Sport Sci Rev 2003;31(1):45-50.
    """
    cycles = np.maximum(_as_float(loading_cycles), 0.0)
    return _as_float(peak_grf_bw) * np.log1p(cycles)


def daily_bone_stimulus(
    session_start_h: ArrayLike,
    session_peak_grf_bw: ArrayLike,
    session_loading_cycles: ArrayLike,
    *,
    session_duration_h: ArrayLike = 0.0,
    recovery_gap_h: float = BONE_RECOVERY_GAP_H,
) -> FloatArray:
    r"""Daily osteogenic index with rest between bouts counted.

    Sessions lie along the last axis, so the same call serves one day (``(sessions,)``), a
    person's history (``(days, sessions)``) or a cohort (``(athletes, days, sessions)``); pad
    missing sessions with NaN. Rules:

    * sessions whose rest (start minus the previous session's end) is at least
      ``recovery_gap_h`` (8 h, Robling et al. 2001 [V]) count separately: their OIs add;
    * closer sessions merge into one bout: their cycles add before the logarithm. Within a bout,
      cycles are ranked by force, highest first, and each session adds
      :math:`F_i[\ln(1 + C_i) - \ln(1 + C_i - N_i)]` where :math:`C_i` is the bout's cycles so
      far. With equal forces this is exactly :math:`F \ln(1 + \sum N)`. The ranking rule is
      our choice [U];
    * rest counts from the end of the last loading, so a session in between restarts the clock
      (the bone has not rested); sessions with no cycles or no force are ignored.

    Day boundaries are the caller's: sessions on different calendar days are in different rows.

    Parameters
    ----------
    session_start_h, session_peak_grf_bw, session_loading_cycles : array_like
        Start time (hours from the start of the day), peak GRF (BW) and loading cycles per leg.
    session_duration_h : array_like, default 0
        Session length in hours; 0 measures rest start to start.
    recovery_gap_h : float
        Rest needed for sessions to count separately.

    Returns
    -------
    numpy.ndarray
        Daily osteogenic index; shape is the input shape without the last axis.
    """
    start, grf, cycles = np.broadcast_arrays(
        _as_float(session_start_h),
        _as_float(session_peak_grf_bw),
        _as_float(session_loading_cycles),
    )
    duration = np.broadcast_to(_as_float(session_duration_h), start.shape)
    valid = ~(np.isnan(start) | np.isnan(grf) | np.isnan(cycles)) & (grf > 0) & (cycles > 0)
    sort_start = np.where(valid, start, np.inf)
    order = np.argsort(sort_start, axis=-1, kind="stable")
    start, grf, cycles, duration, valid = (
        np.take_along_axis(a, order, axis=-1) for a in (start, grf, cycles, duration, valid)
    )
    end = np.where(valid, start + np.nan_to_num(duration), -np.inf)
    previous_end = np.concatenate(
        [np.full((*end.shape[:-1], 1), -np.inf), np.maximum.accumulate(end, axis=-1)[..., :-1]],
        axis=-1,
    )
    new_bout = (start - previous_end) >= recovery_gap_h
    bout_id = np.cumsum(new_bout, axis=-1)
    grf = np.where(valid, grf, 0.0)
    cycles = np.where(valid, np.maximum(cycles, 0.0), 0.0)
    rank = np.lexsort((-grf, bout_id), axis=-1)
    grf, cycles, bout_id = (np.take_along_axis(a, rank, axis=-1) for a in (grf, cycles, bout_id))
    running_cycles = np.cumsum(cycles, axis=-1)
    first_in_bout = np.ones_like(bout_id, dtype=bool)
    first_in_bout[..., 1:] = bout_id[..., 1:] != bout_id[..., :-1]
    cycles_before_bout = np.maximum.accumulate(
        np.where(first_in_bout, running_cycles - cycles, 0.0), axis=-1
    )
    bout_cycles = running_cycles - cycles_before_bout
    gain = grf * (np.log1p(bout_cycles) - np.log1p(bout_cycles - cycles))
    return np.asarray(gain.sum(axis=-1), dtype=np.float64)


@dataclass(frozen=True)
class WalkingComparison:
    """Osteogenic index of this week's runs and of the same minutes walked."""

    run_oi: FloatArray
    walk_oi: FloatArray

    @property
    def ratio(self) -> FloatArray:
        """How many times the walking stimulus the runs gave (NaN when nothing was walked)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.walk_oi > 0, self.run_oi / self.walk_oi, np.nan)


def walking_equivalent_loading(
    duration_min: ArrayLike,
    *,
    walk_speed_mps: float = TYPICAL_WALK_SPEED_MPS,
    walk_cadence_spm: float = TYPICAL_WALK_CADENCE_SPM,
) -> tuple[FloatArray, FloatArray]:
    """Peak GRF (BW) and loading cycles per leg of walking the same minutes at a typical pace.

    The walking side of every "running against walking" comparison: pass these, with the
    sessions' own start times and durations, to :func:`daily_bone_stimulus` so that walking is
    merged and rested exactly as the real sessions are. NaN minutes give NaN cycles.
    """
    minutes = _as_float(duration_min)
    grf = np.where(np.isnan(minutes), np.nan, peak_vgrf_bw(walk_speed_mps, Gait.WALK))
    cycles = loading_cycles_per_leg(cadence_spm=walk_cadence_spm, duration_min=minutes)
    return np.asarray(grf, dtype=np.float64), cycles


def walking_equivalent(
    run_duration_min: ArrayLike,
    run_speed_mps: ArrayLike,
    run_cadence_spm: ArrayLike,
    *,
    walk_speed_mps: float = TYPICAL_WALK_SPEED_MPS,
    walk_cadence_spm: float = TYPICAL_WALK_CADENCE_SPM,
) -> WalkingComparison:
    """Runs against the same minutes of walking, each session scored on its own.

    Runs lie along the last axis (NaN-padded). Each run's OI uses :func:`peak_vgrf_bw` at its
    speed and cycles per leg = cadence x minutes / 2; the walk uses the same minutes at a typical
    walking pace (1.4 m/s, 110 steps/min, :func:`walking_equivalent_loading`). The total is the
    plain sum, as if every session were on its own day: right for one session, and an upper
    bound for several on one day. Daily totals that merge sessions under 8 h apart come from
    :func:`daily_bone_stimulus` with :func:`walking_equivalent_loading` (the daily series does
    this).
    """
    minutes = _as_float(run_duration_min)
    run_oi = osteogenic_index(
        peak_vgrf_bw(run_speed_mps, Gait.RUN),
        loading_cycles_per_leg(cadence_spm=run_cadence_spm, duration_min=minutes),
    )
    walk_oi = osteogenic_index(
        *walking_equivalent_loading(
            minutes, walk_speed_mps=walk_speed_mps, walk_cadence_spm=walk_cadence_spm
        )
    )
    return WalkingComparison(
        run_oi=np.asarray(np.nansum(run_oi, axis=-1), dtype=np.float64),
        walk_oi=np.asarray(np.nansum(walk_oi, axis=-1), dtype=np.float64),
    )


#: Sessions on foot, the only ones that load bone through ground reaction force here.
FOOT_KINDS: tuple[str, ...] = ("run", "walk", "hike")
#: Cadence (steps/min, both feet) assumed for a foot session that recorded neither steps nor
#: cadence [U: typical values; 110 is the walking example above, 160 the science.md run].
DEFAULT_CADENCE_SPM: dict[str, float] = {"run": 160.0, "walk": 110.0, "hike": 100.0}
#: Speed assumed for a foot session without distance [U: an easy jog, an ordinary walk, a
#: hill walk], so a hand-logged walk still scores its bone stimulus.
DEFAULT_SPEED_MPS: dict[str, float] = {"run": 2.5, "walk": 1.3, "hike": 1.1}


@dataclass(frozen=True)
class SessionBoneLoading:
    """Per-session bone loading, one value per session (NaN for sessions not on foot)."""

    peak_grf_bw: FloatArray
    loading_cycles_per_leg: FloatArray
    osteogenic_index: FloatArray
    walking_equivalent_oi: FloatArray
    speed_mps: FloatArray
    cadence_spm: FloatArray
    #: Cadence (and so the cycles) was assumed, not recorded.
    cadence_estimated: NDArray[np.bool_]


def session_bone_loading(
    kind: ArrayLike,
    duration_min: ArrayLike,
    speed_mps: ArrayLike,
    steps: ArrayLike,
    cadence_spm: ArrayLike,
) -> SessionBoneLoading:
    """Osteogenic index of each session, and of the same minutes walked, the one place the
    per-session bone stimulus is worked out (the activity page and the daily series use it).

    Foot sessions only (:data:`FOOT_KINDS`): peak GRF from the average speed
    (:func:`peak_vgrf_bw`; a run scores as running, a walk or hike as walking; no speed ->
    :data:`DEFAULT_SPEED_MPS`); loading cycles per leg from the recorded steps (steps / 2),
    else cadence x minutes / 2, with :data:`DEFAULT_CADENCE_SPM` when no cadence was recorded
    (:func:`loading_cycles_per_leg`); OI = F ln(1 + N) (:func:`osteogenic_index`). The walking
    side is the same minutes at a typical walk (:func:`walking_equivalent_loading`). Missing
    values are NaN; all arrays are 1-D, one entry per session.
    """
    kinds = np.asarray(kind, dtype=object).ravel()
    minutes = _as_float(duration_min).ravel()
    speed = _as_float(speed_mps).ravel()
    step_count = _as_float(steps).ravel()
    cadence = _as_float(cadence_spm).ravel()
    foot = np.isin(kinds, FOOT_KINDS)
    default_speed = np.array([DEFAULT_SPEED_MPS.get(str(k), np.nan) for k in kinds.tolist()])
    speed = np.where(foot & ~np.isfinite(speed), default_speed, speed)
    grf = np.full(kinds.shape, np.nan)
    runs = foot & (kinds == Gait.RUN.value)
    walks = foot & ~runs
    grf[runs] = peak_vgrf_bw(speed[runs], Gait.RUN)
    grf[walks] = peak_vgrf_bw(speed[walks], Gait.WALK)
    has_steps = np.isfinite(step_count)
    with np.errstate(divide="ignore", invalid="ignore"):
        step_cadence = np.where(minutes > 0, step_count / minutes, np.nan)
    cadence_estimated = foot & ~has_steps & ~np.isfinite(cadence)
    default_cadence = np.array([DEFAULT_CADENCE_SPM.get(str(k), np.nan) for k in kinds.tolist()])
    cadence = np.where(has_steps, step_cadence, np.where(cadence_estimated, default_cadence,
                                                         cadence))
    cycles = np.where(
        has_steps,
        loading_cycles_per_leg(steps=step_count),
        loading_cycles_per_leg(cadence_spm=cadence, duration_min=minutes),
    )
    cycles = np.where(foot, cycles, np.nan)
    walk_oi = osteogenic_index(*walking_equivalent_loading(minutes))
    return SessionBoneLoading(
        peak_grf_bw=grf,
        loading_cycles_per_leg=cycles,
        osteogenic_index=np.where(foot, osteogenic_index(grf, cycles), np.nan),
        walking_equivalent_oi=np.where(foot, walk_oi, np.nan),
        speed_mps=np.where(foot, speed, _as_float(speed_mps).ravel()),
        cadence_spm=np.where(foot, cadence, np.nan),
        cadence_estimated=cadence_estimated,
    )
