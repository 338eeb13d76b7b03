"""Physically impossible activities are never stored (issue 11, items 4 and 9).

Before: a FIT with one byte changed and its CRC recomputed imported as a 42,789 km run at
15,200 m/s, with no warning; re-importing the good file then stored a second copy (the
distances differed); a TCX with one ``<DistanceMeters>40000000</DistanceMeters>`` stored a
40,000 km run.
"""

from __future__ import annotations

import re
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stridewise.fit.crc import crc16_arc
from stridewise.importer import import_paths
from stridewise.store import Store

FENIX2 = "fit/run_fenix2_47min.fit"  # 9.007 km, 2,833 s (MIT, python-fitparse)
TCX = "tcx/run_runpandas_sample.tcx"  # MIT, runpandas


def _one_byte_changed(data: bytes, offset: int, value: int) -> bytes:
    out = bytearray(data)
    out[offset] = value
    out[-2:] = struct.pack("<H", crc16_arc(bytes(out[:-2])))
    return bytes(out)


def _distances_km(store: Store) -> list[float]:
    with store.transaction() as tx:
        return sorted(round((a.distance_m or 0) / 1000, 2)
                      for a in tx.list_activities(store.default_athlete_id()))


@pytest.mark.samples
def test_a_one_byte_corrupt_fit_is_not_stored_as_a_42789_km_run_nor_twice(
    store: Store, samples_dir: Path, tmp_path: Path
) -> None:
    good = samples_dir / FENIX2
    # Byte 82,191 set to 0xFF makes one record's distance 42,789 km (found by the fuzz).
    corrupt = tmp_path / "corrupt.fit"
    corrupt.write_bytes(_one_byte_changed(good.read_bytes(), 82_191, 0xFF))
    athlete = store.default_athlete_id()
    [first] = import_paths(store, [corrupt], athlete_id=athlete).files
    if first.status == "imported":  # the glitch is dropped and named
        assert "dropped 1 implausible distance value(s)" in first.warnings
        assert _distances_km(store) == [9.01]
    else:
        assert first.status == "failed" and first.reason
        assert _distances_km(store) == []
    [again] = import_paths(store, [good], athlete_id=athlete).files
    assert _distances_km(store) == [9.01]
    assert again.status == ("duplicate" if first.status == "imported" else "imported")


@pytest.mark.samples
def test_a_tcx_with_one_40000_km_trackpoint_is_not_stored_as_a_40000_km_run(
    store: Store, samples_dir: Path, tmp_path: Path
) -> None:
    text = (samples_dir / TCX).read_text()
    points = list(re.finditer(r"(<Trackpoint>.*?<DistanceMeters>)([^<]*)(</DistanceMeters>)",
                              text, re.DOTALL))
    middle = points[len(points) // 2]
    bad = tmp_path / "bad.tcx"
    bad.write_text(text[: middle.start(2)] + "40000000" + text[middle.end(2):])
    report = import_paths(store, [bad], athlete_id=store.default_athlete_id())
    [result] = report.files
    assert result.status == "imported"
    assert "dropped 1 implausible distance value(s)" in result.warnings
    [km] = _distances_km(store)
    assert 4.5 < km < 5.0  # the file's own lap total is 4.83 km (3.0 mi)


def _gpx(lat_step_deg: float, n: int = 600) -> str:
    start = datetime(2025, 6, 1, 7, 0, tzinfo=UTC)
    points = "".join(
        f'<trkpt lat="{45 + i * lat_step_deg:.6f}" lon="7.0"><time>'
        f"{(start + timedelta(seconds=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for i in range(n))
    return ('<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
            f"<trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>")


def test_a_run_faster_than_any_runner_is_refused_with_a_reason(
    store: Store, tmp_path: Path
) -> None:
    # 0.0002 degrees of latitude a second is 22.2 m/s for 10 minutes: a car, not a run.
    car = tmp_path / "car.gpx"
    car.write_text(_gpx(0.0002))
    [result] = import_paths(store, [car], athlete_id=store.default_athlete_id()).files
    assert result.status == "failed"
    assert result.reason is not None
    assert "13.3 km in 10 min, faster than the 12.5 m/s no run can exceed" in result.reason
    assert _distances_km(store) == []
    # 0.00003 degrees a second is 3.3 m/s: a run, stored.
    run = tmp_path / "run.gpx"
    run.write_text(_gpx(0.00003))
    [ok] = import_paths(store, [run], athlete_id=store.default_athlete_id()).files
    assert ok.status == "imported"
    assert _distances_km(store) == [2.0]


def test_an_archive_index_calling_a_fast_ride_a_run_keeps_it_a_ride(store: Store) -> None:
    from fakes_import import FakeMeta, FakeSource, fake_reader

    from stridewise.importer import import_sources

    # 9 km in 600 s is 15 m/s: a ride; as a run it would be impossible (over 12.5 m/s).
    ride = FakeSource("ride.fit", "fit 2024-05-04T06:30:00+00:00 600 9000 ride",
                      meta=FakeMeta(sport="Run"))
    [result] = import_sources(store, [ride], athlete_id=store.default_athlete_id(),
                              reader=fake_reader).files
    assert result.status == "imported"
    assert any(w.startswith("kept as ride: the archive's index calls it run, but as run it "
                            "covers 9.0 km in 10 min") for w in result.warnings)
    with store.transaction() as tx:
        assert [a.sport for a in tx.list_activities(store.default_athlete_id())] == ["ride"]
