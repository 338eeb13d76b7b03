"""Fixtures for the multi-user server: a server app on SQLite or on a throwaway PostgreSQL
database (127.0.0.1:5432, user postgres, trust auth; one database per test session, dropped
afterwards; skipped when unreachable outside CI), and a "world" of accounts and grants.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stridewise.server import accounts
from stridewise.server.app import SESSION_COOKIE, Gate, create_server_app

PG_ADMIN_DSN = os.environ.get(
    "STRIDEWISE_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "a long enough password"


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


def csrf_of(client: TestClient) -> str:
    values = [c.value for c in client.cookies.jar if c.name.startswith("stridewise_csrf_")]
    assert values
    return str(values[0])


def browser(app: Any, session_secret: str | None = None) -> TestClient:
    """A client like a browser: the CSRF cookie repeated in the header, and a session."""
    client = TestClient(app)
    client.get("/static/stridewise.css")
    client.headers["X-CSRF-Token"] = csrf_of(client)
    if session_secret:
        client.cookies.set(SESSION_COOKIE, session_secret)
    return client


@dataclass
class World:
    """One server with every kind of person the authorisation matrix asks about."""

    app: Gate
    athlete_id: int                 # the athlete whose data is asked for ("A")
    other_athlete_id: int           # "B"
    sessions: dict[str, str] = field(default_factory=dict)  # who -> session cookie
    users: dict[str, int] = field(default_factory=dict)      # who -> user id
    read_token: str = ""            # A's token with the read scope only

    def client(self, who: str) -> TestClient:
        if who == "token_read":
            client = TestClient(self.app)
            client.headers["Authorization"] = f"Bearer {self.read_token}"
            return client
        return browser(self.app, self.sessions.get(who))


def build_world(url: str) -> World:
    app = create_server_app(url, allowed_hosts=["testserver"])
    assert isinstance(app, Gate)
    store = app.store
    people = {"athlete": "athlete", "other_athlete": "athlete", "coach_view": "coach",
              "coach_edit": "coach", "coach_none": "coach", "coach_revoked": "coach",
              "clinician": "clinician", "admin": "admin", "owner": "owner"}
    world = World(app, 0, 0)
    with store.write_transaction() as tx:
        made = {who: accounts.create_user(tx.session, f"{who}@example.org", PASSWORD, role)
                for who, role in people.items()}
        a = made["athlete"]
        accounts.grant(tx.session, a, "coach_view@example.org", "view")
        accounts.grant(tx.session, a, "coach_edit@example.org", "plan_edit")
        accounts.grant(tx.session, a, "clinician@example.org", "clinical")
        revoked = accounts.grant(tx.session, a, "coach_revoked@example.org", "plan_edit")
        accounts.revoke_grant(tx.session, a, revoked.id)
        world.sessions = {who: accounts.start_session(tx.session, user)
                          for who, user in made.items()}
        world.users = {who: user.id for who, user in made.items()}
        world.read_token = accounts.create_token(tx.session, a, {"read"}, "script")
        assert a.athlete_id is not None and made["other_athlete"].athlete_id is not None
        world.athlete_id = a.athlete_id
        world.other_athlete_id = made["other_athlete"].athlete_id
    return world


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
