"""One self-contained HTML report of a cohort run: distributions, adherence over time, hazard
ratios with intervals, bone stimulus by screening level, the QC summary and a methods section
written from the run's own settings (``run.json``). Plotly.js is inlined once, from the
installed package (:func:`stridewise.present.charts.plotly_js_source`), as the personal report
does: the file opens offline.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.io as pio

from stridewise.present.charts import base_layout, plotly_js_source

from .analyses import REFERENCE_BAND
from .pipeline import BAND_LABELS


def _table(frame: pd.DataFrame, digits: int = 2) -> str:
    if frame.empty:
        return "<p>No rows.</p>"
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for v in record:
            text = f"{v:.{digits}f}" if isinstance(v, float) else str(v)
            cells.append(f"<td>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _plot(figure: dict[str, Any], name: str) -> str:
    return str(pio.to_html(figure, include_plotlyjs=False, full_html=False, validate=False,
                           div_id=f"plot-{name}", config={"displaylogo": False}))


def _histogram(values: pd.Series, title: str, name: str) -> str:
    layout = base_layout("participants", title)
    layout["showlegend"] = False
    return _plot({"data": [{"type": "histogram", "x": values.dropna().tolist(),
                            "marker": {"color": "#1f5fa8"}}], "layout": layout}, name)


def _methods(run: dict[str, Any], tables: dict[str, pd.DataFrame]) -> str:
    settings = run.get("settings", {})
    info = run.get("dataset_info", {})
    return f"""
<p><strong>Data.</strong> Dataset <code>{html.escape(str(run.get('dataset', '')))}</code>
({html.escape(str(info.get('source', '')))}; dates: {html.escape(str(info.get('dates', '')))}),
{info.get('partitions', 0)} partitions, run on {html.escape(str(run.get('scheduler', '')))}
with {run.get('workers', '')} workers, finished {html.escape(str(run.get('finished_utc', '')))}.
</p>
<p><strong>Per participant.</strong> The daily series of the single-user product
(<code>stridewise.series.daily_series</code>, through the participant's last day in their own
time zone): session-RPE load, fitness/fatigue, single-run spike ratio (the day's longest run over
the longest run of the previous 30 days, Frandsen et al. 2025), bone stimulus (osteogenic index,
Robling et al. 2001), WHO moderate-equivalent minutes (vigorous minutes count double, WHO 2020).
Pain stops are the safety rules' own STOP decision
(<code>stridewise.science.pain.evaluate_pain</code>) replayed on each day with a pain report.</p>
<p><strong>Valid weeks.</strong> A whole Monday-to-Sunday week inside follow-up with data (a
session, a check-in or device measures) on at least {settings.get('valid_week_min_days')} of
its 7 days. Adherence uses valid weeks only; a participant meets the target when their mean
valid week reaches {settings.get('who_weekly_target_min')} WHO minutes.</p>
<p><strong>Progression safety.</strong> Each run opens an at-risk interval that ends at a pain
stop (event), the next run, {settings.get('stop_window_d')} days, or the end of follow-up
(censored). Runs are banded by spike ratio ({', '.join(BAND_LABELS)}; reference
{REFERENCE_BAND}); runs with no run in the previous 30 days have no ratio and are left out of the
model. Hazard ratios come from a Cox proportional-hazards model (lifelines
<code>CoxPHFitter</code>, Efron ties) with a robust sandwich variance clustered by participant,
because one person contributes many runs. The 30-day incidence is the share of runs followed by
a pain stop within 30 days, whatever came between.</p>
<p><strong>Bone.</strong> Mean weekly bone stimulus over valid weeks against the impact level of
the participant's latest screening.</p>
<p>Participants: {len(tables['participants'])}; runs in the model:
{int(tables['safety_hazard_ratios']['runs'].sum()) if len(tables['safety_hazard_ratios']) else 0}.
Observational associations only: not evidence that a spike causes a pain stop.</p>
"""


def build_report(out: Path) -> str:
    out = Path(out)
    run = json.loads((out / "run.json").read_text())
    tables = {p.stem: pd.read_parquet(p) for p in sorted((out / "analyses").glob("*.parquet"))}
    participants = pd.read_parquet(out / "participants.parquet")
    qc = pd.read_parquet(out / "qc.parquet")
    tables["participants"] = participants
    over = tables["adherence_over_time"]
    adherence_layout = base_layout("WHO minutes per week", "week of follow-up")
    adherence_fig = {"data": [
        {"type": "scatter", "mode": "lines", "name": "mean", "x": over["week_index"].tolist(),
         "y": over["mean_who_min"].tolist()},
        {"type": "scatter", "mode": "lines", "name": "median",
         "x": over["week_index"].tolist(), "y": over["median_who_min"].tolist()},
    ], "layout": adherence_layout}
    share_layout = base_layout("share meeting 150 min", "week of follow-up")
    share_fig = {"data": [{"type": "scatter", "mode": "lines", "name": "share meeting 150",
                           "x": over["week_index"].tolist(),
                           "y": over["share_meeting"].tolist()}], "layout": share_layout}
    hr = tables["safety_hazard_ratios"]
    hr_layout = base_layout("hazard ratio (95 % CI, log scale)", "single-run spike band")
    hr_layout["yaxis"]["type"] = "log"
    hr_layout["yaxis"].pop("rangemode", None)
    hr_layout["showlegend"] = False
    hr_fig = {"data": [{
        "type": "scatter", "mode": "markers", "x": hr["band"].tolist() if len(hr) else [],
        "y": hr["hazard_ratio"].tolist() if len(hr) else [],
        "error_y": {"type": "data", "symmetric": False,
                    "array": (hr["ci_high"] - hr["hazard_ratio"]).tolist() if len(hr) else [],
                    "arrayminus": (hr["hazard_ratio"] - hr["ci_low"]).tolist() if len(hr)
                    else []},
        "marker": {"size": 12, "color": "#b3261e"}}], "layout": hr_layout}
    failed = qc[qc["status"] != "ok"]
    qc_summary = pd.DataFrame([{
        "participants": int((qc["status"] == "ok").sum()), "failed": len(failed),
        "median days": float(qc.loc[qc["status"] == "ok", "days"].median()) if len(qc) else 0.0,
        "median days with data": float(qc.loc[qc["status"] == "ok", "days_with_data"].median())
        if len(qc) else 0.0,
        "valid weeks (total)": int(qc["valid_weeks"].sum()),
        "weeks (total)": int(qc["weeks"].sum()),
    }])
    body = f"""
