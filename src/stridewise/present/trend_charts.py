"""The Trends charts, built from the daily series (one row per day), each with its text summary.

Shared by the Trends page and the self-contained report. Every chart covers the same window
(the last ``days`` days, or everything): daily charts day by day, weekly charts by the weeks
that touch the window.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from stridewise.monitor import (
    ACWR_SPIKE,
    LOAD_RATIO_HISTORY_DAYS,
    MONOTONY_HIGH,
    enough_history_for_ratios,
)
from stridewise.present.charts import (
    COLOURS,
    Chart,
    band_shape,
    bar_trace,
    base_layout,
    hline_shape,
    line_trace,
)
from stridewise.present.format import MI_M, plural
from stridewise.science.acwr import ACWR_USUAL_RANGE
from stridewise.science.benefits import WHO_MODERATE_MIN_PER_WEEK, WHO_MODERATE_UPPER_MIN_PER_WEEK
from stridewise.science.pain import ACCEPTABLE_ACTIVITY_PAIN

# WHO 2020: 150-300 min moderate (or equivalent) per week.
WHO_WEEKLY_MIN = (WHO_MODERATE_MIN_PER_WEEK, WHO_MODERATE_UPPER_MIN_PER_WEEK)
ACWR_BAND = ACWR_USUAL_RANGE

ISO_DATE = "iso_date"  # a column added once per frame so every chart reuses the strings
WEEKLY_COLUMNS = ("who_equivalent_min", "distance_m", "run_distance_m", "bone_stimulus",
                  "walking_equivalent_stimulus")

# Plain words under each chart; the formulas and references are on the Evidence page.
FITNESS_CONVENTION = (
    "Each day's training load is how hard it felt (0 to 10) times its minutes. Fitness is a "
    "slow average of that load over about six weeks, fatigue a quick one over about a week, "
    "and form is fitness minus fatigue. The Evidence page shows how they are worked out."
)
ACWR_CONVENTION = (
    "This week's training load compared with your average week over the last four. Shaded: "
    "0.8 to 1.3, the usual range; dashed line: 1.5. The Evidence page shows how it is worked out."
)


def _dates(frame: pd.DataFrame) -> np.ndarray:
    """ISO dates, vectorised: formatting 3,650 dates one by one cost ~10 ms per chart."""
    if ISO_DATE in frame:
        return frame[ISO_DATE].to_numpy()
    days = pd.to_datetime(frame["date"]).to_numpy().astype("datetime64[D]")
    return np.datetime_as_string(days, unit="D")


def _values(series: pd.Series) -> np.ndarray:
    """Floats as a NumPy array, to 2 decimals (shorter JSON, nothing visible lost); Plotly's
    JSON encoder writes NaN as null (a gap)."""
    return np.round(series.to_numpy(dtype=float), 2)


def daily_layout(window: pd.DataFrame, y_title: str, *, values: pd.Series | None = None,
                 min_span: float = 1.0, to_zero: bool = True) -> dict[str, Any]:
    """A layout whose x axis spans the whole window (even with one data point) and whose y axis
    spans at least ``min_span`` (so near-zero values are not drawn at 1e-16 scale)."""
    layout = base_layout(y_title)
    dates = _dates(window)
    layout["xaxis"] = {**layout["xaxis"], "type": "date", "range": [str(dates[0]),
                                                                     str(dates[-1])]}
    if not to_zero:
        layout["yaxis"] = {**layout["yaxis"], "rangemode": "normal"}
    if values is not None:
        finite = values.to_numpy(dtype=float)
        finite = finite[np.isfinite(finite)]
        low = min(0.0, float(finite.min())) if finite.size else 0.0
        high = max(0.0, float(finite.max())) if finite.size else 0.0
        if high - low < min_span:
            layout["yaxis"] = {**layout["yaxis"], "range": [low, low + min_span]}
    return layout


def weekly(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Sums per ISO week (weeks start on Monday), labelled by the Monday: the frame pandas'
    ``resample("W-MON", label="left", closed="left").sum(min_count=1)`` gives (every week from
    the first to the last, NaN where a column has no value that week, rows without a date
    left out), with NumPy's ``bincount``: a Trends page made again after a check-in spent a
    quarter of its time in the resampler (docs/design.md). Dates with a time zone keep
    pandas' own path (weeks cut in that zone)."""
    dates = pd.to_datetime(frame["date"])
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        indexed = frame.assign(date=dates).set_index("date")
        return indexed[columns].resample("W-MON", label="left", closed="left").sum(
            min_count=1).reset_index()
    dated = ~dates.isna().to_numpy()
    days = dates.to_numpy(dtype="datetime64[D]")[dated].astype(np.int64)
    if len(days) == 0:
        return frame[["date", *columns]].iloc[0:0].assign(date=pd.to_datetime([]))
    # 1970-01-01 was a Thursday: day + 3 counts days from a Monday.
    mondays = days - (days + 3) % 7
    first = int(mondays.min())
    week = (mondays - first) // 7
    n_weeks = int(week.max()) + 1
    out: dict[str, object] = {
        "date": pd.to_datetime(first + 7 * np.arange(n_weeks), unit="D")}
    for column in columns:
        raw = frame[column]
        values = raw.to_numpy(dtype=float, na_value=np.nan)[dated]
        seen = ~np.isnan(values)
        sums = np.bincount(week[seen], weights=values[seen], minlength=n_weeks).astype(float)
        counts = np.bincount(week[seen], minlength=n_weeks)
        if counts.all() and pd.api.types.is_integer_dtype(raw.dtype):
            out[column] = sums.astype(np.int64)
        else:
            sums[counts == 0] = np.nan
            out[column] = sums
    return pd.DataFrame(out)


