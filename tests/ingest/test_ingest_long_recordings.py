"""Long recordings (issue 11, item 9): one activity lasts at most 48 hours. Before, a
3.5-million-point 1 Hz GPX was stored as one 972-hour run and took 1.5 GB to read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from stridewise import sanitise
from stridewise.activity import build_activity
from stridewise.errors import IngestError
from stridewise.ingest import read_bytes

START = datetime(2025, 6, 1, 6, 0, tzinfo=UTC)


def _gpx_points(n: int) -> list[bytes]:
    """``n`` points one second apart, walking north at 2 m/s."""
    lat = (45.0 + np.arange(n) * 2.0 / 111_195.0).tolist()
    seconds = np.datetime64(START.replace(tzinfo=None), "s") + np.arange(n)
    stamps = np.datetime_as_string(seconds, unit="s").tolist()
    return [f'<trkpt lat="{y:.7f}" lon="7.0"><time>{s}Z</time></trkpt>'.encode()
            for y, s in zip(lat, stamps, strict=True)]


def _gpx(points: list[bytes], tail: bytes = b"</trkseg></trk></gpx>") -> bytes:
    return (b'<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
            b"<trk><type>walking</type><trkseg>" + b"".join(points) + tail)


def test_a_50_hour_1hz_recording_is_refused_with_the_48_hour_rule() -> None:
    data = _gpx(_gpx_points(50 * 3600 + 1))  # 180,001 points
    with pytest.raises(IngestError) as refused:
        read_bytes(data, source_name="long.gpx")
    assert refused.value.reason == (
        "its records span 50 hours; one activity can last at most 48 hours, so a longer "
        "recording is refused rather than stored as one activity: split it into separate "
        "days with your device's app and import those")


def test_47_hours_is_one_activity() -> None:
    t = START.timestamp() + np.arange(0, 47 * 3600 + 1, 10, dtype=float)
    activity = build_activity({"time_s": t}, sport="walk", source_format="test")
    assert activity.summary.elapsed_s == 47 * 3600


def test_a_huge_track_is_refused_while_streaming_before_it_is_all_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sanitise, "MAX_RECORDS", 1000)
    # The file is broken after point 1,500: reading it all would fail on the broken XML
    # instead, so the reason proves the refusal came while streaming.
    data = _gpx(_gpx_points(1500), tail=b"<trkpt lat=")
    with pytest.raises(IngestError, match="it holds more than 1,000 records"):
        read_bytes(data, source_name="huge.gpx")
    tcx = (b'<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/'
           b'xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
           b"<Lap><Track>" + b"".join(
               f"<Trackpoint><Time>{(START + timedelta(seconds=i)).isoformat()}</Time>"
               "</Trackpoint>".encode() for i in range(1500)) + b"<Trackpoint><Ti")
    with pytest.raises(IngestError, match="it holds more than 1,000 records"):
        read_bytes(tcx, source_name="huge.tcx")
