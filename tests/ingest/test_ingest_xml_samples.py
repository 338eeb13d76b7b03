"""Every GPX/TCX sample reads, or fails with the right error class and a clear reason."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stridewise.errors import CorruptFileError, EmptyActivityError
from stridewise.ingest import gpx, read_bytes, tcx

pytestmark = pytest.mark.samples

# file -> (sport, records, columns that must be present) for files that read.
GPX_READS = {
    "run_fr945_14k_6782987395.gpx": ("run", 4967, {"heart_rate_bpm", "cadence_spm"}),
    "ride_4078723797_garmin_3MB.gpx": ("ride", 8357, {"heart_rate_bpm", "cadence_rpm"}),
    "run_runpandas_session.gpx": ("other", 1858, {"heart_rate_bpm", "altitude_m"}),
    "synthetic_10h_1hz.gpx": ("run", 36000, {"heart_rate_bpm", "cadence_spm"}),
    "edge_empty_segment.gpx": ("other", 9, {"altitude_m"}),
    "edge_gpx10_all_fields.gpx": ("other", 1, {"altitude_m"}),
    "edge_gpx11_all_fields.gpx": ("other", 1, {"altitude_m"}),
}
TCX_READS = {
    "run_fr945_14k_6782987395.tcx": ("run", 4988, {"heart_rate_bpm", "cadence_spm", "speed_mps"}),
    "edge_leading_whitespace.tcx": ("ride", 5159, {"heart_rate_bpm", "distance_m"}),
    "edge_empty_hr_values.tcx": ("ride", 5159, {"heart_rate_bpm"}),
    "edge_no_hr.tcx": ("run", 384, {"distance_m"}),
    "ride_mapmyride.tcx": ("ride", 3112, {"distance_m"}),
    "run_runpandas_sample.tcx": ("run", 383, {"heart_rate_bpm"}),
    "sup_tcxreader.tcx": ("other", 111, {"heart_rate_bpm"}),
    "xc_ski_tcxreader.tcx": ("other", 486, {"heart_rate_bpm"}),
    "tcxparser_test.tcx": ("run", 384, {"heart_rate_bpm"}),
    "synthetic_10h_1hz.tcx": ("run", 36000, {"cadence_spm", "speed_mps"}),
}
# file -> (error class, words the reason must contain)
REFUSED = {
    "gpx/corrupt_trunc50pct.gpx": (CorruptFileError, "truncated"),
    "tcx/corrupt_trunc50pct.tcx": (CorruptFileError, "truncated"),
    "gpx/edge_no_times.gpx": (EmptyActivityError, "route or course"),
    "gpx/course_heartandsole.gpx": (EmptyActivityError, "route"),
    "tcx/edge_course_heartandsole.tcx": (EmptyActivityError, "course"),
    # Parse fine (BOM, bare extensions) but hold only a waypoint, no track.
    "gpx/edge_unicode_with_bom.gpx": (EmptyActivityError, "waypoint"),
    "gpx/edge_ext_no_namespace.gpx": (EmptyActivityError, "waypoint"),
}


def _every_sample_is_covered(samples_dir: Path) -> None:
    names = {p.name for p in (samples_dir / "gpx").glob("*.gpx")}
    names |= {p.name for p in (samples_dir / "tcx").glob("*.tcx")}
    covered = set(GPX_READS) | set(TCX_READS) | {Path(k).name for k in REFUSED}
    covered.add("gpxpy_korita-zbevnica.gpx")
    assert names <= covered, f"samples without an expectation: {sorted(names - covered)}"


def test_every_sample_has_an_expectation(samples_dir: Path) -> None:
    _every_sample_is_covered(samples_dir)


@pytest.mark.parametrize("file_name", sorted(GPX_READS))
def test_gpx_sample_reads(samples_dir: Path, file_name: str) -> None:
    sport, n_records, columns = GPX_READS[file_name]
    [activity] = gpx.read((samples_dir / "gpx" / file_name).read_bytes(), source_name=file_name)
    assert activity.sport == sport
    assert activity.n_records == n_records
    assert columns <= set(activity.records)
    assert activity.source_format == "gpx"
    assert np.all(np.diff(activity.records["time_s"]) >= 0)


@pytest.mark.parametrize("file_name", sorted(TCX_READS))
def test_tcx_sample_reads(samples_dir: Path, file_name: str) -> None:
    sport, n_records, columns = TCX_READS[file_name]
    [activity] = tcx.read((samples_dir / "tcx" / file_name).read_bytes(), source_name=file_name)
    assert activity.sport == sport
    assert activity.n_records == n_records
    assert columns <= set(activity.records)
    assert activity.laps and activity.laps[0].elapsed_s > 0
    assert np.all(np.diff(activity.records["time_s"]) > 0), "lap-boundary repeats remain"


@pytest.mark.parametrize("relative", sorted(REFUSED))
def test_sample_refused_with_reason(samples_dir: Path, relative: str) -> None:
    error_class, words = REFUSED[relative]
    with pytest.raises(error_class) as caught:
        read_bytes((samples_dir / relative).read_bytes(), source_name=relative)
    assert type(caught.value) is error_class
    assert words in caught.value.reason
    assert caught.value.source == relative


def test_truncated_xml_names_the_line(samples_dir: Path) -> None:
    with pytest.raises(CorruptFileError, match=r"line 25803"):
        gpx.read((samples_dir / "gpx/corrupt_trunc50pct.gpx").read_bytes(), source_name="x")


def test_multi_track_gpx_gives_one_activity_per_recorded_track(samples_dir: Path) -> None:
    data = (samples_dir / "gpx/gpxpy_korita-zbevnica.gpx").read_bytes()
    activities = gpx.read(data, source_name="korita")
    # The first <trk> is empty; the others are GPSBabel "ACTIVE LOG" tracks.
    assert [a.name for a in activities][:2] == ["ACTIVE LOG", "ACTIVE LOG #2"]
    assert all(a.n_records > 0 for a in activities)


def test_empty_hr_values_become_missing_not_zero(samples_dir: Path) -> None:
    emptied = tcx.read((samples_dir / "tcx/edge_empty_hr_values.tcx").read_bytes(),
                       source_name="e")[0]
    intact = tcx.read((samples_dir / "tcx/edge_leading_whitespace.tcx").read_bytes(),
                      source_name="w")[0]
    hr_emptied, hr_intact = emptied.records["heart_rate_bpm"], intact.records["heart_rate_bpm"]
    assert np.isnan(hr_emptied).sum() == np.isnan(hr_intact).sum() + 50
    assert not emptied.warnings  # NaN is "missing", not an implausible value dropped


def test_tcx_laps_follow_the_file(samples_dir: Path) -> None:
    activity = tcx.read((samples_dir / "tcx/run_fr945_14k_6782987395.tcx").read_bytes(),
                        source_name="t")[0]
    assert [round(lap.elapsed_s, 3) for lap in activity.laps] == [3448.443, 1540.669]
    assert [lap.distance_m for lap in activity.laps] == [8825.74, 5179.11]
