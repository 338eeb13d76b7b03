"""The daily series joins store rows to the science kernels; values checked by hand."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from stridewise.activity import ManualSession
from stridewise.plan.model import PastSession, SessionKind
from stridewise.series import load_daily_series, load_sessions_frame, weekly_summary
from stridewise.store import CheckInInput, Store, open_store

DAY0 = date(2026, 3, 2)  # a Monday


def _at(day_offset: int, hour: int) -> datetime:
    d = DAY0 + timedelta(days=day_offset)
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'series.db'}")
    yield s
    s.close()


def test_session_rpe_load_and_who_minutes(store: Store) -> None:
    aid = store.default_athlete_id()
    with store.transaction() as tx:
        # 30 min run of 5 km: 2.78 m/s = 6.2 mph -> Compendium 12050, 9.3 MET (vigorous).
        tx.add_manual_session(aid, ManualSession(_at(0, 8), "run", 1800.0, 5000.0, rpe=5))
        tx.add_manual_session(aid, ManualSession(_at(2, 8), "strength", 2400.0, rpe=6))
    daily = load_daily_series(store, aid, through=DAY0 + timedelta(days=6))
    assert len(daily) == 7
    assert daily.loc[0, "load_srpe"] == 150.0  # 5 x 30 (Foster 2001)
    assert daily.loc[2, "load_srpe"] == 240.0
    assert daily.loc[0, "vigorous_min"] == 30.0
    assert daily.loc[0, "who_equivalent_min"] == 60.0  # vigorous counts double (WHO 2020)
    assert daily.loc[0, "met_min"] == pytest.approx(9.3 * 30)
    assert bool(daily.loc[2, "strength_session"]) and daily.loc[2, "who_equivalent_min"] == 0
    # CTL on day 0 = 150 x (1 - e^(-1/42)); form on day 0 is 0 (previous-day convention).
    assert daily.loc[0, "fitness"] == pytest.approx(150 * (1 - math.exp(-1 / 42)))
    assert daily.loc[0, "form"] == 0.0
    weekly = weekly_summary(daily)
    assert weekly.loc[0, "who_equivalent_min"] == 60.0 and weekly.loc[0, "strength_days"] == 1


def test_bone_sessions_close_together_merge(store: Store) -> None:
    aid = store.default_athlete_id()
    with store.write_transaction() as tx:  # the hours below are UTC: so is the athlete's day
        tx.update_athlete(aid, time_zone="UTC")
    with store.transaction() as tx:
        # Two 30-min walks 2 h apart on day 0; the same two walks 10 h apart on day 1.
        for day, hours in ((0, (8, 10)), (1, (7, 17))):
            for h in hours:
                tx.add_manual_session(aid, ManualSession(_at(day, h), "walk", 1800.0, 2340.0))
    sessions = load_sessions_frame(store, aid)
    oi = sessions["osteogenic_index"].to_numpy()
    grf = sessions["peak_grf_bw"].to_numpy()
    cycles = sessions["loading_cycles_per_leg"].to_numpy()
    # 110 steps/min x 30 min / 2 legs = 1650 cycles per leg (science.md worked example).
    assert cycles[0] == 1650
    daily = load_daily_series(store, aid, through=DAY0 + timedelta(days=1))
    merged = grf[0] * math.log(1 + 2 * 1650)  # cycles add before the log (Turner 2003)
    assert daily.loc[0, "bone_stimulus"] == pytest.approx(merged)
    assert daily.loc[1, "bone_stimulus"] == pytest.approx(oi[2] + oi[3])  # >= 8 h: separate
    assert daily.loc[1, "bone_stimulus"] > daily.loc[0, "bone_stimulus"]


def test_rpe_estimated_and_flagged_when_missing(store: Store) -> None:
    aid = store.default_athlete_id()
    with store.transaction() as tx:
        tx.add_manual_session(aid, ManualSession(_at(0, 8), "walk", 3600.0))
    sessions = load_sessions_frame(store, aid)
    assert bool(sessions.loc[0, "rpe_estimated"])
    # A walk nobody rated is "moderate", CR-10 3 (brisk walking = moderate = CR-10 3-4,
    # Heliyon 2022;8:e11259 Table 4): 3 x 60 min (Foster 2001).
    assert sessions.loc[0, "load_srpe"] == 3.0 * 60
    assert bool(load_daily_series(store, aid, through=DAY0).loc[0, "load_estimated"])


def test_planned_and_recorded_walks_carry_the_same_load(store: Store) -> None:
    """One default-RPE table: an unrated hour's walk is 180 AU planned and done."""
    aid = store.default_athlete_id()
    with store.transaction() as tx:
        tx.add_manual_session(aid, ManualSession(_at(0, 8), "walk", 3600.0))
    recorded = load_sessions_frame(store, aid).loc[0, "load_srpe"]
    planned = PastSession(DAY0, SessionKind.WALK, 3600.0).load_au
    assert recorded == planned == 180.0


def test_checkins_and_spike(store: Store) -> None:
    aid = store.default_athlete_id()
    with store.transaction() as tx:
        tx.add_manual_session(aid, ManualSession(_at(0, 8), "run", 1800.0, 4000.0, rpe=4))
        tx.add_manual_session(aid, ManualSession(_at(7, 8), "run", 2700.0, 6000.0, rpe=5))
        tx.add_checkin(aid, CheckInInput(_at(8, 7), pain_site="shin", pain_score=4,
                                         pain_timing="next_morning", who5=(3, 3, 3, 3, 3)))
    daily = load_daily_series(store, aid, through=DAY0 + timedelta(days=8))
    assert daily.loc[7, "spike_ratio"] == pytest.approx(1.5)  # 6 km after a 4 km longest
    assert np.isnan(daily.loc[0, "spike_ratio"])  # no run in the previous 30 days
    assert daily.loc[8, "pain_max"] == 4
    assert daily.loc[8, "who5_pct"] == 60.0  # raw 15 x 4


def test_empty_store_gives_four_weeks_of_zeros(store: Store) -> None:
    aid = store.default_athlete_id()
    daily = load_daily_series(store, aid, through=DAY0)
    assert len(daily) == 28
    assert daily["load_srpe"].sum() == 0
    assert daily["acwr_ewma"].isna().all()  # NaN, never inf, with an empty chronic window