<h1>Cohort report</h1>
<p>{len(participants)} participants; {len(failed)} failed (see Quality control).</p>
<nav><a href="#dist">Distributions</a> · <a href="#adh">Adherence</a> ·
<a href="#safety">Progression safety</a> · <a href="#bone">Bone</a> · <a href="#qc">Quality
control</a> · <a href="#methods">Methods</a></nav>
<h2 id="dist">Distributions</h2>
<h3>Mean WHO minutes per valid week</h3>{_histogram(participants['weekly_who_min'],
                                                     'WHO minutes per week', 'who')}
<h3>Mean weekly bone stimulus</h3>{_histogram(participants['weekly_bone_stimulus'],
                                              'bone stimulus per week', 'bone-dist')}
<h3>Pain stops per participant</h3>{_histogram(participants['pain_stops'], 'pain stops',
                                                 'stops')}
<h2 id="adh">Adherence</h2>
{_plot(adherence_fig, 'adherence')}{_plot(share_fig, 'share')}
{_table(tables['adherence_by_group'])}
<h2 id="safety">Progression safety</h2>
{_plot(hr_fig, 'hazard-ratios')}
<h3>Hazard ratios (reference: runs {REFERENCE_BAND} longer than the previous 30 days'
longest)</h3>{_table(hr, 3)}
<h3>Rates</h3>{_table(tables['safety_rates'], 3)}
<h2 id="bone">Bone stimulus by screening level</h2>{_table(tables['bone_by_screening'])}
<h2 id="qc">Quality control</h2>{_table(qc_summary)}
<h3>Failures</h3>{_table(failed[['pid', 'reason']]) if len(failed) else '<p>None.</p>'}
<h2 id="methods">Methods</h2>{_methods(run, tables)}
"""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>stridewise cohort report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;
color:#1b1b1b}}table{{border-collapse:collapse;margin:.5rem 0}}td,th{{border:1px solid #ccc;
padding:.2rem .5rem;text-align:right}}</style>
<script>{plotly_js_source()}</script></head><body>{body}</body></html>
"""


def write_report(out: Path, path: Path | None = None) -> Path:
    target = Path(path) if path is not None else Path(out) / "report.html"
    target.write_text(build_report(out), encoding="utf-8")
    return target
