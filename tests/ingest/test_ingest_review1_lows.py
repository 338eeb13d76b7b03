"""Nested zips over the per-file cap, multi-member gzip, XML sniffing past the prolog, and
manual-session CSVs found in folders and archives."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from stridewise.errors import FileTooLargeError, UnsafeFileError, UnsupportedFormatError
from stridewise.ingest import gunzip_capped, sniff_format, sources
from stridewise.ingest.sources import iter_sources

GPX = (b'<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
       b"<trk><trkseg></trkseg></trk></gpx>")
LOG_CSV = b"date,type,duration,rpe\n2025-03-14,strength,40,6\n"
STRAVA_CSV = b"Activity ID,Activity Date,Activity Name,Activity Type,Filename\n1,x,y,Run,a.gpx\n"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_nested_zip_over_the_per_file_cap_is_walked(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # The per-file cap scaled down: the nested part is bigger than it, each file inside is not.
    monkeypatch.setattr(sources, "MAX_MEMBER_BYTES", 3 * len(GPX))
    inner = _zip({"a.gpx": GPX, "b.gpx": GPX, "c.gpx": GPX, "d.gpx": GPX})
    assert len(inner) > 3 * len(GPX)
    path = tmp_path / "garmin.zip"
    path.write_bytes(_zip({"DI_CONNECT/UploadedFiles_0-_Part1.zip": inner}))
    found = list(iter_sources([path]))
    assert [s.name.rsplit("!", 1)[1] for s in found] == ["a.gpx", "b.gpx", "c.gpx", "d.gpx"]
    assert all(s.read() == GPX for s in found)


def test_only_innermost_files_count_against_the_archive_total(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inner = _zip({"a.gpx": GPX, "b.gpx": GPX})
    # Room for both files but not for the container counted on top of them.
    monkeypatch.setattr(sources, "MAX_ARCHIVE_TOTAL_BYTES", len(inner) + len(GPX) // 2)
    path = tmp_path / "export.zip"
    path.write_bytes(_zip({"part.zip": inner}))
    assert [s.read() for s in iter_sources([path])] == [GPX, GPX]
    # The total still binds: the files inside count, so a large file after them goes over.
    large = GPX.replace(b"<trk>", b" " * 2000 + b"<trk>")
    path.write_bytes(_zip({"part.zip": inner, "large.gpx": large}))
    monkeypatch.setattr(sources, "MAX_ARCHIVE_TOTAL_BYTES", len(inner) + len(large) // 2)
    first, second, third = iter_sources([path])
    assert first.read() == second.read() == GPX
    with pytest.raises(FileTooLargeError, match="possible zip bomb"):
        third.read()


def test_nested_zip_bomb_protections_still_hold(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Ratio: a highly compressible nested zip is refused before it is spooled.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as outer:
        outer.writestr("bomb.zip", _zip({"z.gpx": b"\0" * (4 * 1024 * 1024)}))
    path = tmp_path / "bomb.zip"
    path.write_bytes(buffer.getvalue())
    [refused] = iter_sources([path])
    with pytest.raises(FileTooLargeError, match="zip bomb"):
        refused.read()
    # Depth: a zip in a zip in a zip.
    path.write_bytes(_zip({"p.zip": _zip({"q.zip": _zip({"a.gpx": GPX})})}))
    [deep] = iter_sources([path])
    with pytest.raises(UnsafeFileError, match="nested more than"):
        deep.read()
    # Total: a container bigger than the whole archive budget is not spooled.
    monkeypatch.setattr(sources, "MAX_ARCHIVE_TOTAL_BYTES", len(GPX))
    path.write_bytes(_zip({"p.zip": _zip({"a.gpx": GPX})}))
    [over] = iter_sources([path])
    with pytest.raises(FileTooLargeError, match="past"):
        over.read()


def test_multi_member_gzip_is_read_whole_under_one_cap() -> None:
    data = b"<gpx>" + bytes(range(256)) * 40 + b"</gpx>"
    two = gzip.compress(data[:1000]) + gzip.compress(data[1000:])
    assert gunzip_capped(two, "a.gpx.gz") == data
    with pytest.raises(FileTooLargeError, match="gzip bomb"):
        gunzip_capped(two, "a.gpx.gz", limit=len(data) - 1)
    with pytest.raises(Exception, match="truncated"):
        gunzip_capped(two[:-5], "a.gpx.gz")
    # Trailing bytes that are not another member are ignored, as before.
    assert gunzip_capped(gzip.compress(data) + b"\0\0\0", "a.gpx.gz") == data


def test_sniffing_sees_past_a_long_comment_and_reads_utf16() -> None:
    commented = GPX.replace(b"?>", b"?><!--" + b"x" * 20_000 + b"--><?pi x?>", 1)
    assert sniff_format(commented, "upload") == "gpx"
    text = GPX.decode().replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>', 1)
    assert sniff_format(text.encode("utf-16"), "upload") == "gpx"
    assert sniff_format(text.encode("utf-16-be"), "upload") == "gpx"
    tcx = b"<?xml version='1.0'?>\n<!-- c -->\n<TrainingCenterDatabase xmlns='x'/>"
    assert sniff_format(tcx.decode().encode("utf-16"), "upload") == "tcx"
    with pytest.raises(UnsupportedFormatError, match="root element is <kml>"):
        sniff_format(b"<?xml version='1.0'?><!-- <gpx> --><kml/>", "upload")
    # A prolog longer than the window: the name decides, else a reason saying so.
    endless = b"<!--" + b"x" * 70_000 + b"--><gpx/>"
    assert sniff_format(endless, "run.gpx") == "gpx"
    with pytest.raises(UnsupportedFormatError, match="first 64 KiB"):
        sniff_format(endless, "upload")


def test_session_log_csvs_are_found_in_folders_and_zips(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "gym.csv").write_bytes(b"\xef\xbb\xbf" + LOG_CSV.upper())
    (tmp_path / "logs" / "activities.csv").write_bytes(STRAVA_CSV)
    (tmp_path / "logs" / "notes.csv").write_bytes(b"just some text\n")
    (tmp_path / "export.zip").write_bytes(_zip({
        "activities.csv": STRAVA_CSV, "sessions/log.csv": LOG_CSV, "other.csv": b"a,b\n1,2\n",
    }))
    names = sorted(s.name for s in iter_sources([tmp_path]))
    assert names == [str(tmp_path / "export.zip") + "!sessions/log.csv",
                     str(tmp_path / "logs" / "gym.csv")]
