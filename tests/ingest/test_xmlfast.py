"""The regular-expression fast path of the GPX and TCX readers gives exactly the activities
the lxml path gives: on every sample file, on generated Strava-, phone- and multi-lap files,
and on files it must hand back to lxml (comments, entities, odd element order)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from stridewise.errors import StridewiseError
from stridewise.ingest import gpx, tcx, xmlfast


def _read(module: object, data: bytes, *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(xmlfast, "read_gpx", lambda data: None)
            m.setattr(xmlfast, "read_tcx", lambda data: None)
        try:
            return module.read(data, source_name="f")  # type: ignore[attr-defined]
        except StridewiseError as exc:
            return f"{type(exc).__name__}: {exc}"


def _same(a: object, b: object, where: str) -> None:
    if isinstance(a, str) or isinstance(b, str):
        assert a == b, where
        return
    assert isinstance(a, list) and isinstance(b, list) and len(a) == len(b), where
    for x, y in zip(a, b, strict=True):
        for f in dataclasses.fields(x):
            va, vb = getattr(x, f.name), getattr(y, f.name)
            if f.name == "records":
                assert sorted(va) == sorted(vb), where
                for key in va:
                    np.testing.assert_array_equal(va[key], vb[key], err_msg=f"{where} {key}")
            else:
                assert va == vb, f"{where} {f.name}"


def _check(module: object, data: bytes, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _same(_read(module, data, fast=True, monkeypatch=monkeypatch),
          _read(module, data, fast=False, monkeypatch=monkeypatch), where)


@pytest.mark.samples
def test_fast_and_lxml_paths_agree_on_every_sample(samples_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    fast_read = 0
    for kind, module, probe in (("gpx", gpx, xmlfast.read_gpx), ("tcx", tcx, xmlfast.read_tcx)):
        for path in sorted((samples_dir / kind).glob(f"*.{kind}")):
            data = path.read_bytes()
            fast_read += probe(data) is not None
            _check(module, data, path.name, monkeypatch)
    assert fast_read >= 20  # the fast path really ran on the real files


STRAVA_GPX = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1"
 xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
 <metadata><time>2024-05-01T06:00:00Z</time></metadata>
 <trk><name>Morning Run</name><type>running</type><trkseg>
  <trkpt lat="47.0000000" lon="8.0000000"><ele>400.2</ele><time>2024-05-01T06:00:00Z</time>
   <extensions><power>210</power><gpxtpx:TrackPointExtension><gpxtpx:atemp>21</gpxtpx:atemp>
   <gpxtpx:hr>120</gpxtpx:hr><gpxtpx:cad>84</gpxtpx:cad></gpxtpx:TrackPointExtension>
   </extensions></trkpt>
  <trkpt lon="8.0000300" lat="47.0000200"><ele>400.4</ele><time>2024-05-01T06:00:01Z</time>
   <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>122</gpxtpx:hr></gpxtpx:TrackPointExtension>
   </extensions></trkpt>
  <trkpt lat="47.0000400" lon="8.0000600"><time>2024-05-01T06:00:02.500Z</time></trkpt>
 </trkseg></trk></gpx>
"""
PHONE_GPX = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.0" creator="GPSLogger" xmlns="http://www.topografix.com/GPX/1/0">
<name>phone</name><trk><trkseg>
<trkpt lat="47.1" lon="8.1"><ele>401.0</ele><time>2024-05-01T06:00:00.123+02:00</time>
<course>12.5</course><speed>2.9</speed><sat>9</sat><hdop>1.2</hdop></trkpt>
<trkpt lat="47.10002" lon="8.10002"><ele>401.5</ele><time>2024-05-01T06:00:02.120+02:00</time>
<speed>3.1</speed><sat>9</sat></trkpt>
<trkpt lat="47.10004" lon="8.10004"><ele>402.0</ele><time>2024-05-01T06:00:04.118+02:00</time>
<speed></speed></trkpt>
</trkseg></trk></gpx>
"""
LAP_TCX = b"""<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
 xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
