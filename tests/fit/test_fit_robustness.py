"""Damaged input never comes through as data and never crashes with anything but
FitFormatError; plus the CRC, the profile tables and compressed timestamps by hand."""

from __future__ import annotations

import contextlib
import struct

import numpy as np
import pytest
from garmin_fit_sdk import Profile
from hypothesis import given, settings
from hypothesis import strategies as st

from stridewise.fit.crc import crc16_arc
from stridewise.fit.decode import FitFormatError, decode
from stridewise.fit.encode import encode_activity
from stridewise.fit.profile import MESSAGES

START = 1_750_000_000.0


def _sdk_crc(data: bytes) -> int:
    """The FIT SDK's documented nibble-table CRC, as an independent reference."""
    table = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
             0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]
    crc = 0
    for byte in data:
        tmp = table[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ table[byte & 0xF]
        tmp = table[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ table[(byte >> 4) & 0xF]
    return crc


def _file(n: int = 300) -> bytes:
    t = START + np.arange(n, dtype=float)
    return encode_activity({"time_s": t, "distance_m": np.arange(n) * 3.0,
                            "heart_rate_bpm": np.full(n, 140.0)})


def _refit(header: bytes, body: bytes) -> bytes:
    """A file with a correct header size, header CRC and file CRC around ``body``."""
    head = struct.pack("<BBHI4s", 14, 0x20, 21218, len(body), b".FIT")
    head += struct.pack("<H", crc16_arc(head))
    out = head + body
    return out + struct.pack("<H", crc16_arc(out))


@given(st.binary(max_size=300))
def test_crc_matches_the_sdk_routine(data: bytes) -> None:
    assert crc16_arc(data) == _sdk_crc(data)


def test_truncation_at_any_offset_is_refused() -> None:
    data = _file()
    for cut in range(0, len(data) - 1, 7):
        with pytest.raises(FitFormatError):
            decode(data[:cut])


def test_truncated_body_with_repaired_header_and_crc_never_crashes() -> None:
    data = _file()
    body = data[14:-2]
    for cut in range(1, len(body), 5):
        try:
            fit = decode(_refit(data[:14], body[:cut]))
        except FitFormatError as exc:
            assert "truncated" in str(exc) or "never defined" in str(exc)
        else:
            assert len(fit.table("record")) <= 300


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=400))
def test_random_body_with_valid_header_and_crc_is_refused_or_decoded(body: bytes) -> None:
    with contextlib.suppress(FitFormatError):
        fit = decode(_refit(b"", body))
        assert fit.segment_count == 1


def test_huge_declared_data_size_is_refused() -> None:
    data = bytearray(_file())
    data[4:8] = struct.pack("<I", 0xFFFFFFF0)
    data[12:14] = b"\0\0"  # header CRC 0 means "not set", so the size itself is judged
    with pytest.raises(FitFormatError, match="truncated"):
        decode(bytes(data))


def test_undefined_local_message_is_named() -> None:
    with pytest.raises(FitFormatError, match="local type 11 that was never defined"):
        decode(_refit(b"", bytes([0x0B, 1, 2, 3])))


def test_flipped_byte_is_a_crc_mismatch() -> None:
    data = bytearray(_file())
    data[200] ^= 0xFF
    with pytest.raises(FitFormatError, match="file CRC mismatch"):
        decode(bytes(data))


def test_compressed_timestamps_roll_over_the_five_bit_offset() -> None:
    # record definition: timestamp (uint32) + heart_rate (uint8), local type 0.
    body = struct.pack("<BBBHB", 0x40, 0, 0, 20, 2) + bytes([253, 4, 0x86, 3, 1, 0x02])
    full = 1_000_000_000 + 30  # low 5 bits = 30
    body += struct.pack("<BIB", 0x00, full, 100)
    # local type 1: heart_rate only, used with compressed headers (local 1 => bits 0x20).
    body += struct.pack("<BBBHB", 0x41, 0, 0, 20, 1) + bytes([3, 1, 0x02])
    for offset in (31, 1, 5, 5):  # 31 -> +1 s, 1 -> rolls over (+2 s), 5 -> +4 s, same -> +0
        body += bytes([0x80 | 0x20 | offset, 120])
    record = decode(_refit(b"", body)).table("record")
    assert record.get("timestamp").tolist() == [full, full + 1, full + 3, full + 7, full + 7]
    assert record.get("heart_rate").tolist() == [100, 120, 120, 120, 120]


def test_big_endian_definitions_are_read() -> None:
    body = struct.pack(">BBBHB", 0x40, 0, 1, 20, 2) + bytes([253, 4, 0x86, 6, 2, 0x84])
    body += struct.pack(">BIH", 0x00, 1_000_000_000, 3500)
    record = decode(_refit(b"", body)).table("record")
    assert record.get("timestamp").tolist() == [1_000_000_000]
    assert record.get("speed").tolist() == [3.5]


def test_developer_field_bytes_stay_out_of_standard_fields() -> None:
    # heart_rate, then a 3-byte developer field, then cadence.
    body = struct.pack("<BBBHB", 0x60, 0, 0, 20, 2) + bytes([3, 1, 0x02, 4, 1, 0x02])
    body += bytes([1, 0, 3, 0])  # one developer field: number 0, size 3, index 0
    body += bytes([0x00, 150, 85, 0xAA, 0xBB, 0xCC]) * 3
    record = decode(_refit(b"", body)).table("record")
    assert record.get("heart_rate").tolist() == [150] * 3
    assert record.get("cadence").tolist() == [85] * 3


def test_profile_tables_agree_with_the_garmin_sdk() -> None:
    sdk_messages = Profile["messages"]
    for number, spec in MESSAGES.items():
        sdk = sdk_messages[number]
        assert sdk["name"] == spec.name
        for field in spec.fields:
            theirs = sdk["fields"][field.number]
            assert theirs["name"] == field.name, (spec.name, field.name)
            if theirs["components"]:
                continue  # compressed fields: their scales belong to the components
            scale = theirs["scale"][0] if theirs["scale"] else 1
            offset = theirs["offset"][0] if theirs["offset"] else 0
            assert (scale, offset) == (field.scale, field.offset), (spec.name, field.name)
