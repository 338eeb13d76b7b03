"""The cohort run: a job per partition of participants, then collation and a QC table.

For every participant, the single-user product's own functions, never a copy; a partition's
participants are computed together (:func:`partition_job`):

- the daily series by :func:`stridewise.series.daily.daily_series_many` (load metrics,
  single-run spike ratio, bone stimulus, WHO minutes...) through each participant's last day,
  in their zone: each participant's rows are bit for bit their own
  :func:`stridewise.series.daily_series`, what ``Core.series`` computes for the same person;
- Monday-to-Sunday weeks by :func:`stridewise.series.weekly_summary` (per participant);
- pain stops by the safety rules' own decision, :func:`stridewise.science.pain.evaluate_pain`,
  fed the check-ins as :mod:`stridewise.monitor` reads them, replayed on every day with a pain
  report (a stop's *onset* is a day whose decision is STOP when the one before was not, or when
  a screening or a doctor's clearance came in between), participant by participant.

A partition (:func:`run_partition`) writes its tables, then a ``_done`` marker, each by write
then rename: a rerun skips partitions with a marker, and a partition killed half-way is
simply done again. When a participant's data make the partition's job raise, the partition is
computed one participant at a time: the one that raises is recorded in the QC table with the
reason; the others go on. :func:`run_cohort` runs the partitions on ``dask.distributed`` (a
``LocalCluster`` of ``workers`` processes, or the cluster at ``scheduler``), or in this process
with ``workers=0``, and :func:`collate` joins the partitions' tables.
"""

from __future__ import annotations

import json
import math
import os
import time
import traceback
from bisect import bisect_left, bisect_right
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
from stridewise.series import weekly_summary
from stridewise.series.daily import daily_series_many
from stridewise.series.sessions import local_times

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


def _telling(checkins: pd.DataFrame) -> pd.Series:
    """Check-ins that can change the pain decision: a pain score, a fall or a clearance."""
    return (checkins["pain_score"].notna() | checkins["fell"].eq(True)
            | checkins["doctor_cleared"].eq(True))


def _check_rows(checkins: pd.DataFrame) -> list[SimpleNamespace]:
    """Check-in rows as :mod:`stridewise.monitor` reads them (attributes, None if missing;
    times as Python datetimes, as the store gives them)."""
    columns = {}
    for name in checkins.columns:
        column = checkins[name]
        columns[str(name)] = (list(pd.DatetimeIndex(column).to_pydatetime())
                              if isinstance(column.dtype, pd.DatetimeTZDtype) else column.tolist())
    return [SimpleNamespace(**{k: _value(v) for k, v in zip(columns, values, strict=True)})
            for values in zip(*columns.values(), strict=True)]


def pain_stop_days(checkins: pd.DataFrame, screened: list[datetime], zone: str) -> list[date]:
    """Local days on which a pain stop began (see the module docstring)."""
    return _pain_stops(_check_rows(checkins[_telling(checkins)]), screened, zone)


def _pain_stops(rows: list[SimpleNamespace], screened: list[datetime],
                zone: str) -> list[date]:
    """:func:`pain_stop_days` of a participant's telling check-ins (:func:`_telling`),
    oldest first, as :func:`_check_rows` gives them."""
    z = ZoneInfo(zone)
    dated = []  # (at_utc, check) for each row that is a pain report
    for row in rows:
        found = _as_checks([row], z)
        if found:
            dated.append((row.at_utc, found[0]))
    # In time order (stable: as given when they already are), so that "reported before the
    # end of the day" and "after the anchor" are ranges found by bisection; the pain rules
    # do not depend on the order of the checks they get.
    dated.sort(key=lambda pair: pair[0])
    times = [t for t, _ in dated]
    resets = sorted([*screened, *(r.at_utc for r in rows if r.doctor_cleared)])
    onsets: list[date] = []
    previous: tuple[bool, datetime | None] = (False, None)
    for day in sorted({check.day for _, check in dated}):
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=z)
        before_end = bisect_left(times, end)  # dated[:before_end]: t < end
        past = bisect_left(resets, end)
        anchor = resets[past - 1] if past else None
        window_start = day - timedelta(days=2 * RECENT_DAYS)
        checks = [c for _, c in dated[:before_end] if window_start <= c.day <= day]
        since = 0 if anchor is None else bisect_right(times, anchor, hi=before_end)
        flags = [c for _, c in dated[since:before_end]]
        stop = evaluate_pain(checks, day, red_flag_history=flags).action is PainAction.STOP
        if stop and (not previous[0] or previous[1] != anchor):
            onsets.append(day)
        previous = (stop, anchor)
    return onsets


