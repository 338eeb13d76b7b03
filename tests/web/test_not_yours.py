"""Not yours: every face that takes an id (web pages, JSON API, CLI) answers a request for
another athlete's activity, screening, doctor summary or planned session exactly as for an id
that does not exist: the same status (404) and the same body. The owner, asking for the same
ids, gets them, so each 404 is the scope and not a missing row."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response
from typer.testing import CliRunner

from stridewise import clock
from stridewise.activity import ManualSession, build_activity
from stridewise.cli import app as cli_app
from stridewise.plan import service
from stridewise.plan.model import RUN_KINDS
from stridewise.science.screening import BoneInputs, ParqAnswers, Sex
from stridewise.store import CheckInInput, Store, open_store
from stridewise.web import create_app
from stridewise.web.app import ROUTER_MODULES

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
MISSING = 987_654
PARQ = ParqAnswers(
    heart_condition_or_high_blood_pressure=False, chest_pain=False,
    dizziness_or_fainting=False, other_chronic_condition=False,
    medication_for_chronic_condition=False, bone_joint_or_soft_tissue_problem=False,
    told_supervised_activity_only=False, age_years=45, used_to_vigorous_effort=False,
)
BONE = BoneInputs(sex=Sex.MALE, age_years=45, body_mass_kg=80.0)


@dataclass(frozen=True)
class OwnerIds:
    activity: int
    screening: int
    planned_run: int
    checkin: int
    manual: int


def _run(start: datetime, seconds: int = 900) -> Any:
    t = start.timestamp() + np.arange(seconds, dtype=np.float64)
    return build_activity(
        {"time_s": t, "distance_m": np.arange(seconds, dtype=np.float64) * 2.8,
         "heart_rate_bpm": np.full(seconds, 140.0), "cadence_spm": np.full(seconds, 168.0)},
        sport="run", source_format="fit", name="Owner's run",
    )


def _athlete_with_data(store: Store, name: str) -> OwnerIds:
    """An athlete with a run, a screening that clears them, and a plan starting today."""
    with store.write_transaction() as tx:
        found = tx.get_athlete_by_name(name)
        athlete_id = found.id if found is not None else tx.add_athlete(name).id
        activity = tx.add_activity(athlete_id, _run(NOW - timedelta(days=1)))
        checkin = tx.add_checkin(athlete_id, CheckInInput(NOW - timedelta(hours=3),
                                                          sleep_hours=7.0))
        manual = tx.add_manual_session(athlete_id, ManualSession(
            NOW - timedelta(days=2), "walk", 1800.0))
    screening, _result, _changes = service.record_screening(store, athlete_id, PARQ, BONE)
    today = clock.today("UTC")
    plan_id = service.create_plan(store, athlete_id, "start", [0, 1, 2, 3, 4, 5, 6], 45, today)
    with store.transaction() as tx:
        runs = [r.id for r in tx.list_planned_sessions(athlete_id, plan_id, since=today)
                if r.status == "planned" and r.kind in {k.value for k in RUN_KINDS}]
    return OwnerIds(activity.id, screening.id, runs[0], checkin.id, manual.id)


@pytest.fixture()
def world(tmp_path: Path) -> Iterator[tuple[str, OwnerIds]]:
    """A database with the owner's data, and the default athlete (the intruder) with theirs."""
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    with clock.use_clock(clock.FixedClock(NOW)):
        with open_store(url) as store:
            owner = _athlete_with_data(store, "owner")
            _athlete_with_data(store, "default")
        yield url, owner


def _csrf(client: TestClient) -> dict[str, str]:
    """The token header a state-changing request carries (the dashboard's own pages send it)."""
    from conftest import csrf_cookie  # type: ignore[import-not-found]

    client.get("/static/stridewise.css")
    return {"X-CSRF-Token": csrf_cookie(client)}


