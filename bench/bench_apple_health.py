"""Apple Health import: a generated ~1 GB ``export.xml`` into the store, against two peers.

The export is written by ``tests/phone_exports.py`` (the committed fixture's structure) with a
realistic record mix: heart rate every 5 s and active energy every minute while awake, per-minute
Watch steps and distance with the iPhone's overlapping samples, sleep, resting heart rate and
workouts with routes. Each tool runs in its own process on the same ``export.zip``; wall time
and the process's peak resident memory (``wait4``'s ``ru_maxrss``) are measured in the same run.

- **stridewise**: ``import_paths`` into a fresh SQLite store (streaming parse, per-day totals,
  workouts with routes and heart rate, one transaction); then the same export again, which
  must write 0 rows.
- **healthkit-to-sqlite** (Simon Willison): every record into SQLite.
- **apple-health-parser**: ``Parser(export.zip)`` (unzips, reads the whole tree, groups records)
  and the records of every type stridewise reads (steps, distance, heart rate, resting heart
  rate, body mass, sleep) as its models: the same work. Under a 6 GB address-space cap so that
  it cannot exhaust the machine (it holds the whole tree in memory).

The peers are installed at bench time into a throwaway virtual environment (their code is
never part of stridewise). ``STRIDEWISE_BENCH_AH_MB`` sets the export size (default 1024).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
PEERS = ("healthkit-to-sqlite", "apple-health-parser")
TARGET_MB = int(os.environ.get("STRIDEWISE_BENCH_AH_MB", "1024"))
PEER_MEMORY_CAP_BYTES = 6 * 1024**3
PEER_TIMEOUT_S = float(os.environ.get("STRIDEWISE_BENCH_AH_PEER_S", "1800"))

_OURS = """
import sys
from pathlib import Path
from typing import NamedTuple
from stridewise.core.validation import MEASURE_CHECKS
from stridewise.importer import import_paths
from stridewise.store import open_store
store = open_store("sqlite:///" + sys.argv[2])
report = import_paths(store, [Path(sys.argv[1])], athlete_id=store.default_athlete_id(),
                      checks=MEASURE_CHECKS)
print(report.files[0].status, report.files[0].reason or "", "|",
      "; ".join(report.files[0].warnings))
"""

_AHP = """
import sys
from apple_health_parser.utils.parser import Parser
parser = Parser(export_file=sys.argv[1], output_dir=sys.argv[2], overwrite=True)
# The same work as stridewise: every record type it reads, as the parser's records.
read = ["HKQuantityTypeIdentifierStepCount", "HKQuantityTypeIdentifierDistanceWalkingRunning",
        "HKQuantityTypeIdentifierHeartRate", "HKQuantityTypeIdentifierRestingHeartRate",
        "HKQuantityTypeIdentifierBodyMass", "HKCategoryTypeIdentifierSleepAnalysis"]