def _runs_table(pids: np.ndarray, daily: pd.DataFrame, athlete: np.ndarray,
                n_days: np.ndarray, stops: np.ndarray, window_d: int) -> pd.DataFrame:
    """One row per run day of every participant: spike ratio and band, the at-risk interval
    (to the participant's next run, ``window_d`` days or their last day) and whether a pain
    stop began in it. ``athlete``/``n_days``: each daily row's participant and each
    participant's days; ``stops``: the daily rows on which a stop began."""
    run_row = np.flatnonzero(daily["run_distance_m"].to_numpy(dtype=float) > 0)
    starts = np.cumsum(n_days) - n_days  # each participant's first row
    who = athlete[run_row]
    day = run_row - starts[who]
    last = n_days[who] - 1
    never = np.int64(2) ** 62
    same = np.append(who[1:] == who[:-1], False)
    following = np.where(same, np.append(day[1:], never), never)
    end = np.minimum(np.minimum(following, day + window_d), last)
    # A participant's first stop after each run (stops are rows, so in participant order).
    stop_rows = np.append(np.sort(stops), never)
    next_stop = stop_rows[np.searchsorted(stop_rows, run_row, side="right")]
    stop_who = athlete[np.minimum(next_stop, len(athlete) - 1)]
    first_stop = np.where((next_stop < never) & (stop_who == who),
                          next_stop - starts[np.minimum(stop_who, len(starts) - 1)], never)
    event = first_stop <= end
    ratio = daily["spike_ratio"].to_numpy(dtype=float)[run_row]
    return pd.DataFrame({
        "pid": pids[who], "date": daily["date"].to_numpy()[run_row], "spike_ratio": ratio,
        "band": spike_band(ratio), "duration_d": np.where(event, first_stop, end) - day,
        "event": event, "stop_within_30d": first_stop <= day + window_d,
    })


def _age_band(birth_year_band: Any, first: date) -> str:
    year = ds.band_birth_year(birth_year_band)
    if year is None:
        return "unknown"
    age = first.year - year
    low = age // 10 * 10
    return f"{low}-{low + 9}"


def _numbered(frame: pd.DataFrame, index: dict[str, int]) -> pd.DataFrame:
    """``frame``'s rows of the given participants, with ``athlete`` (their index)."""
    athlete = frame["pid"].map(index)
    mine = athlete.notna().to_numpy()
    return frame[mine].assign(athlete=athlete[mine].to_numpy(dtype=np.int64))


