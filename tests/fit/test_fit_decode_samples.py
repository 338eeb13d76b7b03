"""File by file, the NumPy decoder's records match garmin-fit-sdk (fitdecode where the SDK
cannot read the file) within field resolution; corrupt files never come through as data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fit_oracles import COMPARED, fitdecode_records, garmin_records

from stridewise.fit.decode import FastPathUnsupported, FitFormatError, decode
from stridewise.fit.fallback import decode_fitdecode, read_fit

pytestmark = pytest.mark.samples

# Resolution of each compared field (its FIT scale): values must agree to within it.
RESOLUTION = {"timestamp": 0, "position_lat": 0, "position_long": 0, "distance": 0.01,
              "speed": 0.001, "altitude": 0.2, "heart_rate": 0, "cadence": 0}


def _valid_files(samples: Path) -> list[Path]:
    return sorted(p for p in (samples / "fit").glob("*.fit") if not p.name.startswith("corrupt_"))


def _mine(data: bytes) -> dict[str, np.ndarray]:
    rec = decode(data).table("record")

    def best(enhanced: str, plain: str) -> np.ndarray:
        e, p = rec.get(enhanced), rec.get(plain)
        return np.where(np.isfinite(e), e, p)

    cols = {name: rec.get(name) for name in COMPARED}
    cols["speed"] = best("enhanced_speed", "speed")
    cols["altitude"] = best("enhanced_altitude", "altitude")
    return cols


def test_every_valid_sample_matches_the_reference_decoders(samples_dir: Path) -> None:
    files = _valid_files(samples_dir)
    assert len(files) >= 20
    for path in files:
        data = path.read_bytes()
        reference = garmin_records(data)
        if reference is None:
            reference = fitdecode_records(data)
        mine = _mine(data)
        n = len(reference["timestamp"])
        assert len(mine["timestamp"]) == n, path.name
        for name in COMPARED:
            ref, got = reference[name], mine[name]
            if name == "distance" and path.name == "edge_null_compressed_speed_dist.fit":
                continue  # checked separately: fitdecode is wrong there
            where = f"{path.name} {name}"
            np.testing.assert_array_equal(np.isnan(got), np.isnan(ref), err_msg=where)
            ok = np.isfinite(ref)
            np.testing.assert_allclose(got[ok], ref[ok], rtol=0, atol=RESOLUTION[name] + 1e-9,
                                       err_msg=where)


def test_invalid_compressed_speed_distance_keeps_the_valid_distance(samples_dir: Path) -> None:
    data = (samples_dir / "fit" / "edge_null_compressed_speed_dist.fit").read_bytes()
    distance = decode(data).table("record").get("distance")
    reference = garmin_records(data)
    assert reference is not None
    assert np.isfinite(distance).sum() > 1000
    np.testing.assert_allclose(distance, reference["distance"], atol=0.01)


def test_compressed_timestamps_and_speed_distance_match_fitdecode(samples_dir: Path) -> None:
    data = (samples_dir / "fit" / "edge_compressed_speed_distance.fit").read_bytes()
    rec = decode(data).table("record")
    reference = fitdecode_records(data)
    assert len(rec) == 755
    np.testing.assert_array_equal(rec.get("timestamp"), reference["timestamp"])
    np.testing.assert_allclose(rec.get("distance"), reference["distance"], atol=1e-9)
    assert np.all(np.diff(rec.get("timestamp")) > 0)


def test_every_corrupt_sample_is_refused_by_the_decoder(samples_dir: Path) -> None:
    # corrupt_sdk_activity_truncated is well-formed FIT (the recording, not the file, was
    # cut short); the importer refuses it, see test_fit_ingest.
    for path in sorted((samples_dir / "fit").glob("corrupt_*.fit")):
        if path.name == "corrupt_sdk_activity_truncated.fit":
            continue
        with pytest.raises(FitFormatError):
            decode(path.read_bytes())


@pytest.mark.parametrize("name", ["run_fenix2_47min.fit", "edge_chained_4_headers.fit",
                                  "edge_compressed_speed_distance.fit",
                                  "edge_coros_misaligned_fields.fit", "edge_developer_types.fit"])
@pytest.mark.filterwarnings("ignore:invalid field size")  # fitdecode on the COROS file
def test_fitdecode_fallback_gives_the_same_tables(samples_dir: Path, name: str) -> None:
    data = (samples_dir / "fit" / name).read_bytes()
    fast, slow = decode(data), decode_fitdecode(data)
    assert slow.decoder == "fitdecode" and fast.segment_count == slow.segment_count
    assert fast.segment_file_types == slow.segment_file_types
    for message in ("record", "lap", "session"):
        a, b = fast.table(message), slow.table(message)
        assert len(a) == len(b), (name, message)
        np.testing.assert_array_equal(a.segment, b.segment)
        for column in ("timestamp", "distance", "heart_rate", "position_lat"):
            np.testing.assert_allclose(a.get(column), b.get(column), atol=1e-6,
                                       err_msg=f"{name} {message} {column}")


def test_an_unknown_base_type_goes_to_the_fallback() -> None:
    import struct

    from stridewise.fit.crc import crc16_arc

    body = struct.pack("<BBBHB", 0x40, 0, 0, 20, 2) + bytes([253, 4, 0x86, 3, 1, 0x1F])
    body += struct.pack("<BIB", 0, 1_000_000_000, 150)
    head = struct.pack("<BBHI4s", 12, 0x20, 21218, len(body), b".FIT")
    data = head + body
    data += struct.pack("<H", crc16_arc(data))
    with pytest.raises(FastPathUnsupported):
        decode(data)
    fit = read_fit(data)
    assert fit.decoder == "fitdecode"
    assert fit.table("record").get("timestamp").tolist() == [1_000_000_000]
