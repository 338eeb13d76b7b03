"""Fixtures for the multi-user server: a server app on SQLite or on a throwaway PostgreSQL
database (127.0.0.1:5432, user postgres, trust auth; one database per test session, dropped
afterwards; skipped when unreachable outside CI), and a "world" of accounts and grants.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_world import World, build_world

PG_ADMIN_DSN = os.environ.get(
    "STRIDEWISE_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session", autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The CSRF secret of a server database lives in the user data dir: keep it in tmp."""
    old = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg"))
    yield
    if old is None:
        os.environ.pop("XDG_DATA_HOME", None)
    else:
        os.environ["XDG_DATA_HOME"] = old


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required under CI=true but unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    name = f"stridewise_server_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                               marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if request.param == "sqlite":
        built = build_world(f"sqlite:///{tmp_path_factory.mktemp('server') / 'server.db'}")
        yield built
        built.app.store.close()
        return
    import psycopg

    base = request.getfixturevalue("pg_server_url")
    name = f"{base.rsplit('/', 1)[1]}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        built = build_world(f"{base.rsplit('/', 1)[0]}/{name}")
        try:
            yield built
        finally:
            built.app.store.close()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture()
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.db'}"
