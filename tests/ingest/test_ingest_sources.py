"""Folders and zip archives (Strava- and Garmin-style exports, generated here) and bombs."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from stridewise.errors import (
    CorruptFileError,
    FileTooLargeError,
    IngestError,
    UnsafeFileError,
)
from stridewise.ingest import gunzip_capped, sources
from stridewise.ingest.sources import Source, SourceMeta, iter_sources

GPX = (b'<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
       b'<trk><trkseg><trkpt lat="46" lon="14"><time>2024-05-01T06:00:00Z</time></trkpt>'
       b"</trkseg></trk></gpx>")
FIT_LIKE = b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT" + b"\x00" * 20
STRAVA_CSV = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
    "Filename,Distance,Perceived Exertion,Relative Effort\n"
    '111,"May 1, 2024",Morning Run,Run,1800,5.0,activities/111.gpx.gz,5000,6.0,85\n'
    '222,"May 2, 2024",Lunch Ride,Ride,3600,20.0,activities/222.fit.gz,20000,,140\n'
    '333,"May 3, 2024",Gym,Weight Training,1800,0,,0,,\n'
)


def _zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _by_name(found: list[Source]) -> dict[str, Source]:
    return {source.name.split("!", 1)[-1]: source for source in found}


def test_strava_export_gives_sources_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(_zip_bytes({
        "activities.csv": STRAVA_CSV.encode(),
        "comments.csv": b"x\n",
        "activities/111.gpx.gz": gzip.compress(GPX),
        "activities/222.fit.gz": gzip.compress(FIT_LIKE),
        "activities/.DS_Store": b"junk",
        "__MACOSX/activities/._111.gpx.gz": b"junk",
    }))
    found = _by_name(list(iter_sources([path])))
    assert sorted(found) == ["activities/111.gpx.gz", "activities/222.fit.gz"]
    run = found["activities/111.gpx.gz"]
    assert run.name == f"{path}!activities/111.gpx.gz"
    assert run.meta == SourceMeta(name="Morning Run", sport="run", rpe=6.0)
    assert gzip.decompress(run.read()) == GPX
    assert run.size_bytes == len(gzip.compress(GPX))
    # Relative Effort (140) is a heart-rate load score, never taken as RPE.
    assert found["activities/222.fit.gz"].meta == SourceMeta(name="Lunch Ride", sport="ride")


def test_garmin_export_walks_nested_zips_and_names_by_activity_id(tmp_path: Path) -> None:
    summary = [{"summarizedActivitiesExport": [
        {"activityId": 98765, "name": "Trail loop", "activityType": "trail_running"}]}]
    deepest = _zip_bytes({"too_deep.fit": FIT_LIKE})
    uploaded = _zip_bytes({"me@example.com_98765.fit": FIT_LIKE,
                           "me@example.com_11111.fit": FIT_LIKE,
                           "third_level.zip": deepest})
    path = tmp_path / "garmin.zip"
    path.write_bytes(_zip_bytes({
        "DI_CONNECT/DI-Connect-Fitness/me_0_summarizedActivities.json":
            json.dumps(summary).encode(),
        "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": uploaded,
    }))
    found = _by_name(list(iter_sources([path])))
    inner = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!"
    assert sorted(found) == [inner + n for n in
                             ("me@example.com_11111.fit", "me@example.com_98765.fit",
                              "third_level.zip")]
    named = found[inner + "me@example.com_98765.fit"]
    assert named.meta == SourceMeta(name="Trail loop", sport="run")
    assert named.read() == FIT_LIKE
    assert found[inner + "me@example.com_11111.fit"].meta == SourceMeta()
    with pytest.raises(UnsafeFileError, match="nested more than 2 deep"):
        found[inner + "third_level.zip"].read()


def test_zip_bomb_member_is_refused_but_the_rest_still_read(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(_zip_bytes({"a.gpx": GPX, "bomb.gpx": b"\0" * (20 * 1024 * 1024),
                                 "../../etc/evil.gpx": GPX, "/abs.tcx": GPX}))
    found = _by_name(list(iter_sources([path])))
    assert found["a.gpx"].read() == GPX
    with pytest.raises(FileTooLargeError, match="zip bomb"):
        found["bomb.gpx"].read()
    for traversal in ("../../etc/evil.gpx", "/abs.tcx"):
        with pytest.raises(UnsafeFileError, match="path traversal"):
            found[traversal].read()


def test_member_count_total_and_member_size_caps(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "many.zip"
    path.write_bytes(_zip_bytes({f"{i}.gpx": GPX for i in range(5)}, zipfile.ZIP_STORED))
    monkeypatch.setattr(sources, "MAX_ZIP_MEMBERS", 4)
    [refused] = list(iter_sources([path]))
    with pytest.raises(FileTooLargeError, match="holds 5 files"):
        refused.read()
    monkeypatch.setattr(sources, "MAX_ZIP_MEMBERS", 100)
    monkeypatch.setattr(sources, "MAX_ARCHIVE_TOTAL_BYTES", 3 * len(GPX))
    results = []
    for source in iter_sources([path]):
        try:
            results.append(source.read() == GPX)
        except FileTooLargeError as exc:
            assert "uncompressed" in exc.reason
            results.append(False)
    assert results == [True, True, True, False, False]
    monkeypatch.setattr(sources, "MAX_MEMBER_BYTES", len(GPX) - 1)
    with pytest.raises(FileTooLargeError, match="cap per file"):
        next(iter(iter_sources([path]))).read()


def test_folder_walk_skips_junk_and_csv_and_opens_zips(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "a" / "run.gpx").write_bytes(GPX)
    (tmp_path / "a" / "b" / "ride.TCX.gz").write_bytes(gzip.compress(GPX))
    (tmp_path / "a" / ".DS_Store").write_bytes(b"x")
    (tmp_path / "a" / "notes.csv").write_bytes(b"x")
    (tmp_path / "__MACOSX" / "._run.gpx").write_bytes(b"x")
    (tmp_path / "more.zip").write_bytes(_zip_bytes({"z.fit": FIT_LIKE}))
    names = [s.name for s in iter_sources([tmp_path])]
    assert names == [str(tmp_path / "more.zip") + "!z.fit", str(tmp_path / "a" / "run.gpx"),
                     str(tmp_path / "a" / "b" / "ride.TCX.gz")]
    explicit_csv = tmp_path / "a" / "notes.csv"
    [source] = list(iter_sources([explicit_csv]))
    assert source.read() == b"x"


def test_damaged_zip_and_missing_path_are_errors_not_crashes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(_zip_bytes({"a.gpx": GPX * 50})[:-30])
    missing = tmp_path / "nope.gpx"
    damaged, absent = iter_sources([broken, missing])
    with pytest.raises(CorruptFileError, match="damaged or truncated"):
        damaged.read()
    with pytest.raises(IngestError, match="no such file"):
        absent.read()


def test_gzip_bomb_and_truncated_gzip_are_refused() -> None:
    bomb = gzip.compress(b"\0" * (8 * 1024 * 1024))
    with pytest.raises(FileTooLargeError, match="gzip bomb"):
        gunzip_capped(bomb, "bomb.gpx.gz", limit=1024 * 1024)
    with pytest.raises(CorruptFileError, match="truncated"):
        gunzip_capped(gzip.compress(GPX * 100)[:-20], "cut.gpx.gz")
