"""Seeded, CRC-valid mutants of real sample files, for fuzzing the readers (issue 11).

FIT mutants change 1-4 bytes of the data section and then recompute the header and file CRCs,
so the decoder itself is reached instead of the CRC check refusing every mutant. GPX and TCX
mutants change the text: a number replaced by an absurd one (40000000, -1, 1e308, NaN...), a
run of bytes deleted or duplicated, a byte changed. Every mutant goes through
:func:`stridewise.ingest.read_bytes`, the importer's reader, which ends in ``build_activity``
and its plausibility checks.
"""

from __future__ import annotations

import random
import re
import struct
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from stridewise.activity import Activity
from stridewise.errors import IngestError
from stridewise.fit.crc import crc16_arc
from stridewise.ingest import read_bytes
from stridewise.science.sport_limits import limits_for

#: Single-segment sample files under a permissive licence (see ../shared/samples/SOURCES.md).
FIT_SAMPLES = ("fit/run_fenix2_47min.fit", "fit/edge_compressed_speed_distance.fit")
GPX_SAMPLES = ("gpx/gpxpy_korita-zbevnica.gpx", "gpx/edge_gpx11_all_fields.gpx")
TCX_SAMPLES = ("tcx/sup_tcxreader.tcx", "tcx/run_runpandas_sample.tcx")

#: What no stored activity may exceed: 48 hours, 1,000 km, and the sport's top speed over its
#: elapsed time (plus the 100 m catch-up slack of the distance check).
MAX_ELAPSED_S = 48 * 3600.0
MAX_DISTANCE_M = 1_000_000.0
SLACK_M = 100.0

_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?")
_ABSURD = (b"40000000", b"-1", b"1e308", b"NaN", b"0", b"99999999999", b"-40000000",
           b"2147483647", b"1e-300", b"inf")


def fit_mutant(data: bytes, rng: random.Random) -> bytes:
    """1-4 bytes of the data section changed; header CRC (14-byte header) and file CRC redone."""
    out = bytearray(data)
    header = out[0]
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(header, len(out) - 2)
        how = rng.random()
        if how < 0.5:
            out[pos] = rng.randrange(256)
        elif how < 0.8:
            out[pos] ^= 1 << rng.randrange(8)
        else:
            out[pos] = rng.choice((0x00, 0xFF, 0x7F, 0x80))
    if header >= 14:
        out[12:14] = struct.pack("<H", crc16_arc(bytes(out[:12])))
    out[-2:] = struct.pack("<H", crc16_arc(bytes(out[:-2])))
    return bytes(out)


def xml_mutant(data: bytes, rng: random.Random) -> bytes:
    """An absurd number, a deleted or duplicated run of bytes, or a changed byte."""
    out = data
    for _ in range(rng.randint(1, 3)):
        how = rng.random()
        if how < 0.8:
            matches = list(_NUMBER.finditer(out, rng.randrange(len(out) // 2)))[:200]
            if matches:
                m = rng.choice(matches)
                out = out[: m.start()] + rng.choice(_ABSURD) + out[m.end():]
                continue
        pos = rng.randrange(len(out))
        size = rng.randint(1, 200)
        if how < 0.88:
            out = out[:pos] + out[pos + size:]
        elif how < 0.95:
            out = out[:pos] + out[pos:pos + size] + out[pos:]
        else:
            out = out[:pos] + bytes([rng.randrange(256)]) + out[pos + 1:]
    return out


@dataclass
class FuzzResult:
    outcomes: Counter[str] = field(default_factory=Counter)
    impossible: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)


def impossible_reason(activity: Activity) -> str | None:
    """Why an activity's stored values are physically impossible, or None."""
    s = activity.summary
    limit = limits_for(activity.sport).max_speed_mps
    if s.elapsed_s > MAX_ELAPSED_S:
        return f"elapsed {s.elapsed_s} s"
    if s.distance_m is not None:
        if s.distance_m > MAX_DISTANCE_M:
            return f"distance {s.distance_m} m"
        if s.distance_m > limit * max(s.elapsed_s, 1.0) + SLACK_M:
            return f"distance {s.distance_m} m in {s.elapsed_s} s"
    speed = activity.records.get("speed_mps")
    if speed is not None and (speed[speed == speed] > limit).any():
        return "a speed sample over the limit"
    return None


def fuzz(samples_dir: Path, counts: dict[str, int], seed: int) -> FuzzResult:
    """``counts[name]`` mutants of each sample file through the importer's reader."""
    result = FuzzResult()
    for name, n in counts.items():
        data = (samples_dir / name).read_bytes()
        rng = random.Random(f"{seed}:{name}")
        mutate = fit_mutant if name.endswith(".fit") else xml_mutant
        for i in range(n):
            mutant = mutate(data, rng)
            try:
                items = read_bytes(mutant, source_name=Path(name).name)
            except IngestError:
                result.outcomes["refused"] += 1
                continue
            except Exception as exc:  # the failure this fuzz looks for
                result.unexpected.append(f"{name} #{i}: {type(exc).__name__}: {exc}")
                continue
            result.outcomes["read"] += 1
            for item in items:
                if isinstance(item, Activity):
                    why = impossible_reason(item)
                    if why:
                        result.impossible.append(f"{name} #{i}: {why}")
    return result
