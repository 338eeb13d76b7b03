"""Hostile and quirky XML, generated here: entity attacks refused, Garmin quirks tolerated."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stridewise.errors import CorruptFileError, UnsafeFileError
from stridewise.ingest import gpx, read_bytes, tcx

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<gpx version="1.1"><trk><name>&lol9;</name><trkseg>
<trkpt lat="1" lon="1"><time>2024-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>
"""
XXE_TCX = b"""<?xml version="1.0"?>
<!-- a comment first does not hide it -->
<!DOCTYPE TrainingCenterDatabase [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TrainingCenterDatabase><Activities><Activity Sport="Running"><Notes>&xxe;</Notes>
</Activity></Activities></TrainingCenterDatabase>
"""


def _gpx(points: str, *, ns: str = 'xmlns="http://www.topografix.com/GPX/1/1"',
         trk_type: str = "running") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" {ns}>\n'
            f"<trk><name>t</name><type>{trk_type}</type><trkseg>{points}</trkseg></trk></gpx>"
            ).encode()


def _trkpt(second: int, extensions: str = "") -> str:
    return (f'<trkpt lat="46.0{second:03d}" lon="14.5"><ele>300</ele>'
            f"<time>2024-05-01T06:00:{second:02d}Z</time>{extensions}</trkpt>")


@pytest.mark.parametrize("document", [BILLION_LAUGHS, XXE_TCX], ids=["billion-laughs", "xxe"])
def test_doctype_is_refused(document: bytes) -> None:
    with pytest.raises(UnsafeFileError, match="DOCTYPE"):
        read_bytes(document, source_name="evil.xml")


def test_doctype_in_utf16_is_refused_by_the_parsed_document_check() -> None:
    # The byte-level prolog scan cannot read UTF-16; the parsed-document check must.
    document = BILLION_LAUGHS.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16")
    with pytest.raises(UnsafeFileError, match="DOCTYPE"):
        gpx.read(document, source_name="evil16.gpx")


def test_bom_and_leading_whitespace_are_tolerated() -> None:
    data = b"\xef\xbb\xbf \r\n\t " + _gpx(_trkpt(0) + _trkpt(1))
    [activity] = gpx.read(data, source_name="quirk.gpx")
    assert activity.n_records == 2


def test_garmin_v2_and_bare_extensions_both_read() -> None:
    v2 = ('<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr>'
          '<gpxtpx:cad>85</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions>')
    bare = "<extensions><heartrate>141</heartrate><cadence>86</cadence><power>250</power>" \
           "</extensions>"
    ns = ('xmlns="http://www.topografix.com/GPX/1/1" '
          'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v2"')
    [activity] = gpx.read(_gpx(_trkpt(0, v2) + _trkpt(1, bare), ns=ns), source_name="ext.gpx")
    assert activity.records["heart_rate_bpm"].tolist() == [140.0, 141.0]
    assert activity.records["cadence_spm"].tolist() == [170.0, 172.0]  # strides x 2
    assert activity.records["power_w"][1] == 250.0 and math.isnan(activity.records["power_w"][0])


def test_gpx_cadence_is_rpm_for_cycling() -> None:
    ext = "<extensions><cad>90</cad></extensions>"
    [activity] = gpx.read(_gpx(_trkpt(0, ext) + _trkpt(1, ext), trk_type="cycling"),
                          source_name="ride.gpx")
    assert "cadence_spm" not in activity.records
    assert activity.records["cadence_rpm"].tolist() == [90.0, 90.0]


def test_gpx_without_namespace_and_naive_times_read_as_utc() -> None:
    points = ('<trkpt lat="46" lon="14"><time>2024-05-01T06:00:00</time></trkpt>'
              '<trkpt lat="46.001" lon="14"><time>2024-05-01T06:00:05</time></trkpt>')
    [activity] = gpx.read(_gpx(points, ns=""), source_name="plain.gpx")
    assert activity.start_time_utc.isoformat() == "2024-05-01T06:00:00+00:00"


def test_malformed_xml_in_the_middle_names_the_line() -> None:
    data = _gpx(_trkpt(0) + "\n<trkpt lat='1' lon='2'><time>x</tim></trkpt>\n" + _trkpt(2))
    with pytest.raises(CorruptFileError, match=r"malformed at line 4"):
        gpx.read(data, source_name="bad.gpx")


def _tcx(trackpoints: str, sport: str = "Running") -> bytes:
    return ('<?xml version="1.0"?><TrainingCenterDatabase '
            'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
            'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
            f'<Activities><Activity Sport="{sport}"><Id>2024-05-01T06:00:00Z</Id>'
            '<Lap StartTime="2024-05-01T06:00:00Z"><TotalTimeSeconds>2</TotalTimeSeconds>'
            f"<Track>{trackpoints}</Track></Lap></Activity></Activities>"
            "</TrainingCenterDatabase>").encode()


def _tp(second: int, inner: str) -> str:
    return f"<Trackpoint><Time>2024-05-01T06:00:0{second}Z</Time>{inner}</Trackpoint>"


def test_tcx_cadence_units_per_sport() -> None:
    run = tcx.read(_tcx(_tp(0, "<Cadence>80</Cadence>") + _tp(1, "<Extensions><ns3:TPX>"
                        "<ns3:RunCadence>82</ns3:RunCadence><ns3:Watts>300</ns3:Watts>"
                        "</ns3:TPX></Extensions>")), source_name="r.tcx")[0]
    assert run.records["cadence_spm"].tolist() == [160.0, 164.0]
    assert np.isnan(run.records["power_w"][0]) and run.records["power_w"][1] == 300.0
    ride = tcx.read(_tcx(_tp(0, "<Cadence>90</Cadence>") + _tp(1, "<Cadence>91</Cadence>"),
                         sport="Biking"), source_name="b.tcx")[0]
    assert ride.records["cadence_rpm"].tolist() == [90.0, 91.0]


def test_tcx_lap_boundary_repeat_is_merged_not_duplicated() -> None:
    hr = "<HeartRateBpm><Value>{}</Value></HeartRateBpm>"
    data = _tcx(_tp(0, hr.format(120)) + _tp(1, "<HeartRateBpm><Value/></HeartRateBpm>")
                + _tp(1, hr.format(122)) + _tp(2, hr.format(123)))
    activity = tcx.read(data, source_name="laps.tcx")[0]
    assert activity.records["heart_rate_bpm"].tolist() == [120.0, 122.0, 123.0]
