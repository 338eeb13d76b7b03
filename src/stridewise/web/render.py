"""Template rendering shared by every page: one Jinja2 environment, the navigation, filters."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from stridewise.web.charts import chart_figure
from stridewise.web.security import csrf_input

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

#: (endpoint name, label) in the order they appear in the menu.
NAV_ITEMS: tuple[tuple[str, str], ...] = (
    ("today_page", "Today"),
    ("plan_page", "Plan"),
    ("log_page", "Log"),
    ("import_page", "Import"),
    ("activities_page", "Activities"),
    ("trends_page", "Trends"),
    ("onboarding_page", "Screening"),
    ("evidence_page", "Evidence"),
)

MI_M = 1609.344


def format_distance(distance_m: float | None, units: str = "km") -> str:
    """``5.02 km`` or ``3.12 mi``; a dash when unknown."""
    if distance_m is None or (isinstance(distance_m, float) and math.isnan(distance_m)):
        return "–"
    if units == "mi":
        return f"{distance_m / MI_M:.2f} mi"
    return f"{distance_m / 1000:.2f} km"


def format_duration(seconds: float | None) -> str:
    """``1 h 05 min`` or ``32 min``; a dash when unknown."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def format_pace(speed_mps: float | None, units: str = "km") -> str:
    """Minutes per km (or mile): ``7:30 /km``."""
    if not speed_mps or math.isnan(speed_mps) or speed_mps <= 0:
        return "–"
    seconds = round((MI_M if units == "mi" else 1000.0) / speed_mps)
    return f"{seconds // 60}:{seconds % 60:02d} /{units}"


def format_day(value: date | datetime | None) -> str:
    """``Mon 3 Mar 2025``: day names help more than ISO dates for most people."""
    if value is None:
        return "–"
    return f"{value:%a} {value.day} {value:%b %Y}"


def _make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.filters["distance"] = format_distance
    env.filters["duration"] = format_duration
    env.filters["pace"] = format_pace
    env.filters["day"] = format_day
    env.globals["chart"] = chart_figure
    # {{ csrf_input(request) }} in every form that posts (stridewise.web.security).
    env.globals["csrf_input"] = csrf_input
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
