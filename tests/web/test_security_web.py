"""Issue 11, the web half: no other website can touch the dashboard (Host allow-list, CSRF),
no value can break it (dates, ids, strict types) and no upload can fill the disk."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select, text
from starlette.routing import Mount

from stridewise.store import models as m
from stridewise.web import create_app
from stridewise.web.security import CsrfTokens, load_secret, secret_path

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
FOREIGN = "https://evil.example"
PARQ_NO: dict[str, Any] = {
    "heart_condition_or_high_blood_pressure": False, "chest_pain": False,
    "dizziness_or_fainting": False, "other_chronic_condition": False,
    "medication_for_chronic_condition": False, "bone_joint_or_soft_tissue_problem": False,
    "told_supervised_activity_only": False, "age_years": 45, "used_to_vigorous_effort": True}
BONE: dict[str, Any] = {"sex": "female", "age_years": 45, "body_mass_kg": 60.0}


def csrf_cookie(client: TestClient) -> str:
    """The value of the token cookie the dashboard gave ``client``."""
    values = [c.value for c in client.cookies.jar if c.name.startswith("stridewise_csrf_")]
    assert len(values) == 1, values
    return str(values[0])


def csrf_cookie_name(app: FastAPI) -> str:
    return CsrfTokens(load_secret(secret_path(app.state.store.url))).cookie_name


def concrete(path: str, value: str = "1") -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def route_templates(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every route the app serves (included routers too)."""
    out: list[tuple[str, str]] = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, Mount):
            out.append(("GET", f"{context.path}/stridewise.css"))
        else:
            out.extend((method, context.path) for method in sorted(context.methods or ())
                       if method != "HEAD")
    return out


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route, ids filled with 1; the static mount by one file."""
    return [(method, concrete(path)) for method, path in route_templates(app)]


def row_counts(app: FastAPI) -> dict[str, int]:
    engine = app.state.store.engine
    with engine.connect() as connection:
        return {table: connection.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
                for table in inspect(engine).get_table_names()}


@pytest.fixture()
def planned(client: TestClient, app: FastAPI) -> TestClient:
    """A profile, a screening that allows running and a plan: every route has something to
    change."""
    client.post("/onboarding/profile", data={"sex": "female", "birth_year": "1980"})
    assert client.post("/api/screenings", json={"parq": PARQ_NO, "bone": BONE}).status_code == 201
    client.post("/plan", data={"goal": "start", "weekday": ["0", "1", "2", "3", "4", "5", "6"]})
    assert client.get("/api/plan").status_code == 200
    return client


@pytest.fixture()
def stranger(app: FastAPI) -> Iterator[TestClient]:
    """A client with no token: a script, or another website's page."""
    with TestClient(app) as bare:
        yield bare


def test_a_foreign_host_header_gets_400_on_every_route(app: FastAPI, stranger: TestClient
                                                       ) -> None:
    listed = routes(app)
    assert len(listed) > 40
    for method, path in listed:
        response = stranger.request(method, path, headers={"Host": "evil.example:8765"})
        assert response.status_code == 400, (method, path, response.status_code)
        assert response.json() == {"detail": "Invalid host header"}
    # The loopback names are served (a page, and the JSON API).
    for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765"):
        assert stranger.get("/api/checkins", headers={"Host": host}).status_code == 200


def test_a_configured_public_name_is_served_and_its_origin_trusted(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'pub.db'}", public_urls=["https://run.example"])
    with TestClient(app, base_url="https://run.example") as client:
        assert client.get("/api/checkins").status_code == 200
        response = client.post("/api/sessions", headers={"Origin": "https://run.example"},
                               json={"kind": "walk", "start_time_utc": "2024-05-01T07:00:00Z",
                                     "duration_s": 1800})
        assert response.status_code == 201, response.text
        assert client.get("/api/checkins", headers={"Host": "evil.example"}).status_code == 400


