"""Load flags: the single-run spike acts; the workload ratio and monotony are notes, and the
ratio only over a week of real training."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from stridewise.monitor import ACWR_MIN_WEEK_LOAD_AU, load_notes, load_warnings
from stridewise.science.acwr import acwr_ewma

TODAY = date(2026, 6, 30)


def _series(load: np.ndarray) -> pd.DataFrame:
    n = load.size
    return pd.DataFrame({
        "date": [TODAY - timedelta(days=n - 1 - i) for i in range(n)],
        "load_srpe": load,
        "acwr_ewma": acwr_ewma(load),
        "monotony": np.full(n, 1.0),
        "sessions": (load > 0).astype(int),
    })


def test_first_session_after_months_off_is_not_flagged() -> None:
    load = np.zeros(120)
    load[-1] = 150.0  # one 30-minute session at RPE 5
    series = _series(load)
    assert float(series["acwr_ewma"].iloc[-1]) > 1.5  # the ratio itself jumps
    assert load_notes(series, TODAY) == []


def test_sharp_rise_in_a_real_training_week_is_flagged() -> None:
    load = np.full(120, 40.0)  # ~280 AU a week for months
    load[-7:] = 250.0  # then 1,750 AU in a week
    assert load[-7:].sum() >= ACWR_MIN_WEEK_LOAD_AU
    texts = [w.text for w in load_notes(_series(load), TODAY)]
    assert any("rose quickly" in t for t in texts)


def _with_runs(longest_m: np.ndarray) -> pd.DataFrame:
    from stridewise.science.spike import single_run_spike_ratio

    series = _series(np.where(longest_m > 0, 200.0, 0.0))
    series["spike_ratio"] = single_run_spike_ratio(longest_m)
    return series


def test_single_run_spike_is_the_load_flag_that_acts() -> None:
    longest = np.zeros(60)
    longest[10:50:3] = 5000.0  # a month of 5 km runs...
    longest[-2] = 6000.0  # ...then a 6 km run: 20 % longer (Frandsen band 1.1-1.3)
    texts = [w.text for w in load_warnings(_with_runs(longest), TODAY)]
    assert len(texts) == 1 and "20% longer" in texts[0] and "1.6 times" in texts[0]


def test_acwr_and_monotony_are_notes_not_flags() -> None:
    load = np.full(120, 40.0)
    load[-7:] = 250.0
    series = _series(load)
    series["spike_ratio"] = np.nan
    assert load_warnings(series, TODAY) == []
    notes = load_notes(series, TODAY)
    assert any("rose quickly" in n.text for n in notes) and all(n.tone == "info" for n in notes)


def test_ratio_alarm_waits_for_28_days_of_history() -> None:
    """A fortnight of training that then doubles: the ratio is high, but there is no
    chronic load to compare with yet, so nothing is said (issue 9: "not enough history")."""
    load = np.zeros(120)
    load[-14:-7] = 40.0
    load[-7:] = 250.0
    assert float(_series(load)["acwr_ewma"].iloc[-1]) > 1.5
    assert load_notes(_series(load), TODAY) == []
