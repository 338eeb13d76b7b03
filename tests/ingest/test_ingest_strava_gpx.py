"""Strava GPX exports (issue 12 items 2-3): numeric <type> codes and an undeclared gpxdata:
prefix. The files are written here, reproducing what Strava exports look like."""

from __future__ import annotations

import pytest

from stridewise.errors import CorruptFileError, UnsafeFileError
from stridewise.ingest import gpx

T0 = "2024-05-01T07:00:{:02d}Z"


def _strava_gpx(type_code: str, *, declare_gpxdata: bool, cadence: int = 85) -> bytes:
    ns = ' xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0"' if declare_gpxdata else ""
    points = "".join(
        f'<trkpt lat="{51.5 + i * 0.0001:.5f}" lon="-0.1"><ele>10</ele><time>{T0.format(i)}'
        f"</time><extensions><gpxdata:hr>140</gpxdata:hr><gpxdata:cadence>{cadence}"
        "</gpxdata:cadence></extensions></trkpt>"
        for i in range(0, 60, 2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1"{ns}>'
        f"<metadata><time>{T0.format(0)}</time></metadata>"
        f"<trk><name>Morning Run</name><type>{type_code}</type><trkseg>{points}</trkseg></trk>"
        "</gpx>"
    ).encode()


@pytest.mark.parametrize(
    ("code", "sport"), [("9", "run"), ("1", "ride"), ("10", "walk"), ("4", "hike")]
)
def test_strava_numeric_type_codes(code: str, sport: str) -> None:
    [act] = gpx.read(_strava_gpx(code, declare_gpxdata=True), source_name="strava.gpx")
    assert act.sport == sport
    assert not act.warnings


def test_strava_run_keeps_its_cadence() -> None:
    # 85 strides per minute of one foot is 170 steps per minute once it is known to be a run.
    [act] = gpx.read(_strava_gpx("9", declare_gpxdata=True), source_name="strava.gpx")
    assert act.summary.avg_cadence_spm == pytest.approx(170.0)
    assert act.summary.avg_heart_rate_bpm == pytest.approx(140.0)


def test_unknown_numeric_type_is_other_with_a_warning() -> None:
    [act] = gpx.read(_strava_gpx("987", declare_gpxdata=True), source_name="strava.gpx")
    assert act.sport == "other"
    assert any("987" in w and "not a known Strava code" in w for w in act.warnings)


def test_undeclared_gpxdata_prefix_is_read_with_a_warning() -> None:
    data = _strava_gpx("9", declare_gpxdata=False)
    [act] = gpx.read(data, source_name="strava.gpx")
    assert act.sport == "run"
    assert act.n_records == 30
    assert act.summary.avg_heart_rate_bpm == pytest.approx(140.0)
    assert act.summary.avg_cadence_spm == pytest.approx(170.0)
    assert any("gpxdata" in w and "without declaring" in w for w in act.warnings)


def test_undeclared_prefix_repair_keeps_other_faults_refused() -> None:
    data = _strava_gpx("9", declare_gpxdata=False)
    with pytest.raises(CorruptFileError, match="truncated"):
        gpx.read(data[: len(data) // 2], source_name="cut.gpx")


def test_undeclared_prefix_repair_keeps_doctype_refused() -> None:
    body = _strava_gpx("9", declare_gpxdata=False).decode()
    evil = body.replace(
        "\n", '\n<!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', 1
    ).replace("<name>Morning Run</name>", "<name>&x;</name>")
    with pytest.raises(UnsafeFileError, match="DOCTYPE"):
        gpx.read(evil.encode(), source_name="evil.gpx")
