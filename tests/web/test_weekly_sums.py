"""trend_charts.weekly (NumPy) gives the frame pandas' resampler gives: every week from the
first to the last, labelled by its Monday, NaN where a column has no value that week."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stridewise.present.trend_charts import weekly


def _by_pandas(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    indexed = frame.assign(date=pd.to_datetime(frame["date"])).set_index("date")
    weeks = indexed[columns].resample("W-MON", label="left", closed="left").sum(min_count=1)
    return weeks.reset_index()


@pytest.mark.parametrize("seed", range(6))
def test_weekly_equals_the_resampler(seed: int) -> None:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 7)))
    n = int(rng.integers(1, 400))
    dates = pd.date_range(start, periods=n, freq="D")
    if seed % 2:  # gaps of whole weeks, unsorted rows, dates as datetime.date objects
        keep = rng.random(n) > 0.4
        dates = dates[keep] if keep.any() else dates[:1]
        dates = dates[rng.permutation(len(dates))]
    minutes = rng.uniform(0, 90, len(dates))
    minutes[rng.random(len(dates)) < 0.3] = np.nan
    frame = pd.DataFrame({"date": [d.date() for d in dates] if seed % 2 else dates,
                          "who_equivalent_min": minutes,
                          "distance_m": rng.uniform(0, 9000, len(dates)),
                          "sessions": rng.integers(0, 3, len(dates))})
    columns = ["who_equivalent_min", "distance_m", "sessions"]
    ours, theirs = weekly(frame, columns), _by_pandas(frame, columns)
    assert list(ours.columns) == list(theirs.columns)
    assert (ours["date"].to_numpy() == theirs["date"].to_numpy()).all()
    for column in columns:
        np.testing.assert_allclose(ours[column].to_numpy(dtype=float),
                                   theirs[column].to_numpy(dtype=float), rtol=1e-12,
                                   atol=1e-9, equal_nan=True)
        assert ours[column].dtype == theirs[column].dtype, column


def test_weekly_of_no_days_is_empty() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime([]), "distance_m": np.array([], dtype=float)})
    assert weekly(frame, ["distance_m"]).empty


def test_weekly_edges_equal_the_resampler() -> None:
    """A column with no value at all, rows without a date, one row, dates with a zone."""
    days = pd.date_range("2025-03-05", periods=20, freq="D")
    frame = pd.DataFrame({"date": days, "empty": np.nan, "one": np.arange(20.0)})
    frame.loc[3, "date"] = pd.NaT
    for case in (frame, frame.iloc[:1],
                 frame.dropna(subset=["date"]).assign(
                     date=lambda f: f["date"].dt.tz_localize("America/New_York"))):
        ours, theirs = weekly(case, ["empty", "one"]), _by_pandas(case, ["empty", "one"])
        pd.testing.assert_frame_equal(ours, theirs, check_freq=False)
