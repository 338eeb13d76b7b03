"""GPX/TCX reading speed: stridewise's lxml readers vs gpxpy and tcxreader, same files, same run.

Points per second over real sample files plus the 10 h synthetic ones (36 000 points each),
best of a few repeats, CPU time. Peak RSS of a fresh process reading the 10 h file, per
parser. Ours builds a full :class:`Activity` (sanitising and summary included); the peers
only parse, so the ratio understates our parser's own speed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
GPX_FILES = ("run_fr945_14k_6782987395.gpx", "ride_4078723797_garmin_3MB.gpx",
             "run_runpandas_session.gpx", "gpxpy_korita-zbevnica.gpx", "synthetic_10h_1hz.gpx")
TCX_FILES = ("run_fr945_14k_6782987395.tcx", "ride_mapmyride.tcx", "run_runpandas_sample.tcx",
             "xc_ski_tcxreader.tcx", "sup_tcxreader.tcx", "synthetic_10h_1hz.tcx")


def _ours_gpx(path: Path) -> int:
    from stridewise.ingest import gpx

    return sum(a.n_records for a in gpx.read(path.read_bytes(), source_name=path.name))


def _ours_tcx(path: Path) -> int:
    from stridewise.ingest import tcx

    return sum(a.n_records for a in tcx.read(path.read_bytes(), source_name=path.name))


def _gpxpy(path: Path) -> int:
    import gpxpy

    parsed = gpxpy.parse(path.read_text(encoding="utf-8"))
    return sum(len(seg.points) for trk in parsed.tracks for seg in trk.segments)


def _tcxreader(path: Path) -> int:
    from tcxreader.tcxreader import TCXReader

    # only_gps=False: the default drops points without a position (tcxreader #42).
    return len(TCXReader().read(str(path), only_gps=False).trackpoints)


PARSERS: dict[str, Callable[[Path], int]] = {
    "stridewise gpx": _ours_gpx, "gpxpy": _gpxpy,
    "stridewise tcx": _ours_tcx, "tcxreader": _tcxreader,
}


def _cpu_seconds(parse: Callable[[Path], int], path: Path, repeats: int) -> tuple[float, int]:
    best, points = float("inf"), 0
    for _ in range(repeats):
        start = time.process_time()
        points = parse(path)
        best = min(best, time.process_time() - start)
    return best, points


def _peak_rss_mb(parser: str, path: Path) -> float:
    code = (
        "import sys; sys.path.insert(0, sys.argv[3]); "
        "from bench.bench_xml import PARSERS; from pathlib import Path; "
        "PARSERS[sys.argv[1]](Path(sys.argv[2])); "
        "print(open('/proc/self/status').read())"
    )
    # VmHWM, not ru_maxrss: on Linux the latter carries the parent's peak across exec.
    out = subprocess.run([sys.executable, "-c", code, parser, str(path), str(ROOT)],
                         capture_output=True, text=True, check=True)
    peak_kb = next(line.split()[1] for line in out.stdout.splitlines()
                   if line.startswith("VmHWM:"))
    return int(peak_kb) / 1024.0


def _table(kind: str, files: tuple[str, ...], ours: str, peer: str) -> list[str]:
    lines = [f"| {kind} file | points | {ours} (s) | {peer} (s) | speed-up |",
             "|---|---|---|---|---|"]
    totals = {ours: 0.0, peer: 0.0}
    total_points = 0
    for name in files:
        path = SAMPLES / kind.lower() / name
        repeats = 2 if path.stat().st_size > 5_000_000 else 5
        ours_s, points = _cpu_seconds(PARSERS[ours], path, repeats)
        peer_s, peer_points = _cpu_seconds(PARSERS[peer], path, repeats)
        totals[ours] += ours_s
        totals[peer] += peer_s
        total_points += points
        note = "" if peer_points == points else f" ({peer}: {peer_points} pts)"
        lines.append(f"| {name}{note} | {points} | {ours_s:.3f} | {peer_s:.3f} | "
                     f"{peer_s / ours_s:.1f}× |")
    lines.append(f"| **points/s** | {total_points} | **{total_points / totals[ours]:,.0f}** | "
                 f"{total_points / totals[peer]:,.0f} | "
                 f"**{totals[peer] / totals[ours]:.1f}×** |")
    return lines


def run() -> str:
    if not SAMPLES.is_dir():
        return "## XML readers\n\nSkipped: ../shared/samples is not present."
    lines = ["## XML readers (GPX, TCX)", "",
             "CPU seconds, best of 2-5 repeats; ours builds a sanitised Activity with its "
             "summary, the peers only parse.", ""]
    lines += [*_table("GPX", GPX_FILES, "stridewise gpx", "gpxpy"), ""]
    lines += [*_table("TCX", TCX_FILES, "stridewise tcx", "tcxreader"), ""]
    lines += ["Peak RSS of a fresh process reading the 10 h file (Python start-up and imports "
              "included):", "", "| parser | 10 h GPX (MB) | 10 h TCX (MB) |", "|---|---|---|"]
    for ours, peer, ext in (("stridewise gpx", "gpxpy", "gpx"),
                            ("stridewise tcx", "tcxreader", "tcx")):
        for parser in (ours, peer):
            rss = _peak_rss_mb(parser, SAMPLES / ext / f"synthetic_10h_1hz.{ext}")
            cells = f"{rss:.0f} | —" if ext == "gpx" else f"— | {rss:.0f}"
            lines.append(f"| {parser} | {cells} |")
    return "\n".join(lines)
