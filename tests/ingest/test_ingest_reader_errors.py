"""Every reader error is an IngestError with a plain reason (issue 11, item 5). Before, a
damaged FIT's IndexError, a NumPy broadcasting ValueError or an AssertionError reached the
import report as "operands could not be broadcast together with shapes (2,) (2,4)"."""

from __future__ import annotations

import logging

import pytest

from stridewise.activity import Activity, ManualSession
from stridewise.errors import CorruptFileError
from stridewise.ingest import fit, read_bytes
from stridewise.ingest.parallel import decode

FIT_HEADER = b"\x0e\x20\x00\x00\x00\x00\x00\x00.FIT\x00\x00"
BROADCAST = "operands could not be broadcast together with shapes (2,) (2,4)"


@pytest.mark.parametrize("error", [IndexError("index 7 is out of bounds for axis 0"),
                                   ValueError(BROADCAST), AssertionError(), TypeError("x")])
def test_an_internal_error_in_a_reader_becomes_a_plain_corrupt_file_error(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, error: Exception
) -> None:
    def broken(data: bytes, *, source_name: str) -> list[Activity]:
        raise error

    monkeypatch.setattr(fit, "read", broken)
    with caplog.at_level(logging.DEBUG, logger="stridewise.ingest"), \
            pytest.raises(CorruptFileError) as refused:
        read_bytes(FIT_HEADER + b"\x00" * 16, source_name="a.fit")
    assert refused.value.reason == (
        "the file is damaged: its contents do not follow the FIT format, so it could not be read")
    # The detail is kept for a developer, at debug level only.
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]
    assert caplog.records[0].exc_info is not None


def _bug(data: bytes, *, source_name: str) -> list[Activity | ManualSession]:
    raise ValueError(BROADCAST)


def test_the_batch_decoder_never_shows_internal_exception_text() -> None:
    decoded = decode(_bug, b"x", "a.fit")
    assert decoded.items is None
    assert decoded.error == ("could not be read: the file is damaged or in a form stridewise "
                             "does not understand")
