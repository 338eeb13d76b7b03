"""Cohort run (issue 16): a synthetic cohort through the product's kernels, on Dask with
2 workers, with 1 worker, and in one process without Dask (the same kernels: the same
``run_partition`` called in a loop). Every run includes reading the Parquet partitions and
writing the per-participant outputs and the collated tables. Each run is its own process;
peak memory per worker is the largest ``ru_maxrss`` a computing process reported.

``STRIDEWISE_BENCH_COHORT_ATHLETES`` (default 10000) and ``STRIDEWISE_BENCH_COHORT_YEARS``
(default 3) set the size; the targets are Dask with 2 workers at most 2.5x the single-process
wall time and under 4 GiB per worker.

The synthetic dataset is not timed and is kept between runs under
``STRIDEWISE_BENCH_CACHE`` (default ``build/bench-cache``), keyed by its size, seed,
partition size, generator settings and the generator's source: a rerun reads it back.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ATHLETES = int(os.environ.get("STRIDEWISE_BENCH_COHORT_ATHLETES", "10000"))
YEARS = float(os.environ.get("STRIDEWISE_BENCH_COHORT_YEARS", "3"))
CACHE = Path(os.environ.get("STRIDEWISE_BENCH_CACHE", ROOT / "build" / "bench-cache"))
SEED = 1
PARTITION_SIZE = 250
RATIO_TARGET = 2.5
WORKER_MEMORY_TARGET_MIB = 4096


def cached_dataset(athletes: int, years: float) -> tuple[Path, float | None]:
    """The synthetic dataset of this size, generated once and kept in the cache (keyed by
    everything it depends on). Returns its folder and the seconds spent generating it now
    (None when it came from the cache)."""
    from stridewise.cohort import dataset, synth

    source = b"".join(Path(m.__file__).read_bytes() for m in (synth, dataset)
                      if m.__file__ is not None)
    key = json.dumps({"athletes": athletes, "years": years, "seed": SEED,
                      "partition_size": PARTITION_SIZE,
                      "settings": asdict(synth.SynthSettings()),
                      "source": hashlib.sha256(source).hexdigest()},
                     sort_keys=True, default=str)
    folder = CACHE / f"cohort-{athletes}x{years:g}y-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
    if (folder / "dataset.json").is_file():
        return folder, None
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=".cohort-", dir=CACHE))
    try:
        t0 = time.perf_counter()
        synth.synthesise(partial / "dataset", athletes, years, seed=SEED,
                         partition_size=PARTITION_SIZE)
        seconds = time.perf_counter() - t0
        (partial / "dataset" / "bench-key.json").write_text(key)
        os.replace(partial / "dataset", folder)  # whole, or not at all
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return folder, seconds

_RUN = """
import json, sys
from dataclasses import asdict
from pathlib import Path
from stridewise.cohort.pipeline import run_cohort
outcome = run_cohort(Path(sys.argv[1]), Path(sys.argv[2]), workers=int(sys.argv[3]))
print(json.dumps(asdict(outcome)))
"""


def _run(dataset: Path, out: Path, workers: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUN, str(dataset), str(out), str(workers)],
                          env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    if outcome["failed"]:
        raise RuntimeError(f"partitions failed: {outcome['failed']}")
    # Each partition's own seconds (read, compute, write), from its marker.
    markers = [json.loads(p.read_text()) for p in sorted((out / "_done").glob("*.json"))]
    return {"wall_s": wall, "peak_mib": float(outcome["peak_worker_rss_mib"]),
            "load": max(load_before, os.getloadavg()[0]),
            "partition_s": statistics.median(m["seconds"] for m in markers),
            "partition_cpu_s": statistics.median(m["cpu_seconds"] for m in markers)}


def run() -> str:
    from stridewise.cohort.dataset import read_info

    dataset, synth_s = cached_dataset(ATHLETES, YEARS)
    info = read_info(dataset)
    with tempfile.TemporaryDirectory(prefix="bench-cohort-") as tmp:
        root = Path(tmp)
        results = {}
        for label, workers in (("single process (no Dask)", 0), ("Dask, 1 worker", 1),
                               ("Dask, 2 workers", 2)):
            results[label] = _run(dataset, root / f"out{workers}", workers)
            print(label, results[label], flush=True)
    single = results["single process (no Dask)"]["wall_s"]
    two = results["Dask, 2 workers"]
    lines = [
        "## Cohort run (issue 16)",
        "",
        f"{ATHLETES:,} synthetic athletes x {YEARS:g} years ({info.partitions} partitions of "
        f"{PARTITION_SIZE}), each partition's participants at once through "
        "`series.daily_series_many` (the product's `daily_columns` on (athletes, days) "
        "arrays, each participant's series bit for bit their own `daily_series`), "
        "`weekly_summary` and the pain rules; Parquet read, per-participant outputs and "
        "collation included. The dataset was "
        + (f"generated in {synth_s:.1f} s (not timed)" if synth_s is not None
           else "read from the bench cache (generated once, not timed)")
        + ". The machine is shared with other jobs: wall times are what this run saw (the "
        "1-minute load average, the larger of before and after each run, was "
        + ", ".join(f"{r['load']:.1f}" for r in results.values())
        + f" on {os.cpu_count()} cores; the partitions' CPU seconds depend less on it)."
        + ("" if ATHLETES >= 10_000 else
           " Smaller than the target of 10,000 athletes x 3 years "
           "(`STRIDEWISE_BENCH_COHORT_ATHLETES=10000`): the full size was not run here."),
        "",
        "| run | wall (s) | ms per participant | vs single process | peak memory per worker "
        "(MiB) | median partition, wall / CPU (s) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, r in results.items():
        lines.append(f"| {label} | {r['wall_s']:.1f} | {1000 * r['wall_s'] / ATHLETES:.1f} | "
                     f"{r['wall_s'] / single:.2f}x | {r['peak_mib']:.0f} | "
                     f"{r['partition_s']:.2f} / {r['partition_cpu_s']:.2f} |")
    ratio = two["wall_s"] / single
    lines += [
        "",
        f"- Dask with 2 workers / single process: {ratio:.2f}x (target at most "
        f"{RATIO_TARGET}x): {'met' if ratio <= RATIO_TARGET else 'NOT met'}.",
        f"- Peak memory per worker: {two['peak_mib']:.0f} MiB (target under "
        f"{WORKER_MEMORY_TARGET_MIB} MiB): "
        f"{'met' if two['peak_mib'] < WORKER_MEMORY_TARGET_MIB else 'NOT met'}.",
        f"- 1 vs 2 workers: {results['Dask, 1 worker']['wall_s'] / two['wall_s']:.2f}x "
        "speed-up from the second worker.",
    ]
    return "\n".join(lines)
