"""Apple Health export layouts: a newer export (iOS 16+) parses within 1.2x an older one's time,
and a 1 GB export streams in bounded memory.

Both exports are written by ``tests/phone_exports.py`` from the same days and the same record
mix (heart rate every 5 s and active energy every minute while awake, per-minute Watch steps and
distance with the iPhone's overlapping samples, sleep, resting heart rate, workouts):

- **older** (iOS up to 15): workout distance in attributes of ``<Workout>``;
- **newer** (iOS 16+): workout distance in ``<WorkoutStatistics>``, also nested in a
  ``<WorkoutActivity>``, and every heart-rate record with its motion-context
  ``<MetadataEntry>`` child, so the file is larger for the same records.

Parse = :func:`stridewise.ingest.apple_health.read_export` on the ``export.xml`` (no database),
in this process, the two layouts interleaved over 3 rounds, the best CPU time of each kept
(a shared machine: CPU time, and the best of 3, are the fair measures). The target (issue 13)
is the newer layout's time <= 1.2x the older one's on the same records.

Then a generated ~1 GB ``export.xml`` in the newer layout is parsed in a fresh process, whose
peak resident memory (``wait4``'s ``ru_maxrss``) is the streaming parser's bound (the whole
import into the store, with the peers, is in ``bench_apple_health``).
``STRIDEWISE_BENCH_FORMATS_DAYS`` (default 40) and ``STRIDEWISE_BENCH_FORMATS_BIG_MB``
(default 1024; 0 skips the big file) set the sizes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAYS = int(os.environ.get("STRIDEWISE_BENCH_FORMATS_DAYS", "40"))
BIG_MB = int(os.environ.get("STRIDEWISE_BENCH_FORMATS_BIG_MB", "1024"))
TARGET_RATIO = 1.2
ROUNDS = 3
OPTIONS = {"background_hr_every_s": 5, "background_energy_every_s": 60}

_PARSE = """
import sys
from stridewise.core.validation import MEASURE_CHECKS
from stridewise.ingest.apple_health import read_export
with open(sys.argv[1], "rb") as stream:
    out = read_export(stream, source_name="export.xml", checks=MEASURE_CHECKS,
                      total_bytes=0, route=lambda path: None)
print(len(out.days), "days,", len(out.activities), "workouts")
"""


def _write(path: Path, layout: str, n_days: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from phone_exports import write_export

    with path.open("w", encoding="utf-8", buffering=8 * 1024**2) as out:
        write_export(out, date(2023, 1, 1), n_days, layout=layout, **OPTIONS)


def _parse_s(path: Path) -> tuple[float, float, int]:
    """CPU and wall seconds of one parse, and the days read."""
    from stridewise.core.validation import MEASURE_CHECKS
    from stridewise.ingest.apple_health import read_export

    cpu0, wall0 = time.process_time(), time.perf_counter()
    with path.open("rb") as stream:
        out = read_export(stream, source_name=path.name, checks=MEASURE_CHECKS,
                          route=lambda _path: None)
    return time.process_time() - cpu0, time.perf_counter() - wall0, len(out.days)


def _peak_rss(path: Path) -> tuple[float, float, str]:
    """Peak RSS (MiB) and wall seconds of a fresh process parsing ``path``, its output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _PARSE, str(path)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    output = (proc.stdout.read() if proc.stdout else "").strip().splitlines()
    return usage.ru_maxrss / 1024, wall, output[-1] if output else ""


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="stridewise-bench-formats-") as name:
        folder = Path(name)
        paths = {layout: folder / f"{layout}.xml" for layout in ("older", "newer")}
        for layout, path in paths.items():
            _write(path, layout, DAYS)
        size = {k: p.stat().st_size / 1024**2 for k, p in paths.items()}
        best: dict[str, tuple[float, float]] = {k: (float("inf"), float("inf")) for k in paths}
        days_read: dict[str, int] = {}
        for _ in range(ROUNDS):  # interleaved: a busy moment hits both layouts
            for layout, path in paths.items():
                cpu, wall, days_read[layout] = _parse_s(path)
                best[layout] = (min(best[layout][0], cpu), min(best[layout][1], wall))
        ratio = best["newer"][0] / best["older"][0]
        per_mib = (best["newer"][0] / size["newer"]) / (best["older"][0] / size["older"])
        lines = [
            "## Apple Health export layouts (older and newer)",
            "",
            f"The same {DAYS} days written in both layouts (heart rate every 5 s, energy every "
            "minute, steps, distance, sleep, workouts); `read_export` on each `export.xml`, no "
            f"database; best of {ROUNDS} interleaved rounds.",
            "",
            "| layout | export.xml | CPU time | wall time | MiB/s (CPU) | days read |",
            "|---|---|---|---|---|---|",
        ]
        for layout in paths:
            cpu, wall = best[layout]
            lines.append(f"| {layout} | {size[layout]:.0f} MiB | {cpu:.2f} s | {wall:.2f} s | "
                         f"{size[layout] / cpu:.0f} | {days_read[layout]} |")
        verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
        lines += [
            "",
            f"- newer / older CPU time on the same records: **{ratio:.2f}x** ({verdict} the "
            f"<= {TARGET_RATIO}x target); per MiB of XML: {per_mib:.2f}x (the newer file is "
            f"{size['newer'] / size['older']:.2f}x larger: one metadata element per heart-rate "
            "record)",
        ]
        if BIG_MB > 0:
            big = folder / "big.xml"
            n_days = max(4, int(BIG_MB * 1024**2 / (size["newer"] / DAYS * 1024**2)))
            t0 = time.perf_counter()
            _write(big, "newer", n_days)
            gen_s = time.perf_counter() - t0
            for path in paths.values():
                path.unlink()
            rss, wall, said = _peak_rss(big)
            lines.append(
                f"- a generated {big.stat().st_size / 1024**2:,.0f} MiB newer-layout "
                f"`export.xml` ({n_days} days, written in {gen_s:.0f} s) streamed through "
                f"`read_export` in a fresh process: **{rss:.0f} MiB** peak RSS (Python, lxml and "
                f"NumPy included), {wall:.0f} s wall ({said})")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
