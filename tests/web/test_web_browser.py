"""Browser tests: headless chromium (Debian's) driven by Playwright against a live uvicorn.

A new user completes onboarding, imports two files, logs a pain check-in, sees the plan change
with its reason, and opens Trends. Screenshots go to test-artifacts/web/. axe-core checks every
page for serious or critical accessibility violations; no request may leave 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DEMO_DIR = Path(__file__).resolve().parents[2] / "src" / "stridewise" / "demo_data"


LiveServer = OfflinePage = Any  # fixtures' types (conftest.py); tests are not a package


@pytest.fixture()
def check_accessibility(serious_axe_violations: Any) -> Any:
    def check(page: Any, where: str) -> None:
        violations = serious_axe_violations(page)
        described = [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. "
                     f"{v['nodes'][0]['target']})" for v in violations]
        assert described == [], f"{where}: {described}"

    return check


def visit(view: OfflinePage, server: LiveServer, path: str) -> Any:
    page = view.page
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")
    return page


def test_new_user_journey(live_server: LiveServer, offline_page: OfflinePage,
                          check_accessibility: Any, tmp_path: Path) -> None:
    page = visit(offline_page, live_server, "/")
    assert page.locator("h1").inner_text().startswith("Today")
    check_accessibility(page, "today (new user)")
    offline_page.screenshot("01-today-new-user")
    page.get_by_role("link", name="Get started").click()

    # Step 1: about you.
    check_accessibility(page, "onboarding profile")
    page.get_by_label("Female").check()
    page.get_by_label("Year of birth").fill("1958")
    page.get_by_label("Body weight in kg").fill("64")
    page.get_by_label("Your time zone").fill("UTC")
    offline_page.screenshot("02-onboarding-profile")
    page.get_by_role("button", name="Save and continue").click()

    # Step 2: health questions, every one answered "No" with the keyboard-reachable radios.
    page.wait_for_selector("text=Seven questions about your health")
    check_accessibility(page, "onboarding readiness")
    for fieldset in page.locator("fieldset.question:visible").all():
        fieldset.get_by_label("No").check()
    offline_page.screenshot("03-onboarding-readiness")
    page.get_by_role("button", name="Continue").click()

    # Step 3: bones.
    page.wait_for_selector("text=Broken bones")
    check_accessibility(page, "onboarding bone")
    for fieldset in page.locator("fieldset.question:visible").all():
        fieldset.get_by_label("No").check()
    page.get_by_role("button", name="See my result").click()

    # Result, explained, with the doctor summary and the disclaimer.
    page.wait_for_selector("text=Your result")
    assert "not a medical device" in page.locator("main").inner_text()
    check_accessibility(page, "onboarding result")
    offline_page.screenshot("04-onboarding-result")
    page.get_by_role("button", name="Make my plan").click()
    page.wait_for_selector("text=Week by week")
    check_accessibility(page, "plan")
    offline_page.screenshot("05-plan")
    # Mark the first session done with the keyboard; it updates in place and keeps the focus.
    first = page.locator("li.session:has(button)").first
    first.get_by_role("button", name="Done").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("li.session.done:focus")
    assert page.evaluate("document.activeElement.classList.contains('session')")

    # Import two files, with the per-file results shown in place (HTMX).
    page = visit(offline_page, live_server, "/import")
    check_accessibility(page, "import")
    page.get_by_label("Choose one or more files").set_input_files(
        [str(DEMO_DIR / "run_fenix2_47min.fit"), str(DEMO_DIR / "run_runpandas_sample.tcx")])
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("#import-table")
    assert "2 of 2 files imported" in page.locator("#import-results").inner_text()
    check_accessibility(page, "import results")
    offline_page.screenshot("06-import-results")

    # Activities and one activity's charts.
    page = visit(offline_page, live_server, "/activities")
    check_accessibility(page, "activities")
    page.locator("table a").first.click()
    page.wait_for_selector("#plot-pace .main-svg")
    check_accessibility(page, "activity detail")
    offline_page.screenshot("07-activity")

    # A pain check-in, chosen on the body map; the plan changes and says why.
    page = visit(offline_page, live_server, "/log")
    check_accessibility(page, "log")
    page.get_by_label("Pain right now").select_option("6")
    page.locator('[data-pain-site="Left shin"]').click()
    assert page.get_by_label("Where does it hurt?").input_value() == "Left shin"
    page.get_by_label("When do you feel it?").select_option("during")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_selector("text=Your plan has changed")
    assert "6/10" in page.locator("#checkin-result").inner_text()
    check_accessibility(page, "log after check-in")
    offline_page.screenshot("08-log-plan-changed")

    page = visit(offline_page, live_server, "/plan")
    changes = page.locator("#plan-changes").inner_text()
    assert "Plan re-made" in changes and "left shin" in changes
    offline_page.screenshot("09-plan-changed")

    page = visit(offline_page, live_server, "/today")
    assert "6/10" in page.locator("main").inner_text()
    check_accessibility(page, "today with a warning")
    offline_page.screenshot("10-today")

    page = visit(offline_page, live_server, "/trends")
    page.wait_for_selector("#plot-weekly-minutes .main-svg")
    assert page.locator("figure.chart").count() >= 7
    check_accessibility(page, "trends")
    offline_page.screenshot("11-trends")

    for path in ("/evidence", "/evidence/bone"):
        check_accessibility(visit(offline_page, live_server, path), path)
    offline_page.screenshot("12-evidence")

    # The self-contained report opens from a file with no server and no network.
    from stridewise.report.html import write_report

    report = write_report(live_server.app.state.store, tmp_path / "report.html")
    page.goto(report.as_uri())
    page.wait_for_selector("#plot-weekly-minutes .main-svg")
    assert "left shin" in page.locator("#warnings").inner_text()
    check_accessibility(page, "report")
    offline_page.screenshot("13-report")


def test_api_docs_render_offline(live_server: LiveServer, offline_page: OfflinePage) -> None:
    page = visit(offline_page, live_server, "/api/docs")
    page.get_by_text("/api/today", exact=True).first.wait_for()
    offline_page.screenshot("14-api-docs")


def test_keyboard_reaches_skip_link_and_navigation(live_server: LiveServer,
                                                   offline_page: OfflinePage) -> None:
    page = visit(offline_page, live_server, "/log")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused_label = page.evaluate("document.activeElement.id || document.activeElement.name")
    assert focused_label in ("pain_score",)


@pytest.mark.parametrize("path", ["/today", "/log", "/plan", "/trends", "/onboarding"])
def test_usable_at_360_px(live_server: LiveServer, phone_page: OfflinePage, path: str) -> None:
    page = visit(phone_page, live_server, path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path} scrolls sideways by {overflow} px at 360 px"
    phone_page.screenshot(f"phone{path.replace('/', '-')}")
