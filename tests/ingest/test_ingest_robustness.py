"""Hostile or odd inputs: each names its problem, and one stray value never re-dates a file."""

from __future__ import annotations

import contextlib
import csv
import random
import struct
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stridewise.errors import (
    CorruptFileError,
    FileTooLargeError,
    IngestError,
    UnsupportedFormatError,
)
from stridewise.fit.crc import crc16_arc
from stridewise.ingest import MAX_FILE_BYTES, csvlog, exportindex, fit, gpx, read_bytes
from stridewise.ingest.sources import iter_sources

START = datetime(2025, 3, 10, 7, 0, tzinfo=UTC)


def _gpx(times: list[str], kind: str = "running", cad: float | None = None) -> bytes:
    ext = (f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:cad>{cad:g}</gpxtpx:cad>"
           "</gpxtpx:TrackPointExtension></extensions>") if cad else ""
    points = "".join(
        f'<trkpt lat="{51.5 + i * 3e-5:.7f}" lon="-0.1"><time>{t}</time>{ext}</trkpt>'
        for i, t in enumerate(times)
    )
    return ('<?xml version="1.0"?><gpx version="1.1" creator="t" '
            'xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
            f"<trk><type>{kind}</type><trkseg>{points}</trkseg></trk></gpx>").encode()


