"""The authorisation matrix (issue 15): every route of the dashboard's route table and every
server page x every kind of person, against the expected allow or deny, and the status of each
refusal. The expectations are written out here from the rules in docs/server.md, not read from
the policy module; only the route classification (which action a route is) comes from it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.routing import Mount, Route

from stridewise.server.app import REFUSED_HEADER, route_table
from stridewise.server.policy import ROUTE_ACTIONS, Action, action_of

WHO = ("anonymous", "athlete", "other_athlete", "coach_view", "coach_edit", "coach_none",
       "clinician", "admin", "owner", "coach_revoked", "token_read")
#: Routes left to the default (only the athlete): their own records and forms.
OWN_ONLY = {"create_checkin", "create_session", "create_screening", "import_files",
            "onboarding_page", "onboarding_profile", "onboarding_readiness",
            "onboarding_readiness_post", "onboarding_follow_ups", "onboarding_bone",
            "log_page", "log_session", "log_checkin", "import_page", "import_upload",
            "brain_answer", "api_brain_answer"}


def expected(who: str, action: Action) -> int:
    """200 for allowed (any status the page itself gives), else the refusal's status."""
    if action is Action.PUBLIC or who == "athlete":
        return 200
    if who == "anonymous":
        return 401
    if who == "token_read":
        return 200 if action in (Action.VIEW, Action.CLINICAL) else 403
    allowed = {"coach_view": {Action.VIEW}, "coach_edit": {Action.VIEW, Action.PLAN_EDIT},
               "clinician": {Action.VIEW, Action.CLINICAL}}
    if who in allowed:
        return 200 if action in allowed[who] else 403
    # another athlete, a coach without or with a revoked grant, an admin, the owner: they may
    # not know whether this athlete exists.
    return 404


def requests(world: object) -> Iterator[tuple[str, str, str]]:
    """(method, path with ids filled, route name) for every route of the dashboard."""
    for route in route_table(world.app.dashboard):  # type: ignore[attr-defined]
        if isinstance(route, Mount):
            yield "GET", "/static/stridewise.css", str(route.name)
            continue
        assert isinstance(route, Route)
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            yield method, path, route.name


def test_every_route_is_classified_on_purpose(world: object) -> None:
    names = {name for _, _, name in requests(world)}
    unclassified = names - set(ROUTE_ACTIONS)
    assert unclassified <= OWN_ONLY, sorted(unclassified - OWN_ONLY)


def test_the_matrix(world: object) -> None:
    athlete = world.athlete_id  # type: ignore[attr-defined]
    clients = {who: world.client(who) for who in WHO}  # type: ignore[attr-defined]
    unexpected: list[str] = []
    checked = 0
    for method, path, name in requests(world):
        action = action_of(name)
        for who in WHO:
            targets = [f"/a/{athlete}{path}"]
            if who in ("athlete", "token_read"):
                targets.append(path)  # their own data without the prefix
            for target in targets:
                kwargs = {"json": {}} if "/api/" in target else {"data": {}}
                response = clients[who].request(method, target, follow_redirects=False,
                                                **(kwargs if method != "GET" else {}))
                checked += 1
                refused = response.headers.get(REFUSED_HEADER) == "1"
                got = response.status_code if refused else 200
                want = expected(who, action)
                if got != want or response.status_code >= 500:
                    unexpected.append(f"{who} {method} {target} ({action}): "
                                      f"{response.status_code} (refused={refused}), "
                                      f"expected {want}")
    assert checked > 500
    assert unexpected == []


SERVER_PAGES = {
    # path: who may open it
    "/roster": {"coach_view", "coach_edit", "coach_none", "coach_revoked", "clinician"},
    "/account": {"athlete", "other_athlete", "coach_view", "coach_edit", "coach_none",
                 "coach_revoked", "clinician", "admin", "owner"},
    "/admin/audit.csv": {"admin", "owner"},
}


@pytest.mark.parametrize("path", sorted(SERVER_PAGES))
def test_server_pages_matrix(world: object, path: str) -> None:
    wrong = []
    for who in WHO:
        response = world.client(who).get(path, follow_redirects=False)  # type: ignore
        if who in SERVER_PAGES[path]:
            ok = response.status_code == 200
        elif who == "anonymous":
            ok = response.status_code == 303 and response.headers["location"].startswith(
                "/login")
        else:
            ok = response.status_code == 403
        if not ok:
            wrong.append(f"{who}: {response.status_code}")
    assert wrong == []


def test_roster_lists_only_active_grants(world: object) -> None:
    page = world.client("coach_view").get("/roster").text  # type: ignore[attr-defined]
    assert "athlete@example.org" in page
    revoked = world.client("coach_revoked").get("/roster").text  # type: ignore
    assert "athlete@example.org" not in revoked
