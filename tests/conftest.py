"""Shared fixtures. The real-file suite uses ../shared/samples: skipped when absent,
except under CI=true, where its absence is an error."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check properties, not speed: on a loaded 2-core machine one example can take
# far over Hypothesis's 200 ms default, which made the suite fail at random. Speed is checked by
# the benchmarks (bench/), never by a deadline here.
# Under CI the examples are derandomised (the same every run): a failing example found at
# random on a developer's machine is kept as a test of its own, and CI never fails by chance.
settings.register_profile("stridewise", deadline=None,
                          derandomize=os.environ.get("CI", "").lower() == "true")
settings.load_profile("stridewise")

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = Path(os.environ.get("STRIDEWISE_SAMPLES", REPO_ROOT.parent / "shared" / "samples"))
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _own_default_database(tmp_path_factory: pytest.TempPathFactory,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the person's real database: a command run without --db gets a fresh
    one of its own (a shared default once made one branch's migrations break another's)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("STRIDEWISE_DB", f"sqlite:///{home / 'default.db'}")


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    if not SAMPLES_DIR.is_dir():
        if IN_CI:
            pytest.fail(f"sample files are required under CI=true but {SAMPLES_DIR} is missing")
        pytest.skip(f"sample files not present at {SAMPLES_DIR}")
    return SAMPLES_DIR


# A database of its own for each test that needs PostgreSQL (dropped afterwards); skipped when
# the server is unreachable, except under CI=true, where that is a failure.
PG_ADMIN_DSN = os.environ.get(
    "STRIDEWISE_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test"
)


def _pg_admin() -> object:
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required under CI=true but unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")


@pytest.fixture
def pg_url() -> Iterator[str]:
    import psycopg

    admin = _pg_admin()
    assert isinstance(admin, psycopg.Connection)
    name = f"stridewise_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