n = sum(len(parser.get_flag_records(flag=f).records) for f in read if f in parser.flags)
print(n, "records")
"""


def _generate(folder: Path) -> tuple[Path, Path, int]:
    sys.path.insert(0, str(ROOT / "tests"))
    from phone_exports import route_gpx, write_export  # noqa: F401

    options = {"background_hr_every_s": 5, "background_energy_every_s": 60}
    sample = folder / "sample.xml"
    with sample.open("w", encoding="utf-8") as out:
        write_export(out, date(2024, 1, 1), 4, **options)
    per_day = sample.stat().st_size / 4
    n_days = max(4, int(TARGET_MB * 1024**2 / per_day))
    sample.unlink()
    export_dir = folder / "apple_health_export"
    export_dir.mkdir()
    xml = export_dir / "export.xml"
    with xml.open("w", encoding="utf-8", buffering=8 * 1024**2) as out:
        truth = write_export(out, date(2023, 1, 1), n_days, **options)
    zipped = folder / "export.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.write(xml, "apple_health_export/export.xml")
        for name, data in truth.routes.items():
            archive.writestr(f"apple_health_export/{name}", data)
    return xml, zipped, n_days


class Measured(NamedTuple):
    wall_s: float
    cpu_s: float
    rss_mib: float
    code: int
    last_line: str
    stopped: bool


def _measured(argv: list[str], *, cap: int | None = None,
              limit_s: float = PEER_TIMEOUT_S) -> Measured:
    """Wall and CPU seconds, peak RSS of that child alone (``wait4`` on its pid), exit code
    and last output line of one process; stopped after ``limit_s`` of wall time."""

    def limit() -> None:
        if cap is not None:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    stopped = False
    with tempfile.TemporaryFile(mode="w+") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env,
                                preexec_fn=limit if cap else None)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > limit_s:
                proc.kill()
                stopped = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        lines = log.read().strip().splitlines()
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                    proc.returncode, lines[-1] if lines else "", stopped)


def _peer_python(folder: Path) -> Path | None:
    venv = folder / "peers"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True,
                       capture_output=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *PEERS], check=True,
                       capture_output=True, timeout=900)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        return None
    return venv / "bin"


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="stridewise-bench-ah-") as name:
        folder = Path(name)
        t0 = time.perf_counter()
        xml, zipped, n_days = _generate(folder)
        gen_s = time.perf_counter() - t0
        size_mb = xml.stat().st_size / 1024**2
        ours = _measured([sys.executable, "-c", _OURS, str(zipped), str(folder / "ours.db")])
        again = _measured([sys.executable, "-c", _OURS, str(zipped), str(folder / "ours.db")])
        peers: dict[str, Measured | None] = {}
        bin_dir = _peer_python(folder)
        if bin_dir is not None:
            peers["healthkit-to-sqlite"] = _measured(
                [str(bin_dir / "healthkit-to-sqlite"), "-s", str(zipped),
                 str(folder / "hk.db")], cap=PEER_MEMORY_CAP_BYTES)
            peers["apple-health-parser"] = _measured(
                [str(bin_dir / "python"), "-c", _AHP, str(zipped), str(folder / "ahp")],
                cap=PEER_MEMORY_CAP_BYTES)
    rows = [("stridewise import", ours), ("stridewise, same export again", again)]
    rows += [(k, v) for k, v in peers.items() if v is not None]
    lines = [
        "## Apple Health export (1 GB export.xml)",
        "",
        f"Generated `export.xml`: {size_mb:,.0f} MiB, {n_days} days (written in {gen_s:.0f} s),"
        " zipped; every tool reads the same `export.zip` in its own process, same run. CPU "
        "time (user + system, from `wait4`) is the fair measure on a shared machine; wall time "
        f"is shown too. Peers run under a 6 GB address-space cap and are stopped after "
        f"{PEER_TIMEOUT_S / 60:.0f} minutes.",
        "",
        "| tool | CPU time | wall time | peak RSS | result |",
        "|---|---|---|---|---|",
    ]
    for label, m in rows:
        if label.startswith("stridewise"):
            result = m.last_line.split("|")[0].strip()[:80]
        elif m.stopped:
            result = "stopped at the time limit (not finished)"
        else:
            result = "ok" if m.code == 0 else f"failed (exit {m.code}): {m.last_line[:80]}"
        mark = ">= " if m.stopped else ""
        lines.append(f"| {label} | {mark}{m.cpu_s:.1f} s | {mark}{m.wall_s:.1f} s | "
                     f"{m.rss_mib:.0f} MiB | {result} |")
    lines.append("")
    for label, m in peers.items():
        if m is None:
            continue
        if m.code == 0 or m.stopped:
            bound = "at least " if m.stopped else ""
            lines.append(f"- {label}: {bound}**{m.cpu_s / ours.cpu_s:.1f}x** stridewise's CPU "
                         f"time ({bound}{m.wall_s / ours.wall_s:.1f}x its wall time)")
        else:
            capped = " at its memory cap" if m.rss_mib > 0.9 * PEER_MEMORY_CAP_BYTES / 2**20 else ""
            lines.append(f"- {label} did not complete the file (exit {m.code}){capped} after "
                         f"{m.cpu_s:.0f} s of CPU time")
    if not peers:
        lines.append("- the peers could not be installed in this run (no package index)")
    lines.append(f"- stridewise's peak RSS: {ours.rss_mib:.0f} MiB for the whole import "
                 "(parse, per-day totals, workouts with routes, the database write)")
    lines.append(f"- re-importing the identical export took {again.wall_s / ours.wall_s:.2f}x "
                 "the first import's wall time (hashing only: nothing parsed, nothing written)")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
