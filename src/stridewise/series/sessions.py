"""One row per session (recorded activity or manual entry) with its per-session metrics.

Everything here is derived from the store's rows and the athlete profile, so it is a cache in
the DESIGN sense: recomputable at any time, never the truth.

Per-session conventions (each also stated in docs/science.md):

* **Duration** is moving time for recorded activities and the stated duration for manual ones.
* **RPE** (CR-10) is the person's own rating when given. Otherwise it is *estimated*, and
  flagged: from the average heart rate through ACSM's intensity bands
  (:func:`rpe_from_heart_rate_reserve`); without heart rate, from the kind of session
  (``DEFAULT_RPE``) [U].
* **Maximum heart rate**: the profile's; when that is estimated (Tanaka) and a session
  recorded a higher maximum, that session uses its own maximum (still flagged estimated),
  so a too-low estimate cannot push the heart-rate reserve to 100 %.
* **Load** is session-RPE: RPE x minutes (Foster 2001) [V].
* **TRIMP** is Banister's, from the session's average heart rate, as in Banister's original
  definition (duration x ΔHR x y(ΔHR)) [S]; the per-second form lives in
  :func:`stridewise.science.load.banister_trimp`. Without a recorded sex we use
  y = 0.725 e^(1.795 ΔHR), Runalyze's values for unknown gender (``Trimp/Factor.php``: the
  exponent is the mean of 1.92 and 1.67; the factor 0.725215 is theirs) [S].
* **Bone**: foot sessions only (run, walk, hike). Peak GRF from average speed (Keller 1996 fit,
  :func:`stridewise.science.bone.peak_vgrf_bw`); loading cycles per leg from the recorded
  steps, else cadence x minutes, else a typical cadence (``DEFAULT_CADENCE_SPM``) [U].
* **MET** from average speed and the 2024 Compendium; a manual run without distance gets
  "jogging, self-paced" (12020); a hike is "hiking, cross country" (17080, 6.0) at any speed.
  Strength, balance and impact sessions carry no MET: they count towards WHO's
  muscle-strengthening and balance days, not its aerobic minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import select

from stridewise import clock
from stridewise.science import benefits, bone
from stridewise.store import Store
from stridewise.store import models as m
from stridewise.store.export import local_time

FOOT_KINDS = ("run", "walk", "hike")
DEFAULT_RPE = {
    "run": 4.0, "walk": 2.0, "hike": 3.0, "ride": 3.0, "swim": 3.0, "strength": 5.0,
    "balance": 2.0, "impact": 4.0, "other": 3.0,
}
DEFAULT_CADENCE_SPM = {"run": 160.0, "walk": 110.0, "hike": 100.0}
DEFAULT_SPEED_MPS = {"run": 2.5, "walk": 1.3, "hike": 1.1}
# Tanaka, Monahan & Seals, JACC 2001;37:153-156 [V]: HRmax = 208 - 0.7 x age.
TANAKA_INTERCEPT_BPM, TANAKA_SLOPE_BPM_PER_YEAR = 208.0, 0.7
ASSUMED_RESTING_HR_BPM = 70.0
BANISTER_COEFFICIENTS = {"male": (0.64, 1.92), "female": (0.86, 1.67)}
# Runalyze Trimp/Factor.php for unknown gender [S]: B is the mean of 1.92 and 1.67.
UNKNOWN_SEX_BANISTER_COEFFICIENTS = (0.725215, 1.795)
# ACSM intensity bands by % heart-rate reserve and Borg 6-20 RPE (Garber et al., MSSE
# 2011;43:1334, Table 4, as reproduced in a BJSM table [S]): light 30-39 % = RPE 9-11, moderate
# 40-59 % = 12-13, vigorous 60-89 % = 14-17, near-maximal >= 90 % = 18-20. CR-10 values for each
# band's lower edge by the scales' verbal anchors [U]: 9 "very light" ~ 1, 12 ~ 3 "moderate",
# 14 ~ 5 "hard", 18 ~ 8, 20 "maximal" = 10. Linear between edges, 1 below 30 %.
RPE_BAND_HRR_FRACTION = (0.30, 0.40, 0.60, 0.90, 1.00)
RPE_BAND_CR10 = (1.0, 3.0, 5.0, 8.0, 10.0)

SESSION_COLUMNS = (
    "source", "id", "date", "start_local", "start_hour", "kind", "duration_min", "distance_m",
    "speed_mps", "avg_heart_rate_bpm", "rpe", "rpe_estimated", "load_srpe", "trimp",
    "peak_grf_bw", "loading_cycles_per_leg", "osteogenic_index", "walking_equivalent_oi",
    "met", "met_min", "intensity", "name",
)


@dataclass(frozen=True)
class HeartRateProfile:
    """Resting and maximum heart rate, with whether each was estimated (shown as such)."""

    rest_bpm: float
    max_bpm: float
    rest_estimated: bool
    max_estimated: bool
    sex: str | None


def rpe_from_heart_rate_reserve(reserve_fraction: np.ndarray) -> np.ndarray:
    """Estimated CR-10 RPE from the fraction of heart-rate reserve, through ACSM's bands.

    Band edges map to 1 (30 % HRR), 3 (40 %), 5 (60 %), 8 (90 %) and 10 (100 %), linear in
    between, 1 below 30 %, rounded to 0.1; so moderate (40-59 %) gives 3 to just under 5 and
    vigorous (60-89 %) 5 to just under 8. NaN stays NaN. See ``RPE_BAND_CR10`` for sources.
    """
    reserve = np.asarray(reserve_fraction, dtype=np.float64)
    rpe = np.interp(np.clip(reserve, 0.0, 1.0), RPE_BAND_HRR_FRACTION, RPE_BAND_CR10)
    return np.where(np.isnan(reserve), np.nan, np.round(rpe, 1))


def heart_rate_profile(athlete: m.Athlete, on: date) -> HeartRateProfile:
    age = on.year - athlete.birth_year if athlete.birth_year else None
    max_est = athlete.max_hr_bpm is None or athlete.max_hr_estimated
    if athlete.max_hr_bpm is not None:
        hr_max = athlete.max_hr_bpm
    else:
        hr_max = TANAKA_INTERCEPT_BPM - TANAKA_SLOPE_BPM_PER_YEAR * (age if age else 45)
    rest_est = athlete.resting_hr_bpm is None or athlete.resting_hr_estimated
    hr_rest = athlete.resting_hr_bpm or ASSUMED_RESTING_HR_BPM
    return HeartRateProfile(hr_rest, hr_max, rest_est, max_est, athlete.sex)


def _raw_rows(store: Store, athlete: m.Athlete) -> list[dict[str, object]]:
    with store.transaction() as tx:
        activities = tx.session.execute(
            select(
                m.Activity.id, m.Activity.start_time_utc, m.Activity.utc_offset_s,
                m.Activity.sport, m.Activity.moving_s, m.Activity.distance_m,
                m.Activity.avg_speed_mps, m.Activity.avg_heart_rate_bpm,
                m.Activity.max_heart_rate_bpm, m.Activity.steps,
                m.Activity.avg_cadence_spm, m.Activity.rpe, m.Activity.name,
            ).where(m.Activity.athlete_id == athlete.id)
        ).all()
        manual = tx.list_manual_sessions(athlete.id)
    rows: list[dict[str, object]] = []
    for a in activities:
        rows.append({
            "source": "activity", "id": a.id,
            "start_local": local_time(a.start_time_utc, a.utc_offset_s, athlete.time_zone),
            "kind": a.sport, "duration_min": a.moving_s / 60.0, "distance_m": a.distance_m,
            "speed_mps": a.avg_speed_mps, "avg_heart_rate_bpm": a.avg_heart_rate_bpm,
            "max_heart_rate_bpm": a.max_heart_rate_bpm, "steps": a.steps,
            "cadence_spm": a.avg_cadence_spm, "rpe": a.rpe, "name": a.name,
        })
    for s in manual:
        minutes = s.duration_s / 60.0
        speed = s.distance_m / s.duration_s if s.distance_m else None
        rows.append({
            "source": "manual", "id": s.id,
            "start_local": local_time(s.start_time_utc, None, athlete.time_zone),
            "kind": s.kind, "duration_min": minutes, "distance_m": s.distance_m,
            "speed_mps": speed, "avg_heart_rate_bpm": None, "max_heart_rate_bpm": None,
            "steps": None, "cadence_spm": None, "rpe": s.rpe, "name": s.notes,
        })
    return rows


def _float_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64)


def sessions_frame(store: Store, athlete_id: int, *, today: date | None = None) -> pd.DataFrame:
    """Every session of one athlete, oldest first, with per-session metrics (see module doc)."""
    with store.transaction() as tx:
        athlete = tx.get_athlete(athlete_id)
    if athlete is None:
        raise KeyError(f"no athlete with id {athlete_id}")
    frame = pd.DataFrame(_raw_rows(store, athlete))
    if frame.empty:
        return pd.DataFrame(columns=list(SESSION_COLUMNS))
    frame = frame.sort_values("start_local", kind="stable").reset_index(drop=True)
    frame["date"] = [t.date() for t in frame["start_local"]]
    frame["start_hour"] = [t.hour + t.minute / 60.0 for t in frame["start_local"]]
    hr = heart_rate_profile(athlete, today or clock.today(athlete.time_zone))
    kind = frame["kind"].to_numpy(dtype=object)
    minutes = _float_column(frame, "duration_min")
    avg_hr = _float_column(frame, "avg_heart_rate_bpm")

    session_max = _float_column(frame, "max_heart_rate_bpm")
    raise_max = hr.max_estimated & np.isfinite(session_max) & (session_max > hr.max_bpm)
    hr_max = np.where(raise_max, session_max, hr.max_bpm)
    reserve = np.clip((avg_hr - hr.rest_bpm) / (hr_max - hr.rest_bpm), 0.0, 1.0)
    rpe = _float_column(frame, "rpe")
    estimated = np.isnan(rpe)
    by_kind = np.array([DEFAULT_RPE.get(k, 3.0) for k in kind])
    from_hr = rpe_from_heart_rate_reserve(reserve)
    rpe = np.where(estimated, np.where(np.isfinite(avg_hr), from_hr, by_kind), rpe)
    frame["rpe"] = rpe
    frame["rpe_estimated"] = estimated
    frame["load_srpe"] = rpe * minutes

    a, b = BANISTER_COEFFICIENTS.get(hr.sex or "", UNKNOWN_SEX_BANISTER_COEFFICIENTS)
    frame["trimp"] = np.where(np.isfinite(avg_hr), minutes * reserve * a * np.exp(b * reserve), 0)

    foot = np.isin(kind, FOOT_KINDS)
    speed = _float_column(frame, "speed_mps")
    speed = np.where(
        foot & ~np.isfinite(speed), [DEFAULT_SPEED_MPS.get(k, np.nan) for k in kind], speed
    )
    frame["speed_mps"] = speed
    gait = np.where(kind == "run", bone.Gait.RUN.value, bone.Gait.WALK.value)
    grf = np.full(len(frame), np.nan)
    for g in (bone.Gait.RUN, bone.Gait.WALK):
        sel = foot & (gait == g.value)
        grf[sel] = bone.peak_vgrf_bw(speed[sel], g)
    steps = _float_column(frame, "steps")
    cadence = _float_column(frame, "cadence_spm")
    cadence = np.where(np.isfinite(cadence), cadence,
                       [DEFAULT_CADENCE_SPM.get(k, np.nan) for k in kind])
    cycles = np.where(np.isfinite(steps), steps / 2.0, cadence * minutes / 2.0)
    cycles = np.where(foot, cycles, np.nan)
    frame["peak_grf_bw"] = grf
    frame["loading_cycles_per_leg"] = cycles
    frame["osteogenic_index"] = np.where(foot, bone.osteogenic_index(grf, cycles), np.nan)
    walk_oi = bone.osteogenic_index(*bone.walking_equivalent_loading(minutes))
    frame["walking_equivalent_oi"] = np.where(foot, walk_oi, np.nan)

    met = np.full(len(frame), np.nan)
    runs, walks, hikes = kind == "run", kind == "walk", kind == "hike"
    met[runs] = benefits.met_running(speed[runs])
    unknown_run_speed = runs & ~np.isfinite(_float_column(frame, "distance_m"))
    met[unknown_run_speed] = benefits.JOGGING_SELF_PACED_MET
    met[walks] = benefits.met_walking(speed[walks])
    met[hikes] = benefits.met_hiking(speed[hikes])
    frame["met"] = met
    frame["met_min"] = np.where(np.isfinite(met), met * minutes, 0.0)
    frame["intensity"] = benefits.intensity(met)
    return frame[list(SESSION_COLUMNS)]
