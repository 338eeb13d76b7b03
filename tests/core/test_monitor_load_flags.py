"""Load flags: the workload ratio is flagged only over a week of real training."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from stridewise.monitor import ACWR_MIN_WEEK_LOAD_AU, load_warnings
from stridewise.science.acwr import acwr_ewma

TODAY = date(2026, 6, 30)


def _series(load: np.ndarray) -> pd.DataFrame:
    n = load.size
    return pd.DataFrame({
        "date": [TODAY - timedelta(days=n - 1 - i) for i in range(n)],
        "load_srpe": load,
        "acwr_ewma": acwr_ewma(load),
        "monotony": np.full(n, 1.0),
    })


def test_first_session_after_months_off_is_not_flagged() -> None:
    load = np.zeros(120)
    load[-1] = 150.0  # one 30-minute session at RPE 5
    series = _series(load)
    assert float(series["acwr_ewma"].iloc[-1]) > 1.5  # the ratio itself jumps
    assert load_warnings(series, TODAY) == []


def test_sharp_rise_in_a_real_training_week_is_flagged() -> None:
    load = np.full(120, 40.0)  # ~280 AU a week for months
    load[-7:] = 250.0  # then 1,750 AU in a week
    assert load[-7:].sum() >= ACWR_MIN_WEEK_LOAD_AU
    texts = [w.text for w in load_warnings(_series(load), TODAY)]
    assert any("rose quickly" in t for t in texts)