def _last(series: pd.Series) -> float | None:
    valid = series.dropna()
    return None if valid.empty else float(valid.iloc[-1])


PARTIAL_OPACITY = 0.4  # the unfinished week's bar: lighter, so it does not read as a full week


def _complete(weeks: pd.DataFrame, days_so_far: int | None) -> pd.DataFrame:
    """The finished weeks: summaries never compare the unfinished week as if it were full."""
    return weeks.iloc[:-1] if days_so_far is not None and len(weeks) else weeks


def _mark_partial(trace: dict[str, Any], n_weeks: int, days_so_far: int | None) -> dict[str, Any]:
    """Draws the unfinished (last) week's bar lighter."""
    if days_so_far is None or n_weeks == 0:
        return trace
    opacity = [1.0] * n_weeks
    opacity[-1] = PARTIAL_OPACITY
    return {**trace, "marker": {**trace["marker"], "opacity": opacity}}


def _so_far(days_so_far: int | None, amount: str) -> str:
    """``The last, lighter bar is this week so far (3 days): 40 minutes.`` (or nothing)."""
    if days_so_far is None:
        return ""
    return (f" The last, lighter bar is this week so far ({plural(days_so_far, 'day')}): "
            f"{amount}.")


def _weekly_minutes_chart(weeks: pd.DataFrame, days_so_far: int | None) -> Chart | None:
    if "who_equivalent_min" not in weeks:
        return None
    minutes = weeks["who_equivalent_min"]
    finished = _complete(weeks, days_so_far)["who_equivalent_min"]
    recent = finished.tail(12)
    met = int((recent >= WHO_WEEKLY_MIN[0]).sum())
    if len(finished):
        average = float(finished.tail(4).mean())
        shown = min(4, len(finished))
        words = (f"Over the last {plural(shown, 'full week')} you averaged {average:.0f} active "
                 f"minutes a week. You reached 150 minutes in {met} of the last "
                 f"{plural(len(recent), 'full week')}. ")
    else:
        words = "No full week recorded yet. "
    so_far = _so_far(days_so_far, f"{float(minutes.iloc[-1]):.0f} minutes") if len(minutes) else ""
    layout = base_layout("minutes per week")
    layout["shapes"] = [band_shape(*WHO_WEEKLY_MIN)]
    return Chart(
        chart_id=MINUTES_CHART_ID,
        title="Weekly active minutes against the WHO guideline",
        summary=(words + "The shaded band is the WHO range of 150 to 300 minutes a week."
                 + so_far),
        convention="Vigorous minutes count double (WHO 2020: 75 vigorous = 150 moderate).",
        figure={"data": [_mark_partial(bar_trace(_dates(weeks), _values(minutes),
                                                 "Active minutes", COLOURS["primary"]),
                                       len(weeks), days_so_far)], "layout": layout},
    )


