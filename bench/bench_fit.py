"""FIT decoding speed: stridewise's NumPy decoder against the Python FIT decoders.

Every parser extracts every ``record`` message (timestamp, position, distance, speed, heart
rate, cadence, altitude) from the same bytes already in memory. Times are CPU-time
(``process_time``) medians: ours and pyroparse over 7 runs, the pure-Python peers over 3
(1 on files over 1 MB), each after one warm-up. The CRC is checked by every parser that
can: ours always, garmin-fit-sdk by default, fitdecode with ``CrcCheck.RAISE``.
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from stridewise.fit.decode import decode
from stridewise.ingest.fit import read

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Path(os.environ.get("STRIDEWISE_SAMPLES", ROOT.parent / "shared" / "samples")) / "fit"
FILES = (
    "run_fenix2_47min.fit",
    "run_fr945_14k_6782987395.fit",
    "run_fr955_stryd.fit",
    "run_coros_halfmarathon_6916728382.fit",
    "edge_fr935_chained_7.fit",
    "multisport_fenix2_6h50.fit",
    "synthetic_10h_1hz_garminsdk.fit",
    "big_bryton_ride_100k_records.fit",
)
FIELDS = ("timestamp", "position_lat", "position_long", "distance", "enhanced_speed",
          "heart_rate", "cadence", "enhanced_altitude")


def _ours(data: bytes) -> int:
    record = decode(data).table("record")
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
        "stridewise decode": (_ours, 7),
        "stridewise import": (_ours_import, 3),
    }
    try:
        import pyroparse  # noqa: F401

        parsers["pyroparse"] = (_pyroparse, 7)
    except ImportError:
        pass
    parsers.update({"garmin-fit-sdk": (_garmin, 3), "fitdecode": (_fitdecode, 3),
                    "fitparse": (_fitparse, 3)})
    return parsers


def run() -> str:
    files = [SAMPLES / name for name in FILES if (SAMPLES / name).is_file()]
    if not files:
        return f"## FIT decoding\n\nSkipped: no sample files under {SAMPLES}.\n"
    parsers = _parsers()
    names = list(parsers)
    totals = {name: [0.0, 0] for name in names}
    lines = ["| file (records, KB) | " + " | ".join(names) + " |",
             "|---" * (len(names) + 1) + "|"]
    for path in files:
        data = path.read_bytes()
        cells = []
        records = 0
        for name in names:
            fn, runs = parsers[name]
            if len(data) > 1_000_000 and runs == 3 and not name.startswith("stridewise"):
                runs = 1
            result = _time(fn, data, runs)
            if result is None:
                cells.append("refused")
                continue
            seconds, n = result
            records = max(records, n)
            totals[name][0] += seconds
            totals[name][1] += n
            cells.append(f"{seconds * 1000:.1f} ms")
        label = f"{path.stem} ({records}, {len(data) // 1024})"
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    rate = {name: (n / s if s else 0.0) for name, (s, n) in totals.items()}
    lines.append("| **records/s (files it read)** | "
                 + " | ".join(f"**{rate[n] / 1000:,.0f} k**" for n in names) + " |")
    ours = rate["stridewise decode"]
    ratios = [f"- {name}: stridewise decode is **{ours / rate[name]:.1f}×** its records/s"
              for name in names if name != "stridewise decode" and rate[name]]
    return "\n".join([
        "## FIT decoding (records/s)",
        "",
        "CPU-time medians, same bytes in memory, same run. *stridewise import* is the whole "
        "`stridewise.ingest.fit.read` (decode + Activity building and sanitising). pyroparse "
        "refuses multi-session files, so its rate covers fewer files.",
        "",
        *lines,
        "",
        *ratios,
    ])


if __name__ == "__main__":
    print(run())
