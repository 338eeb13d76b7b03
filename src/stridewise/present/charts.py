"""Chart helpers shared by the dashboard and the HTML report.

A chart is a Plotly figure *dict* (built directly: constructing ``plotly.graph_objects``
figures validates every property and costs tens of milliseconds per chart) plus the plain-words
summary that is shown beside it, so nobody needs to read the plot to get the point. The figure
becomes an HTML ``<div>`` without Plotly's JavaScript; pages load that once from
``/static/plotly.min.js`` and the report inlines it once.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import plotly
import plotly.io as pio
from markupsafe import Markup, escape
from numpy.typing import NDArray

# Colours chosen for at least 3:1 against white (WCAG non-text contrast) and to stay apart
# for the common colour-vision deficiencies (Okabe-Ito based, darkened).
COLOURS = {
    "primary": "#0a5c36",
    "secondary": "#0b4f8a",
    "accent": "#a14a00",
    "purple": "#7b3294",
    "grey": "#5a5a5a",
    "band": "rgba(10, 92, 54, 0.12)",
    "warn_band": "rgba(161, 74, 0, 0.12)",
}

PLOT_CONFIG: dict[str, Any] = {
    # The mode bar's icon buttons have no accessible names; zoom and hover still work.
    "displayModeBar": False,
    "responsive": True,
}

#: Trace coordinates: a list, or a NumPy array (kept as is; Plotly encodes it directly).
Values = Sequence[Any] | NDArray[Any]

_ID_SAFE = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True)
class Chart:
    """One figure and its words.

    ``summary`` is the text shown beside the plot (what it shows, in a sentence or two);
    ``convention`` names the formula or convention the series uses, when there is one.
    """

    chart_id: str
    title: str
    summary: str
    figure: dict[str, Any]
    convention: str | None = None
    data_table: Sequence[tuple[str, str]] = field(default_factory=tuple)


def plotly_js_path() -> Path:
    """The minified Plotly.js bundled with the installed ``plotly`` Python package."""
    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@lru_cache(maxsize=1)
def plotly_js_source() -> str:
    """Plotly.js as text, for inlining once into the self-contained report."""
    return plotly_js_path().read_text(encoding="utf-8")


def base_layout(y_title: str, x_title: str = "", *, height_px: int = 340) -> dict[str, Any]:
    """A plain layout with large type and a legend above the plot (readable at 360 px)."""
    return {
        "height": height_px,
        "margin": {"l": 60, "r": 16, "t": 16, "b": 48},
        "font": {"size": 15, "color": "#1b1b1b",
                 "family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": {"title": {"text": x_title}, "gridcolor": "#e0e0e0", "linecolor": "#767676"},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#e0e0e0", "linecolor": "#767676",
                  "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "hovermode": "x unified",
        "showlegend": True,
    }


def dom_id(text: str) -> str:
    """A stable, HTML-safe id from a chart name."""
    return _ID_SAFE.sub("-", text.lower()).strip("-") or "chart"


#: Each chart's Plotly ``<div>``, kept while the chart lives: the core keeps a page's charts
#: until the athlete's data changes, and turning a figure into HTML was half the cost of a
#: Trends page that was otherwise ready. Keyed by id, checked by a weak reference.
_PLOT_DIVS: dict[int, tuple[weakref.ref[Chart], Markup]] = {}


def plot_div(chart: Chart) -> Markup:
    """The Plotly ``<div>`` for one chart, without Plotly.js itself."""
    held = _PLOT_DIVS.get(id(chart))
    if held is not None and held[0]() is chart:
        return held[1]
    markup = _plot_div(chart)
    key = id(chart)
    _PLOT_DIVS[key] = (weakref.ref(chart, lambda _gone: _PLOT_DIVS.pop(key, None)), markup)
    return markup


def _plot_div(chart: Chart) -> Markup:
    html = pio.to_html(
        chart.figure,
        config=PLOT_CONFIG,
        include_plotlyjs=False,
        full_html=False,
        validate=False,
        div_id=f"plot-{dom_id(chart.chart_id)}",
        default_height=f"{chart.figure.get('layout', {}).get('height', 340)}px",
    )
    return Markup(html)


def chart_figure(chart: Chart, heading_level: int = 3) -> Markup:
    """A ``<figure>`` with a heading, the plot (hidden from screen readers, which get the
    summary instead) and the summary as its caption."""
    level = min(max(heading_level, 2), 6)
    cid = dom_id(chart.chart_id)
    parts = [
        f'<figure class="chart side" id="{cid}" aria-labelledby="{cid}-title">',
        '<div>',
        f'<h{level} id="{cid}-title">{escape(chart.title)}</h{level}>',
        f'<div class="plot" aria-hidden="true">{plot_div(chart)}</div>',
        "</div>",
        f'<figcaption><p>{escape(chart.summary)}</p>',
    ]
    if chart.convention:
        parts.append(f'<p class="convention">{escape(chart.convention)}</p>')
    if chart.data_table:
        parts.append('<dl class="convention">')
        for label, value in chart.data_table:
            parts.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
        parts.append("</dl>")
    parts.append("</figcaption></figure>")
    return Markup("".join(parts))


def line_trace(x: Values, y: Values, name: str, colour: str, *,
               dash: str = "solid", width: float = 2.5, fill: str | None = None) -> dict[str, Any]:
    """A line trace; lists or NumPy arrays (NaN becomes null: a gap)."""
    trace: dict[str, Any] = {
        "type": "scatter", "mode": "lines", "name": name, "x": x, "y": y,
        "line": {"color": colour, "dash": dash, "width": width},
    }
    if fill:
        trace["fill"] = fill
    return trace


def bar_trace(x: Values, y: Values, name: str, colour: str) -> dict[str, Any]:
    return {"type": "bar", "name": name, "x": x, "y": y, "marker": {"color": colour}}


def band_shape(y0: float, y1: float, colour: str = COLOURS["band"]) -> dict[str, Any]:
    """A horizontal band across the whole plot (e.g. a recommended range)."""
    return {"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": y0, "y1": y1,
            "fillcolor": colour, "line": {"width": 0}, "layer": "below"}


def hline_shape(y: float, colour: str = COLOURS["grey"]) -> dict[str, Any]:
    return {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y,
            "line": {"color": colour, "width": 2, "dash": "dash"}}
