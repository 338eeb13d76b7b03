"""The self-contained HTML report (``stridewise report --out report.html``).

One file, scripts and styles inline (Plotly.js once, then every chart as a ``<div>``), so it
opens offline, can be e-mailed, and prints cleanly: the screening summary, the warnings that
apply today, the plan with its reasons and changes, and every trend chart with its words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from stridewise import __version__, clock
from stridewise.core.app import Core
from stridewise.present.assets import SHARED_TEMPLATES_DIR, STATIC_DIR
from stridewise.present.brain_view import brain_view
from stridewise.present.charts import chart_figure, plotly_js_source
from stridewise.present.format import format_day, format_distance, format_duration
from stridewise.present.plan_view import active_plan_view
from stridewise.present.screening_words import ResultWords, explain
from stridewise.present.trend_charts import trend_charts
from stridewise.store import Store

_ENV = Environment(
    # The shared partials (disclaimer, plan weeks) come second.
    loader=FileSystemLoader([Path(__file__).parent / "templates", SHARED_TEMPLATES_DIR]),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters.update(day=format_day, distance=format_distance, duration=format_duration)
_ENV.globals["chart"] = chart_figure

PLAN_WEEKS_SHOWN = 4


@dataclass(frozen=True)
class ScreeningSummary:
    taken_on: date
    words: ResultWords


def build_report(store: Store, athlete_id: int | None = None, *, today: date | None = None,
                 days: int | None = 365) -> str:
    """The report for ``athlete_id`` (default: the single local user) as one HTML string,
    showing the plan after any re-plan the latest data calls for (for the real today only).
    Everything it says comes from the core (:class:`stridewise.core.app.Core`), so the report
    shows the same advice as the CLI and the dashboard.

    ``days`` is the window of the charts (None: the whole history).
    """
    core = Core(store)
    ctx = core.context(athlete_id)
    day = today or ctx.today
    units = core.units(ctx)
    series = core.series(ctx)
    charts = trend_charts(series, units=units, days=days)
    answer = core.advice(ctx, day)
    latest = core.latest_screening(ctx)
    template = _ENV.get_template("report.html")
    return template.render(
        generated=clock.now_in(ctx.zone),
        version=__version__,
        units=units,
        screening=ScreeningSummary(latest[0], explain(latest[1])) if latest else None,
        warnings=list(answer.warnings),
        plan=active_plan_view(store, ctx.athlete_id, since=day, weeks=PLAN_WEEKS_SHOWN),
        charts=charts,
        brain=brain_view(core.brain(ctx)),
        css=Markup((STATIC_DIR / "stridewise.css").read_text(encoding="utf-8")),
        plotly_js=Markup(plotly_js_source()) if charts else Markup(""),
    )


def write_report(store: Store, out: Path | str, athlete_id: int | None = None, *,
                 days: int | None = 365) -> Path:
    """Write :func:`build_report` to ``out`` (UTF-8) and return the path."""
    path = Path(out)
    path.write_text(build_report(store, athlete_id, days=days), encoding="utf-8")
    return path
