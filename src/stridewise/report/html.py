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
from stridewise.monitor import zone_of
from stridewise.plan.service import day_answer
from stridewise.science.screening import ScreeningResult
from stridewise.store import Store
from stridewise.web.charts import chart_figure, plotly_js_source
from stridewise.web.plan_view import active_plan_view
from stridewise.web.render import (
    STATIC_DIR,
    TEMPLATES_DIR,
    format_day,
    format_distance,
    format_duration,
)
from stridewise.web.screening_form import ResultWords, explain
from stridewise.web.series_cache import cached_series
from stridewise.web.trend_charts import trend_charts

_ENV = Environment(
    # The dashboard's templates come second so the report shares its partials (disclaimer).
    loader=FileSystemLoader([Path(__file__).parent / "templates", TEMPLATES_DIR]),
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


def _latest_screening(store: Store, athlete_id: int) -> ScreeningSummary | None:
    with store.transaction() as tx:
        rows = tx.list_screenings(athlete_id)
    if not rows:
        return None
    row = rows[-1]
    return ScreeningSummary(row.taken_at_utc.date(),
                            explain(ScreeningResult.from_dict(row.result)))


def build_report(store: Store, athlete_id: int | None = None, *, today: date | None = None,
                 days: int | None = 365) -> str:
    """The report for ``athlete_id`` (default: the single local user) as one HTML string,
    showing the plan after any re-plan the latest data calls for (for the real today only).

    ``days`` is the window of the charts (None: the whole history).
    """
    athlete_id = store.default_athlete_id() if athlete_id is None else athlete_id
    zone = zone_of(store, athlete_id)
    real_today = clock.today(zone)
    today = today or real_today
    with store.transaction() as tx:
        athlete = tx.get_athlete(athlete_id)
    units = athlete.units if athlete is not None and athlete.units else "km"
    series = cached_series(store, athlete_id, {})
    charts = trend_charts(series, units=units, days=days)
    # The plan as it stands after the latest data (a pain stop or a new screening re-plans
    # first), with the same warnings as `stridewise today` and the Today page.
    answer = day_answer(store, athlete_id, today, series, advice_only=today != real_today)
    template = _ENV.get_template("report.html")
    return template.render(
        generated=clock.now_in(zone),
        version=__version__,
        units=units,
        screening=_latest_screening(store, athlete_id),
        warnings=list(answer.warnings),
        plan=active_plan_view(store, athlete_id, since=today, weeks=PLAN_WEEKS_SHOWN),
        charts=charts,
        css=Markup((STATIC_DIR / "stridewise.css").read_text(encoding="utf-8")),
        plotly_js=Markup(plotly_js_source()) if charts else Markup(""),
    )


def write_report(store: Store, out: Path | str, athlete_id: int | None = None, *,
                 days: int | None = 365) -> Path:
    """Write :func:`build_report` to ``out`` (UTF-8) and return the path."""
    path = Path(out)
    path.write_text(build_report(store, athlete_id, days=days), encoding="utf-8")
    return path