def test_every_state_changing_route_refuses_another_website(
        app: FastAPI, planned: TestClient, stranger: TestClient) -> None:
    unsafe = [(method, path) for method, path in routes(app) if method in UNSAFE]
    assert {"/log/checkin", "/log/session", "/api/import", "/import", "/api/checkins",
            "/plan/sessions/1", "/onboarding/profile"} <= {path for _, path in unsafe}
    before = row_counts(app)
    checkin = {"date": "2024-05-01", "pain_score": "8", "pain_site": "Left shin"}
    for method, path in unsafe:
        for headers in ({"Origin": FOREIGN}, {"Origin": "null"},
                        {"Origin": "http://127.0.0.1:9999"},  # another program on this machine
                        {"Sec-Fetch-Site": "cross-site"}):
            for body in ({"data": checkin},
                         {"files": [("files", ("a.gpx", b"<gpx/>", "application/gpx+xml"))]},
                         {"json": {"at_utc": "2024-05-01T07:00:00Z", "pain_score": 8}}):
                response = stranger.request(method, path, headers=headers, **body)
                assert response.status_code == 403, (method, path, headers, response.text)
        # Even the page's own token does not make another website's request acceptable.
        token_headers = {"Origin": FOREIGN, "X-CSRF-Token": planned.headers["X-CSRF-Token"]}
        response = planned.request(method, path, headers=token_headers, data=checkin)
        assert response.status_code == 403, (method, path)
    assert row_counts(app) == before
    # The control: the same form from the dashboard itself is stored.
    saved = planned.post("/log/checkin", data=checkin, headers={"Origin": "http://testserver"})
    assert saved.status_code == 200
    assert row_counts(app)["checkin"] == before["checkin"] + 1


def test_forms_and_uploads_need_the_signed_token(app: FastAPI, stranger: TestClient) -> None:
    stranger.get("/log")
    cookie = csrf_cookie(stranger)
    form = {"kind": "walk", "date": "2024-05-01", "duration_min": "30"}
    forged = CsrfTokens(b"another secret" * 3).new()
    for token in (None, "", forged, cookie + "0"):
        data = form if token is None else {**form, "csrf_token": token}
        assert stranger.post("/log/session", data=data).status_code == 403
    upload = [("files", ("walk.gpx", b"<gpx/>", "application/gpx+xml"))]
    assert stranger.post("/api/import", files=upload).status_code == 403
    assert stranger.post("/plan/adapt").status_code == 403  # no body, no token
    # Tokens of any characters are refused, not a crash.
    assert stranger.post("/log/session", data={**form, "csrf_token": "é.ü"}).status_code == 403
    assert stranger.post("/plan/adapt", headers={"X-CSRF-Token": "é".encode()}
                         ).status_code == 403
    with TestClient(app) as fresh:
        odd_cookie = f"{csrf_cookie_name(app)}=".encode() + "é.ü".encode()
        response = fresh.post("/log/session", headers={"Cookie": odd_cookie},
                              data={**form, "csrf_token": "é.ü"})
        assert response.status_code == 403
    assert stranger.post("/api/sessions", content=b'{"kind": "walk"}',
                         headers={"Content-Type": "text/plain"}).status_code == 403
    assert row_counts(app)["manual_session"] == 0
    # The form field carrying the cookie's value is accepted, as the page's forms send it.
    assert stranger.post("/log/session", data={**form, "csrf_token": cookie}).status_code == 200
    assert row_counts(app)["manual_session"] == 1
    files = stranger.post("/api/import", files=upload, data={"csrf_token": cookie})
    assert files.status_code == 200
    # JSON without Origin (curl, scripts) is accepted: browsers cannot send it cross-site.
    created = stranger.post("/api/sessions", json={
        "kind": "walk", "start_time_utc": "2024-05-02T07:00:00Z", "duration_s": 1800})
    assert created.status_code == 201


def test_every_posting_form_carries_the_token(planned: TestClient) -> None:
    cookie = csrf_cookie(planned)
    seen = 0
    for path in ("/log", "/import", "/plan", "/onboarding", "/onboarding/readiness"):
        html = planned.get(path).text
        for form in re.findall(r'<form method="post".*?</form>', html, re.S):
            seen += 1
            assert f'name="csrf_token" value="{cookie}"' in form, (path, form[:200])
    assert seen >= 6


