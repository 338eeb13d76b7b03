"""Bulk plan assignment from the roster: one plan template for several athletes, each still
through the one policy (who may change whose plan) and that athlete's own guards in the core
(screening, pain rules), with a line per athlete and an audit row per plan edit."""

from __future__ import annotations

from dataclasses import replace

import lxml.html
import pytest
from server_world import PASSWORD, browser, csrf_of
from sqlalchemy import select

from stridewise import clock, demo
from stridewise.science.screening import screen
from stridewise.server import accounts
from stridewise.server.app import Gate, create_server_app
from stridewise.store import CheckInInput
from stridewise.store import models_server as ms

NAMES = ("ready", "doctor", "unscreened", "pain", "viewer")


def _screen(app: Gate, athlete_id: int, *, chest_pain: bool = False) -> None:
    parq, bone = demo.demo_profile_answers()
    if chest_pain:
        parq = replace(parq, chest_pain=True)
    with app.store.write_transaction() as tx:
        tx.update_athlete(athlete_id, sex="female", birth_year=demo.DEMO_BIRTH_YEAR)
        tx.add_screening(athlete_id, {"parq": parq.to_dict(), "bone": bone.to_dict()},
                         screen(parq, bone).to_dict())


@pytest.fixture()
def club(sqlite_url: str) -> tuple[Gate, dict[str, int], str, int]:
    app = create_server_app(sqlite_url, allowed_hosts=["testserver"])
    assert isinstance(app, Gate)
    ids: dict[str, int] = {}
    with app.store.write_transaction() as tx:
        coach = accounts.create_user(tx.session, "coach@example.org", PASSWORD, "coach")
        for name in NAMES:
            user = accounts.create_user(tx.session, f"{name}@example.org", PASSWORD, "athlete")
            accounts.grant(tx.session, user, coach.email,
                           "view" if name == "viewer" else "plan_edit")
            assert user.athlete_id is not None
            ids[name] = user.athlete_id
        stranger = accounts.create_user(tx.session, "stranger@example.org", PASSWORD,
                                        "athlete")
        assert stranger.athlete_id is not None
        ids["stranger"] = stranger.athlete_id
        coach_session = accounts.start_session(tx.session, coach)
        coach_id = coach.id
    for name in ("ready", "pain", "viewer", "stranger"):
        _screen(app, ids[name])
    _screen(app, ids["doctor"], chest_pain=True)
    with app.store.write_transaction() as tx:  # a bone pain at night: the pain rules stop
        tx.add_checkin(ids["pain"], CheckInInput(
            clock.now_utc(), pain_site="left hip", pain_score=8, pain_timing="at_night",
            pain_localised_bone=True))
    return app, ids, coach_session, coach_id


def _outcomes(html: str) -> dict[str, str]:
    tree = lxml.html.fromstring(html)
    return {li.xpath("string(strong)"): " ".join(li.text_content().split())
            for li in tree.xpath("//ul[@id='bulk-outcomes']/li")}


def _active_plans(app: Gate, athlete_id: int) -> int:
    with app.store.transaction() as tx:
        return 1 if tx.active_plan(athlete_id) is not None else 0


