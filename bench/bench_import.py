"""Batch import, end to end: 1,000 one-hour 1 Hz running FIT files into a fresh SQLite store.

Files are written by the project's FIT encoder (stridewise.fit.encode) from a generated run:
a wandering GPS track at a varying pace, heart rate drifting up, cadence and rolling terrain.
The import is timed as the CLI runs it (walk folder, hash, decode, store raw file + activity +
stream + log row in one transaction per file), inline and with decode workers, then once more
stage by stage in one process to show where the time goes. Target: under 60 s on 2 cores.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from stridewise.activity import Activity

N_FILES = int(os.environ.get("BENCH_IMPORT_FILES", "1000"))
SECONDS = 3600


def generate_run(rng: np.random.Generator, start: datetime) -> dict[str, np.ndarray]:
    t = np.arange(SECONDS, dtype=np.float64)
    pace_wave = 0.25 * np.sin(t / rng.uniform(300, 900)) + rng.normal(0, 0.05, SECONDS)
    speed = np.clip(rng.uniform(2.6, 3.4) + pace_wave, 1.5, 5.0)
    distance = np.concatenate([[0.0], np.cumsum(speed[1:])])
    heading = np.cumsum(rng.normal(0, 0.02, SECONDS)) + rng.uniform(0, 2 * np.pi)
    lat0, lon0 = 48.85 + rng.uniform(-0.1, 0.1), 2.35 + rng.uniform(-0.1, 0.1)
    north = np.cumsum(speed * np.cos(heading))
    east = np.cumsum(speed * np.sin(heading))
    lat = lat0 + north / 111_195.0
    lon = lon0 + east / (111_195.0 * np.cos(np.radians(lat0)))
    hr = 120 + 35 * (1 - np.exp(-t / 600)) + 0.004 * t + rng.normal(0, 1.5, SECONDS)
    return {
        "time_s": start.timestamp() + t,
        "lat_deg": lat,
        "lon_deg": lon,
        "distance_m": distance,
        "speed_mps": speed,
        "altitude_m": 60 + 15 * np.sin(distance / 800.0) + rng.normal(0, 0.3, SECONDS),
        "heart_rate_bpm": np.round(hr),
        "cadence_spm": np.round(168 + 6 * np.sin(t / 200) + rng.normal(0, 1.5, SECONDS)),
    }


def write_files(folder: Path, n: int) -> tuple[float, int]:
    from stridewise.fit.encode import encode_activity

    rng = np.random.default_rng(42)
    first = datetime(2022, 1, 1, 7, 0, tzinfo=UTC)
    total = 0
    t0 = time.perf_counter()
    for i in range(n):
        data = encode_activity(generate_run(rng, first + timedelta(days=i)), sport="run",
                               utc_offset_s=3600)
        (folder / f"run_{i:04d}.fit").write_bytes(data)
        total += len(data)
    return time.perf_counter() - t0, total


def timed_import(folder: Path, db_dir: Path, workers: int | None) -> tuple[float, int, int]:
    from stridewise.importer import import_paths
    from stridewise.store import open_store

    t0 = time.perf_counter()
    store = open_store(f"sqlite:///{db_dir / 'bench.db'}")
    report = import_paths(store, [folder], athlete_id=store.default_athlete_id(), workers=workers)
    wall = time.perf_counter() - t0
    store.close()
    if report.failed:
        raise RuntimeError(f"{len(report.failed)} files failed: {report.failed[0].reason}")
    return wall, len(report.imported), (db_dir / "bench.db").stat().st_size


def staged(folder: Path, db_dir: Path) -> dict[str, float]:
    """The same work as the importer, one stage at a time, in this process."""
    from stridewise.ingest import read_bytes
    from stridewise.store import open_store, sha256_hex
    from stridewise.store.streams import encode_records

    stages = dict.fromkeys(
        ("read file", "sha256", "decode FIT", "raw file copy", "encode stream",
         "database (rows + commit)"), 0.0)
    store = open_store(f"sqlite:///{db_dir / 'staged.db'}")
    athlete_id = store.default_athlete_id()
    for path in sorted(folder.glob("*.fit")):
        t0 = time.perf_counter()
        data = path.read_bytes()
        t1 = time.perf_counter()
        digest = sha256_hex(data)
        t2 = time.perf_counter()
        (activity,) = read_bytes(data, source_name=path.name)
        t3 = time.perf_counter()
        assert isinstance(activity, Activity)
        store.raw.put(data, digest)
        t4 = time.perf_counter()
        encode_records(activity.records)  # measured alone; add_activity encodes again below
        t5 = time.perf_counter()
        with store.transaction() as tx:
            row = tx.add_activity(athlete_id, activity, source_sha256=digest)
            tx.add_import_log(athlete_id, source_name=path.name, status="imported",
                              sha256=digest, activity_id=row.id)
        t6 = time.perf_counter()
        for key, dt in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5),
                           strict=True):
            stages[key] += dt
    stages["database (rows + commit)"] -= stages["encode stream"]
    store.close()
    return stages


def stream_sizes(folder: Path) -> tuple[int, int, int]:
    """Bytes for 20 activities: raw FIT, Arrow IPC + zstd (stored), npz (deflate)."""
    from stridewise.ingest import read_bytes
    from stridewise.store.streams import encode_records

    fit_b = arrow_b = npz_b = 0
    for path in sorted(folder.glob("*.fit"))[:20]:
        data = path.read_bytes()
        (activity,) = read_bytes(data, source_name=path.name)
        assert isinstance(activity, Activity)
        buf = io.BytesIO()
        np.savez_compressed(buf, **activity.records)  # type: ignore[arg-type]
        fit_b += len(data)
        arrow_b += len(encode_records(activity.records))
        npz_b += len(buf.getvalue())
    return fit_b, arrow_b, npz_b


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "fit"
        folder.mkdir()
        gen_s, fit_bytes = write_files(folder, N_FILES)
        results = {}
        for label, workers in (("inline (1 process)", 1), ("2 decode workers", 2),
                               ("automatic", None)):
            db_dir = root / f"db-{workers}"
            db_dir.mkdir()
            results[label] = timed_import(folder, db_dir, workers)
        stage_dir = root / "staged"
        stage_dir.mkdir()
        stages = staged(folder, stage_dir)
        fit_b, arrow_b, npz_b = stream_sizes(folder)

    mb = 1024 * 1024
    lines = [
        "## Batch import (bench_import)",
        "",
        f"{N_FILES} one-hour 1 Hz running FIT files ({fit_bytes / mb:.0f} MB, written in "
        f"{gen_s:.1f} s by stridewise.fit.encode), imported end to end into a fresh SQLite "
        f"(WAL) store on {os.cpu_count()} cores. Target: under 60 s.",
        "",
        "| mode | wall s | files/s | database MB |",
        "|---|---|---|---|",
    ]
    for label, (wall, n, db_size) in results.items():
        lines.append(f"| {label} | {wall:.1f} | {n / wall:.0f} | {db_size / mb:.0f} |")
    total = sum(stages.values())
    lines += ["", "Stages, one process (sum of per-file times):", "",
              "| stage | s | share |", "|---|---|---|"]
    lines += [f"| {k} | {v:.1f} | {v / total:.0%} |" for k, v in stages.items()]
    lines += [
        "",
        f"Stream storage for 20 activities: raw FIT {fit_b / 1024:.0f} KiB, Arrow IPC + zstd "
        f"(stored) {arrow_b / 1024:.0f} KiB ({arrow_b / fit_b:.2f}× FIT), npz (deflate) "
        f"{npz_b / 1024:.0f} KiB ({npz_b / fit_b:.2f}× FIT); both lossless float64.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