def _times(n: int = 1800, start: datetime = START) -> list[str]:
    return [(start + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ") for i in range(n)]


def test_one_stray_timestamp_is_dropped_with_a_warning_naming_it() -> None:
    times = _times()
    times[900] = (START + timedelta(seconds=900) - timedelta(weeks=1024)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    activity = gpx.read(_gpx(times), source_name="x.gpx")[0]
    assert activity.start_time_utc == START
    assert activity.summary.elapsed_s == 1799.0
    assert any("record 901 at 2005-07-25" in w for w in activity.warnings)
    times[900] = "2031-01-01T00:00:00Z"  # a stray in the future no longer refuses the file
    assert gpx.read(_gpx(times), source_name="x.gpx")[0].summary.elapsed_s == 1799.0


def test_two_recordings_days_apart_are_refused_and_so_is_one_over_48_hours() -> None:
    joined = _times(600) + _times(600, START + timedelta(days=3))
    with pytest.raises(IngestError, match="72-hour gap"):
        gpx.read(_gpx(joined), source_name="x.gpx")
    every_minute = [(START + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
                    for i in range(60 * 60)]  # 60 hours: over the 48-hour cap (issue 11)
    with pytest.raises(IngestError, match="span 60 hours; one activity can last at most 48"):
        gpx.read(_gpx(every_minute), source_name="x.gpx")
    kept = gpx.read(_gpx(every_minute[: 47 * 60]), source_name="x.gpx")[0]
    assert kept.summary.elapsed_s == (47 * 60 - 1) * 60.0


def test_a_sparse_recording_keeps_its_far_apart_points() -> None:
    times = [START.strftime("%Y-%m-%dT%H:%M:%SZ"),
             (START + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert gpx.read(_gpx(times), source_name="x.gpx")[0].summary.elapsed_s == 7200.0


def test_a_file_over_the_cap_is_refused_from_its_size_on_disk(tmp_path: Path) -> None:
    huge = tmp_path / "huge.fit"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used, never read
    [source] = list(iter_sources([huge]))
    with pytest.raises(FileTooLargeError, match="over the 256 MiB cap"):
        source.read()


def test_a_member_with_an_unsupported_compression_method_names_it(tmp_path: Path) -> None:
    archive = tmp_path / "d64.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.gpx", _gpx(_times(60)))
        zf.writestr("b.gpx", _gpx(_times(60, START + timedelta(days=1))))
    data = bytearray(archive.read_bytes())
    data[8:10] = struct.pack("<H", 9)  # Deflate64, as Windows Explorer writes big files
    central = data.find(b"PK\x01\x02")
    data[central + 10:central + 12] = struct.pack("<H", 9)
    archive.write_bytes(bytes(data))
    first, second = iter_sources([archive])
    with pytest.raises(UnsupportedFormatError, match="compression method"):
        first.read()
    assert read_bytes(second.read(), source_name=second.name)


@pytest.fixture
def small_csv_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    saved = csv.field_size_limit()
    monkeypatch.setattr(exportindex, "CSV_FIELD_LIMIT", 1000)
    yield
    csv.field_size_limit(saved)


def test_an_unreadable_strava_index_is_skipped_with_a_warning(
    tmp_path: Path, small_csv_limit: None
) -> None:
    archive = tmp_path / "strava.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("activities.csv", "Activity ID,Activity Name,Activity Type,Activity "
                    'Description,Filename\n1,Run,Run,"' + "x" * 2000 + '",activities/1.gpx\n')
        zf.writestr("activities/1.gpx", _gpx(_times(60)))
    [source] = list(iter_sources([archive]))
    assert source.meta.name is None
    assert any("activities.csv could not be read" in w for w in source.meta.warnings)


def test_a_long_strava_description_does_not_lose_the_index(tmp_path: Path) -> None:
    archive = tmp_path / "strava.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("activities.csv", "Activity ID,Activity Name,Activity Type,Activity "
                    'Description,Filename\n1,Long one,Run,"' + "x" * 140_000
                    + '",activities/1.gpx\n')
        zf.writestr("activities/1.gpx", _gpx(_times(60)))
    [source] = list(iter_sources([archive]))
    assert (source.meta.name, source.meta.warnings) == ("Long one", ())


def test_csv_times_without_a_zone_are_in_the_given_zone() -> None:
    data = b"date,type,duration\n2025-03-10 06:30,run,30\n"
    [session] = read_bytes(data, source_name="log.csv",
                           local_tz=ZoneInfo("America/Los_Angeles"))
    assert session.start_time_utc == datetime(2025, 3, 10, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize("day", ["1949-12-31", "2999-01-01"])
def test_csv_dates_before_the_typed_floor_or_in_the_future_are_refused(day: str) -> None:
    with pytest.raises(CorruptFileError, match=f"row 2: date '{day}': the date cannot be"):
        csvlog.read(f"date,type,duration\n{day},run,30\n".encode(), source_name="log.csv")


def test_cadence_follows_the_sport_an_archive_index_gives() -> None:
    from stridewise.activity import with_sport

    # (kind "9" was the unknown sport here until Strava's numeric codes were mapped: 9 = run)
    unknown = gpx.read(_gpx(_times(600), kind="Unknown", cad=85), source_name="x.gpx")[0]
    assert unknown.sport == "other" and "cadence_rpm" in unknown.records
    run = with_sport(unknown, "run")
    assert "cadence_rpm" not in run.records
    assert run.summary.avg_cadence_spm == pytest.approx(170.0)
    assert run.summary.steps is not None and run.summary.steps > 1500


def test_multisport_records_outside_every_session_are_counted(samples_dir: Path) -> None:
    data = (samples_dir / "fit" / "multisport_fenix2_6h50.fit").read_bytes()
    legs = fit.read(data, source_name="m.fit")
    assert len(legs) == 4
    assert all("2700 before the first session" in " ".join(leg.warnings) for leg in legs)


@pytest.mark.parametrize("name", ["corrupt_bad_file_crc.fit", "run_fenix2_47min.fit"])
def test_bytes_flipped_in_a_fit_file_give_a_named_problem_not_a_crash(
    samples_dir: Path, name: str
) -> None:
    """Random bytes changed in the body, CRC recomputed so the damage gets past it."""
    original = (samples_dir / "fit" / name).read_bytes()
    header_size, _, _, data_size = struct.unpack_from("<BBHI", original, 0)
    rng = random.Random(1)
    for _ in range(300):
        body = bytearray(original[:header_size + data_size])
        for _ in range(rng.choice([1, 2, 4, 8])):
            body[rng.randrange(header_size, header_size + data_size)] = rng.randrange(256)
        damaged = bytes(body) + struct.pack("<H", crc16_arc(bytes(body)))
        with contextlib.suppress(IngestError):
            read_bytes(damaged, source_name="f.fit")