def test_a_plan_for_several_athletes_each_through_their_own_guards(
        club: tuple[Gate, dict[str, int], str, int]) -> None:
    app, ids, coach_session, coach_id = club
    coach = browser(app, coach_session)
    assert 'href="/roster/plans"' in coach.get("/roster").text
    form = coach.get("/roster/plans")
    assert form.status_code == 200
    assert "stranger@example.org" not in form.text  # only athletes who share are offered
    chosen = [*(str(ids[n]) for n in (*NAMES, "stranger")), "junk", "0"]
    done = coach.post("/roster/plans", data={"athlete": chosen, "goal": "start",
                                             "weekday": ["0", "2", "4"],
                                             "minutes_per_day": "40"})
    assert done.status_code == 200, done.text
    lines = _outcomes(done.text)
    assert set(lines) == {*(f"{n}@example.org" for n in NAMES), f"Athlete {ids['stranger']}"}
    assert "Made" in lines["ready@example.org"]
    # The pain stop does not refuse a plan: the core makes a gentle one (no running).
    assert "Made" in lines["pain@example.org"]
    # The core's own words, not a copy of its rules.
    assert "doctor should clear you" in lines["doctor@example.org"]
    assert "answer the health and bone questions first" in lines["unscreened@example.org"]
    # The policy: a view grant allows no plan change (403); no grant says nothing (404).
    assert "not changes to their plan" in lines["viewer@example.org"]
    assert "does not share their data with you" in lines[f"Athlete {ids['stranger']}"]
    made = {n: _active_plans(app, ids[n]) for n in (*NAMES, "stranger")}
    assert made == {"ready": 1, "doctor": 0, "unscreened": 0, "pain": 1, "viewer": 0,
                    "stranger": 0}
    with app.store.transaction() as tx:
        audited = list(tx.session.scalars(select(ms.AuditEvent).where(
            ms.AuditEvent.actor_user_id == coach_id,
            ms.AuditEvent.route == "POST /roster/plans")))
    # One audit row per plan edit the policy allowed (the core may still refuse it).
    assert sorted(e.athlete_id for e in audited) == sorted(
        ids[n] for n in ("ready", "doctor", "unscreened", "pain"))
    assert {e.action for e in audited} == {"plan_edit"}


def test_the_pain_stop_plan_is_the_same_as_the_athletes_own(
        club: tuple[Gate, dict[str, int], str, int]) -> None:
    """A plan made in bulk equals the one the athlete's own Plan form makes."""
    app, ids, coach_session, _ = club
    coach = browser(app, coach_session)
    assert coach.post("/roster/plans", data={"athlete": [str(ids["pain"])], "goal": "5k",
                                             "weekday": ["1", "3"],
                                             "minutes_per_day": "30"}).status_code == 200
    with app.store.transaction() as tx:
        bulk = tx.active_plan(ids["pain"])
        assert bulk is not None
        bulk_sessions = [(s.date, s.kind, s.duration_s) for s in tx.list_planned_sessions(
            ids["pain"], bulk.id)]
    own = browser(app)
    assert own.post("/login", data={"email": "pain@example.org", "password": PASSWORD},
                    follow_redirects=False).status_code == 303
    own.headers["X-CSRF-Token"] = csrf_of(own)
    assert own.post("/plan", data={"goal": "5k", "weekday": ["1", "3"],
                                   "minutes_per_day": "30"},
                    follow_redirects=False).status_code == 303
    with app.store.transaction() as tx:
        mine = tx.active_plan(ids["pain"])
        assert mine is not None and mine.id != bulk.id
        mine_sessions = [(s.date, s.kind, s.duration_s) for s in tx.list_planned_sessions(
            ids["pain"], mine.id)]
    assert bulk_sessions == mine_sessions
    assert all(kind not in ("run_walk", "easy_run", "long_run") for _, kind, _ in mine_sessions)


def test_bulk_plans_need_a_signed_in_browser_and_the_form_token(
        club: tuple[Gate, dict[str, int], str, int]) -> None:
    app, ids, coach_session, _ = club
    anonymous = browser(app)
    assert anonymous.get("/roster/plans", follow_redirects=False).status_code == 303
    no_token = browser(app, coach_session)
    del no_token.headers["X-CSRF-Token"]
    refused = no_token.post("/roster/plans", data={"athlete": [str(ids["ready"])]})
    assert refused.status_code == 403
    assert _active_plans(app, ids["ready"]) == 0
    coach = browser(app, coach_session)
    empty = coach.post("/roster/plans", data={"goal": "start"})
    assert empty.status_code == 422 and "choose at least one athlete" in empty.text
    bad = coach.post("/roster/plans", data={"athlete": [str(ids["ready"])],
                                            "minutes_per_day": "5000"})
    assert "Not made" in _outcomes(bad.text)["ready@example.org"]
    assert _active_plans(app, ids["ready"]) == 0
