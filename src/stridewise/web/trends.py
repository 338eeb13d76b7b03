"""The Trends page: weekly minutes against the WHO band, distance, fitness/fatigue/form, ACWR,
monotony, bone stimulus against walking, and pain, each chart with its words beside it."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from stridewise.present.trend_charts import has_any_activity, joined_charts, trend_charts
from stridewise.web.deps import context_of, core_of, units_of
from stridewise.web.render import page
from stridewise.web.today_plan import current_answer

router = APIRouter()

#: Choices for the daily charts' window: (query value, days or None for all, words).
RANGES: tuple[tuple[str, int | None, str], ...] = (
    ("3m", 91, "Last 3 months"),
    ("1y", 365, "Last 12 months"),
    ("all", None, "Everything"),
)


def window_days(range_key: str) -> int | None:
    for key, days, _words in RANGES:
        if key == range_key:
            return days
    return 365


@router.get("/trends", response_class=HTMLResponse, name="trends_page")
def trends_page(request: Request, range_key: str = Query("1y", alias="range")) -> HTMLResponse:
    core, ctx = core_of(request), context_of(request)
    series = core.series(ctx)
    units = units_of(request)
    days = window_days(range_key)
    # The charts read from the sessions alone are kept through check-ins; the others (active
    # minutes, pain) are made again when anything changes.
    from_sessions = core.derived_from_sessions(
        ctx, ("trend_charts", units, days),
        lambda: trend_charts(core.session_days(ctx), units=units, days=days, part="sessions"))
    rest = core.derived(ctx, ("trend_charts", units, days),
                        lambda: trend_charts(core.series(ctx), units=units, days=days,
                                             part="rest"))
    charts = joined_charts(from_sessions, rest)
    return page(request, "trends.html", title="Trends", active="trends_page", charts=charts,
                warnings=list(current_answer(request).warnings),
                has_activity=has_any_activity(series), ranges=RANGES, range_key=range_key,
                needs_plotly=bool(charts))
