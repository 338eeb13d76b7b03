"""Every page at phone width (360 px) and laptop width (1280 px), on the demo's database: axe-core
finds no WCAG 2.0 A/AA or 2.1 AA violation of any impact, no chart or table is wider than its
card, and nothing scrolls sideways. Screenshots of every page at both widths go to
test-artifacts/web/screens/ (the closing notes link them)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app as cli_app

pytestmark = pytest.mark.browser

LiveServer = OfflinePage = Any  # fixtures' types (conftest.py); tests are not a package

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
PAGES = ("/today", "/plan", "/log", "/import", "/activities", "/activities/1", "/trends",
         "/onboarding", "/evidence", "/evidence/load", "/brain")
WIDTHS = (360, 1280)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Elements that must fit inside the card (or main column) that holds them.
OVERFLOWING = """() => {
  // A table may sit in a .table-wrap scroller, but it must still fit the card at 360 px.
  const found = [];
  for (const el of document.querySelectorAll('figure.chart .plot, .js-plotly-plot, table')) {
    const holder = el.closest('section, article, figure, main');
    if (!holder) continue;
    const box = el.getBoundingClientRect(), card = holder.getBoundingClientRect();
    if (box.right > card.right + 1 || box.left < card.left - 1)
      found.push((el.id || el.tagName) + ' ' + Math.round(box.width) + 'px in '
                 + Math.round(card.width) + 'px');
  }
  return found;
}"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from conftest import LiveServer as Server  # type: ignore[import-not-found]

    from stridewise.web import create_app

    folder = tmp_path_factory.mktemp("screens")
    with clock.use_clock(clock.FixedClock(NOW)):
        result = CliRunner().invoke(cli_app, ["demo", "--dir", str(folder),
                                              "--report", str(folder / "r.html")])
        assert result.exit_code == 0, result.output
        with Server(create_app(f"sqlite:///{folder / 'demo.db'}")) as server:
            yield server


@pytest.fixture()
def sized_page(chromium_browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    from conftest import OfflinePage as Page  # type: ignore[import-not-found]

    wrapper = Page(chromium_browser, width_px=request.param, height_px=900)
    yield wrapper
    wrapper.close()
    assert wrapper.external_requests == []


def _wcag_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']} ({v.get('impact')}): {v['help']} e.g. {v['nodes'][0]['target']}"
            for v in results.response.get("violations", [])]


@pytest.mark.parametrize("sized_page", WIDTHS, indirect=True, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("path", PAGES)
def test_page_reads_at_every_width(demo_server: LiveServer, sized_page: Any, path: str) -> None:
    page = sized_page.page
    with clock.use_clock(clock.FixedClock(NOW)):
        response = page.goto(demo_server.url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(150)  # Plotly's resize to its container
    width = page.viewport_size["width"]
    sized_page.screenshot(f"screens/{path.strip('/').replace('/', '-')}-{width}")
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert sideways <= 1, f"{path} scrolls sideways by {sideways} px at {width} px"
    assert page.evaluate(OVERFLOWING) == [], f"{path} at {width} px"
    assert _wcag_violations(page) == [], f"{path} at {width} px"

