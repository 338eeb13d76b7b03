"""GPX/TCX reading speed: stridewise's readers vs gpxpy and tcxreader, same files, same run.

Corpus: the real sample files (Garmin Connect, Runkeeper-style, MapMyRide exports and
tcxreader's and python-tcxparser's own test files), gpxpy's own test files (downloaded from
its sdist at bench time, checksum-pinned, into build/bench-cache: Apache-2.0, not committed),
the 10 h synthetic files, and generated Strava-like GPX (numeric ``<type>``, bare
``<power>``, TrackPointExtension), phone-like GPX (GPX 1.0, 2 s, local-offset times with
milliseconds, course/speed/sat/hdop) and a long multi-lap TCX (4 h, 1 km laps, lap-boundary
repeats). Points per second, best of a few repeats, CPU time. Ours builds a full
:class:`Activity` (sanitising and summary included); the peers only parse. The *path*
column says whether stridewise's regex fast path or its lxml path read the file.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
CACHE = Path(os.environ.get("STRIDEWISE_BENCH_CACHE", ROOT / "build" / "bench-cache"))
GPX_FILES = ("run_fr945_14k_6782987395.gpx", "ride_4078723797_garmin_3MB.gpx",
             "run_runpandas_session.gpx", "gpxpy_korita-zbevnica.gpx", "synthetic_10h_1hz.gpx")
TCX_FILES = ("run_fr945_14k_6782987395.tcx", "ride_mapmyride.tcx", "run_runpandas_sample.tcx",
             "xc_ski_tcxreader.tcx", "sup_tcxreader.tcx", "tcxparser_test.tcx",
             "edge_no_hr.tcx", "synthetic_10h_1hz.tcx")
GPXPY_SDIST = ("gpxpy", "1.6.2",
               "a72c484b97ec42b80834353b029cc8ee1b79f0ffca1179b2210bb3baf26c01ae")
GPXPY_FILES = ("Mojstrovka.gpx", "cerknicko-jezero.gpx", "cerknicko-jezero-no-creator.gpx",
               "cerknicko-jezero-with-elevations-zero.gpx", "track-with-extremes.gpx",
               "first_and_last_elevation.gpx")


def gpxpy_test_files() -> list[Path]:
    """gpxpy's test files from its sdist (pip download, sha256 checked), cached."""
    name, version, sha = GPXPY_SDIST
    folder = CACHE / f"{name}-{version}" / "test_files"
    if not folder.is_dir():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", ":all:", f"{name}=={version}", "-d", str(CACHE)],
                       check=True, capture_output=True)
        sdist = CACHE / f"{name}-{version}.tar.gz"
        if hashlib.sha256(sdist.read_bytes()).hexdigest() != sha:
            raise RuntimeError(f"{sdist.name} does not have the pinned sha256")
        with tarfile.open(sdist) as tar:
            members = [m for m in tar.getmembers() if "/test_files/" in m.name]
            tar.extractall(CACHE, members=members, filter="data")
    return [folder / f for f in GPXPY_FILES if (folder / f).is_file()]


def _run(n: int, step_s: float, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = 1_714_543_200.0 + np.arange(n) * step_s
    return {"t": t, "lat": 47.0 + np.cumsum(rng.normal(2e-5, 1e-5, n)),
            "lon": 8.0 + np.cumsum(rng.normal(2e-5, 1e-5, n)),
            "ele": 400.0 + np.cumsum(rng.normal(0, 0.3, n)),
            "hr": rng.integers(110, 175, n), "cad": rng.integers(80, 92, n),
            "power": rng.integers(180, 320, n), "speed": 3.0 + rng.normal(0, 0.3, n)}


def _iso(t: float, offset_h: int = 0, ms: bool = False) -> str:
    stamp = np.datetime64(int((t + offset_h * 3600) * 1000), "ms")
    text = str(stamp) if ms else str(stamp)[:19]
    return text + (f"+{offset_h:02d}:00" if offset_h else "Z")


def strava_gpx(n: int = 7200) -> bytes:
    r = _run(n, 1.0, 11)
    points = "".join(
        f'\n   <trkpt lat="{r["lat"][i]:.7f}" lon="{r["lon"][i]:.7f}">\n    '
        f'<ele>{r["ele"][i]:.1f}</ele>\n    <time>{_iso(r["t"][i])}</time>\n    <extensions>\n'
        f'     <power>{r["power"][i]}</power>\n     <gpxtpx:TrackPointExtension>\n'
        f'      <gpxtpx:atemp>21</gpxtpx:atemp>\n      <gpxtpx:hr>{r["hr"][i]}</gpxtpx:hr>\n'
        f'      <gpxtpx:cad>{r["cad"][i]}</gpxtpx:cad>\n     </gpxtpx:TrackPointExtension>\n'
        "    </extensions>\n   </trkpt>" for i in range(n))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx creator="StravaGPX" version="1.1" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f' <metadata>\n  <time>{_iso(r["t"][0])}</time>\n </metadata>\n <trk>\n'
        "  <name>Morning Run</name>\n  <type>9</type>\n  <trkseg>"
        + points + "\n  </trkseg>\n </trk>\n</gpx>\n").encode()


