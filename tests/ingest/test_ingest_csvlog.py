"""Manual-session CSV: good rows become sessions; any bad row refuses the file, listing all."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from stridewise.errors import CorruptFileError, EmptyActivityError
from stridewise.ingest import csvlog, read_bytes

LJUBLJANA = ZoneInfo("Europe/Ljubljana")


def test_good_rows_become_sessions() -> None:
    data = ("\ufeffDate,Type,Duration,distance_km,rpe,notes\n"
            "2025-03-14,run,45,8.2,5,\"easy, flat\"\n"
            "2025-03-15T07:30,Walking,1:05:00,,,\n"
            ",,,,,\n"
            "2025-07-16 07:30Z,strength,30,,7,\n").encode()
    sessions = csvlog.read(data, source_name="log.csv", local_tz=LJUBLJANA)
    assert [s.kind for s in sessions] == ["run", "walk", "strength"]
    # A date alone is noon local time; a naive time is local; an explicit zone wins.
    assert sessions[0].start_time_utc == datetime(2025, 3, 14, 11, 0, tzinfo=UTC)
    assert sessions[1].start_time_utc == datetime(2025, 3, 15, 6, 30, tzinfo=UTC)
    assert sessions[2].start_time_utc == datetime(2025, 7, 16, 7, 30, tzinfo=UTC)
    assert sessions[0].duration_s == 2700 and sessions[1].duration_s == 3900
    assert sessions[0].distance_m == 8200 and sessions[0].notes == "easy, flat"
    assert sessions[0].rpe == 5 and sessions[1].rpe is None


def test_miles_are_converted() -> None:
    data = b"date,type,duration,distance_mi\n2025-03-14,run,30,3.1\n"
    [session] = csvlog.read(data, source_name="mi.csv")
    assert session.distance_m == pytest.approx(3.1 * 1609.344)


def test_every_bad_row_is_listed_and_nothing_imported() -> None:
    data = (b"date,type,duration,distance_km,rpe,notes\n"
            b"2025-03-14,run,45,,,\n"
            b"2025-13-01,swim,1:30,,11,\n"
            b"2025-03-02,run,30,\"5,2\",,\n"
            b"2025-03-03,run,30,1,2,a,b\n")
    with pytest.raises(CorruptFileError) as caught:
        csvlog.read(data, source_name="bad.csv")
    reason = caught.value.reason
    assert reason.startswith("3 row(s) have problems, so nothing was imported")
    for expected in ("row 3: date '2025-13-01'", "type 'swim' is not one of",
                     "duration '1:30' is ambiguous", "rpe 11 is outside 0-10",
                     "row 4: distance_km '5,2' is not a number (use a dot",
                     "row 5: 7 cells but the header has 6 columns"):
        assert expected in reason
    assert "row 2" not in reason


def test_header_problems_name_the_columns() -> None:
    with pytest.raises(CorruptFileError, match=r"missing column\(s\) duration.*'distanse_km'"):
        csvlog.read(b"date,type,distanse_km\n2025-01-01,run,3\n", source_name="h.csv")


def test_header_only_is_empty() -> None:
    with pytest.raises(EmptyActivityError):
        csvlog.read(b"date,type,duration\n", source_name="e.csv")


def test_dispatch_reads_csv_by_name() -> None:
    [session] = read_bytes(b"date,type,duration\n2025-01-01,balance,10\n", source_name="x.csv")
    assert session.kind == "balance"  # type: ignore[union-attr]
