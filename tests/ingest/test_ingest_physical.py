"""Per-sample physical checks from the per-sport table (issue 11, item 4): impossible samples
dropped with a warning naming how many, impossible activities refused."""

from __future__ import annotations

import numpy as np
import pytest

from stridewise.activity import build_activity
from stridewise.errors import ImplausibleActivityError, IngestError

START = 1_750_000_000.0


def _run(distance_m: np.ndarray, **extra: np.ndarray) -> tuple[float | None, list[str]]:
    t = START + np.arange(distance_m.size, dtype=float)
    activity = build_activity({"time_s": t, "distance_m": distance_m, **extra}, sport="run",
                              source_format="test")
    return activity.summary.distance_m, activity.warnings


def test_a_single_distance_spike_is_dropped_and_counted() -> None:
    d = np.arange(1000) * 3.0  # 3 m/s for 999 s: 2,997 m
    d[500] = 500_000.0  # 500 km for one second, then back
    distance, warnings = _run(d)
    assert distance == 2997.0
    assert ("dropped 1 distance value(s) that went backwards or leapt faster than 12.5 m/s "
            "(a recording glitch)") in warnings


def test_distance_going_backwards_once_is_dropped() -> None:
    d = np.arange(1000) * 3.0
    d[300:302] = [10.0, 12.0]  # two samples far back
    distance, warnings = _run(d)
    assert distance == 2997.0
    assert any(w.startswith("dropped 2 distance value(s)") for w in warnings)


def test_a_lasting_leap_drops_the_distance_column_and_positions_take_over() -> None:
    d = np.arange(1000) * 3.0
    d[400:] += 20_000.0  # from sample 400 on, 20 km further: no small group explains it
    lat = 45.0 + np.arange(1000) * 3.0 / 111_195.0  # 3 m/s due north
    distance, warnings = _run(d, lat_deg=lat, lon_deg=np.full(1000, 7.0))
    assert distance == pytest.approx(2997.0, rel=0.01)
    assert any(w.startswith("the device's distance jumps or goes backwards (23.0 km")
               for w in warnings)


def test_a_watch_catching_up_30_m_in_one_second_is_not_a_glitch() -> None:
    d = np.arange(1000) * 3.0
    d[10:] += 27.0  # Fenix 2: 30.4 m -> 60.6 m in one second at the start of a run
    distance, warnings = _run(d)
    assert distance == 3024.0
    assert warnings == []


def test_a_one_sample_speed_spike_is_dropped_by_the_acceleration_limit() -> None:
    speed = np.full(600, 1.0)
    speed[200] = 12.0  # +11 m/s in 1 s and back: 11 m/s² each way, over the run's 10
    t = START + np.arange(600, dtype=float)
    activity = build_activity({"time_s": t, "speed_mps": speed}, sport="run",
                              source_format="test")
    assert np.isnan(activity.records["speed_mps"][200])
    assert np.isfinite(activity.records["speed_mps"]).sum() == 599
    assert any(w.startswith("dropped 1 speed value(s) that change faster than 10 m/s²")
               for w in activity.warnings)


def test_an_activity_longer_than_its_top_speed_allows_is_refused() -> None:
    d = np.arange(601) * 13.0  # 13 m/s for 10 minutes: past 12.5 m/s, steady (no spike)
    with pytest.raises(ImplausibleActivityError,
                       match=r"covers 7\.8 km in 10 min, faster than the 12\.5 m/s no run"):
        _run(d)
    assert issubclass(ImplausibleActivityError, IngestError)