def _weekly_distance_chart(weeks: pd.DataFrame, units: str,
                           days_so_far: int | None) -> Chart | None:
    cols = [c for c in ("distance_m", "run_distance_m") if c in weeks]
    # No distance at all (strength, swimming without GPS, walks logged by time): no empty
    # 0-1 km plot.
    if not cols or not (weeks[cols].to_numpy(dtype=float) > 0).any():
        return None
    scale = MI_M if units == "mi" else 1000.0
    traces = []
    if "distance_m" in weeks:
        traces.append(_mark_partial(bar_trace(_dates(weeks), _values(weeks["distance_m"] / scale),
                                              "All distance", COLOURS["secondary"]),
                                    len(weeks), days_so_far))
    if "run_distance_m" in weeks:
        traces.append(line_trace(_dates(weeks), _values(weeks["run_distance_m"] / scale),
                                 "Running", COLOURS["accent"]))
    finished = _complete(weeks, days_so_far)
    shown = min(4, len(finished))
    total = float(finished[cols[0]].tail(4).sum()) / scale
    words = (f"In the last {plural(shown, 'full week')} you covered {total:.1f} {units} in total."
             if shown else "No full week recorded yet.")
    words += _so_far(days_so_far, f"{float(weeks[cols[0]].iloc[-1]) / scale:.1f} {units}")
    layout = base_layout(f"{units} per week")
    return Chart(
        chart_id="weekly-distance",
        title="Distance per week",
        summary=words,
        figure={"data": traces, "layout": layout},
    )


def _fitness_chart(window: pd.DataFrame) -> Chart | None:
    if not {"fitness", "fatigue", "form"} <= set(window.columns):
        return None
    x = _dates(window)
    ctl, atl, tsb = _last(window["fitness"]), _last(window["fatigue"]), _last(window["form"])
    words = "No load recorded yet."
    if ctl is not None and atl is not None and tsb is not None:
        # Read from today's values, so the words never contradict the numbers beside them.
        gap = ctl - atl
        mood = ("you are fresher than usual" if gap > 5 else
                "this week was harder than you are used to" if gap < -10 else
                "your recent training matches what you are used to")
        words = (f"Your fitness is {ctl:.0f} and your fatigue {atl:.0f}: {mood}. A hard session "
                 "lifts fatigue for a few days; weeks of steady training lift fitness.")
    return Chart(
        chart_id="fitness-fatigue-form",
        title="Fitness, fatigue and form",
        summary=words,
        convention=FITNESS_CONVENTION,
        figure={"data": [
            line_trace(x, _values(window["fitness"]), "Fitness", COLOURS["primary"]),
            line_trace(x, _values(window["fatigue"]), "Fatigue", COLOURS["accent"], dash="dot"),
            line_trace(x, _values(window["form"]), "Form", COLOURS["secondary"], width=1.5),
        ], "layout": daily_layout(window, "load units", to_zero=False, min_span=10.0,
                                  values=pd.concat([window["fitness"], window["fatigue"],
                                                    window["form"]]))},
    )


NOT_ENOUGH_HISTORY = (f"Not enough history yet: this compares recent weeks with the ones before, "
                      f"so it needs {LOAD_RATIO_HISTORY_DAYS} days since your first session.")


def _acwr_chart(window: pd.DataFrame, enough_history: bool) -> Chart | None:
    if "acwr_ewma" not in window:
        return None
    latest = _last(window["acwr_ewma"])
    spikes = int((window["acwr_ewma"] > ACWR_SPIKE).sum())
    if latest is None or not enough_history:
        words = NOT_ENOUGH_HISTORY
    else:
        # The chart describes; what to do is said once, by the advice (monitor.load_notes).
        where = ("above the usual range" if latest > ACWR_BAND[1]
                 else "below the usual range" if latest < ACWR_BAND[0]
                 else "inside the usual range")
        words = (f"Your latest ratio is {latest:.2f}, {where}. It went above {ACWR_SPIKE} on "
                 f"{plural(spikes, 'day')} in this period.")
    layout = daily_layout(window, "ratio", values=window["acwr_ewma"], min_span=2.0)
    layout["shapes"] = [band_shape(*ACWR_BAND), hline_shape(ACWR_SPIKE, COLOURS["accent"])]
    traces = [line_trace(_dates(window), _values(window["acwr_ewma"]), "Workload ratio",
                         COLOURS["primary"])]
    if "acwr_coupled" in window:
        traces.append(line_trace(_dates(window), _values(window["acwr_coupled"]),
                                 "Same ratio, simple averages", COLOURS["grey"], dash="dot",
                                 width=1.5))
    return Chart(chart_id="acwr", title="This week against your usual week (workload ratio)",
                 summary=words,
                 convention=ACWR_CONVENTION, figure={"data": traces, "layout": layout})