def phone_gpx(n: int = 2700) -> bytes:
    r = _run(n, 2.0, 12)
    points = "".join(
        f'<trkpt lat="{r["lat"][i]:.6f}" lon="{r["lon"][i]:.6f}"><ele>{r["ele"][i]:.3f}</ele>'
        f'<time>{_iso(r["t"][i], 2, ms=True)}</time><course>{i % 360}.0</course>'
        f'<speed>{r["speed"][i]:.2f}</speed><sat>{7 + i % 5}</sat><hdop>1.{i % 9}</hdop>'
        "</trkpt>\n" for i in range(n))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>\n'
            '<gpx version="1.0" creator="GPSLogger 131 - http://gpslogger.mendhak.com/" '
            'xmlns="http://www.topografix.com/GPX/1/0">\n'
            f'<time>{_iso(r["t"][0])}</time><trk><trkseg>\n' + points
            + "</trkseg></trk></gpx>\n").encode()


def multilap_tcx(n: int = 14400, lap_m: float = 1000.0) -> bytes:
    r = _run(n, 1.0, 13)
    distance = np.cumsum(r["speed"])
    lap_of = (distance // lap_m).astype(int)
    laps = []
    for lap in range(int(lap_of[-1]) + 1):
        idx = np.flatnonzero(lap_of == lap)
        if lap > 0:
            idx = np.concatenate([[idx[0] - 1], idx])  # Garmin repeats the boundary point
        points = "".join(
            f"\n          <Trackpoint>\n            <Time>{_iso(r['t'][i], ms=True)}</Time>\n"
            f"            <Position>\n              <LatitudeDegrees>{r['lat'][i]:.12f}"
            f"</LatitudeDegrees>\n              <LongitudeDegrees>{r['lon'][i]:.12f}"
            f"</LongitudeDegrees>\n            </Position>\n"
            f"            <AltitudeMeters>{r['ele'][i]:.3f}</AltitudeMeters>\n"
            f"            <DistanceMeters>{distance[i]:.2f}</DistanceMeters>\n"
            f"            <HeartRateBpm>\n              <Value>{r['hr'][i]}</Value>\n"
            "            </HeartRateBpm>\n            <Extensions>\n              <ns3:TPX>\n"
            f"                <ns3:Speed>{r['speed'][i]:.3f}</ns3:Speed>\n"
            f"                <ns3:RunCadence>{r['cad'][i]}</ns3:RunCadence>\n"
            "              </ns3:TPX>\n            </Extensions>\n          </Trackpoint>"
            for i in idx)
        start = r["t"][idx[0]]
        laps.append(
            f'\n      <Lap StartTime="{_iso(start, ms=True)}">\n'
            f"        <TotalTimeSeconds>{r['t'][idx[-1]] - start:.1f}</TotalTimeSeconds>\n"
            f"        <DistanceMeters>{lap_m:.1f}</DistanceMeters>\n"
            "        <Intensity>Active</Intensity>\n        <TriggerMethod>Distance"
            f"</TriggerMethod>\n        <Track>{points}\n        </Track>\n      </Lap>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
            'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
            'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">\n'
            '  <Activities>\n    <Activity Sport="Running">\n'
            f"      <Id>{_iso(r['t'][0], ms=True)}</Id>" + "".join(laps)
            + "\n    </Activity>\n  </Activities>\n</TrainingCenterDatabase>\n").encode()


def generated_files() -> dict[str, tuple[str, bytes]]:
    return {"strava_like_2h.gpx (generated)": ("gpx", strava_gpx()),
            "phone_like_1h30_2s.gpx (generated)": ("gpx", phone_gpx()),
            "multilap_4h_1km_laps.tcx (generated)": ("tcx", multilap_tcx())}


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


def _fast_path(kind: str, path: Path) -> str:
    from stridewise.ingest import xmlfast

    probe = xmlfast.read_gpx if kind == "GPX" else xmlfast.read_tcx
    return "regex" if probe(path.read_bytes()) is not None else "lxml"


def _table(kind: str, files: list[tuple[str, Path]], ours: str, peer: str) -> list[str]:
    lines = [f"| {kind} file | points | path | {ours} (ms) | {peer} (ms) | speed-up |",
             "|---|---|---|---|---|---|"]
    totals = {ours: 0.0, peer: 0.0}
    total_points = 0
    refused = []
    by_class: dict[str, list[float]] = {}
    for label, path in files:
        repeats = 2 if path.stat().st_size > 5_000_000 else 5
        try:
            ours_s, points = _cpu_seconds(PARSERS[ours], path, repeats)
        except Exception as exc:  # ours refuses (a route, no timestamps): listed, not timed
            refused.append(f"{label} (stridewise: {type(exc).__name__})")
            continue
        try:
            peer_s, peer_points = _cpu_seconds(PARSERS[peer], path, repeats)
        except Exception as exc:
            refused.append(f"{label} ({peer}: {type(exc).__name__})")
            continue
        totals[ours] += ours_s
        totals[peer] += peer_s
        total_points += points
        cls = by_class.setdefault(_file_class(label), [0.0, 0.0])
        cls[0] += ours_s
        cls[1] += peer_s
        note = "" if peer_points == points else f" ({peer}: {peer_points} pts)"
        lines.append(f"| {label}{note} | {points} | {_fast_path(kind, path)} | "
                     f"{ours_s * 1000:.1f} | {peer_s * 1000:.1f} | {peer_s / ours_s:.1f}× |")
    lines.append(f"| **points/s** | {total_points} | | "
                 f"**{total_points / totals[ours]:,.0f}** | "
                 f"{total_points / totals[peer]:,.0f} | "
                 f"**{totals[peer] / totals[ours]:.1f}×** |")
    lines.append("")
    lines += [f"- {kind}, {cls}: stridewise is **{p / o:.1f}×** {peer} (total CPU time)"
              for cls, (o, p) in sorted(by_class.items())]
    if refused:
        lines += ["", f"Not timed ({kind}): " + "; ".join(refused) + "."]
    return lines


def _file_class(label: str) -> str:
    if "(generated)" in label or label.startswith("synthetic"):
        return "generated files"
    if any(k in label for k in ("gpxpy", "tcxreader", "tcxparser", "no_hr")):
        return "the peers' own test files"
    return "real exports"


def _corpus() -> tuple[list[tuple[str, Path]], list[tuple[str, Path]]]:
    gpx_files = [(name, SAMPLES / "gpx" / name) for name in GPX_FILES]
    tcx_files = [(name, SAMPLES / "tcx" / name) for name in TCX_FILES]
    try:
        gpx_files += [(f"gpxpy/{p.name} (gpxpy test file)", p) for p in gpxpy_test_files()]
    except (OSError, subprocess.CalledProcessError, RuntimeError) as exc:
        print(f"gpxpy test files unavailable: {exc}", file=sys.stderr)
    folder = CACHE / "generated"
    folder.mkdir(parents=True, exist_ok=True)
    for label, (kind, data) in generated_files().items():
        path = folder / label.split(" ")[0]
        path.write_bytes(data)
        (gpx_files if kind == "gpx" else tcx_files).append((label, path))
    return gpx_files, tcx_files


def run() -> str:
    if not SAMPLES.is_dir():
        return "## XML readers\n\nSkipped: ../shared/samples is not present."
    gpx_files, tcx_files = _corpus()
    lines = ["## XML readers (GPX, TCX)", "",
             "CPU milliseconds, best of 2-5 repeats; ours builds a sanitised Activity with its "
             "summary, the peers only parse. Corpus: the real samples, gpxpy's own test files "
             "(from its sdist), the 10 h synthetic files and generated Strava-like, phone-like "
             "and long multi-lap files (bench/bench_xml.py). *path*: stridewise's regex fast "
             "path or its lxml path.", ""]
    lines += [*_table("GPX", gpx_files, "stridewise gpx", "gpxpy"), ""]
    lines += [*_table("TCX", tcx_files, "stridewise tcx", "tcxreader"), ""]
    lines += ["Peak RSS of a fresh process reading the 10 h file (Python start-up and imports "
              "included):", "", "| parser | 10 h GPX (MB) | 10 h TCX (MB) |", "|---|---|---|"]
    for ours, peer, ext in (("stridewise gpx", "gpxpy", "gpx"),
                            ("stridewise tcx", "tcxreader", "tcx")):
        for parser in (ours, peer):
            rss = _peak_rss_mb(parser, SAMPLES / ext / f"synthetic_10h_1hz.{ext}")
            cells = f"{rss:.0f} | —" if ext == "gpx" else f"— | {rss:.0f}"
            lines.append(f"| {parser} | {cells} |")
    return "\n".join(lines)
