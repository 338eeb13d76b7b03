"""Fixtures for the web tests: an app on a fresh SQLite store, a live uvicorn server, and a
headless chromium (Debian's, at /usr/bin/chromium) driven by Playwright.

Browser tests skip when chromium is missing, except under CI=true where that is a failure.
Every browser page refuses requests that leave 127.0.0.1, so a CDN dependency fails the test.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

CHROMIUM = Path(os.environ.get("STRIDEWISE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"


@pytest.fixture(autouse=True)
def _testserver_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """TestClient sends ``Host: testserver``; allow it as a configured host would be."""
    monkeypatch.setenv("STRIDEWISE_ALLOWED_HOSTS", "testserver")


def csrf_cookie(test_client: TestClient) -> str:
    """The value of the token cookie the dashboard gave this client (its name ends with an id
    of the database's secret)."""
    values = [cookie.value for cookie in test_client.cookies.jar
              if cookie.name.startswith("stridewise_csrf_") and cookie.value]
    assert len(values) == 1, values
    return str(values[0])


def same_origin(test_client: TestClient) -> TestClient:
    """A client that behaves like the dashboard's own pages: it holds the token cookie and
    repeats it in the ``X-CSRF-Token`` header, as the forms repeat it in a field."""
    test_client.get("/static/stridewise.css")
    test_client.headers["X-CSRF-Token"] = csrf_cookie(test_client)
    return test_client


@pytest.fixture()
def app(tmp_path: Path) -> FastAPI:
    from stridewise.web import create_app

    return create_app(f"sqlite:///{tmp_path / 'web.db'}")


@pytest.fixture()
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield same_origin(test_client)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """uvicorn serving ``app`` on 127.0.0.1 in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        import uvicorn

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture()
def live_server_class() -> type[LiveServer]:
    """The LiveServer class, for tests that serve an app of their own."""
    return LiveServer


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from stridewise.web import create_app

    db = tmp_path_factory.mktemp("live") / "live.db"
    with LiveServer(create_app(f"sqlite:///{db}")) as server:
        yield server


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"chromium is required under CI=true but {CHROMIUM} is missing")
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class OfflinePage:
    """A Playwright page that records (and refuses) any request leaving 127.0.0.1."""

    def __init__(self, browser: Any, width_px: int = 1280, height_px: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width_px, "height": height_px})
        self.page = self.context.new_page()
        self.external_requests: list[str] = []
        self.page.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:", "file:")):
            route.continue_()
        else:
            self.external_requests.append(url)
            route.abort()

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def offline_page(chromium_browser: Any) -> Iterator[OfflinePage]:
    wrapper = OfflinePage(chromium_browser)
    yield wrapper
    wrapper.close()
    assert wrapper.external_requests == [], "pages must not load anything from the network"


@pytest.fixture()
def phone_page(chromium_browser: Any) -> Iterator[OfflinePage]:
    wrapper = OfflinePage(chromium_browser, width_px=360, height_px=740)
    yield wrapper
    wrapper.close()
    assert wrapper.external_requests == [], "pages must not load anything from the network"


@pytest.fixture(scope="session")
def serious_axe_violations() -> Any:
    return _serious_axe_violations


def _serious_axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core (the copy shipped in axe-playwright-python) on the current page; only the
    serious and critical violations are returned."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response.get("violations", [])
    return [v for v in violations if v.get("impact") in ("serious", "critical")]