<Activities><Activity Sport="Running"><Id>2024-05-01T06:00:00Z</Id>
<Lap StartTime="2024-05-01T06:00:00Z"><TotalTimeSeconds>2</TotalTimeSeconds>
<DistanceMeters>6.0</DistanceMeters><Track>
<Trackpoint><Time>2024-05-01T06:00:00Z</Time><Position><LatitudeDegrees>47</LatitudeDegrees>
<LongitudeDegrees>8</LongitudeDegrees></Position><AltitudeMeters>400</AltitudeMeters>
<DistanceMeters>0</DistanceMeters><HeartRateBpm><Value>100</Value></HeartRateBpm>
<Extensions><ns3:TPX><ns3:Speed>3.0</ns3:Speed><ns3:RunCadence>85</ns3:RunCadence></ns3:TPX>
</Extensions></Trackpoint>
<Trackpoint><Time>2024-05-01T06:00:02Z</Time><DistanceMeters>6</DistanceMeters>
<HeartRateBpm><Value/></HeartRateBpm></Trackpoint>
</Track></Lap>
<Lap StartTime="2024-05-01T06:00:02Z"><TotalTimeSeconds>2</TotalTimeSeconds>
<DistanceMeters>6.0</DistanceMeters><Notes>lap note</Notes><Track>
<Trackpoint><Time>2024-05-01T06:00:02Z</Time><AltitudeMeters>401</AltitudeMeters>
<HeartRateBpm><Value>104</Value></HeartRateBpm></Trackpoint>
<Trackpoint><Time>2024-05-01T06:00:04Z</Time><DistanceMeters>12</DistanceMeters>
<Cadence>86</Cadence></Trackpoint>
</Track></Lap><Notes>easy</Notes>
<Creator xsi:type="Device_t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<Name>Forerunner 945</Name><UnitId>1</UnitId></Creator></Activity></Activities>
</TrainingCenterDatabase>
"""


@pytest.mark.parametrize(("module", "data", "fast_expected"), [
    (gpx, STRAVA_GPX, True),
    (gpx, PHONE_GPX, True),
    (tcx, LAP_TCX, True),
    # Unreadable times (NaN on both paths, never handed to NumPy's datetime parser).
    (tcx, LAP_TCX.replace(b":02Z</Time>", b":02ZZ</Time>"), True),
    # Handed back to lxml: a comment, an entity reference, ele after time.
    (gpx, STRAVA_GPX.replace(b"<trkseg>", b"<trkseg><!-- c -->"), False),
    # A point inside an attribute value is invalid XML: lxml's error, not a point.
    (tcx, LAP_TCX.replace(b'<Lap StartTime="2024-05-01T06:00:02Z">',
                          b'<Lap StartTime="<Trackpoint><Time>2024-05-01T06:00:09Z</Time>'
                          b'</Trackpoint>">'), False),
    (tcx, LAP_TCX.replace(b"<Notes>easy", b"<Notes>easy &amp; slow"), False),
    (gpx, PHONE_GPX.replace(b"<ele>402.0</ele><time>2024-05-01T06:00:04.118+02:00</time>",
                            b"<time>2024-05-01T06:00:04.118+02:00</time><ele>402.0</ele>"),
     False),
])
def test_fast_path_agrees_or_hands_back(module: object, data: bytes, fast_expected: bool,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    probe = xmlfast.read_gpx if module is gpx else xmlfast.read_tcx
    assert (probe(data) is not None) == fast_expected
    _check(module, data, "generated", monkeypatch)


def test_tcx_fast_path_values_and_lap_repeat() -> None:
    parsed = xmlfast.read_tcx(LAP_TCX)
    assert parsed is not None
    (act,), courses = parsed
    assert courses == 0 and act.sport_text == "Running"
    assert act.notes == "easy" and act.device == "Forerunner 945"
    time_s, _, _, alt, dist, hr, *_ = act.columns
    # The lap-boundary repeat at 06:00:02 is merged: its altitude and HR fill the gaps.
    assert len(time_s) == 3
    assert alt[1] == 401.0 and hr[1] == 104.0 and dist[1] == 6.0
    assert [lap[2] for lap in act.laps] == [6.0, 6.0]


def test_gpx_fast_path_values() -> None:
    parsed = xmlfast.read_gpx(STRAVA_GPX)
    assert parsed is not None
    (track,) = parsed.tracks
    assert track.name == "Morning Run" and track.type == "running"
    assert parsed.creator == "StravaGPX"
    assert track.columns["lat_deg"] == [47.0, 47.00002, 47.00004]
    assert track.columns["lon_deg"] == [8.0, 8.00003, 8.00006]
    assert track.columns["hr"][:2] == [120.0, 122.0]
    assert track.columns["power"][0] == 210.0
    assert track.columns["time_s"][2] - track.columns["time_s"][0] == 2.5
