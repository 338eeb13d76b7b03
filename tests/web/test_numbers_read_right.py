"""Numbers that read right (issue 17): the activity page says what its two paces are, a plot
of distance is never drawn when there is no distance, and the unfinished week is marked as
partial and never compared as a full week."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from stridewise.present.trend_charts import PARTIAL_OPACITY, trend_charts
from stridewise.web.activities import activity_charts


def _records(speed_mps: np.ndarray) -> dict[str, np.ndarray]:
    time_s = np.arange(len(speed_mps), dtype=float)
    return {"time_s": time_s, "distance_m": np.cumsum(speed_mps), "speed_mps": speed_mps}


def test_the_pace_chart_says_how_its_typical_pace_differs_from_the_average() -> None:
    # 500 s at 3 m/s then 100 s at 1 m/s: the middle pace is 1000/3 s = 5:33 /km; an average
    # of 2.5 m/s (given by the summary) is 400 s = 6:40 /km.
    speed = np.concatenate([np.full(500, 3.0), np.full(100, 1.0)])
    charts = {c.chart_id: c for c in activity_charts(_records(speed), "km", 2.5)}
    words = charts["pace"].summary
    assert "typical pace while moving was 5:33 /km" in words
    assert "(6:40 /km)" in words
    assert "whole distance divided by the moving time" in words


def test_no_pace_plot_without_distance() -> None:
    records = _records(np.zeros(600))
    del records["speed_mps"]
    records["heart_rate_bpm"] = np.full(600, 100.0)
    assert [c.chart_id for c in activity_charts(records, "km")] == ["heart-rate"]


def _series(first: date, last: date, minutes: float, distance_m: float) -> pd.DataFrame:
    days = pd.date_range(first, last, freq="D")
    return pd.DataFrame({"date": days.date, "who_equivalent_min": minutes,
                         "duration_min": minutes, "distance_m": distance_m})


def test_no_weekly_distance_plot_without_distance() -> None:
    series = _series(date(2026, 11, 2), date(2026, 11, 29), 30.0, 0.0)
    ids = [c.chart_id for c in trend_charts(series)]
    assert "weekly-minutes" in ids
    assert "weekly-distance" not in ids


def test_the_unfinished_week_is_marked_and_not_averaged_as_a_full_week() -> None:
    # Mon 2 Nov to Wed 25 Nov 2026: three full weeks of 7 x 30 = 210 min and 7 x 2 km = 14 km,
    # then 3 days (90 min, 6 km) of the current week. Averaging it in would give 180 min.
    series = _series(date(2026, 11, 2), date(2026, 11, 25), 30.0, 2000.0)
    charts = {c.chart_id: c for c in trend_charts(series)}
    minutes = charts["weekly-minutes"]
    assert "last 3 full weeks you averaged 210 active minutes" in minutes.summary
    assert "reached 150 minutes in 3 of the last 3 full weeks" in minutes.summary
    assert "this week so far (3 days): 90 minutes" in minutes.summary
    assert minutes.figure["data"][0]["marker"]["opacity"] == [1.0, 1.0, 1.0, PARTIAL_OPACITY]
    distance = charts["weekly-distance"]
    assert "3 full weeks you covered 42.0 km" in distance.summary
    assert "this week so far (3 days): 6.0 km" in distance.summary


def test_a_finished_week_is_not_marked() -> None:
    series = _series(date(2026, 11, 2), date(2026, 11, 29), 30.0, 2000.0)  # ends on a Sunday
    minutes = {c.chart_id: c for c in trend_charts(series)}["weekly-minutes"]
    assert "so far" not in minutes.summary
    assert "opacity" not in minutes.figure["data"][0]["marker"]
    assert "last 4 full weeks you averaged 210 active minutes" in minutes.summary
