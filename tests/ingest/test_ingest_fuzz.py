"""Fuzzing the readers with CRC-valid mutants of real files (issue 11, items 4 and 5).

Before the physical checks, one changed byte in a FIT file (CRC recomputed) imported as a
40,270 km run, and a fuzz found 1,557 absurd summaries in four minutes; internal exceptions
(IndexError, NumPy broadcasting errors) reached the user as reasons. Now every mutant is either
read into physically possible activities or refused with an IngestError.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_fuzzing import FIT_SAMPLES, GPX_SAMPLES, TCX_SAMPLES, FuzzResult, fuzz

pytestmark = pytest.mark.samples


def _check(result: FuzzResult, *, total: int) -> None:
    assert result.unexpected == []
    assert result.impossible == []
    assert sum(result.outcomes.values()) == total
    # The mutants reach the decoders and build_activity (CRC valid), not only a first check.
    assert result.outcomes["read"] >= total // 4


def test_a_quick_fuzz_stores_nothing_impossible_and_raises_only_ingest_errors(
    samples_dir: Path,
) -> None:
    _check(fuzz(samples_dir, dict.fromkeys(FIT_SAMPLES, 60), seed=11), total=120)
    xml = dict.fromkeys(GPX_SAMPLES + TCX_SAMPLES, 45)
    _check(fuzz(samples_dir, xml, seed=11), total=180)


@pytest.mark.slow
def test_ten_thousand_crc_valid_mutants_store_nothing_impossible(samples_dir: Path) -> None:
    # Larger XML samples get fewer mutants: they take 15-40 ms each against 2-6 ms for FIT.
    counts = {**dict.fromkeys(FIT_SAMPLES, 3500),
              GPX_SAMPLES[0]: 500, GPX_SAMPLES[1]: 1000,
              TCX_SAMPLES[0]: 1000, TCX_SAMPLES[1]: 500}
    assert sum(counts.values()) == 10_000
    _check(fuzz(samples_dir, counts, seed=2026), total=10_000)