def _monotony_chart(window: pd.DataFrame, enough_history: bool) -> Chart | None:
    if "monotony" not in window:
        return None
    latest = _last(window["monotony"])
    words = (NOT_ENOUGH_HISTORY if latest is None or not enough_history else
             f"Your latest monotony is {latest:.1f}, "
             + ("above 2: your days have been very alike in effort."
                if latest > MONOTONY_HIGH else "2 or below: your days vary in effort."))
    layout = daily_layout(window, "monotony", values=window["monotony"], min_span=2.5)
    layout["shapes"] = [hline_shape(MONOTONY_HIGH, COLOURS["accent"])]
    return Chart(
        chart_id="monotony", title="Training monotony", summary=words,
        convention="The week's average daily load divided by how much it varies from day to "
                   "day: high when every day feels the same. Dashed line at 2.",
        figure={"data": [line_trace(_dates(window), _values(window["monotony"]), "Monotony",
                                    COLOURS["purple"])], "layout": layout},
    )


def _bone_charts(weeks: pd.DataFrame, window: pd.DataFrame,
                 days_so_far: int | None) -> list[Chart]:
    if "bone_stimulus" not in weeks:
        return []
    has_walk = "walking_equivalent_stimulus" in weeks
    x = _dates(window)
    daily: list[dict[str, Any]] = [bar_trace(x, _values(window["bone_stimulus"]),
                                             "Your bone stimulus", COLOURS["primary"])]
    if has_walk:
        daily.append(line_trace(x, _values(window["walking_equivalent_stimulus"]),
                                "Same time spent walking", COLOURS["grey"], dash="dot"))
    weekly_traces: list[dict[str, Any]] = [_mark_partial(
        bar_trace(_dates(weeks), _values(weeks["bone_stimulus"]), "Your bone stimulus",
                  COLOURS["primary"]), len(weeks), days_so_far)]
    if has_walk:
        weekly_traces.append(line_trace(_dates(weeks),
                                        _values(weeks["walking_equivalent_stimulus"]),
                                        "Same time spent walking", COLOURS["grey"], dash="dot"))
    finished = _complete(weeks, days_so_far)
    last4 = finished.tail(4)
    you = float(last4["bone_stimulus"].sum())
    ratio_words = ""
    if has_walk and float(last4["walking_equivalent_stimulus"].sum()) > 0:
        ratio = you / float(last4["walking_equivalent_stimulus"].sum())
        ratio_words = f" That is {ratio:.1f} times what the same time spent walking would give."
    active_days = int((window["bone_stimulus"] > 0).sum())
    return [
        Chart(chart_id="bone-daily", title="Bone stimulus per day",
              summary=(f"You gave your bones a loading stimulus on {active_days} of the "
                       f"{len(window)} days shown. Short, regular sessions with rest between "
                       "them help more than one long one."),
              convention="Each session counts how hard your bones were loaded and how many "
                         "times; a second session on the same day counts for less, because "
                         "bone responds best after a rest.",
              figure={"data": daily, "layout": daily_layout(
                  window, "stimulus", values=window["bone_stimulus"], min_span=10.0)}),
        Chart(chart_id="bone-weekly", title="Bone stimulus per week, against walking",
              summary=((f"Over the last {plural(len(last4), 'full week')} your bone stimulus "
                        f"totalled {you:.0f}.{ratio_words}" if len(last4)
                        else "No full week recorded yet.")
                       + (_so_far(days_so_far, f"{float(weeks['bone_stimulus'].iloc[-1]):.0f}")
                          if len(weeks) else "")),
              figure={"data": weekly_traces, "layout": base_layout("stimulus per week")}),
    ]


