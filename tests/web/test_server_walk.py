"""A browser walk through the multi-user server (Playwright, headless chromium): the owner
creates an admin, the admin a coach, the coach invites two athletes, they accept and share,
one logs pain, the coach's roster shows her first, the other revokes, and the coach loses
access in the tab already open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stridewise.server import accounts
from stridewise.server.app import Gate, create_server_app

PASSWORD = "a long enough password"

pytestmark = pytest.mark.browser


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def invite(page: Any, base: str, email: str, role: str) -> str:
    page.goto(f"{base}/account")
    page.fill("#invite-email", email)
    page.select_option("#invite-role", role)
    page.get_by_role("button", name="Create invitation link").click()
    return str(page.locator("#new-secret ~ p code").inner_text())


def accept(browser: Any, link: str) -> Any:
    page = browser.new_context().new_page()
    page.goto(link)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()
    return page


def share(page: Any, base: str, coach_email: str) -> None:
    page.goto(f"{base}/account")
    page.fill("#grantee", coach_email)
    page.select_option("#scope", "view")
    page.get_by_role("button", name="Share").click()
    page.wait_for_load_state()
    assert coach_email in page.content()


def test_walk(chromium_browser: Any, live_server_class: Any, tmp_path: Path) -> None:
    """Uses the web tests' one chromium (one Playwright per process)."""
    browser_app = chromium_browser
    app = create_server_app(f"sqlite:///{tmp_path / 'walk.db'}")
    assert isinstance(app, Gate)
    with app.store.write_transaction() as tx:  # `stridewise server init`
        accounts.create_user(tx.session, "owner@example.org", PASSWORD, "owner")
    with live_server_class(app) as live:
        base = live.url
        owner = browser_app.new_context().new_page()
        sign_in(owner, base, "owner@example.org")
        assert owner.url.endswith("/account")
        admin = accept(browser_app, invite(owner, base, "admin@example.org", "admin"))
        coach = accept(browser_app, invite(admin, base, "coach@example.org", "coach"))
        amy = accept(browser_app, invite(coach, base, "amy@example.org", "athlete"))
        zoe = accept(browser_app, invite(coach, base, "zoe@example.org", "athlete"))
        assert amy.url.endswith("/today") and zoe.url.endswith("/today")
        share(amy, base, "coach@example.org")
        share(zoe, base, "coach@example.org")

        zoe.goto(f"{base}/log")
        zoe.select_option("#pain_score", "7")
        zoe.select_option("#pain_site", index=1)
        zoe.select_option("#pain_timing", "during")
        zoe.check("input[name=pain_localised_bone][value=yes]")
        zoe.get_by_role("button", name="Save check-in").click()
        zoe.wait_for_function("document.querySelector('#checkin-result').innerText.length > 0")

        coach.goto(f"{base}/roster")
        names = coach.locator("tbody tr td:first-child a").all_inner_texts()
        assert names == ["zoe@example.org", "amy@example.org"]
        coach.get_by_role("link", name="amy@example.org").click()
        coach.wait_for_load_state()
        assert "/a/" in coach.url and "Viewing someone" in coach.content()
        amy_page = coach.url

        amy.goto(f"{base}/account")
        amy.get_by_role("button", name="Revoke").click()
        amy.wait_for_load_state()
        assert "Revoked" in amy.content()

        response = coach.goto(amy_page)  # the tab still open on amy's page
        assert response is not None and response.status == 404
        assert "amy" not in coach.content()
        coach.goto(f"{base}/roster")
        assert coach.locator("tbody tr td:first-child a").all_inner_texts() == [
            "zoe@example.org"]
        amy.goto(f"{base}/account")
        assert "coach@example.org" in amy.locator("#audit ~ div").inner_text()