def test_processes_on_one_database_share_the_token_secret(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    key = secret_path(url)
    assert key == tmp_path / "shared-csrf.key"
    with TestClient(create_app(url)) as first, TestClient(create_app(url)) as second:
        first.get("/log")
        token = csrf_cookie(first)
        name = CsrfTokens(load_secret(key)).cookie_name
        second.cookies.set(name, token)
        response = second.post("/log/session", data={"kind": "walk", "date": "2024-05-01",
                                                     "duration_min": "20",
                                                     "csrf_token": token})
        assert response.status_code == 200
    assert key.stat().st_mode & 0o077 == 0
    assert CsrfTokens(load_secret(key)).is_valid(token)


@pytest.mark.parametrize(("body", "field"), [
    ({"at_utc": "0001-01-01T00:00:00Z"}, "at_utc"),
    ({"at_utc": "1949-12-31T23:00:00Z"}, "at_utc"),
    ({"at_utc": "2999-01-01T00:00:00Z"}, "at_utc"),
    ({"at_utc": "2024-05-01T07:00:00"}, "at_utc"),  # no time zone
    ({"at_utc": "2024-05-01T07:00:00Z", "who5": [1, 2, 3, 4, "5"]}, "who5"),
    ({"at_utc": "2024-05-01T07:00:00Z", "pain_score": "8", "pain_site": "shin"}, "pain_score"),
    ({"at_utc": "2024-05-01T07:00:00Z", "fell": "no"}, "fell"),
])
def test_impossible_check_ins_are_422_naming_the_field(client: TestClient, app: FastAPI,
                                                      body: dict[str, Any], field: str) -> None:
    response = client.post("/api/checkins", json=body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, list)
    assert field in [str(part) for item in detail for part in item["loc"]]
    assert row_counts(app)["checkin"] == 0


def test_impossible_sessions_are_422_naming_the_field(client: TestClient, app: FastAPI) -> None:
    good = {"kind": "run", "start_time_utc": "2024-05-01T07:00:00Z", "duration_s": 1800}
    for change, field in (({"start_time_utc": "1900-01-01T00:00:00Z"}, "start_time_utc"),
                          ({"start_time_utc": "2099-01-01T00:00:00Z"}, "start_time_utc"),
                          ({"duration_s": "1800"}, "duration_s"),
                          ({"duration_s": 1e9}, "duration_s"),
                          ({"kind": "swim"}, "kind")):
        response = client.post("/api/sessions", json={**good, **change})
        assert response.status_code == 422, (change, response.text)
        assert field in [str(p) for item in response.json()["detail"] for p in item["loc"]]
    assert row_counts(app)["manual_session"] == 0
    assert client.post("/api/sessions", json=good).status_code == 201


def test_the_log_form_refuses_year_one(client: TestClient, app: FastAPI) -> None:
    page = client.post("/log/checkin", data={"date": "0001-01-01", "sleep_hours": "7"})
    assert page.status_code == 200
    assert "1950" in page.text
    page = client.post("/log/session", data={"kind": "walk", "date": "1900-01-01",
                                             "duration_min": "30"})
    assert "1950" in page.text
    counts = row_counts(app)
    assert counts["checkin"] == 0 and counts["manual_session"] == 0


def test_resting_heart_rate_above_the_maximum_is_refused(client: TestClient, app: FastAPI
                                                        ) -> None:
    page = client.post("/onboarding/profile", data={
        "sex": "female", "birth_year": "1980", "resting_hr_bpm": "110", "max_hr_bpm": "105"})
    assert page.status_code == 200
    assert "resting heart rate must be below the maximum" in page.text
    for fields in ({"birth_year": "1850"}, {"body_mass_kg": "900"}, {"resting_hr_bpm": "5"}):
        page = client.post("/onboarding/profile",
                           data={"sex": "female", "birth_year": "1980", **fields})
        assert "Please check" in page.text, fields
    with app.state.store.transaction() as tx:
        athlete = tx.get_athlete(app.state.athlete_id)
        masses = tx.list_body_mass(app.state.athlete_id)
    assert athlete is not None and athlete.resting_hr_bpm is None and athlete.birth_year is None
    assert masses == []


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "UTC", "Asia/Tokyo"])
def test_one_bad_stored_row_does_not_brick_the_dashboard(client: TestClient, app: FastAPI,
                                                        zone: str) -> None:
    """Written straight into the database, as an older version or another tool might; in a
    zone west of UTC year 1 has no local time, east of it 9999-12-31 has none."""
    athlete_id = app.state.athlete_id
    with app.state.store.write_transaction() as tx:
        tx.update_athlete(athlete_id, time_zone=zone)
        for at in (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, tzinfo=UTC)):
            tx.session.add(m.CheckIn(athlete_id=athlete_id, at_utc=at, pain_score=3,
                                     pain_site="shin", sleep_hours=7.0))
            tx.session.add(m.ManualSession(athlete_id=athlete_id, kind="run",
                                           start_time_utc=at, duration_s=600.0, rpe=5.0))
    with app.state.store.transaction() as tx:
        assert tx.session.scalar(select(func.count()).select_from(m.CheckIn)) == 2
    for path in ("/today", "/trends", "/plan", "/log", "/activities", "/api/today",
                 "/api/series", "/api/series?since=0001-01-01", "/api/series/weekly",
                 "/api/checkins", "/api/sessions"):
        assert client.get(path).status_code == 200, path


def test_ids_out_of_range_are_404_on_every_id_route(app: FastAPI, planned: TestClient) -> None:
    id_routes = [(method, path) for method, path in route_templates(app)
                 if re.search(r"\{\w+_id\}", path)]
    assert len(id_routes) >= 9
    for method, path in id_routes:
        for value in (str(2**63), str(2**64), str(10**40), "-1", str(-(2**63) - 1), "0"):
            kwargs: dict[str, Any] = {}
            if method == "POST":
                kwargs = ({"json": {"status": "done"}} if path.startswith("/api/")
                          else {"data": {"status": "done"}})
            response = planned.request(method, concrete(path, value), **kwargs)
            assert response.status_code == 404, (method, path, value, response.text)
            assert isinstance(response.json()["detail"], str)


