"""Accounts, links, sessions, throttling, tokens and grants through the server's pages: the
right 401/403/404 with nothing leaked, on SQLite (the matrix runs on PostgreSQL too)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from server_world import PASSWORD, browser

from stridewise import clock
from stridewise.server import accounts
from stridewise.server.app import SESSION_COOKIE, Gate, create_server_app


@pytest.fixture()
def app(sqlite_url: str) -> Gate:
    built = create_server_app(sqlite_url, allowed_hosts=["testserver"])
    assert isinstance(built, Gate)
    return built


def make_user(app: Gate, email: str, role: str) -> accounts.ms.AppUser:
    with app.store.write_transaction() as tx:
        return accounts.create_user(tx.session, email, PASSWORD, role)


def sign_in(app: Gate, email: str, password: str = PASSWORD) -> TestClient:
    client = browser(app)
    response = client.post("/login", data={"email": email, "password": password},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def test_wrong_password_and_unknown_account_say_the_same(app: Gate) -> None:
    make_user(app, "ann@example.org", "athlete")
    client = browser(app)
    wrong = client.post("/login", data={"email": "ann@example.org", "password": "nope nope"})
    unknown = client.post("/login", data={"email": "zed@example.org", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "The email address or the password is not right." in wrong.text
    assert "The email address or the password is not right." in unknown.text
    assert SESSION_COOKIE not in client.cookies


def test_sign_in_cookie_is_http_only_and_same_site(app: Gate) -> None:
    make_user(app, "ann@example.org", "athlete")
    response = browser(app).post("/login", data={"email": "ann@example.org",
                                                  "password": PASSWORD},
                                 follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


def test_cookie_is_secure_behind_an_https_public_url(sqlite_url: str) -> None:
    app = create_server_app(sqlite_url, public_url="https://run.example",
                            allowed_hosts=["testserver"])
    assert isinstance(app, Gate)
    make_user(app, "ann@example.org", "athlete")
    response = browser(app).post("/login", data={"email": "ann@example.org",
                                                 "password": PASSWORD},
                                 follow_redirects=False)
    assert "Secure" in response.headers["set-cookie"]


def test_login_is_throttled_per_account_even_with_the_right_password(app: Gate) -> None:
    make_user(app, "ann@example.org", "athlete")
    client = browser(app)
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT):
        assert client.post("/login", data={"email": "ann@example.org",
                                           "password": "wrong guess"}).status_code == 401
    blocked = client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.text
    # Throttling lives in the database: a second server process on it refuses as well.
    other = create_server_app(app.store.url, allowed_hosts=["testserver"])
    assert browser(other).post("/login", data={"email": "ann@example.org",
                                               "password": PASSWORD}).status_code == 429
    # After the window it is open again.
    with clock.use_clock(clock.FixedClock(clock.now_utc() + accounts.THROTTLE_WINDOW
                                          + timedelta(seconds=1))):
        assert client.post("/login", data={"email": "ann@example.org", "password": PASSWORD},
                           follow_redirects=False).status_code == 303


def test_login_is_throttled_per_address(app: Gate) -> None:
    client = browser(app)
    for n in range(accounts.MAX_FAILURES_PER_ADDRESS):
        client.post("/login", data={"email": f"guess{n}@example.org", "password": "x"})
    make_user(app, "ann@example.org", "athlete")
    assert client.post("/login", data={"email": "ann@example.org",
                                       "password": PASSWORD}).status_code == 429


def test_invitation_is_single_use_and_expires(app: Gate) -> None:
    owner = make_user(app, "owner@example.org", "owner")
    with app.store.write_transaction() as tx:
        secret = accounts.invite(tx.session, "coach@example.org", "coach", owner)
        late = accounts.invite(tx.session, "late@example.org", "athlete", owner)
    client = browser(app)
    assert "coach@example.org" in client.get(f"/invite/{secret}").text
    short = client.post(f"/invite/{secret}", data={"password": "short"})
    assert short.status_code == 400 and "at least" in short.text
    accepted = client.post(f"/invite/{secret}", data={"password": PASSWORD},
                           follow_redirects=False)
    assert accepted.status_code == 303 and SESSION_COOKIE in accepted.headers["set-cookie"]
    again = browser(app).post(f"/invite/{secret}", data={"password": PASSWORD})
    assert again.status_code == 404 and "not valid" in again.text
    with clock.use_clock(clock.FixedClock(clock.now_utc() + accounts.LINK_LIFETIME)):
        expired = browser(app).get(f"/invite/{late}")
    assert expired.status_code == 404 and "late@example.org" not in expired.text
    assert browser(app).get("/invite/made-up").status_code == 404


def test_who_may_invite_whom(app: Gate) -> None:
    make_user(app, "admin@example.org", "admin")
    make_user(app, "coach@example.org", "coach")
    admin = sign_in(app, "admin@example.org")
    made = admin.post("/account/invite", data={"email": "new@example.org", "role": "coach"})
    assert made.status_code == 200 and "/invite/" in made.text
    refused = admin.post("/account/invite", data={"email": "x@example.org", "role": "owner"})
    assert refused.status_code == 403
    coach = sign_in(app, "coach@example.org")
    assert coach.post("/account/invite", data={"email": "r@example.org",
                                               "role": "athlete"}).status_code == 200
    assert coach.post("/account/invite", data={"email": "s@example.org",
                                               "role": "admin"}).status_code == 403


def test_a_revoked_grant_stops_an_open_session(app: Gate) -> None:
    athlete = make_user(app, "ann@example.org", "athlete")
    make_user(app, "coach@example.org", "coach")
    ann = sign_in(app, "ann@example.org")
    assert ann.post("/account/grants", data={"email": "coach@example.org",
                                             "scope": "view"}).status_code == 200
    coach = sign_in(app, "coach@example.org")
    page = f"/a/{athlete.athlete_id}/trends"
    assert coach.get(page).status_code == 200
    with app.store.transaction() as tx:
        grant_id = accounts.grants_of_athlete(tx.session, athlete.athlete_id or 0)[0][0].id
    assert ann.post(f"/account/grants/{grant_id}/revoke").status_code == 200
    gone = coach.get(page)
    nobody = coach.get("/a/999999/trends")
    assert gone.status_code == nobody.status_code == 404
    assert gone.text == nobody.text
    # The athlete saw who looked, on their account page.
    account = ann.get("/account").text
    assert "coach@example.org" in account and "GET /a/" in account and "Revoked" in account


def test_a_clinical_grant_is_only_for_clinicians(app: Gate) -> None:
    make_user(app, "ann@example.org", "athlete")
    make_user(app, "coach@example.org", "coach")
    ann = sign_in(app, "ann@example.org")
    refused = ann.post("/account/grants", data={"email": "coach@example.org",
                                                "scope": "clinical"})
    assert refused.status_code == 400 and "clinician" in refused.text
    admin = make_user(app, "admin@example.org", "admin")
    assert ann.post("/account/grants", data={"email": admin.email,
                                             "scope": "view"}).status_code == 404


def test_wrong_scope_token_and_revoked_token(app: Gate) -> None:
    make_user(app, "ann@example.org", "athlete")
    ann = sign_in(app, "ann@example.org")
    made = ann.post("/account/tokens", data={"name": "script", "scope": "read"})
    secret = made.text.split("<code>")[1].split("</code>")[0]
    script = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    assert script.get("/api/profile").status_code == 200
    write = script.post("/api/checkins", json={"at_utc": clock.now_utc().isoformat(),
                                              "sleep_hours": 7})
    assert write.status_code == 403
    assert script.get("/account").status_code == 403  # tokens do not manage accounts
    with app.store.transaction() as tx:
        token_id = tx.session.scalars(accounts.select(accounts.ms.ApiToken)).one().id
    assert ann.post(f"/account/tokens/{token_id}/revoke").status_code == 200
    assert script.get("/api/profile").status_code == 401
    bogus = TestClient(app, headers={"Authorization": "Bearer sw_made_up"})
    assert bogus.get("/api/profile").status_code == 401


def test_password_change_signs_out_other_browsers(app: Gate) -> None:
    make_user(app, "ann@example.org", "athlete")
    first, second = sign_in(app, "ann@example.org"), sign_in(app, "ann@example.org")
    wrong = first.post("/account/password", data={"current": "not it", "new": "x" * 12})
    assert wrong.status_code == 403
    changed = first.post("/account/password", data={"current": PASSWORD,
                                                     "new": "another long password"})
    assert changed.status_code == 200
    assert first.get("/api/profile").status_code == 200
    assert second.get("/api/profile").status_code == 401
    sign_in(app, "ann@example.org", "another long password")


def test_admin_reset_link_and_disable(app: Gate) -> None:
    make_user(app, "admin@example.org", "admin")
    ann = make_user(app, "ann@example.org", "athlete")
    owner = make_user(app, "owner@example.org", "owner")
    admin = sign_in(app, "admin@example.org")
    assert admin.post(f"/admin/users/{owner.id}/reset").status_code == 403
    made = admin.post(f"/admin/users/{ann.id}/reset")
    link = made.text.split("<code>")[1].split("</code>")[0]
    path = "/reset/" + link.rsplit("/reset/", 1)[1]
    assert browser(app).post(path, data={"password": "a brand new password"},
                             follow_redirects=False).status_code == 303
    assert browser(app).post(path, data={"password": "again again again"}).status_code == 404
    sign_in(app, "ann@example.org", "a brand new password")
    ann_browser = sign_in(app, "ann@example.org", "a brand new password")
    assert admin.post(f"/admin/users/{ann.id}/disable").status_code == 200
    assert ann_browser.get("/api/profile").status_code == 401
    # An admin manages accounts but reads no health data.
    assert admin.get(f"/a/{ann.athlete_id}/api/profile").status_code == 404
    athlete = browser(app).post("/login", data={"email": "ann@example.org",
                                                "password": "a brand new password"})
    assert athlete.status_code == 401


def test_someone_elses_id_in_the_url_leaks_nothing(app: Gate) -> None:
    ann = make_user(app, "ann@example.org", "athlete")
    make_user(app, "bob@example.org", "athlete")
    bob = sign_in(app, "bob@example.org")
    for path in ("/api/profile", "/today", "/api/checkins/1", "/onboarding/doctor-summary/1"):
        theirs = bob.get(f"/a/{ann.athlete_id}{path}")
        nobody = bob.get(f"/a/424242{path}")
        huge = bob.get(f"/a/{2**63}{path}")
        assert theirs.status_code == nobody.status_code == huge.status_code == 404
        assert theirs.text == nobody.text == huge.text
    assert bob.post("/account/grants/1/revoke").status_code == 404


def test_anonymous_pages_go_to_sign_in(app: Gate) -> None:
    client = browser(app)
    page = client.get("/today", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/today"
    api = client.get("/api/today")
    assert api.status_code == 401 and api.json() == {"detail": "Please sign in."}
    assert client.get("/evidence").status_code == 200  # public: no one's data
    evil = client.get("/login?next=//evil.example")
    assert 'value="/"' in evil.text


def test_the_servers_own_forms_need_the_csrf_token(app: Gate) -> None:
    """Review finding: the sign-in, token, grant and password forms took posts without the
    token the dashboard's forms need."""
    make_user(app, "ann@example.org", "athlete")
    ann = sign_in(app, "ann@example.org")
    del ann.headers["X-CSRF-Token"]
    assert ann.post("/account/tokens", data={"name": "x", "scope": "write"}).status_code == 403
    assert ann.post("/account/password", data={"current": PASSWORD,
                                               "new": "another long password"}).status_code == 403
    fresh = TestClient(app)
    fresh.get("/static/stridewise.css")
    login = fresh.post("/login", data={"email": "ann@example.org", "password": PASSWORD},
                       follow_redirects=False)
    assert login.status_code == 403 and SESSION_COOKIE not in login.cookies


