"""Shared fixtures. The real-file suite uses ../shared/samples: skipped when absent,
except under CI=true, where its absence is an error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check properties, not speed: on a loaded 2-core machine one example can take
# far over Hypothesis's 200 ms default, which made the suite fail at random. Speed is checked by
# the benchmarks (bench/), never by a deadline here.
settings.register_profile("stridewise", deadline=None)
settings.load_profile("stridewise")

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = Path(os.environ.get("STRIDEWISE_SAMPLES", REPO_ROOT.parent / "shared" / "samples"))
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    if not SAMPLES_DIR.is_dir():
        if IN_CI:
            pytest.fail(f"sample files are required under CI=true but {SAMPLES_DIR} is missing")
        pytest.skip(f"sample files not present at {SAMPLES_DIR}")
    return SAMPLES_DIR
