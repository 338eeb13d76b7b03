"""The FIT importer over the real samples: edge files read, corrupt ones never give data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fit_oracles import garmin_records

from stridewise.errors import CorruptFileError, EmptyActivityError
from stridewise.ingest.fit import read

pytestmark = pytest.mark.samples

CORRUPT_REASONS = {
    "corrupt_bad_file_crc.fit": "file CRC mismatch",
    "corrupt_bitflip20.fit": "file CRC mismatch",
    "corrupt_chained_bad_crc.fit": "file CRC mismatch in chained segment 2",
    "corrupt_chained_bad_2nd_header.fit": "segment 2",
    "corrupt_chained_2nd_nodata.fit": "truncated",
    "corrupt_empty.fit": "empty",
    "corrupt_header_datasize0.fit": "data size 0",
    "corrupt_header_datasize_too_big.fit": "truncated",
    "corrupt_nick_missing_crc.fit": "CRC",
    "corrupt_random_body.fit": "CRC",
    "corrupt_sdk_activity_truncated.fit": "cut short",
    "corrupt_trailing_garbage.fit": "no valid FIT header",
    "corrupt_trunc50pct.fit": "truncated",
    "corrupt_trunc_no_crc.fit": "without its file CRC",
    "corrupt_unexpected_eof.fit": "truncated",
}


def _read(samples: Path, name: str) -> list:
    return read((samples / "fit" / name).read_bytes(), source_name=name)


def test_every_corrupt_sample_raises_a_plain_reason(samples_dir: Path) -> None:
    files = sorted((samples_dir / "fit").glob("corrupt_*.fit"))
    assert len(files) >= 15
    for path in files:
        with pytest.raises((CorruptFileError, EmptyActivityError)) as caught:
            read(path.read_bytes(), source_name=path.name)
        assert caught.value.source == path.name
        expected = CORRUPT_REASONS.get(path.name)
        if expected:
            assert expected in caught.value.reason, (path.name, caught.value.reason)


def test_every_edge_sample_reads(samples_dir: Path) -> None:
    for path in sorted((samples_dir / "fit").glob("edge_*.fit")):
        if path.name == "edge_DeveloperData.fit":
            # The SDK's 3-message example has records without timestamps: nothing to import.
            with pytest.raises(EmptyActivityError, match="no timestamped records"):
                read(path.read_bytes(), source_name=path.name)
            continue
        activities = read(path.read_bytes(), source_name=path.name)
        assert activities and all(a.n_records > 0 for a in activities), path.name


def test_fr945_run_columns_units_and_metadata(samples_dir: Path) -> None:
    name = "run_fr945_14k_6782987395.fit"
    (activity,) = _read(samples_dir, name)
    reference = garmin_records((samples_dir / "fit" / name).read_bytes())
    assert reference is not None
    assert activity.sport == "run" and activity.device == "Garmin Forerunner 945"
    assert activity.utc_offset_s == -4 * 3600
    assert activity.n_records == 4988
    np.testing.assert_allclose(activity.records["time_s"], reference["timestamp"] + 631065600)
    assert activity.summary.distance_m == pytest.approx(14000, rel=0.01)
    # FIT cadence is strides per minute of one foot; the Activity holds steps per minute.
    assert np.nanmedian(activity.records["cadence_spm"]) == pytest.approx(
        2 * np.nanmedian(reference["cadence"]), abs=2
    )
    lat = activity.records["lat_deg"]
    assert np.nanmax(np.abs(lat)) <= 90 and np.isfinite(lat).sum() > 4900
    assert len(activity.laps) >= 1


def test_chained_segments_of_one_activity_become_one(samples_dir: Path) -> None:
    (activity,) = _read(samples_dir, "edge_fr935_chained_7.fit")
    assert activity.sport == "swim" and activity.n_records == 7515


def test_multisport_file_splits_into_one_activity_per_leg(samples_dir: Path) -> None:
    activities = _read(samples_dir, "edge_chained_4_headers.fit")
    assert [a.sport for a in activities] == ["swim", "ride", "run"]
    starts = [a.start_time_utc for a in activities]
    assert starts == sorted(starts)


def test_chained_activity_files_stay_separate(samples_dir: Path) -> None:
    activities = _read(samples_dir, "edge_chained_sdk_poolswim.fit")
    assert [a.sport for a in activities] == ["other", "swim"]
    assert sum(a.n_records for a in activities) == 3625


def test_device_relative_clock_uses_the_local_timestamp_with_a_warning(
    samples_dir: Path,
) -> None:
    (activity,) = _read(samples_dir, "edge_compressed_speed_distance.fit")
    assert activity.start_time_utc.year == 2012
    assert activity.utc_offset_s is None
    assert any("clock was not set" in w for w in activity.warnings)


def test_cycling_cadence_is_rpm(samples_dir: Path) -> None:
    (activity,) = _read(samples_dir, "ride_wahoo_elemnt_6h30.fit")
    assert activity.sport == "ride"
    assert "cadence_rpm" in activity.records and "cadence_spm" not in activity.records
