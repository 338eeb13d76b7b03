"""Per-session RPE, TRIMP, METs and the walking comparison, checked against published values."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from stridewise.activity import ManualSession, build_activity
from stridewise.science.benefits import Intensity
from stridewise.science.load import rpe_from_heart_rate_reserve
from stridewise.series import heart_rate_profile, load_daily_series, load_sessions_frame
from stridewise.store import Store, open_store

DAY0 = date(2026, 3, 2)


def _at(day_offset: int, hour: int) -> datetime:
    d = DAY0 + timedelta(days=day_offset)
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'sessions.db'}")
    yield s
    s.close()


def _add_run(
    store: Store,
    aid: int,
    avg_hr_bpm: float,
    max_hr_bpm: float,
    *,
    sport: str = "run",
    speed_mps: float = 2.8,
    seconds: int = 1800,
) -> None:
    """A steady recorded session, steady heart rate with one peak at ``max_hr_bpm``."""
    heart_rate = np.full(seconds, avg_hr_bpm)
    heart_rate[seconds // 2] = max_hr_bpm
    activity = build_activity(
        {
            "time_s": _at(0, 8).timestamp() + np.arange(seconds, dtype=np.float64),
            "distance_m": np.arange(seconds, dtype=np.float64) * speed_mps,
            "heart_rate_bpm": heart_rate,
        },
        sport=sport,
        source_format="fit",
    )
    with store.transaction() as tx:
        tx.add_activity(aid, activity)


@pytest.mark.parametrize(
    ("reserve", "cr10"),
    [
        (0.0, 1.0),   # below ACSM's light band: the floor
        (0.30, 1.0),  # light starts (RPE 9 "very light")
        (0.40, 3.0),  # moderate starts (RPE 12)
        (0.50, 4.0),
        (0.60, 5.0),  # vigorous starts (RPE 14)
        (0.75, 6.5),
        (0.90, 8.0),  # near-maximal starts (RPE 18)
        (1.00, 10.0),
    ],
)
def test_rpe_at_acsm_band_edges(reserve: float, cr10: float) -> None:
    assert rpe_from_heart_rate_reserve(np.array(reserve)) == pytest.approx(cr10)


def test_rpe_stays_inside_each_band() -> None:
    moderate = rpe_from_heart_rate_reserve(np.linspace(0.40, 0.59, 20))
    vigorous = rpe_from_heart_rate_reserve(np.linspace(0.60, 0.89, 30))
    assert moderate.min() >= 3.0 and moderate.max() < 5.0
    assert vigorous.min() >= 5.0 and vigorous.max() < 8.0
    curve = rpe_from_heart_rate_reserve(np.linspace(-0.2, 1.2, 141))
    assert np.all(np.diff(curve) >= 0)
    assert np.isnan(rpe_from_heart_rate_reserve(np.array(np.nan)))


def test_estimated_rpe_follows_the_bands(store: Store) -> None:
    aid = store.default_athlete_id()
    with store.transaction() as tx:
        tx.update_athlete(aid, resting_hr_bpm=60.0, max_hr_bpm=180.0)
    _add_run(store, aid, avg_hr_bpm=120.0, max_hr_bpm=150.0)
    row = load_sessions_frame(store, aid, today=DAY0).iloc[0]
    reserve = (row["avg_heart_rate_bpm"] - 60.0) / 120.0
    assert reserve == pytest.approx(0.5, abs=0.001)
    assert row["rpe"] == pytest.approx(4.0)  # was 10 x 0.5 = 5.0
    assert bool(row["rpe_estimated"])


def test_a_higher_recorded_max_replaces_a_too_low_estimate(store: Store) -> None:
    aid = store.default_athlete_id()
    with store.transaction() as tx:
        tx.update_athlete(aid, birth_year=1966)  # Tanaka at 60: 208 - 0.7 x 60 = 166 bpm
    _add_run(store, aid, avg_hr_bpm=168.0, max_hr_bpm=185.0)
    with store.transaction() as tx:
        athlete = tx.get_athlete(aid)
        assert athlete is not None
        profile = heart_rate_profile(athlete, DAY0)
    assert profile.max_bpm == pytest.approx(166.0) and profile.max_estimated
    row = load_sessions_frame(store, aid, today=DAY0).iloc[0]
    reserve = (row["avg_heart_rate_bpm"] - 70.0) / (185.0 - 70.0)
    # Against the estimate the reserve would clip to 1 and the RPE would be 10.
    assert row["rpe"] == pytest.approx(float(rpe_from_heart_rate_reserve(np.array(reserve))))
    assert row["rpe"] < 8.0
    assert row["trimp"] == pytest.approx(
        row["duration_min"] * reserve * 0.725215 * math.exp(1.795 * reserve), rel=1e-9
    )


def test_a_given_max_is_kept_even_when_a_session_exceeds_it(store: Store) -> None:
    aid = store.default_athlete_id()
    with store.transaction() as tx:
        tx.update_athlete(aid, resting_hr_bpm=60.0, max_hr_bpm=170.0, sex="female")
    _add_run(store, aid, avg_hr_bpm=126.0, max_hr_bpm=182.0)
    row = load_sessions_frame(store, aid, today=DAY0).iloc[0]
    reserve = (row["avg_heart_rate_bpm"] - 60.0) / (170.0 - 60.0)
    assert row["trimp"] == pytest.approx(
        row["duration_min"] * reserve * 0.86 * math.exp(1.67 * reserve), rel=1e-9
    )


def test_a_hike_is_vigorous_cross_country_hiking(store: Store) -> None:
    aid = store.default_athlete_id()
    # A 2-hour hike at 1.1 m/s (2.5 mph), the speed that used to give no MET at all.
    _add_run(store, aid, 110.0, 130.0, sport="hike", speed_mps=1.1, seconds=7200)
    row = load_sessions_frame(store, aid, today=DAY0).iloc[0]
    assert row["met"] == 6.0  # Compendium 17080, hiking, cross country
    assert row["intensity"] == Intensity.VIGOROUS
    daily = load_daily_series(store, aid, through=DAY0)
    assert daily.loc[0, "who_equivalent_min"] == pytest.approx(2 * row["duration_min"])


def test_slow_and_fast_walks_get_compendium_mets(store: Store) -> None:
    aid = store.default_athlete_id()
    with store.transaction() as tx:
        tx.add_manual_session(aid, ManualSession(_at(1, 9), "walk", 3600.0, 3000.0))  # 1.9 mph
        tx.add_manual_session(aid, ManualSession(_at(2, 9), "walk", 3600.0, 3900.0))  # 2.4 mph
        tx.add_manual_session(aid, ManualSession(_at(3, 9), "walk", 1800.0, 3780.0))  # 4.7 mph
    sessions = load_sessions_frame(store, aid, today=DAY0)
    np.testing.assert_allclose(sessions["met"], [2.3, 2.8, 7.0])  # 17151, 17152, 17230
    assert sessions["intensity"].tolist() == [
        Intensity.LIGHT, Intensity.LIGHT, Intensity.VIGOROUS
    ]
    daily = load_daily_series(store, aid, through=DAY0 + timedelta(days=3))
    assert daily.loc[1, "who_equivalent_min"] == 0.0  # light walking: no WHO minutes


def test_walking_comparison_merges_like_the_bone_stimulus(store: Store) -> None:
    aid = store.default_athlete_id()
    with store.write_transaction() as tx:  # the hours below are UTC: so is the athlete's day
        tx.update_athlete(aid, time_zone="UTC")
    with store.transaction() as tx:
        # Two 30-min runs 2 h apart on day 0; the same two runs 10 h apart on day 1.
        for day, hours in ((0, (8, 10)), (1, (7, 17))):
            for h in hours:
                tx.add_manual_session(aid, ManualSession(_at(day, h), "run", 1800.0, 5000.0))
    daily = load_daily_series(store, aid, through=DAY0 + timedelta(days=1))
    walk_cycles = 110.0 * 30.0 / 2.0  # typical walk: 110 steps/min, 1.2 BW (Keller 1996)
    assert daily.loc[0, "walking_equivalent_stimulus"] == pytest.approx(
        1.2 * math.log1p(2 * walk_cycles)
    )
    assert daily.loc[1, "walking_equivalent_stimulus"] == pytest.approx(
        2 * 1.2 * math.log1p(walk_cycles)
    )
    run_cycles = 160.0 * 30.0 / 2.0
    assert daily.loc[0, "bone_stimulus"] == pytest.approx(2.5 * math.log1p(2 * run_cycles))
