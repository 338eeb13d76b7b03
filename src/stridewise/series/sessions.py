"""One row per session (recorded activity or manual entry) with its per-session metrics.

Everything here is derived from the frames the loader read from the store
(:mod:`stridewise.series.frames`) and the athlete profile, so it is a cache in the DESIGN
sense: recomputable at any time, never the truth. No store, no SQL: every value is worked out
by a ``stridewise.science`` function, and every constant lives there.

Per-session conventions (each also stated in docs/science.md):

* **Duration** is moving time for recorded activities and the stated duration for manual ones.
* **RPE** (CR-10) is the person's own rating when given. Otherwise it is *estimated*, and
  flagged: from the average heart rate through ACSM's intensity bands
  (:func:`rpe_from_heart_rate_reserve`); without heart rate, from the kind of session
  (``science.load.DEFAULT_SESSION_RPE_CR10``, the planner's table too).
* **Maximum heart rate**: the profile's; when that is estimated (Tanaka) and a session
  recorded a higher maximum, that session uses its own maximum (still flagged estimated),
  so a too-low estimate cannot push the heart-rate reserve to 100 %.
* **Load** is session-RPE: RPE x minutes (Foster 2001) [V].
* **TRIMP** is Banister's, from the session's average heart rate, as in Banister's original
  definition (duration x ΔHR x y(ΔHR)) [S]: :func:`stridewise.science.load.banister_trimp_mean_hr`
  (the per-second form is :func:`stridewise.science.load.banister_trimp`). Without a recorded
  sex, Runalyze's values for unknown gender (``science.load.UNKNOWN_SEX_BANISTER_COEFFICIENTS``).
* **Bone**: foot sessions only (run, walk, hike), by
  :func:`stridewise.science.bone.session_bone_loading` (the activity page uses it too): peak
  GRF from average speed (Keller 1996 fit), loading cycles per leg from the recorded steps,
  else cadence x minutes, else a typical cadence [U].
* **MET** from average speed and the 2024 Compendium; a manual run without distance gets
  "jogging, self-paced" (12020); a hike is "hiking, cross country" (17080, 6.0) at any speed.
  Strength, balance and impact sessions carry no MET: they count towards WHO's
  muscle-strengthening and balance days, not its aerobic minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from stridewise import clock
from stridewise.science import benefits, bone, load
from stridewise.store.export import local_time

from .frames import SeriesFrames

SESSION_COLUMNS = (
    "source", "id", "date", "start_local", "start_hour", "kind", "duration_min", "distance_m",
    "speed_mps", "avg_heart_rate_bpm", "rpe", "rpe_estimated", "load_srpe", "trimp",
    "peak_grf_bw", "loading_cycles_per_leg", "osteogenic_index", "walking_equivalent_oi",
    "met", "met_min", "intensity", "name",
)


class _HeartRateFields(Protocol):
    """What :func:`heart_rate_profile` reads: a store athlete or a :class:`SeriesProfile`."""

    @property
    def birth_year(self) -> int | None: ...
    @property
    def max_hr_bpm(self) -> float | None: ...
    @property
    def max_hr_estimated(self) -> bool: ...
    @property
    def resting_hr_bpm(self) -> float | None: ...
    @property
    def resting_hr_estimated(self) -> bool: ...
    @property
    def sex(self) -> str | None: ...


@dataclass(frozen=True)
class HeartRateProfile:
    """Resting and maximum heart rate, with whether each was estimated (shown as such)."""

    rest_bpm: float
    max_bpm: float
    rest_estimated: bool
    max_estimated: bool
    sex: str | None


def heart_rate_profile(athlete: _HeartRateFields, on: date) -> HeartRateProfile:
    """The profile's heart rates; a missing maximum is Tanaka's estimate for the age on ``on``
    and a missing resting rate the assumed one (both from ``science.load``, flagged)."""
    age = on.year - athlete.birth_year if athlete.birth_year else np.nan
    max_est = athlete.max_hr_bpm is None or bool(athlete.max_hr_estimated)
    if athlete.max_hr_bpm is not None:
        hr_max = float(athlete.max_hr_bpm)
    else:
        hr_max = float(load.tanaka_max_hr_bpm(age))
    rest_est = athlete.resting_hr_bpm is None or bool(athlete.resting_hr_estimated)
    hr_rest = float(athlete.resting_hr_bpm or load.ASSUMED_RESTING_HR_BPM)
    return HeartRateProfile(hr_rest, hr_max, rest_est, max_est, athlete.sex)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def _raw_rows(frames: SeriesFrames) -> pd.DataFrame:
    zone = frames.profile.time_zone
    rows: list[dict[str, object]] = []
    for a in frames.activities.to_dict("records"):
        offset = None if _missing(a["utc_offset_s"]) else int(a["utc_offset_s"])
        rows.append({
            "source": "activity", "id": a["id"],
            "start_local": local_time(a["start_time_utc"], offset, zone),
            "kind": a["sport"], "duration_min": a["moving_s"] / 60.0,
            "distance_m": a["distance_m"], "speed_mps": a["avg_speed_mps"],
            "avg_heart_rate_bpm": a["avg_heart_rate_bpm"],
            "max_heart_rate_bpm": a["max_heart_rate_bpm"], "steps": a["steps"],
            "cadence_spm": a["avg_cadence_spm"], "rpe": a["rpe"], "name": a["name"],
        })
    for s in frames.manual.to_dict("records"):
        distance = None if _missing(s["distance_m"]) else float(s["distance_m"])
        duration_s = float(s["duration_s"])
        rows.append({
            "source": "manual", "id": s["id"],
            "start_local": local_time(s["start_time_utc"], None, zone),
            "kind": s["kind"], "duration_min": duration_s / 60.0, "distance_m": distance,
            "speed_mps": distance / duration_s if distance else None,
            "avg_heart_rate_bpm": None, "max_heart_rate_bpm": None,
            "steps": None, "cadence_spm": None, "rpe": s["rpe"], "name": s["notes"],
        })
    return pd.DataFrame(rows)


def _float_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64)


def sessions_frame(frames: SeriesFrames, *, today: date | None = None) -> pd.DataFrame:
    """Every session of one athlete, oldest first, with per-session metrics (see module doc).
    ``today`` (default: the athlete's today) sets the age for an estimated maximum heart rate."""
    profile = frames.profile
    frame = _raw_rows(frames)
    if frame.empty:
        return pd.DataFrame(columns=list(SESSION_COLUMNS))
    frame = frame.sort_values("start_local", kind="stable").reset_index(drop=True)
    frame["date"] = [t.date() for t in frame["start_local"]]
    frame["start_hour"] = [t.hour + t.minute / 60.0 for t in frame["start_local"]]
    hr = heart_rate_profile(profile, today or clock.today(profile.time_zone))
    with_session_metrics(frame, hr.rest_bpm, hr.max_bpm, hr.max_estimated, hr.sex)
    return frame[list(SESSION_COLUMNS)]


def with_session_metrics(
    frame: pd.DataFrame,
    rest_bpm: float | np.ndarray,
    max_bpm: float | np.ndarray,
    max_estimated: bool | np.ndarray,
    sex: str | np.ndarray | None,
) -> None:
    """Add the per-session metrics of :data:`SESSION_COLUMNS` to ``frame`` (raw rows of
    :func:`_raw_rows`' columns, with ``start_hour``), in place.

    One athlete passes their :class:`HeartRateProfile` values; a cohort passes one value per
    row (each session its athlete's), and the results of every row are those its athlete's
    own :func:`sessions_frame` gives: each step is element by element."""
    kind = frame["kind"].to_numpy(dtype=object)
    minutes = _float_column(frame, "duration_min")
    avg_hr = _float_column(frame, "avg_heart_rate_bpm")

    # A too-low estimated maximum must not push the reserve to 100 %: use the session's own.
    session_max = _float_column(frame, "max_heart_rate_bpm")
    raise_max = max_estimated & np.isfinite(session_max) & (session_max > max_bpm)
    hr_max = np.where(raise_max, session_max, max_bpm)
    reserve = np.clip((avg_hr - rest_bpm) / (hr_max - rest_bpm), 0.0, 1.0)
    rpe = _float_column(frame, "rpe")
    estimated = np.isnan(rpe)
    by_kind = load.default_session_rpe(kind)
    from_hr = load.rpe_from_heart_rate_reserve(reserve)
    rpe = np.where(estimated, np.where(np.isfinite(avg_hr), from_hr, by_kind), rpe)
    frame["rpe"] = rpe
    frame["rpe_estimated"] = estimated
    frame["load_srpe"] = load.session_rpe_load(rpe, minutes)
    if isinstance(sex, np.ndarray):
        # Banister's coefficients depend on sex: one call per sex, on its sessions.
        trimp = np.empty(len(frame))
        labels = pd.Series(sex, dtype=object).fillna("")
        for label, rows in labels.groupby(labels, sort=False).indices.items():
            trimp[rows] = load.banister_trimp_mean_hr(minutes[rows], reserve[rows],
                                                      str(label) or None)
        frame["trimp"] = trimp
    else:
        frame["trimp"] = load.banister_trimp_mean_hr(minutes, reserve, sex)

    loading = bone.session_bone_loading(
        kind, minutes, _float_column(frame, "speed_mps"), _float_column(frame, "steps"),
        _float_column(frame, "cadence_spm"),
    )
    speed = loading.speed_mps
    frame["speed_mps"] = speed
    frame["peak_grf_bw"] = loading.peak_grf_bw
    frame["loading_cycles_per_leg"] = loading.loading_cycles_per_leg
    frame["osteogenic_index"] = loading.osteogenic_index
    frame["walking_equivalent_oi"] = loading.walking_equivalent_oi

    met = np.full(len(frame), np.nan)
    runs, walks, hikes = kind == "run", kind == "walk", kind == "hike"
    met[runs] = benefits.met_running(speed[runs])
    unknown_run_speed = runs & ~np.isfinite(_float_column(frame, "distance_m"))
    met[unknown_run_speed] = benefits.JOGGING_SELF_PACED_MET
    met[walks] = benefits.met_walking(speed[walks])
    met[hikes] = benefits.met_hiking(speed[hikes])
    frame["met"] = met
    frame["met_min"] = np.where(np.isfinite(met), benefits.met_minutes(met, minutes), 0.0)
    frame["intensity"] = benefits.intensity(met)


def local_times(start_utc: pd.Series, utc_offset_s: np.ndarray | None,
                zones: np.ndarray) -> pd.Series:
    """:func:`stridewise.store.export.local_time` of many instants at once: the naive local
    wall-clock time of each, from its own UTC offset where given, else its zone (``zones``,
    one per instant). The instants must lie on the calendar (the cohort's export keeps only
    those); ``start_utc`` is timezone-aware."""
    instants = pd.DatetimeIndex(start_utc)
    out = np.empty(len(instants), dtype="datetime64[us]")
    offsets = (np.full(len(instants), np.nan) if utc_offset_s is None
               else np.asarray(utc_offset_s, dtype=np.float64))
    by_offset = np.isfinite(offsets)
    if by_offset.any():
        # local_time adds int(offset) seconds to the instant: whole seconds, towards zero.
        shifted = (instants[by_offset].tz_convert("UTC").tz_localize(None)
                   + pd.to_timedelta(np.trunc(offsets[by_offset]).astype(np.int64), unit="s"))
        out[by_offset] = shifted.to_numpy(dtype="datetime64[us]")
    labels = pd.Series(np.asarray(zones, dtype=object)[~by_offset])
    rest = np.flatnonzero(~by_offset)
    for zone, rows in labels.groupby(labels, sort=False).indices.items():
        local = instants[rest[rows]].tz_convert(ZoneInfo(str(zone))).tz_localize(None)
        out[rest[rows]] = local.to_numpy(dtype="datetime64[us]")
    return pd.Series(out)


def sessions_frame_many(
    activities: pd.DataFrame,
    manual: pd.DataFrame,
    profiles: list[HeartRateProfile],
    zones: list[str],
) -> pd.DataFrame:
    """:func:`sessions_frame` of many athletes at once, for a cohort: ``activities`` and
    ``manual`` have the columns of :data:`~stridewise.series.frames.ACTIVITY_COLUMNS` and
    :data:`~stridewise.series.frames.MANUAL_COLUMNS` (names and notes may be missing) plus
    ``athlete``, the index of each row's athlete in ``profiles`` (their
    :func:`heart_rate_profile` on their own last day) and ``zones``.

    One row per session with :data:`SESSION_COLUMNS` (``start_local`` a NumPy datetime, no
    ``name``) and ``athlete``, grouped by athlete and oldest first within each, the order of
    each athlete's own :func:`sessions_frame`; every value is the one it gives (the metrics
    by :func:`with_session_metrics`, element by element; tested)."""
    zone_of = np.asarray(zones, dtype=object)

    def float_of(frame: pd.DataFrame, name: str) -> np.ndarray:
        return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64)

    a_athlete = activities["athlete"].to_numpy(dtype=np.int64)
    m_athlete = manual["athlete"].to_numpy(dtype=np.int64)
    distance = float_of(manual, "distance_m")
    duration_s = float_of(manual, "duration_s")
    told = np.isfinite(distance) & (distance != 0)
    nothing = np.full(len(manual), np.nan)
    frame = pd.DataFrame({
        "athlete": np.concatenate([a_athlete, m_athlete]),
        "source": np.repeat(np.asarray(["activity", "manual"], dtype=object),
                            [len(activities), len(manual)]),
        "id": np.concatenate([activities["id"].to_numpy(), manual["id"].to_numpy()]),
        "start_local": pd.concat([
            local_times(activities["start_time_utc"], float_of(activities, "utc_offset_s"),
                        zone_of[a_athlete]),
            local_times(manual["start_time_utc"], None, zone_of[m_athlete]),
        ], ignore_index=True).to_numpy(),
        "kind": np.concatenate([activities["sport"].to_numpy(dtype=object),
                                manual["kind"].to_numpy(dtype=object)]),
        "duration_min": np.concatenate([float_of(activities, "moving_s") / 60.0,
                                        duration_s / 60.0]),
        "distance_m": np.concatenate([float_of(activities, "distance_m"), distance]),
        "speed_mps": np.concatenate([
            float_of(activities, "avg_speed_mps"),
            np.divide(distance, duration_s, out=np.full(len(manual), np.nan), where=told)]),
        **{name: np.concatenate([float_of(activities, column), nothing]) for name, column in (
            ("avg_heart_rate_bpm", "avg_heart_rate_bpm"),
            ("max_heart_rate_bpm", "max_heart_rate_bpm"), ("steps", "steps"),
            ("cadence_spm", "avg_cadence_spm"))},
        "rpe": np.concatenate([float_of(activities, "rpe"), float_of(manual, "rpe")]),
    })
    order = np.lexsort((frame["start_local"].to_numpy(), frame["athlete"].to_numpy()))
    frame = frame.take(order).reset_index(drop=True)
    local = pd.DatetimeIndex(frame["start_local"])
    frame["date"] = local.normalize().to_numpy(dtype="datetime64[D]")
    frame["start_hour"] = local.hour.to_numpy() + local.minute.to_numpy() / 60.0
    athlete = frame["athlete"].to_numpy()
    with_session_metrics(
        frame,
        np.asarray([p.rest_bpm for p in profiles], dtype=np.float64)[athlete],
        np.asarray([p.max_bpm for p in profiles], dtype=np.float64)[athlete],
        np.asarray([p.max_estimated for p in profiles], dtype=bool)[athlete],
        np.asarray([p.sex for p in profiles], dtype=object)[athlete],
    )
    return frame[["athlete", *[c for c in SESSION_COLUMNS if c != "name"]]]