def test_a_password_reset_revokes_tokens_and_is_on_the_audit(app: Gate) -> None:
    """Review finding: a token made by whoever held the password outlived a reset, and an
    admin's reset link (which lets its holder in) left no trace for the athlete."""
    make_user(app, "admin@example.org", "admin")
    other_admin = make_user(app, "admin2@example.org", "admin")
    ann = make_user(app, "ann@example.org", "athlete")
    ann_browser = sign_in(app, "ann@example.org")
    made = ann_browser.post("/account/tokens", data={"name": "script", "scope": "read"})
    secret = made.text.split("<code>")[1].split("</code>")[0]
    script = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    assert script.get("/api/profile").status_code == 200
    admin = sign_in(app, "admin@example.org")
    assert admin.post(f"/admin/users/{other_admin.id}/reset").status_code == 403
    link = admin.post(f"/admin/users/{ann.id}/reset").text.split("<code>")[1].split("</code>")[0]
    path = "/reset/" + link.rsplit("/reset/", 1)[1]
    assert browser(app).post(path, data={"password": "a brand new password"},
                             follow_redirects=False).status_code == 303
    assert script.get("/api/profile").status_code == 401
    with app.store.transaction() as tx:
        actions = [entry.action for entry in accounts.audit_of_athlete(tx.session,
                                                                       ann.athlete_id or 0)]
    assert "password reset link issued" in actions and "password reset link used" in actions


@pytest.mark.parametrize("path", ["/account/tokens/{n}/revoke", "/account/grants/{n}/revoke",
                                  "/account/research/{n}/revoke", "/admin/users/{n}/disable",
                                  "/admin/users/{n}/reset"])
def test_an_id_too_large_for_the_database_is_not_found(app: Gate, path: str) -> None:
    make_user(app, "owner@example.org", "owner")
    owner = sign_in(app, "owner@example.org")
    assert owner.post(path.format(n=10**30)).status_code == 404
