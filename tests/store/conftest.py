"""Store fixtures: every store test runs on SQLite and on PostgreSQL.

PostgreSQL (127.0.0.1:5432, user postgres, trust auth) gets a uniquely named database per
test, dropped afterwards. It is skipped only when unreachable outside CI; under CI=true an
unreachable server is a failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from stridewise.activity import Activity, build_activity
from stridewise.store import Store, open_store


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stridewise.db'}"
    url = request.getfixturevalue("pg_url")
    assert isinstance(url, str)
    return url


def synthetic_run(
    start: datetime, seconds: int = 600, speed_mps: float = 3.0, source_format: str = "fit"
) -> Activity:
    """A steady run at 1 Hz with distance, heart rate, cadence and altitude."""
    t = start.timestamp() + np.arange(seconds, dtype=np.float64)
    return build_activity(
        {
            "time_s": t,
            "distance_m": np.arange(seconds, dtype=np.float64) * speed_mps,
            "heart_rate_bpm": 140.0 + 10.0 * np.sin(np.arange(seconds) / 60.0),
            "cadence_spm": np.full(seconds, 170.0),
            "altitude_m": 100.0 + 5.0 * np.sin(np.arange(seconds) / 120.0),
        },
        sport="run",
        source_format=source_format,
        utc_offset_s=3600,
        device="Test watch",
        name="Morning run",
    )


@pytest.fixture
def make_run() -> Callable[..., Activity]:
    return synthetic_run


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(db_url, raw_dir=tmp_path / "raw")
    try:
        yield opened
    finally:
        opened.close()
