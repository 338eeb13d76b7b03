"""Phone measures in the daily series: steps-based minutes added once, one source per day,
the typed sleep first."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from stridewise import clock
from stridewise.activity import ManualSession
from stridewise.series import load_daily_series
from stridewise.store import open_store


def test_measures_join_the_daily_series(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    athlete = store.default_athlete_id()
    with clock.use_clock(clock.FixedClock(datetime(2025, 3, 12, 12, tzinfo=UTC))):
        with store.write_transaction(athlete) as tx:
            tx.add_manual_session(athlete, ManualSession(
                datetime(2025, 3, 10, 8, tzinfo=UTC), "walk", 30 * 60, 2500.0))
            tx.upsert_days(athlete, "apple_health", {
                date(2025, 3, 10): {"steps": 9000, "steps_moderate_min": 20.0,
                                    "steps_vigorous_min": 0.0, "sleep_asleep_s": 7 * 3600},
                date(2025, 3, 11): {"steps": 4000, "device_moderate_min": 50.0},
            })
            # Garmin counted the same walk on the 10th: fewer steps, so Apple's day is used.
            tx.upsert_days(athlete, "garmin", {date(2025, 3, 10): {"steps": 8000,
                                                                  "device_moderate_min": 90.0}})
        daily = load_daily_series(store, athlete, through=date(2025, 3, 11))
    store.close()
    row10 = daily[daily["date"] == date(2025, 3, 10)].iloc[0]
    row11 = daily[daily["date"] == date(2025, 3, 11)].iloc[0]
    assert row10["steps"] == 9000 and row10["measures_source"] == "apple_health"
    assert row10["steps_moderate_min"] == 20.0
    # The logged walk's own minutes plus the 20 brisk minutes outside it.
    assert row10["moderate_min"] == 30.0 + 20.0
    assert row10["who_equivalent_min"] == 50.0
    assert row10["sleep_hours"] == 7.0
    # No cadence minutes on the 11th: the device's own 50 (no session that day to subtract).
    assert row11["steps_moderate_min"] == 50.0
    assert np.isnan(row11["sleep_hours"])


def test_without_measures_is_the_joined_path_with_nothing_stored() -> None:
    """The short way for people without phone data gives the frame the joins give."""
    import pandas as pd

    from stridewise.series.measures import (
        _with_stored_measures,
        _without_measures,
        empty_brisk,
        empty_busy,
        empty_measures,
    )

    daily = pd.DataFrame({
        "date": [date(2025, 3, 10), date(2025, 3, 11), date(2025, 3, 12)],
        "moderate_min": [30.0, 0.0, 12.5], "vigorous_min": [0.0, 0.0, 20.0],
        "who_equivalent_min": [30.0, 0.0, 52.5],
        "sleep_hours": [7.5, np.nan, 6.0], "pain_max": [np.nan, 2.0, np.nan]})
    joined = _with_stored_measures(daily, empty_measures(), empty_brisk(), empty_busy(),
                                   by=None)
    short = _without_measures(daily)
    pd.testing.assert_frame_equal(short, joined)
    assert list(short.columns) == list(joined.columns)
