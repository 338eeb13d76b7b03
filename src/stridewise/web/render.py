"""Template rendering shared by every page: one Jinja2 environment, the navigation, filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.datastructures import URL, URLPath
from starlette.responses import HTMLResponse

from stridewise.present.assets import SHARED_TEMPLATES_DIR
from stridewise.present.charts import chart_figure
from stridewise.present.format import (
    format_day,
    format_distance,
    format_duration,
    format_pace,
)
from stridewise.web.security import csrf_input

TEMPLATES_DIR = Path(__file__).parent / "templates"

#: (endpoint name, label) in the order they appear in the menu.
NAV_ITEMS: tuple[tuple[str, str], ...] = (
    ("today_page", "Today"),
    ("plan_page", "Plan"),
    ("log_page", "Log"),
    ("import_page", "Import"),
    ("activities_page", "Activities"),
    ("trends_page", "Trends"),
    ("brain_page", "Brain"),
    ("onboarding_page", "Screening"),
    ("evidence_page", "Evidence"),
)

#: (router, endpoint name, path parameters) -> path. A router's routes are fixed once it
#: serves, so a path found once is the path; finding it walks every route (a page asks for
#: 10-20 of them: a third of a cached page's CPU before this).
_MAX_PATHS = 10_000
_PATHS: dict[tuple[int, str, tuple[tuple[str, Any], ...]], tuple[Any, URLPath]] = {}


@pass_context
def cached_url_for(context: dict[str, Any], name: str, /, **path_params: Any) -> URL:
    """Starlette's template ``url_for`` (the same absolute URL, under the request's base URL
    and root path), with each router's paths looked up once."""
    request: Request = context["request"]
    router = request.scope.get("router") or request.scope.get("app")
    try:
        key = (id(router), name, tuple(sorted(path_params.items())))
        hash(key)
    except TypeError:
        return request.url_for(name, **path_params)
    held = _PATHS.get(key)
    if held is None or held[0] is not router:
        # The router is kept beside its path, so a reused id() never answers for another.
        held = (router, router.url_path_for(name, **path_params))  # type: ignore[union-attr]
        if len(_PATHS) >= _MAX_PATHS:
            _PATHS.clear()  # paths with ids (an activity's page) must not grow without end
        _PATHS[key] = held
    return held[1].make_absolute_url(base_url=request.base_url)


def _make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=[TEMPLATES_DIR, SHARED_TEMPLATES_DIR])
    env = templates.env
    env.filters["distance"] = format_distance
    env.filters["duration"] = format_duration
    env.filters["pace"] = format_pace
    env.filters["day"] = format_day
    env.globals["chart"] = chart_figure
    # {{ csrf_input(request) }} in every form that posts (stridewise.web.security).
    env.globals["csrf_input"] = csrf_input
    env.globals["url_for"] = cached_url_for
    return templates


templates = _make_templates()


def page(
    request: Request,
    template: str,
    *,
    title: str,
    active: str | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a full page (or, for an HTMX request to a fragment template, just the fragment)."""
    context.setdefault("needs_plotly", False)
    known: frozenset[str] = getattr(request.app.state, "route_names", frozenset())
    nav_items = [(endpoint, label) for endpoint, label in NAV_ITEMS if endpoint in known]
    return templates.TemplateResponse(
        request,
        template,
        {"title": title, "active": active, "nav_items": nav_items, **context},
        status_code=status_code,
    )
