"""The cohort run: a per-participant job over partitions, then collation and a QC table.

Per participant (:func:`participant_job`), the single-user product's own functions, never a
copy:

- the daily series by :func:`stridewise.series.daily_series` (load metrics, single-run spike
  ratio, bone stimulus, WHO minutes...) through the participant's last day, in their zone:
  what ``Core.series`` computes for the same person;
- Monday-to-Sunday weeks by :func:`stridewise.series.weekly_summary`;
- pain stops by the safety rules' own decision, :func:`stridewise.science.pain.evaluate_pain`,
  fed the check-ins as :mod:`stridewise.monitor` reads them, replayed on every day with a pain
  report (a stop's *onset* is a day whose decision is STOP when the one before was not, or when
  a screening or a doctor's clearance came in between).

A partition (:func:`run_partition`) writes its tables, then a ``_done`` marker, each by write
then rename: a rerun skips partitions with a marker, and a partition killed half-way is
simply done again. A participant whose job raises is recorded in the QC table with the reason;
the others go on. :func:`run_cohort` runs the partitions on ``dask.distributed`` (a
``LocalCluster`` of ``workers`` processes, or the cluster at ``scheduler``), or in this process
with ``workers=0``, and :func:`collate` joins the partitions' tables.
"""

from __future__ import annotations

import json
import math
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from stridewise import clock
from stridewise.monitor import RECENT_DAYS, _as_checks
from stridewise.science.pain import PainAction, evaluate_pain
from stridewise.science.spike import SPIKE_BANDS, SPIKE_FLAG_RATIO
from stridewise.series import daily_series, weekly_summary

from . import dataset as ds


@dataclass(frozen=True)
class RunSettings:
    """The rules of a run (written to ``run.json``; the report's methods section reads them).

    ``valid_week_min_days``: a week counts for adherence when it is a whole Monday-to-Sunday
    week inside the participant's follow-up with data (a session, a check-in or a device
    measure) on at least this many of its days. ``stop_window_d``: a run's at-risk interval
    lasts until the next run, this many days, or the end of follow-up."""

    valid_week_min_days: int = 2
    stop_window_d: int = 30
    who_weekly_target_min: float = 150.0


#: Spike bands: labels and (lower exclusive, upper inclusive) ratio bounds, from science.spike.
BAND_LABELS = ("<=10%", ">10-30%", ">30-100%", ">100%")
BAND_BOUNDS = ((-np.inf, SPIKE_FLAG_RATIO), *[(lo, hi) for lo, hi, _, _ in SPIKE_BANDS])
#: Columns of the per-day output besides the series' own.
DAILY_EXTRA = ("pid", "day", "pain_stop")
OUTPUTS = ("daily", "weekly", "runs", "participants", "qc")


def spike_band(ratio: np.ndarray) -> np.ndarray:
    """The band label of each spike ratio; "no reference" where NaN (no run in 30 days)."""
    labels = np.full(ratio.shape, "no reference", dtype=object)
    for label, (lower, upper) in zip(BAND_LABELS, BAND_BOUNDS, strict=True):
        labels[(ratio > lower) & (ratio <= upper)] = label
    return labels


def _value(v: Any) -> Any:
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def pain_stop_days(checkins: pd.DataFrame, screened: list[datetime], zone: str) -> list[date]:
    """Local days on which a pain stop began (see the module docstring)."""
    z = ZoneInfo(zone)
    # Only check-ins with a pain score, a fall or a clearance can change the decision.
    telling = (checkins["pain_score"].notna() | checkins["fell"].eq(True)
               | checkins["doctor_cleared"].eq(True))
    rows = [SimpleNamespace(**{str(k): _value(v) for k, v in r.items()})
            for r in checkins[telling].to_dict("records")]
    dated = []  # (at_utc, check) for each row that is a pain report
    for row in rows:
        found = _as_checks([row], z)
        if found:
            dated.append((row.at_utc, found[0]))
    resets = sorted([*screened, *(r.at_utc for r in rows if r.doctor_cleared)])
    onsets: list[date] = []
    previous: tuple[bool, datetime | None] = (False, None)
    for day in sorted({check.day for _, check in dated}):
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=z)
        anchor = max((t for t in resets if t < end), default=None)
        window_start = day - timedelta(days=2 * RECENT_DAYS)
        checks = [c for t, c in dated if window_start <= c.day <= day and t < end]
        flags = [c for t, c in dated if t < end and (anchor is None or t > anchor)]
        stop = evaluate_pain(checks, day, red_flag_history=flags).action is PainAction.STOP
        if stop and (not previous[0] or previous[1] != anchor):
            onsets.append(day)
        previous = (stop, anchor)
    return onsets


