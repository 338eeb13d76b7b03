"""The FR945 run exported as FIT, GPX and TCX: the XML readers must agree with the FIT.

fitdecode is the independent oracle for the FIT (record timestamps, distance, positions, HR).
"""

from __future__ import annotations

from pathlib import Path

import fitdecode
import numpy as np
import pytest

from stridewise.activity import Activity
from stridewise.ingest import gpx, tcx
from stridewise.summary import haversine_m

pytestmark = pytest.mark.samples
STEM = "run_fr945_14k_6782987395"
SEMICIRCLE_DEG = 180.0 / 2**31


@pytest.fixture(scope="module")
def fit_records(samples_dir: Path) -> dict[str, np.ndarray]:
    cols: dict[str, list[float]] = {"time_s": [], "lat": [], "lon": [], "distance_m": [], "hr": []}
    with fitdecode.FitReader(str(samples_dir / "fit" / f"{STEM}.fit"),
                             check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if not (isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record"):
                continue
            lat = frame.get_value("position_lat", fallback=None)
            lon = frame.get_value("position_long", fallback=None)
            hr = frame.get_value("heart_rate", fallback=None)
            cols["time_s"].append(frame.get_value("timestamp").timestamp())
            cols["lat"].append(lat * SEMICIRCLE_DEG if lat is not None else np.nan)
            cols["lon"].append(lon * SEMICIRCLE_DEG if lon is not None else np.nan)
            cols["distance_m"].append(frame.get_value("distance"))
            cols["hr"].append(hr if hr is not None else np.nan)
    return {k: np.asarray(v, dtype=float) for k, v in cols.items()}


@pytest.fixture(scope="module")
def gpx_activity(samples_dir: Path) -> Activity:
    return gpx.read((samples_dir / "gpx" / f"{STEM}.gpx").read_bytes(), source_name="g")[0]


@pytest.fixture(scope="module")
def tcx_activity(samples_dir: Path) -> Activity:
    return tcx.read((samples_dir / "tcx" / f"{STEM}.tcx").read_bytes(), source_name="t")[0]


def _fit_elapsed_s(fit: dict[str, np.ndarray]) -> float:
    return float(fit["time_s"][-1] - fit["time_s"][0])


@pytest.mark.parametrize("which", ["gpx", "tcx"])
def test_elapsed_time_matches_fit(which: str, fit_records: dict[str, np.ndarray],
                                  gpx_activity: Activity, tcx_activity: Activity) -> None:
    activity = gpx_activity if which == "gpx" else tcx_activity
    assert abs(activity.summary.elapsed_s - _fit_elapsed_s(fit_records)) <= 2.0


def test_tcx_distance_within_1pct_of_fit(fit_records: dict[str, np.ndarray],
                                         tcx_activity: Activity) -> None:
    fit_distance_m = float(fit_records["distance_m"][-1])
    assert tcx_activity.summary.distance_m is not None
    assert abs(tcx_activity.summary.distance_m - fit_distance_m) / fit_distance_m < 0.01


def test_gpx_distance_within_1_1pct_of_fit(
        fit_records: dict[str, np.ndarray], gpx_activity: Activity) -> None:
    """GPX has no device distance, so its distance is the length of the raw GPS path
    (stridewise.summary): 1.06 % longer than the watch's filtered distance here (14 152.8 m vs
    14 004.9 m, GPS jitter). 3-fix smoothing got this file to +0.25 % but measured worse over
    the whole sample corpus (median error 1.05 % against 0.34 % raw on the 1 s FIT tracks,
    and -2.7 % on a 2 s phone track), so it was dropped: docs/design.md has the table."""
    good = np.isfinite(fit_records["lat"])
    lat, lon = fit_records["lat"][good], fit_records["lon"][good]
    raw_path_m = float(haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]).sum())
    assert raw_path_m == pytest.approx(14_152.8, abs=0.5)
    gpx_distance_m = gpx_activity.summary.distance_m
    assert gpx_distance_m is not None
    device_m = float(fit_records["distance_m"][-1])
    assert abs(gpx_distance_m - device_m) / device_m < 0.011


@pytest.mark.parametrize("which", ["gpx", "tcx"])
def test_positions_and_hr_match_fit_at_shared_timestamps(
        which: str, fit_records: dict[str, np.ndarray],
        gpx_activity: Activity, tcx_activity: Activity) -> None:
    activity = gpx_activity if which == "gpx" else tcx_activity
    shared, in_fit, in_xml = np.intersect1d(fit_records["time_s"], activity.records["time_s"],
                                            return_indices=True)
    # GPX drops the 21 records without a position; TCX keeps them all.
    assert shared.size == (4967 if which == "gpx" else 4988)
    for fit_col, xml_col, tolerance in (("lat", "lat_deg", 1e-9), ("lon", "lon_deg", 1e-9),
                                        ("hr", "heart_rate_bpm", 0.0)):
        np.testing.assert_allclose(activity.records[xml_col][in_xml],
                                   fit_records[fit_col][in_fit], rtol=0, atol=tolerance,
                                   equal_nan=True)
    if which == "tcx":
        np.testing.assert_allclose(activity.records["distance_m"][in_xml],
                                   fit_records["distance_m"][in_fit], atol=0.002)
