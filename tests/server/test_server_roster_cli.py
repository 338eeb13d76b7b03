"""The roster puts who needs attention first (from the core's one voice), and the command line
sets the server up (on PostgreSQL, as it is deployed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from server_world import PASSWORD, browser
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app as cli
from stridewise.server import accounts
from stridewise.server.app import Gate, create_server_app


def test_roster_shows_a_pain_stop_first(sqlite_url: str) -> None:
    app = create_server_app(sqlite_url, allowed_hosts=["testserver"])
    assert isinstance(app, Gate)
    with app.store.write_transaction() as tx:
        coach = accounts.create_user(tx.session, "coach@example.org", PASSWORD, "coach")
        sessions = {}
        for name in ("amy", "zoe"):
            user = accounts.create_user(tx.session, f"{name}@example.org", PASSWORD, "athlete")
            accounts.grant(tx.session, user, coach.email, "view")
            sessions[name] = accounts.start_session(tx.session, user)
        coach_session = accounts.start_session(tx.session, coach)
    zoe = browser(app, sessions["zoe"])
    logged = zoe.post("/api/checkins", json={
        "at_utc": clock.now_utc().isoformat(), "pain_score": 7, "pain_site": "left_shin",
        "pain_timing": "during", "pain_localised_bone": True})
    assert logged.status_code == 201, logged.text
    page = browser(app, coach_session).get("/roster").text
    rows = re.findall(r'href="/a/\d+/today">([^<]+)</a>', page)
    # zoe sorts after amy by name, but her pain stop puts her first.
    assert rows == ["zoe@example.org", "amy@example.org"]
    assert "Nothing" in page.split("amy@example.org")[1]


@pytest.mark.postgres
def test_server_init_and_invite_on_postgresql(pg_server_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    password_file = tmp_path / "pw"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    done = runner.invoke(cli, ["server", "init", "--db", pg_server_url, "--owner-email",
                               "Owner@Example.org", "--password-file", str(password_file)])
    assert done.exit_code == 0, done.output
    assert "owner owner@example.org created" in done.output
    again = runner.invoke(cli, ["server", "init", "--db", pg_server_url, "--owner-email",
                                "owner@example.org", "--password-file", str(password_file)])
    assert again.exit_code == 0 and "exists already" in again.output
    invited = runner.invoke(cli, ["server", "invite", "--db", pg_server_url, "--email",
                                  "coach@example.org", "--role", "coach", "--public-url",
                                  "https://run.example"])
    assert invited.exit_code == 0, invited.output
    link = invited.stdout.strip().splitlines()[0]
    assert link.startswith("https://run.example/invite/")
    bad = runner.invoke(cli, ["server", "invite", "--db", pg_server_url, "--email", "nope",
                              "--role", "coach"])
    assert bad.exit_code != 0 and "email address" in bad.output
    app = create_server_app(pg_server_url, allowed_hosts=["testserver"])
    assert isinstance(app, Gate)
    client = browser(app)
    assert client.post("/invite/" + link.rsplit("/", 1)[1], data={"password": PASSWORD},
                       follow_redirects=False).status_code == 303
    owner = browser(app)
    assert owner.post("/login", data={"email": "owner@example.org", "password": PASSWORD},
                      follow_redirects=False).status_code == 303
    assert "coach@example.org" in owner.get("/account").text
    app.store.close()


def test_dashboard_pages_say_who_is_signed_in_and_whose_data(sqlite_url: str) -> None:
    app = create_server_app(sqlite_url, allowed_hosts=["testserver"])
    assert isinstance(app, Gate)
    with app.store.write_transaction() as tx:
        coach = accounts.create_user(tx.session, "coach@example.org", PASSWORD, "coach")
        ann = accounts.create_user(tx.session, "ann@example.org", PASSWORD, "athlete")
        accounts.grant(tx.session, ann, coach.email, "view")
        ann_session = accounts.start_session(tx.session, ann)
        coach_session = accounts.start_session(tx.session, coach)
    own = browser(app, ann_session).get("/trends").text
    assert "Signed in as ann@example.org" in own and "Viewing someone" not in own
    assert "Your data stays on this computer" not in own
    theirs = browser(app, coach_session).get(f"/a/{ann.athlete_id}/trends").text
    assert "Viewing someone's data" in theirs and "Signed in as coach@example.org" in theirs
    assert f'href="http://testserver/a/{ann.athlete_id}/plan"' in theirs
