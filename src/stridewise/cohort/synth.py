"""A seeded synthetic cohort of beginners, walkers and runners, with effects injected on purpose.

Used by the tests and the benchmark: the pipeline must find what was put in. Everything is
drawn as ``(athletes, days)`` arrays, one partition of athletes at a time (seeded by
``(seed, partition)``, so a partition is the same whatever else is generated).

Injected effects (:class:`SynthSettings`):

- **Progression safety.** Every run opens an at-risk interval that ends at the next run, 30
  days, or the end of follow-up. In it a pain stop comes at a constant hazard
  ``baseline_stop_hazard_per_d`` times the hazard ratio of the run's single-run spike band
  (the run's distance over the longest run of the previous 30 days, worked out by the
  product's own :func:`stridewise.science.spike.single_run_spike_ratio`): x1.6 for spikes of
  more than 10-30 % by default. A stop is a check-in with pain 8/10 during activity (the pain
  rules' "severe pain" stop); running pauses for ``pause_after_stop_d`` days and a doctor's
  clearance is logged ``clearance_after_stop_d`` days after the stop.
- **Adherence.** Runners train most, walkers least; everyone's sessions thin out after a
  personal drop-off day (exponential, mean ``mean_dropoff_d``).
- **Bone.** The screening's impact level follows the group (walkers mostly up to brisk walking),
  so bone stimulus differs by screening category.

The synthetic people never exist; every number here is a setting of the generator, not a
finding (docs/cohort.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from stridewise.science.spike import SPIKE_BANDS, SPIKE_FLAG_RATIO, single_run_spike_ratio

from . import dataset as ds

GROUPS = ("beginner", "walker", "runner")
ZONES = ("Europe/Copenhagen", "Europe/London", "America/New_York", "Australia/Sydney", "UTC")


@dataclass(frozen=True)
class SynthSettings:
    """The generator's knobs. ``spike_hazard_ratios`` maps each spike band's upper bound
    (``science.spike.SPIKE_BANDS``: 1.3, 2.0, inf) to the injected hazard ratio against runs
    up to 1.1 x the previous 30 days' longest."""

    start: date = date(2023, 1, 2)
    #: Shares of beginners, walkers and runners.
    group_shares: tuple[float, float, float] = (0.4, 0.3, 0.3)
    baseline_stop_hazard_per_d: float = 0.008
    spike_hazard_ratios: dict[float, float] = field(
        default_factory=lambda: {1.3: 1.6, 2.0: 1.6, float("inf"): 2.3})
    stop_window_d: int = 30
    pause_after_stop_d: int = 21
    clearance_after_stop_d: int = 14
    mean_dropoff_d: float = 700.0
    after_dropoff_activity: float = 0.25
    #: Daily chances of a run / a walk / strength / balance session, per group.
    run_chance: dict[str, float] = field(default_factory=lambda: {
        "beginner": 0.28, "walker": 0.02, "runner": 0.45})
    walk_chance: dict[str, float] = field(default_factory=lambda: {
        "beginner": 0.22, "walker": 0.55, "runner": 0.08})
    strength_chance: float = 0.12
    balance_chance: float = 0.08
    #: Typical run distance (m) per group, and the day-to-day spread (log-normal sigma).
    run_distance_m: dict[str, float] = field(default_factory=lambda: {
        "beginner": 3000.0, "walker": 2500.0, "runner": 7000.0})
    run_distance_sigma: float = 0.22
    long_run_chance: float = 0.05
    checkin_week_chance: float = 0.7
    mild_pain_chance: float = 0.15


def spike_band_index(ratio: np.ndarray) -> np.ndarray:
    """0 for runs up to :data:`SPIKE_FLAG_RATIO` (the reference), 1.. for the bands of
    ``SPIKE_BANDS``; -1 where the ratio is NaN (no run in the previous 30 days)."""
    band = np.where(np.isnan(ratio), -1, 0)
    for i, (lower, upper, _, _) in enumerate(SPIKE_BANDS, start=1):
        band = np.where((ratio > lower) & (ratio <= upper), i, band)
    return band


def _local_to_utc(day0: date, days: np.ndarray, hours: np.ndarray, zone: str) -> pd.Series:
    local = (pd.Timestamp(day0) + pd.to_timedelta(days, unit="D")
             + pd.to_timedelta(hours, unit="h"))
    aware = pd.DatetimeIndex(local).tz_localize(zone, ambiguous=True,
                                                nonexistent="shift_forward")
    return pd.Series(aware.tz_convert("UTC").as_unit("us"))