def _runs_table(pid: str, series: pd.DataFrame, stops: list[int], window_d: int) -> pd.DataFrame:
    """One row per run day: spike ratio and band, the at-risk interval (to the next run,
    ``window_d`` days or the last day) and whether a pain stop began in it."""
    run_day = np.flatnonzero(series["run_distance_m"].to_numpy(dtype=float) > 0)
    last = len(series) - 1
    never = np.int64(2) ** 62
    following = np.append(run_day[1:], never)
    end = np.minimum(np.minimum(following, run_day + window_d), last)
    stop_days = np.append(np.asarray(sorted(stops), dtype=np.int64), never)
    first_stop = stop_days[np.searchsorted(stop_days, run_day, side="right")]
    event = first_stop <= end
    ratio = series["spike_ratio"].to_numpy(dtype=float)[run_day]
    return pd.DataFrame({
        "pid": pid, "date": series["date"].to_numpy()[run_day], "spike_ratio": ratio,
        "band": spike_band(ratio), "duration_d": np.where(event, first_stop, end) - run_day,
        "event": event, "stop_within_30d": first_stop <= run_day + window_d,
    })


def _age_band(birth_year_band: Any, first: date) -> str:
    year = ds.band_birth_year(birth_year_band)
    if year is None:
        return "unknown"
    age = first.year - year
    low = age // 10 * 10
    return f"{low}-{low + 9}"


def participant_job(row: Any, index: int, tables: dict[str, pd.DataFrame],
                    settings: RunSettings) -> dict[str, pd.DataFrame]:
    """Every output table of one participant (``row``: their participants row)."""
    pid = str(row.pid)
    profile = ds.profile_of_row(row, index)
    frames = ds.frames_of(profile, tables)
    through = pd.Timestamp(row.through).date()
    series = daily_series(frames, through=through)
    first = series["date"].iloc[0]
    screened = sorted(t.to_pydatetime() for t in tables["screenings"]["taken_at_utc"])
    stops = pain_stop_days(tables["checkins"], screened, profile.time_zone)
    stop_index = [(d - first).days for d in stops if first <= d <= through]

    daily = series.drop(columns=["measures_source"]).copy()
    daily.insert(0, "day", np.arange(len(daily), dtype=np.int64))
    daily.insert(0, "pid", pid)
    daily["pain_stop"] = np.isin(daily["day"].to_numpy(), stop_index)

    # Days with data: a session, a check-in or a device measure that day.
    at = tables["checkins"]["at_utc"]
    checkin_days = set(at.dt.tz_convert(profile.time_zone).dt.date) if len(at) else set()
    with_data = ((series["sessions"].to_numpy() > 0)
                 | series["date"].isin(checkin_days).to_numpy()
                 | series["steps"].notna().to_numpy())
    weekly = weekly_summary(series)
    # Monday of each day's week (the series has one row per day from its first day).
    first_monday = first - timedelta(days=first.weekday())
    week_no = (np.arange(len(series)) + first.weekday()) // 7
    counts = np.bincount(week_no, weights=with_data, minlength=len(weekly))
    mondays = [first_monday + timedelta(weeks=int(w)) for w in range(len(counts))]
    data_days = pd.Series(counts, index=mondays)
    weekly["data_days"] = data_days.reindex(weekly["week"]).to_numpy()
    weekly["valid"] = ((weekly["days"] == 7)
                       & (weekly["data_days"] >= settings.valid_week_min_days))
    weekly["week_index"] = np.arange(len(weekly))
    weekly["meets_who"] = weekly["who_equivalent_min"] >= settings.who_weekly_target_min
    weekly.insert(0, "pid", pid)

    runs = _runs_table(pid, series, stop_index, settings.stop_window_d)
    valid = weekly[weekly["valid"]]
    screening = tables["screenings"].sort_values("taken_at_utc")
    impact = str(screening["impact_level"].iloc[-1]) if len(screening) else "not screened"
    summary = pd.DataFrame([{
        "pid": pid, "group": _value(row.group) or "", "sex": _value(row.sex) or "unknown",
        "age_band": _age_band(row.birth_year_band, first), "first": first, "through": through,
        "days": len(series), "sessions": int(series["sessions"].sum()),
        "runs": len(runs), "run_distance_m": float(series["run_distance_m"].sum()),
        "valid_weeks": len(valid),
        "weekly_who_min": float(valid["who_equivalent_min"].mean()) if len(valid) else np.nan,
        "share_weeks_meeting_who": float(valid["meets_who"].mean()) if len(valid) else np.nan,
        "weekly_bone_stimulus": float(valid["bone_stimulus"].mean()) if len(valid) else np.nan,
        "impact_level": impact, "pain_stops": len(stop_index),
    }])
    summary["meets_who"] = summary["weekly_who_min"] >= settings.who_weekly_target_min
    qc = pd.DataFrame([{"pid": pid, "status": "ok", "reason": "", "days": len(series),
                        "days_with_data": int(with_data.sum()), "weeks": len(weekly),
                        "valid_weeks": len(valid)}])
    return {"daily": daily, "weekly": weekly, "runs": runs, "participants": summary, "qc": qc}


