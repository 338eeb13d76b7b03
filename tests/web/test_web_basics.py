"""The app starts on a fresh store, serves its assets from the package, and its pages share one
accessible layout (skip link, labelled navigation, the not-a-medical-device footer)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_assets_are_served_locally(client: TestClient) -> None:
    htmx = client.get("/static/vendor/htmx.min.js")
    assert htmx.status_code == 200 and "htmx" in htmx.text[:200]
    plotly_js = client.get("/static/plotly.min.js")
    assert plotly_js.status_code == 200 and "plotly.js" in plotly_js.text[:200]
    css = client.get("/static/stridewise.css")
    assert css.status_code == 200 and "@media print" in css.text


def test_no_page_references_a_remote_script_or_style(client: TestClient) -> None:
    for path in ("/onboarding", "/evidence", "/api/docs"):
        html = client.get(path).text
        remote = re.findall(r'(?:src|href)="(https?://(?!testserver)[^"]+)"', html)
        assert remote == [], path


def test_layout_has_skip_link_navigation_and_disclaimer(client: TestClient) -> None:
    html = client.get("/onboarding").text
    assert '<a class="skip-link" href="#main">' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert '<main id="main"' in html
    assert "not a medical device" in html
    assert 'aria-current="page"' in html


def test_openapi_schema_is_served(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "stridewise"
    assert all(path.startswith("/api/") for path in schema["paths"])
    assert {"/api/today", "/api/plan", "/api/series", "/api/import"} <= set(schema["paths"])
