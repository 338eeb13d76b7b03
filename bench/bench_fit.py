"""FIT decoding speed: stridewise's NumPy decoder against the Rust and Python FIT decoders.

Corpus: every valid FIT file under ../shared/samples/fit (Garmin, COROS, Wahoo, Bryton and
Suunto-style files, most of them the test files python-fitparse and fitdecode ship, see
SOURCES.md there; none picked for speed) plus interleaved files written by
:func:`stridewise.fit.encode.encode_interleaved_activity` (an hrv message after every record,
records switching between definitions with and without position and developer fields, events,
device_info and laps between records).

Every parser extracts every ``record`` message (timestamp, position, distance, speed, heart
rate, cadence, altitude) from the same bytes already in memory. Times are CPU-time
(``process_time``) medians after one warm-up: ours and pyroparse over 7 runs, garmin-fit-sdk
over 3 (1 on files over 1 MB), fitdecode and fitparse once. The CRC is checked by every parser
that can: ours always, garmin-fit-sdk by default, fitdecode with ``CrcCheck.RAISE``.
*stridewise* is the steady state of a process that has loaded the compiled header walk;
*Python walk* is the same decoder with the reference walk (a process that has not, yet). The
one-off cost of loading numba in a fresh process is measured separately.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from stridewise.fit.decode import decode
from stridewise.ingest.fit import read

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Path(os.environ.get("STRIDEWISE_SAMPLES", ROOT.parent / "shared" / "samples")) / "fit"
FIELDS = ("timestamp", "position_lat", "position_long", "distance", "enhanced_speed",
          "heart_rate", "cadence", "enhanced_altitude")
START_S = 1_700_000_000.0


def _run_columns(n: int, seed: int, step_s: float = 1.0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "time_s": START_S + np.arange(n) * step_s,
        "lat_deg": 47.0 + np.cumsum(rng.normal(0, 1e-5, n)),
        "lon_deg": 8.0 + np.cumsum(rng.normal(0, 1e-5, n)),
        "distance_m": np.arange(n) * 3.0 * step_s,
        "speed_mps": 3.0 + rng.normal(0, 0.2, n),
        "altitude_m": 400.0 + np.sin(np.arange(n) / 300.0) * 40.0,
        "heart_rate_bpm": rng.integers(110, 175, n).astype(np.float64),
        "cadence_spm": rng.integers(80, 92, n) * 2.0,
    }


def interleaved_files() -> dict[str, bytes]:
    """The encoder's interleaved files: a 1 h run, a 3 h run with frequent pauses and
    device_info, a 2 h 2-second-sampled run (deterministic: fixed seeds)."""
    from stridewise.fit.encode import encode_interleaved_activity

    return {
        "interleaved_run_1h (encoder)": encode_interleaved_activity(_run_columns(3600, 1),
                                                                    seed=1),
        "interleaved_run_3h_pauses (encoder)": encode_interleaved_activity(
            _run_columns(10800, 2), seed=2, pause_every_s=120, device_info_every_s=60),
        "interleaved_run_2h_2s (encoder)": encode_interleaved_activity(
            _run_columns(3600, 3, step_s=2.0), seed=3, lap_every_m=400),
    }


def corpus() -> dict[str, bytes]:
    files = {p.stem: p.read_bytes() for p in sorted(SAMPLES.glob("*.fit"))
             if not p.name.startswith("corrupt_")}
    files.update(interleaved_files())
    return files


def _ours(data: bytes) -> int:
    record = decode(data, walk="compiled").table("record")
    columns = [record.get(name) for name in FIELDS]
    return len(columns[0])


def _ours_python_walk(data: bytes) -> int:
    record = decode(data, walk="reference").table("record")
    columns = [record.get(name) for name in FIELDS]
    return len(columns[0])


def _ours_import(data: bytes) -> int:
    return sum(a.n_records for a in read(data, source_name="bench.fit"))


def _garmin(data: bytes) -> int:
    from garmin_fit_sdk import Decoder, Stream

    messages, _ = Decoder(Stream.from_byte_array(bytearray(data))).read()
    return len([[m.get(name) for name in FIELDS] for m in messages.get("record_mesgs", [])])


def _fitdecode(data: bytes) -> int:
    import fitdecode

    rows = []
    with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                rows.append([frame.get_value(n, fallback=None) for n in FIELDS])
    return len(rows)


def _fitparse(data: bytes) -> int:
    import fitparse

    rows = [
        [m.get_value(n) for n in FIELDS]
        for m in fitparse.FitFile(data).get_messages("record")
    ]
    return len(rows)


def _pyroparse(data: bytes) -> int:
    import pyroparse

    return int(pyroparse.read_fit(data, deduplicate=False).num_rows)


def _time(fn: Callable[[bytes], int], data: bytes, runs: int) -> tuple[float, int] | None:
    try:
        n = fn(data)
    except Exception:  # a peer that refuses a file (pyroparse: multisport) is reported as such
        return None
    times = []
    for _ in range(runs):
        gc.collect()
        t0 = time.process_time()
        fn(data)
        times.append(time.process_time() - t0)
    return statistics.median(times), n


def _parsers() -> dict[str, tuple[Callable[[bytes], int], int]]:
    parsers: dict[str, tuple[Callable[[bytes], int], int]] = {
        "stridewise": (_ours, 7),
        "Python walk": (_ours_python_walk, 7),
        "stridewise import": (_ours_import, 3),
    }
    try:
        import pyroparse  # noqa: F401

        parsers["pyroparse"] = (_pyroparse, 7)
    except ImportError:
        pass
    parsers.update({"garmin-fit-sdk": (_garmin, 3), "fitdecode": (_fitdecode, 1),
                    "fitparse": (_fitparse, 1)})
    return parsers


_COLD = """
import sys, time
t0 = time.perf_counter()
from stridewise.fit.decode import decode
t1 = time.perf_counter()
decode(open(sys.argv[1], "rb").read(), walk=sys.argv[2])
t2 = time.perf_counter()
print(f"{(t1 - t0) * 1000:.0f} {(t2 - t1) * 1000:.0f}")
"""


def _cold_start(path: Path) -> list[str]:
    """Fresh-process cost of the first decode: Python walk, compiled walk with numba's
    on-disk cache warm, and with an empty cache (the first run after an install)."""
    rows = []
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as empty:
        for label, mode, extra in (
            ("Python walk", "reference", {}),
            ("compiled walk, numba cache warm", "compiled", {}),
            ("compiled walk, empty numba cache (compile)", "compiled",
             {"NUMBA_CACHE_DIR": empty}),
        ):
            subprocess.run([sys.executable, "-c", _COLD, str(path), mode],
                           env={**env, **extra}, check=True, capture_output=True)
            results = []
            for _ in range(3):
                if "NUMBA_CACHE_DIR" in extra:
                    for item in Path(empty).iterdir():
                        subprocess.run(["rm", "-rf", str(item)], check=True)
                out = subprocess.run([sys.executable, "-c", _COLD, str(path), mode],
                                     env={**env, **extra}, check=True, capture_output=True,
                                     text=True).stdout.split()
                results.append((float(out[0]), float(out[1])))
            imp = statistics.median(r[0] for r in results)
            first = statistics.median(r[1] for r in results)
            rows.append(f"| {label} | {imp:.0f} | {first:.0f} |")
    return rows


def _ratio_line(label: str, ours: float, theirs: float) -> str:
    return f"{label}: **{theirs / ours:.1f}×**" if ours else f"{label}: n/a"


def run() -> str:
    from stridewise.fit import walk

    if walk.kernel() is None:
        return "## FIT decoding\n\nSkipped: numba is not installed.\n"
    files = corpus()
    if len(files) <= 3:
        return f"## FIT decoding\n\nSkipped: no sample files under {SAMPLES}.\n"
    parsers = _parsers()
    names = list(parsers)
    seconds: dict[str, dict[str, float]] = {name: {} for name in names}
    counts: dict[str, int] = {}
    lines = ["| file (records, KB) | " + " | ".join(names) + " | × pyroparse | × garmin |",
             "|---" * (len(names) + 3) + "|"]
    refused: dict[str, list[str]] = {}
    for label, data in files.items():
        cells = []
        records = 0
        for name in names:
            fn, runs = parsers[name]
            if len(data) > 1_000_000 and name in ("garmin-fit-sdk", "fitdecode", "fitparse"):
                runs = 1
            result = _time(fn, data, runs)
            if result is None:
                cells.append("refused")
                refused.setdefault(name, []).append(label)
                continue
            secs, n = result
            records = max(records, n)
            seconds[name][label] = secs
            cells.append(f"{secs * 1000:.1f} ms")
        counts[label] = records
        ours = seconds["stridewise"].get(label)
        ratio_cells = [
            f"{seconds[peer][label] / ours:.1f}" if ours and label in seconds.get(peer, {})
            else "—"
            for peer in ("pyroparse", "garmin-fit-sdk")
        ]
        lines.append(f"| {label} ({records}, {len(data) // 1024}) | " + " | ".join(cells)
                     + " | " + " | ".join(ratio_cells) + " |")
    rate = {name: sum(counts[f] for f in s) / sum(s.values()) if s else 0.0
            for name, s in seconds.items()}
    lines.append("| **records/s (files it read)** | "
                 + " | ".join(f"**{rate[n] / 1000:,.0f} k**" for n in names) + " | | |")
    summary = []
    classes = {
        "all files": list(files),
        "interleaved (encoder)": [f for f in files if f.endswith("(encoder)")],
        "real files": [f for f in files if not f.endswith("(encoder)")],
        "real files of >= 1,000 records": [f for f in files if not f.endswith("(encoder)")
                                           and counts[f] >= 1000],
    }
    ours_s = seconds["stridewise"]
    for peer in ("pyroparse", "garmin-fit-sdk"):
        if peer not in seconds:
            continue
        for cls, members in classes.items():
            common = [f for f in members if f in seconds[peer] and f in ours_s]
            if common:
                mine = sum(ours_s[f] for f in common)
                theirs = sum(seconds[peer][f] for f in common)
                summary.append(f"- vs {peer}, {cls} ({len(common)} files both read): "
                               + _ratio_line("total CPU time ratio", mine, theirs))
    if "pyroparse" in seconds:
        slower = [f for f in files if counts[f] >= 1000 and f in seconds["pyroparse"]
                  and ours_s[f] > seconds["pyroparse"][f]]
        summary.append("- files of >= 1,000 records where stridewise is slower than pyroparse: "
                       + (", ".join(slower) if slower else "**none**"))
    summary += [f"- {peer} refuses: {', '.join(labels)}" for peer, labels in refused.items()]
    cold_file = SAMPLES / "run_fr955_stryd.fit"
    cold = _cold_start(cold_file) if cold_file.is_file() else []
    return "\n".join([
        "## FIT decoding (records/s)",
        "",
        f"{len(files)} files: every valid sample FIT (most are python-fitparse's and "
        "fitdecode's own test files) and 3 interleaved files written by the project's "
        "encoder. CPU-time medians (ours and pyroparse: 7 runs), same bytes in memory, same "
        "run. *stridewise* has the compiled (numba) header walk loaded; *Python walk* is the "
        "reference walk; *stridewise import* is the whole `stridewise.ingest.fit.read` "
        "(decode + Activity building and sanitising). Ratios are peer time / stridewise time.",
        "",
        *lines,
        "",
        *summary,
        "",
        f"First decode in a fresh process ({cold_file.name}), ms, median of 3; the CLI and "
        "each import worker pay this once. A process uses the Python walk until it has spent "
        "0.25 s in it, so one-file commands never load numba:",
        "",
        "| walk | import stridewise.fit.decode | first decode |",
        "|---|---|---|",
        *cold,
    ])


if __name__ == "__main__":
    print(run())