def _by_pid(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {str(k): g for k, g in frame.groupby("pid", sort=False)} if len(frame) else {}


def marker_path(out: Path, part: int) -> Path:
    return Path(out) / "_done" / f"part-{part:05d}.json"


def _write_frame(path: Path, frame: pd.DataFrame) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    ds.write_atomic(path, lambda p: pq.write_table(table, p))


def run_partition(dataset: str, out: str, part: int, settings: RunSettings) -> dict[str, Any]:
    """Compute, write and mark one partition; skipped when its marker exists. Returns what
    happened (``done``/``skipped``/``failed`` with the reason)."""
    root, target = Path(dataset), Path(out)
    if marker_path(target, part).is_file():
        return {"part": part, "status": "skipped"}
    started = time.perf_counter()
    try:
        tables = {name: ds.read_table(root, name, part) for name in ds.TABLES}
    except Exception as exc:  # an unreadable partition is reported, and retried next run
        return {"part": part, "status": "failed", "reason": f"{type(exc).__name__}: {exc}"}
    groups = {name: _by_pid(tables[name]) for name in ds.TABLES if name != "participants"}
    results: dict[str, list[pd.DataFrame]] = {name: [] for name in OUTPUTS}
    for index, row in enumerate(tables["participants"].itertuples(index=False)):
        pid = str(row.pid)
        own = {name: groups[name].get(pid, tables[name].iloc[:0]) for name in groups}
        try:
            produced = participant_job(row, index, own, settings)
        except Exception as exc:  # one participant's failure is recorded; the run goes on
            where = traceback.extract_tb(exc.__traceback__)[-1]
            results["qc"].append(pd.DataFrame([{
                "pid": pid, "status": "failed",
                "reason": f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:"
                          f"{where.lineno})",
                "days": 0, "days_with_data": 0, "weeks": 0, "valid_weeks": 0}]))
            continue
        for name in OUTPUTS:
            results[name].append(produced[name])
    for name in OUTPUTS:
        frames = [f for f in results[name] if len(f)]
        if frames:
            _write_frame(target / name / ds.part_name(part), pd.concat(frames, ignore_index=True))
    done = {"part": part, "status": "done", "participants": len(tables["participants"]),
            "failed": int(sum((f["status"] == "failed").sum() for f in results["qc"])),
            "seconds": round(time.perf_counter() - started, 3)}
    ds.write_atomic(marker_path(target, part), lambda p: p.write_text(json.dumps(done)))
    return done


@dataclass
class RunOutcome:
    partitions: int
    done: int
    skipped: int
    failed: list[dict[str, Any]]
    seconds: float
    #: Peak resident memory of the processes that computed partitions (MiB): the workers', or
    #: this process's when run here.
    peak_worker_rss_mib: float = 0.0


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_cohort(dataset: Path, out: Path, *, workers: int = 2, scheduler: str | None = None,
               settings: RunSettings | None = None,
               progress: Callable[[dict[str, Any]], None] | None = None) -> RunOutcome:
    """Run every unfinished partition, then :func:`collate`. ``workers=0`` without a
    scheduler runs in this process (the single-process baseline of the benchmark)."""
    settings = settings or RunSettings()
    # Absolute paths: workers on other machines see the same shared folders.
    dataset, out = Path(dataset).resolve(), Path(out).resolve()
    info = ds.read_info(dataset)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    parts = list(range(info.partitions))
    statuses: list[dict[str, Any]] = []
    if workers < 0:
        raise ValueError("--workers must be 0 (this process) or more")
    if workers == 0 and scheduler is None:
        for part in parts:
            status = run_partition(str(dataset), str(out), part, settings)
            status["peak_rss_mib"] = _peak_rss_mib()
            statuses.append(status)
            if progress:
                progress(status)
    else:
        from dask.distributed import Client, LocalCluster, as_completed

        cluster = None if scheduler else LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        try:
            with Client(scheduler or cluster) as client:
                futures = [client.submit(_partition_task, str(dataset), str(out), part,
                                         settings, pure=False) for part in parts]
                for future in as_completed(futures):
                    status = future.result()
                    statuses.append(status)
                    if progress:
                        progress(status)
        finally:
            if cluster is not None:
                cluster.close()
    run_info = {"dataset": str(dataset), "dataset_info": asdict(info),
                "settings": asdict(settings), "workers": workers,
                "scheduler": scheduler or ("local cluster" if workers else "this process"),
                "finished_utc": clock.now_utc().isoformat(timespec="seconds")}
    collate(out, run_info)
    failed = [s for s in statuses if s["status"] == "failed"]
    return RunOutcome(len(parts), sum(s["status"] == "done" for s in statuses),
                      sum(s["status"] == "skipped" for s in statuses), failed,
                      time.perf_counter() - started,
                      max((float(s.get("peak_rss_mib", 0.0)) for s in statuses), default=0.0))


def _partition_task(dataset: str, out: str, part: int, settings: RunSettings) -> dict[str, Any]:
    status = run_partition(dataset, out, part, settings)
    status["peak_rss_mib"] = _peak_rss_mib()
    status["worker_pid"] = os.getpid()
    return status


def read_output(out: Path, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """One output table of every partition, in partition order."""
    folder = Path(out) / name
    files = sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []
    if not files:
        return pd.DataFrame(columns=columns or [])
    return pd.concat([pq.read_table(f, columns=columns).to_pandas() for f in files],
                     ignore_index=True)


def collate(out: Path, run_info: dict[str, Any]) -> None:
    """The collated tables (participants, weekly, runs, QC: one Parquet file each; the per-day
    table stays partitioned under ``daily/``), failed partitions in the QC table, and
    ``run.json``."""
    out = Path(out)
    for name in ("participants", "weekly", "runs"):
        _write_frame(out / f"{name}.parquet", read_output(out, name))
    qc = read_output(out, "qc")
    info = ds.read_info(Path(run_info["dataset"]))
    missing = [p for p in range(info.partitions) if not marker_path(out, p).is_file()]
    if missing:
        qc = pd.concat([qc, pd.DataFrame([{
            "pid": f"partition {p}", "status": "failed",
            "reason": "partition not finished (unreadable or interrupted); rerun to retry",
            "days": 0, "days_with_data": 0, "weeks": 0, "valid_weeks": 0} for p in missing])],
            ignore_index=True)
    _write_frame(out / "qc.parquet", qc)
    ds.write_atomic(out / "run.json",
                    lambda p: p.write_text(json.dumps(run_info, indent=2, default=str)))