def generate_partition(n: int, n_days: int, seed: int, part: int, first_index: int,
                       settings: SynthSettings) -> dict[str, pd.DataFrame]:
    """The tables of one partition of ``n`` synthetic participants."""
    rng = np.random.default_rng([seed, part])
    s = settings
    group = rng.choice(len(GROUPS), size=n, p=list(s.group_shares))
    names = np.asarray(GROUPS)[group]
    sex = rng.choice(np.asarray(["female", "male"]), size=n)
    band = rng.choice(np.arange(1945, 2001, ds.BIRTH_YEAR_BAND_Y), size=n)
    zone = np.asarray(ZONES)[rng.integers(0, len(ZONES), size=n)]
    pids = np.asarray([f"S{seed:04d}-{first_index + i:06d}" for i in range(n)])
    day = np.arange(n_days)

    dropoff = rng.exponential(s.mean_dropoff_d, size=n)
    scale = np.where(day[None, :] < dropoff[:, None], 1.0, s.after_dropoff_activity)
    u = rng.random((4, n, n_days))
    run_p = np.asarray([s.run_chance[g] for g in names])[:, None] * scale
    walk_p = np.asarray([s.walk_chance[g] for g in names])[:, None] * scale
    run = u[0] < run_p
    walk = (u[1] < walk_p) & ~run
    strength = u[2] < s.strength_chance * scale
    balance = u[3] < s.balance_chance * scale
    typical = np.asarray([s.run_distance_m[g] for g in names])
    growth = 1.0 + 0.4 * day[None, :] / max(n_days, 1)
    distance = (typical[:, None] * growth
                * rng.lognormal(0.0, s.run_distance_sigma, size=(n, n_days)))
    distance = np.where(rng.random((n, n_days)) < s.long_run_chance,
                        distance * rng.uniform(1.3, 2.6, size=(n, n_days)), distance)
    distance = np.round(distance, -1)
    stop_u = rng.random((n, n_days))

    # Pain stops, one round per stop: each round finds every athlete's next stop on the
    # current schedule, then removes the runs of the pause after it (which changes later
    # spike ratios, hence the rounds).
    hazard_ratio = np.ones(len(SPIKE_BANDS) + 2)
    for i, (_, upper, _, _) in enumerate(SPIKE_BANDS, start=1):
        hazard_ratio[i] = s.spike_hazard_ratios.get(upper, 1.0)
    stops: list[tuple[int, int]] = []
    after = np.full(n, -1)
    rows = np.arange(n)
    while True:
        ratio = single_run_spike_ratio(np.where(run, distance, 0.0))
        band_i = spike_band_index(ratio)
        # The next run after each day (n_days when none): the end of each run's interval.
        idx = np.where(run, day[None, :], n_days)
        next_run = np.minimum.accumulate(idx[:, ::-1], axis=1)[:, ::-1]
        next_run = np.concatenate([next_run[:, 1:], np.full((n, 1), n_days)], axis=1)
        window = np.minimum(np.minimum(next_run - day[None, :], s.stop_window_d),
                            n_days - 1 - day[None, :])
        rate = s.baseline_stop_hazard_per_d * hazard_ratio[band_i]
        wait_d = np.ceil(-np.log(stop_u) / rate)
        hit = run & (band_i >= 0) & (wait_d <= window) & (day[None, :] > after[:, None])
        stop_day = np.where(hit, day[None, :] + wait_d, np.inf).min(axis=1)
        found = np.isfinite(stop_day)
        if not found.any():
            break
        for who in rows[found]:
            d = int(stop_day[who])
            stops.append((int(who), d))
            run[who, d:d + s.pause_after_stop_d] = False
            after[who] = d + s.pause_after_stop_d - 1

    # Sessions as hand-logged rows: kind, local day and hour, duration, distance, RPE.
    kinds, masks = ("run", "walk", "strength", "balance"), (run, walk, strength, balance)
    sess = []
    for kind, mask in zip(kinds, masks, strict=True):
        a, days_i = np.nonzero(mask)
        frame = pd.DataFrame({"a": a, "d": days_i, "kind": kind})
        if kind == "run":
            pace = np.where(names[a] == "runner", 2.9, 2.3) * rng.uniform(0.85, 1.15, len(a))
            frame["distance_m"] = distance[a, days_i]
            frame["duration_s"] = np.round(frame["distance_m"] / pace)
            frame["rpe"] = rng.integers(4, 8, len(a)).astype(float)
        elif kind == "walk":
            minutes = rng.uniform(25, 70, len(a))
            frame["duration_s"] = np.round(minutes * 60)
            frame["distance_m"] = np.round(minutes * 60 * rng.uniform(1.1, 1.6, len(a)), -1)
            frame["rpe"] = rng.integers(2, 5, len(a)).astype(float)
        else:
            frame["duration_s"] = np.round(rng.uniform(15, 45, len(a))) * 60
            frame["distance_m"] = np.nan
            frame["rpe"] = rng.integers(3, 7, len(a)).astype(float)
        # Some people do not rate every session: the kernels estimate those (and say so).
        frame.loc[rng.random(len(a)) < 0.3, "rpe"] = np.nan
        frame["hour"] = rng.integers(6, 20, len(a)) + rng.integers(0, 4, len(a)) * 0.25
        sess.append(frame)
    sessions = pd.concat(sess, ignore_index=True).sort_values(["a", "d", "hour"], kind="stable")

    # Check-ins: a weekly one on most weeks (sleep, WHO-5, sometimes a mild ache), each stop's
    # severe pain, and the doctor's clearance after it.
    weeks = n_days // 7
    wa, ww = np.nonzero(rng.random((n, weeks)) < s.checkin_week_chance)
    weekly = pd.DataFrame({"a": wa, "d": ww * 7 + rng.integers(0, 7, len(wa)), "hour": 21.0})
    weekly["sleep_hours"] = np.round(rng.normal(7.0, 0.8, len(wa)), 1).clip(3, 11)
    weekly["who5_raw"] = rng.integers(8, 24, len(wa)).astype(float)
    mild = rng.random(len(wa)) < s.mild_pain_chance
    weekly["pain_score"] = np.where(mild, rng.integers(1, 4, len(wa)), np.nan)
    weekly["pain_timing"] = [("after" if m else None) for m in mild]
    weekly["pain_site"] = [("knee" if m else None) for m in mild]
    stop_a = np.asarray([a for a, _ in stops], dtype=int)
    stop_d = np.asarray([d for _, d in stops], dtype=int)
    severe = pd.DataFrame({"a": stop_a, "d": stop_d, "hour": 19.0, "pain_score": 8.0,
                           "pain_timing": "during", "pain_site": "shin"})
    cleared = pd.DataFrame({"a": stop_a, "d": stop_d + s.clearance_after_stop_d, "hour": 10.0,
                            "doctor_cleared": True})
    checkins = pd.concat([weekly, severe, cleared], ignore_index=True)
    checkins = checkins[checkins["d"] < n_days]
    checkins = checkins[~checkins.duplicated(["a", "d"], keep="last")]
    for name in ("pain_localised_bone", "fell"):
        checkins[name] = False
    checkins["doctor_cleared"] = checkins["doctor_cleared"].eq(True)
    checkins = checkins.sort_values(["a", "d", "hour"], kind="stable")

    manual_parts, checkin_parts = [], []
    for a_zone in np.unique(zone):
        members = np.flatnonzero(zone == a_zone)
        sm = sessions[np.isin(sessions["a"].to_numpy(), members)]
        sm = sm.assign(start_time_utc=_local_to_utc(
            s.start, sm["d"].to_numpy(), sm["hour"].to_numpy(), str(a_zone)).array)
        manual_parts.append(sm)
        cm = checkins[np.isin(checkins["a"].to_numpy(), members)]
        cm = cm.assign(at_utc=_local_to_utc(
            s.start, cm["d"].to_numpy(), cm["hour"].to_numpy(), str(a_zone)).array)
        checkin_parts.append(cm)
    manual = pd.concat(manual_parts).sort_values(["a", "start_time_utc"], kind="stable")
    manual["pid"] = pids[manual["a"].to_numpy()]
    manual["id"] = np.arange(1, len(manual) + 1)
    checkins = pd.concat(checkin_parts).sort_values(["a", "at_utc"], kind="stable")
    checkins["pid"] = pids[checkins["a"].to_numpy()]

    impact = np.where(names == "walker",
                      np.where(rng.random(n) < 0.2, "balance_first", "up_to_brisk_walking"),
                      np.where(rng.random(n) < 0.2, "moderate_impact", "running"))
    screenings = pd.DataFrame({
        "pid": pids, "impact_level": impact, "can_start": True,
        "falls_risk": np.where(impact == "balance_first", "high", "low"),
        "taken_at_utc": _local_to_utc(s.start - timedelta(days=1), np.zeros(n, int),
                                      np.full(n, 9.0), "UTC").array,
    })
    participants = pd.DataFrame({
        "pid": pids, "time_zone": zone, "sex": sex, "birth_year_band": band,
        "resting_hr_bpm": np.nan, "resting_hr_estimated": False, "max_hr_bpm": np.nan,
        "max_hr_estimated": False, "through": s.start + timedelta(days=n_days - 1),
        "group": names,
    })
    return {
        "participants": participants, "manual": manual, "checkins": checkins,
        "screenings": screenings, "activities": ds.SCHEMAS["activities"].empty_table().to_pandas(),
        "measures": ds.SCHEMAS["measures"].empty_table().to_pandas(),
    }


def synthesise(out: Path, athletes: int, years: float, seed: int, *,
               partition_size: int = 250, settings: SynthSettings | None = None) -> ds.DatasetInfo:
    """Write a synthetic cohort dataset of ``athletes`` people followed ``years`` years."""
    if athletes < 1:
        raise ValueError("--athletes must be at least 1")
    if not 0 < years <= 50:
        raise ValueError("--years must be more than 0 and at most 50")
    if partition_size < 1:
        raise ValueError("the partition size must be at least 1")
    settings = settings or SynthSettings()
    n_days = max(round(years * 365), 28)
    out = Path(out)
    parts = (athletes + partition_size - 1) // partition_size
    for part in range(parts):
        first = part * partition_size
        n = min(partition_size, athletes - first)
        tables = generate_partition(n, n_days, seed, part, first, settings)
        for table in ds.TABLES:
            ds.write_table(out, table, part, tables[table])
    info = ds.DatasetInfo(parts, "synthetic", "synthetic (no real dates)", {
        "athletes": athletes, "years": years, "seed": seed, "partition_size": partition_size,
        "days": n_days, **{k: v for k, v in asdict(settings).items()},
        "flag_ratio": SPIKE_FLAG_RATIO})
    ds.write_info(out, info)
    return info
