"""A browser refused by the gate sees a small, plain page (a sign-in link for 401; "not
shared with you" for 403 and 404, the same for an athlete who exists and one who does not);
the API keeps its JSON refusals."""

from __future__ import annotations

import re

import lxml.html
from server_world import World

from stridewise.server.app import REFUSED_HEADER

HTML = {"accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


def _text(response: object) -> str:
    tree = lxml.html.fromstring(response.text)  # type: ignore[attr-defined]
    return " ".join(tree.xpath("string(//main)").split())


def _assert_page(response: object, status: int) -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("text/html")  # type: ignore
    assert response.headers[REFUSED_HEADER] == "1"  # type: ignore[attr-defined]
    return _text(response)


def test_a_hidden_athlete_and_a_missing_one_get_the_same_kind_page(world: World) -> None:
    coach = world.client("coach_none")
    hidden = coach.get(f"/a/{world.athlete_id}/today", headers=HTML)
    missing = coach.get("/a/987654321/today", headers=HTML)
    words = _assert_page(hidden, 404)
    assert "Not shared with you" in words and "ask them to share" in words
    assert _assert_page(missing, 404) == words
    assert hidden.text == missing.text  # not a byte more about whether the athlete exists
    assert "athlete@example.org" not in hidden.text
    assert re.search(r'<a href="/">', hidden.text)


def test_a_page_outside_the_grant_is_a_kind_403(world: World) -> None:
    viewer = world.client("coach_view")
    words = _assert_page(viewer.get(f"/a/{world.athlete_id}/brain", headers=HTML), 403)
    assert "not shared with you" in words and "Account page" in words
    # A form posted from a page the grant does not cover (a plan change with a view grant).
    posted = viewer.post(f"/a/{world.athlete_id}/plan", data={"goal": "start"}, headers=HTML,
                         follow_redirects=False)
    _assert_page(posted, 403)
    # The server's own pages say it the same way (an athlete has no roster).
    roster = world.client("athlete").get("/roster", headers=HTML)
    assert "Not shared with you" in _assert_page(roster, 403)


def test_signed_out_gets_a_sign_in_link(world: World) -> None:
    anonymous = world.client("anonymous")
    page = anonymous.get("/today", headers=HTML, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/today"
    posted = anonymous.post("/checkin", data={}, headers=HTML, follow_redirects=False)
    words = _assert_page(posted, 401)
    assert "Please sign in" in words
    assert 'href="/login?next=/checkin"' in posted.text


def test_the_api_keeps_json(world: World) -> None:
    coach = world.client("coach_none")
    for headers in (HTML, {"accept": "application/json"}, {}):
        hidden = coach.get(f"/a/{world.athlete_id}/api/today", headers=headers)
        assert hidden.status_code == 404
        assert hidden.json() == {"detail": "No such page."}
    viewer = world.client("coach_view")
    refused = viewer.get(f"/a/{world.athlete_id}/api/brain", headers=HTML)
    assert refused.status_code == 403 and refused.json() == {
        "detail": "You do not have access to this."}
    anonymous = world.client("anonymous")
    assert anonymous.get("/api/today", headers=HTML).json() == {"detail": "Please sign in."}
    # A script without Accept: text/html gets JSON on a page path too.
    assert coach.get(f"/a/{world.athlete_id}/today").json() == {"detail": "No such page."}