def test_query_values_are_strict(client: TestClient) -> None:
    for query in ("since=0", "since=1714550400", "since=2024-5-1", "since=yesterday"):
        response = client.get(f"/api/series?{query}")
        assert response.status_code == 422, query
        assert response.json()["detail"][0]["loc"] == ["query", "since"]
    assert client.get("/api/series?since=2024-05-01").status_code == 200


def test_every_422_detail_is_a_list(planned: TestClient) -> None:
    session_id = planned.get("/api/plan").json()["weeks"][0]["sessions"][0]["id"]
    for response in (
        planned.post(f"/api/plan/sessions/{session_id}", json={"status": "planned"}),
        planned.post("/api/checkins", json={"at_utc": "2024-05-01T07:00:00Z", "pain_score": 5}),
        planned.post(f"/plan/sessions/{session_id}", data={"status": "planned"}),
    ):
        assert response.status_code == 422, response.text
        detail = response.json()["detail"]
        assert isinstance(detail, list) and {"loc", "msg", "type"} <= detail[0].keys()


def _asgi_post(app: FastAPI, path: str, chunks: Iterator[bytes], headers: dict[str, str]
               ) -> tuple[int, int]:
    """POST ``chunks`` to the app as a server would stream them; (status, chunks pulled)."""
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "root_path": "", "query_string": b"", "server": ("127.0.0.1", 8765),
             "client": ("127.0.0.1", 50000),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], pulled


def test_a_huge_upload_is_refused_while_it_streams(tmp_path: Path) -> None:
    """1 GiB at the real limit is this, scaled down: the limit is 64 KiB here and the body
    would be 40 MiB; the server stops reading just past the limit."""
    url = f"sqlite:///{tmp_path / 'up.db'}"
    limit, chunk_bytes = 64 * 1024, 4096
    app = create_app(url, max_upload_bytes=limit)
    tokens = CsrfTokens(load_secret(secret_path(url)))
    token = tokens.new()
    head = (b'--b0undary\r\nContent-Disposition: form-data; name="files"; filename="big.gpx"'
            b"\r\nContent-Type: application/gpx+xml\r\n\r\n")

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(10_000):
            yield b"x" * chunk_bytes

    headers = {"host": "127.0.0.1:8765", "cookie": f"{tokens.cookie_name}={token}",
               "x-csrf-token": token, "content-type": "multipart/form-data; boundary=b0undary"}
    status, pulled = _asgi_post(app, "/api/import", body(), headers)
    assert status == 413
    assert pulled <= limit // chunk_bytes + 2
    # A declared length over the limit is refused before any byte is read.
    status, pulled = _asgi_post(app, "/api/import", body(),
                                {**headers, "content-length": str(1024**3)})
    assert (status, pulled) == (413, 0)
    with TestClient(app) as client:
        client.get("/log")
        over = (b"x" * 1024 for _ in range(limit // 1024 + 8))  # a bit over, chunked
        response = client.post("/api/import", content=over, headers={
            "X-CSRF-Token": csrf_cookie(client),
            "Content-Type": "multipart/form-data; boundary=b0undary"})
        assert response.status_code == 413
        assert response.json() == {"detail": "Content Too Large"}
        # Any other request is small: a 2 MiB JSON check-in is refused too.
        big = client.post("/api/checkins", json={"at_utc": "2024-05-01T07:00:00Z",
                                                 "notes": "x" * 2_000_000})
        assert big.status_code == 413
        assert big.json() == {"detail": "Content Too Large"}
    assert row_counts(app)["activity"] == 0


def test_processes_creating_the_secret_at_once_agree(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    key = tmp_path / "db-csrf.key"
    with ThreadPoolExecutor(max_workers=8) as pool:
        secrets = list(pool.map(lambda _: load_secret(key), range(32)))
    assert len(set(secrets)) == 1 and len(secrets[0]) == 32
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db-csrf.key"]


def test_two_dashboards_on_one_computer_keep_their_own_token(tmp_path: Path) -> None:
    """Cookies ignore ports: a second dashboard (another database) must not overwrite the
    first one's token cookie."""
    first = create_app(f"sqlite:///{tmp_path / 'one.db'}")
    second = create_app(f"sqlite:///{tmp_path / 'two.db'}")
    with TestClient(first) as one, TestClient(second) as two:
        one.get("/log")
        two.get("/log")
        names = {cookie.name for client in (one, two) for cookie in client.cookies.jar}
        assert len(names) == 2