def partition_job(people: pd.DataFrame, tables: dict[str, pd.DataFrame],
                  settings: RunSettings) -> dict[str, pd.DataFrame]:
    """Every output table of the participants ``people`` (rows of the participants table),
    from their rows of the other ``tables``, all at once: the daily series by
    :func:`stridewise.series.daily.daily_series_many` (each participant's bit for bit as
    ``daily_series`` gives it), weeks by ``weekly_summary`` per participant, pain stops by
    :func:`pain_stop_days` for each participant with a pain report, and the rest as arrays."""
    pids = people["pid"].astype(str).to_numpy(dtype=object)
    index = {pid: i for i, pid in enumerate(pids)}
    own = {name: _numbered(tables[name], index) for name in ds.TABLES if name != "participants"}
    rows: list[Any] = list(people.itertuples(index=False))
    profiles = [ds.profile_of_row(row, i) for i, row in enumerate(rows)]
    through = [pd.Timestamp(row.through).date() for row in rows]
    measures = own["measures"].drop(columns=["pid"])
    measures["date"] = measures["date"].to_numpy(dtype=object)
    series, n_days = daily_series_many(profiles, through, own["activities"], own["manual"],
                                       own["checkins"], measures)
    athlete = series["athlete"].to_numpy(dtype=np.int64)
    starts = np.cumsum(n_days) - n_days  # each participant's first row
    day = np.arange(len(series), dtype=np.int64) - starts[athlete]
    dates = series["date"].to_numpy()
    first = [dates[i] for i in starts]

    # Pain stops: the safety rules' replay, for each participant with a pain report or a
    # fall (only check-ins with a pain score, a fall or a clearance can change it).
    checkins = own["checkins"]
    screenings = own["screenings"]
    screened_by: dict[int, list[datetime]] = {}
    for who, taken in zip(screenings["athlete"].tolist(), screenings["taken_at_utc"],
                          strict=True):
        screened_by.setdefault(int(who), []).append(taken.to_pydatetime())
    screened_by = {who: sorted(times) for who, times in screened_by.items()}
    telling = checkins[_telling(checkins)]
    reporting = set(checkins.loc[checkins["pain_score"].notna() | checkins["fell"].eq(True),
                                 "athlete"].tolist())
    rows_of: dict[int, list[SimpleNamespace]] = {}
    fields = ["athlete", *(c for c in ds.SCHEMAS["checkins"].names if c != "pid")]
    for row in _check_rows(telling[fields]):
        rows_of.setdefault(int(row.athlete), []).append(row)
    stops: list[int] = []
    for w, mine in sorted(rows_of.items()):
        if w not in reporting:
            continue
        for stop in _pain_stops(mine, screened_by.get(w, []), profiles[w].time_zone):
            offset = (stop - first[w]).days
            if 0 <= offset < n_days[w]:
                stops.append(int(starts[w] + offset))
    stop_rows = np.asarray(sorted(stops), dtype=np.int64)

    daily = series.drop(columns=["measures_source", "athlete"])
    daily.insert(0, "day", day)
    daily.insert(0, "pid", pids[athlete])
    pain_stop = np.zeros(len(daily), dtype=bool)
    pain_stop[stop_rows] = True
    daily["pain_stop"] = pain_stop

    # Days with data: a session, a check-in or a device measure that day.
    checked = np.zeros(len(daily), dtype=bool)
    if len(checkins):
        c_athlete = checkins["athlete"].to_numpy(dtype=np.int64)
        local = local_times(checkins["at_utc"], None,
                            np.asarray([p.time_zone for p in profiles], dtype=object)[c_athlete])
        c_day = (local.to_numpy(dtype="datetime64[D]")
                 - np.asarray(first, dtype="datetime64[D]")[c_athlete]).astype(np.int64)
        inside = (c_day >= 0) & (c_day < n_days[c_athlete])
        checked[starts[c_athlete[inside]] + c_day[inside]] = True
    with_data = ((series["sessions"].to_numpy() > 0) | checked
                 | series["steps"].notna().to_numpy())
    weekly = weekly_summary(series, by="athlete")
    # Each day's week, counted from each participant's first week.
    first_weekday = np.asarray([d.weekday() for d in first], dtype=np.int64)
    week_no = (day + first_weekday[athlete]) // 7
    weeks_of = np.bincount(weekly["athlete"].to_numpy(), minlength=len(pids))
    week_start = np.cumsum(weeks_of) - weeks_of
    data_days = np.bincount(week_start[athlete] + week_no, weights=with_data,
                            minlength=len(weekly))
    weekly["data_days"] = data_days
    weekly["valid"] = ((weekly["days"] == 7)
                       & (weekly["data_days"] >= settings.valid_week_min_days))
    weekly["week_index"] = np.arange(len(weekly)) - week_start[weekly["athlete"].to_numpy()]
    weekly["meets_who"] = weekly["who_equivalent_min"] >= settings.who_weekly_target_min
    week_athlete = weekly.pop("athlete").to_numpy()
    weekly.insert(0, "pid", pids[week_athlete])

    runs = _runs_table(pids, series, athlete, n_days, stop_rows, settings.stop_window_d)
    valid = weekly[weekly["valid"]]
    valid_of = pd.Series(week_athlete).loc[valid.index]
    by_valid = valid.groupby(valid_of.to_numpy())
    n = len(pids)

    def per_person(values: pd.Series) -> np.ndarray:
        return values.reindex(range(n)).to_numpy(dtype=np.float64)

    last_screening = (screenings.sort_values("taken_at_utc", kind="stable")
                      .drop_duplicates("athlete", keep="last")
                      .set_index("athlete")["impact_level"])
    run_count = np.bincount(np.searchsorted(starts, np.flatnonzero(
        series["run_distance_m"].to_numpy(dtype=float) > 0), side="right") - 1, minlength=n)
    sessions_sum = np.add.reduceat(series["sessions"].to_numpy(), starts)
    run_distance = series.groupby("athlete")["run_distance_m"].sum()
    valid_weeks = np.bincount(valid_of.to_numpy(), minlength=n)
    summary = pd.DataFrame({
        "pid": pids, "group": [_value(r.group) or "" for r in rows],
        "sex": [_value(r.sex) or "unknown" for r in rows],
        "age_band": [_age_band(r.birth_year_band, f) for r, f in zip(rows, first, strict=True)],
        "first": first, "through": through, "days": n_days, "sessions": sessions_sum,
        "runs": run_count, "run_distance_m": per_person(run_distance),
        "valid_weeks": valid_weeks,
        "weekly_who_min": per_person(by_valid["who_equivalent_min"].mean()),
        "share_weeks_meeting_who": per_person(by_valid["meets_who"].mean()),
        "weekly_bone_stimulus": per_person(by_valid["bone_stimulus"].mean()),
        "impact_level": [str(last_screening[i]) if i in last_screening.index
                         else "not screened" for i in range(n)],
        "pain_stops": np.bincount(athlete[stop_rows], minlength=n),
    })
    summary["meets_who"] = summary["weekly_who_min"] >= settings.who_weekly_target_min
    qc = pd.DataFrame({"pid": pids, "status": "ok", "reason": "", "days": n_days,
                       "days_with_data": np.bincount(athlete, weights=with_data,
                                                     minlength=n).astype(np.int64),
                       "weeks": weeks_of, "valid_weeks": valid_weeks})
    return {"daily": daily, "weekly": weekly, "runs": runs, "participants": summary, "qc": qc}


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
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        tables = {name: ds.read_table(root, name, part) for name in ds.TABLES}
    except Exception as exc:  # an unreadable partition is reported, and retried next run
        return {"part": part, "status": "failed", "reason": f"{type(exc).__name__}: {exc}"}
    results: dict[str, list[pd.DataFrame]] = {name: [] for name in OUTPUTS}
    people = tables["participants"]
    try:
        produced = partition_job(people, tables, settings)
        for name in OUTPUTS:
            results[name].append(produced[name])
    except Exception:  # someone's data breaks the batch: each participant on their own
        for index in range(len(people)):
            one = people.iloc[index:index + 1]
            try:
                produced = partition_job(one, tables, settings)
            except Exception as exc:  # one participant's failure is recorded; the run goes on
                where = traceback.extract_tb(exc.__traceback__)[-1]
                results["qc"].append(pd.DataFrame([{
                    "pid": str(one["pid"].iloc[0]), "status": "failed",
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
            "seconds": round(time.perf_counter() - started, 3),
            "cpu_seconds": round(time.process_time() - cpu_started, 3)}
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
