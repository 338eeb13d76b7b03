"""Helpers of the server tests: a browser-like client and a world of accounts and grants."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from stridewise.server import accounts
from stridewise.server.app import SESSION_COOKIE, Gate, create_server_app

PASSWORD = "a long enough password"


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


class Live:
    def __init__(self, app: Any) -> None:
        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Live:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive()
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