def _pain_chart(window: pd.DataFrame) -> Chart | None:
    if "pain_max" not in window:
        return None
    scored = window.dropna(subset=["pain_max"])
    if scored.empty:
        words = "No pain recorded in this period."
    else:
        worst = float(scored["pain_max"].max())
        # Describes only: what to do about pain is said once, by the advice (Things to watch).
        words = (f"You recorded pain on {plural(int((scored['pain_max'] > 0).sum()), 'day')}; "
                 f"the highest score was {worst:.0f} out of 10.")
    layout = daily_layout(window, "pain (0–10)")
    layout["yaxis"]["range"] = [0, 10]
    layout["shapes"] = [hline_shape(ACCEPTABLE_ACTIVITY_PAIN, COLOURS["accent"])]
    trace = {"type": "scatter", "mode": "markers+lines", "name": "Highest pain that day",
             "x": _dates(scored), "y": _values(scored["pain_max"]),
             "marker": {"color": COLOURS["accent"], "size": 8},
             "line": {"color": COLOURS["accent"], "width": 1}}
    return Chart(chart_id="pain", title="Pain over time", summary=words,
                 convention=f"Dashed line at {ACCEPTABLE_ACTIVITY_PAIN:g} out of 10: pain during "
                            "activity up to this level is acceptable if it settles by the next "
                            "morning (a pain-monitoring rule used by physiotherapists).",
                 figure={"data": [trace], "layout": layout})


MINUTES_CHART_ID = "weekly-minutes"
#: Which charts :func:`trend_charts` draws: all of them; only those read from the sessions
#: alone (distance, load, ratios, bone: a check-in or a phone export does not change them, so
#: the core can keep them while only those change); or the rest (active minutes, which phone
#: exports add to, and pain).
ChartPart = Literal["all", "sessions", "rest"]


def trend_charts(series: pd.DataFrame, *, units: str = "km", days: int | None = 365,
                 part: ChartPart = "all") -> list[Chart]:
    """Every Trends chart that the series has the columns for, in reading order (``part``:
    see :data:`ChartPart`; for ``"sessions"`` the session columns of the series are enough,
    ``series.daily.session_days``)."""
    if series.empty:
        return []
    frame = series.sort_values("date").reset_index(drop=True)
    window = frame if days is None else frame.tail(days)
    last_day = pd.Timestamp(frame["date"].iloc[-1]).date()
    enough_history = enough_history_for_ratios(frame, last_day)
    window = window.assign(**{ISO_DATE: _dates(window)})
    # Whole weeks only, so the first bar of the window is not a partial week.
    weeks = weekly(frame, [c for c in WEEKLY_COLUMNS if c in frame]).fillna(0.0)
    first_day = pd.Timestamp(pd.to_datetime(window["date"]).iloc[0])
    weeks = weeks[weeks["date"] >= first_day - pd.Timedelta(days=first_day.weekday())]
    weeks = weeks.assign(**{ISO_DATE: _dates(weeks)})
    # The series runs through today: a last day before Sunday means this week is not over yet.
    days_so_far = None if last_day.weekday() == 6 else last_day.weekday() + 1
    builders: list[Chart | None] = []
    if part != "sessions":
        builders.append(_weekly_minutes_chart(weeks, days_so_far))
    if part != "rest":
        builders += [
            _weekly_distance_chart(weeks, units, days_so_far),
            _fitness_chart(window),
            _acwr_chart(window, enough_history),
            _monotony_chart(window, enough_history),
            *_bone_charts(weeks, window, days_so_far),
        ]
    if part != "sessions":
        builders.append(_pain_chart(window))
    return [chart for chart in builders if chart is not None]


def joined_charts(from_sessions: list[Chart], rest: list[Chart]) -> list[Chart]:
    """The charts of ``trend_charts(part="sessions")`` and ``(part="rest")`` in the reading
    order of ``part="all"``: active minutes first, pain last."""
    first = [c for c in rest if c.chart_id == MINUTES_CHART_ID]
    return first + from_sessions + [c for c in rest if c.chart_id != MINUTES_CHART_ID]


def has_any_activity(series: pd.DataFrame) -> bool:
    return bool(not series.empty and "duration_min" in series
                and np.nansum(series["duration_min"].to_numpy(dtype=float)) > 0)