def _requests(ids: OwnerIds | None) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Every web and API request that names an id, by its route: (method, path, arguments).
    Routes the app does not have (yet) are left out by the test."""
    a = ids.activity if ids else MISSING
    s = ids.screening if ids else MISSING
    p = ids.planned_run if ids else MISSING
    c = ids.checkin if ids else MISSING
    m = ids.manual if ids else MISSING
    return {
        "/activities/{activity_id}": ("GET", f"/activities/{a}", {}),
        "/onboarding/result/{screening_id}": ("GET", f"/onboarding/result/{s}", {}),
        "/onboarding/doctor-summary/{screening_id}": (
            "GET", f"/onboarding/doctor-summary/{s}", {}),
        "/plan/sessions/{session_id}/workout.fit": (
            "GET", f"/plan/sessions/{p}/workout.fit", {}),
        "/plan/sessions/{session_id}": ("POST", f"/plan/sessions/{p}",
                                        {"data": {"status": "done"}}),
        "/api/activities/{activity_id}": ("GET", f"/api/activities/{a}", {}),
        "/api/activities/{activity_id}/stream": ("GET", f"/api/activities/{a}/stream", {}),
        "/api/plan/sessions/{session_id}": ("POST", f"/api/plan/sessions/{p}",
                                            {"json": {"status": "done"}}),
        "/api/checkins/{checkin_id}": ("GET", f"/api/checkins/{c}", {}),
        "/api/sessions/{session_id}": ("GET", f"/api/sessions/{m}", {}),
        "/api/screenings/{screening_id}": ("GET", f"/api/screenings/{s}", {}),
    }


def _id_routes() -> set[str]:
    """The app's routes (every router module it includes) that take a row id in their path."""
    routes = []
    for name in ROUTER_MODULES:
        module = importlib.import_module(name)
        routes += [*module.router.routes, *getattr(module, "api_router", module.router).routes]
    return {route.path for route in routes
            if isinstance(route, APIRoute) and re.search(r"\{\w+_id\}", route.path)}


def _send(client: TestClient, method: str, path: str, extra: dict[str, Any]) -> Response:
    headers = _csrf(client) if method == "POST" else {}
    return client.request(method, path, headers=headers, follow_redirects=False, **extra)


def test_every_web_and_api_face_answers_another_athletes_id_as_a_missing_one(
    world: tuple[str, OwnerIds],
) -> None:
    url, owner = world
    with clock.use_clock(clock.FixedClock(NOW)):
        app = create_app(url)
        routes = _id_routes()
        # A new route that takes an id joins this test (and the scoped store) before it ships.
        assert routes <= set(_requests(None)), routes - set(_requests(None))
        foreign = {k: v for k, v in _requests(owner).items() if k in routes}
        missing = _requests(None)
        assert len(foreign) >= 8  # the routes above were found
        with TestClient(app) as intruder:
            for name, (method, path, extra) in foreign.items():
                got = _send(intruder, method, path, extra)
                expected = _send(intruder, *missing[name])
                assert (got.status_code, expected.status_code) == (404, 404), name
                assert got.content == expected.content, name
                assert got.headers["content-type"] == expected.headers["content-type"], name
        # Nothing of the owner's was changed by the intruder's posts, and the owner gets every
        # one of these ids.
        with open_store(url) as store, store.transaction() as tx:
            owner_id = tx.get_athlete_by_name("owner")
            assert owner_id is not None
            row = tx.get_planned_session(owner_id.id, owner.planned_run)
            assert row is not None and row.status == "planned"
        with TestClient(create_app(url, athlete_name="owner")) as client:
            for name, (method, path, extra) in foreign.items():
                status = _send(client, method, path, extra).status_code
                assert status in (200, 303), (name, status)


def test_the_cli_answers_another_athletes_activity_as_a_missing_one(
    world: tuple[str, OwnerIds],
) -> None:
    url, owner = world
    runner = CliRunner()
    with clock.use_clock(clock.FixedClock(NOW)):
        foreign = runner.invoke(cli_app, ["activities", "show", str(owner.activity), "--db", url])
        missing = runner.invoke(cli_app, ["activities", "show", str(MISSING), "--db", url])
        mine = runner.invoke(cli_app, ["activities", "show", str(owner.activity), "--db", url,
                                       "--athlete", "owner"])
    assert foreign.exit_code == missing.exit_code == 1
    assert (re.sub(rf"\b{owner.activity}\b", "<id>", foreign.output)
            == re.sub(rf"\b{MISSING}\b", "<id>", missing.output))
    assert mine.exit_code == 0 and "Owner's run" in mine.output
