"""The Activity contract (stridewise.activity, stridewise.summary): sanitising absurd values,
and the one moving-time method."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from stridewise.activity import (
    ManualSession,
    build_activity,
    normalise_sport,
)
from stridewise.errors import ImplausibleActivityError
from stridewise.summary import (
    compute_summary,
    haversine_m,
    longest_running_bout_s,
    running_seconds,
)

T0 = datetime(2026, 5, 1, 7, 0, tzinfo=UTC).timestamp()


def _run(n: int = 600, speed: float = 3.0) -> dict[str, np.ndarray]:
    t = T0 + np.arange(n, dtype=float)
    return {
        "time_s": t,
        "distance_m": speed * np.arange(n, dtype=float),
        "speed_mps": np.full(n, speed),
        "heart_rate_bpm": np.full(n, 140.0),
        "cadence_spm": np.full(n, 170.0),
    }


def test_haversine_one_degree_of_latitude() -> None:
    # 1 degree of latitude on the mean-radius sphere is 2*pi*R/360 = 111,195 m.
    d = haversine_m(np.array([0.0]), np.array([0.0]), np.array([1.0]), np.array([0.0]))
    assert d[0] == pytest.approx(111_195.1, abs=1.0)


def test_summary_of_steady_run() -> None:
    act = build_activity(_run(), sport="running", source_format="test")
    assert act.sport == "run"
    s = act.summary
    assert s.elapsed_s == 599
    assert s.moving_s == 599
    assert s.distance_m == pytest.approx(1797.0)
    assert s.avg_heart_rate_bpm == 140
    # 170 steps/min for 599 s
    assert s.steps == round(170 * 599 / 60)


def test_pause_longer_than_gap_limit_is_not_moving() -> None:
    recs = _run()
    recs["time_s"][300:] += 600  # a 10-minute stop at a traffic light that auto-paused
    s = build_activity(recs, sport="run", source_format="test").summary
    assert s.elapsed_s == 1199
    assert s.moving_s == 598


def test_standing_still_is_not_moving() -> None:
    recs = _run()
    recs["speed_mps"][100:200] = 0.0
    s = build_activity(recs, sport="run", source_format="test").summary
    assert s.moving_s == 599 - 100


def test_moving_time_from_positions_when_no_speed() -> None:
    n = 120
    t = T0 + np.arange(n, dtype=float)
    lat = 51.5 + np.arange(n) * (3.0 / 111_195.0)  # 3 m/s northwards
    lon = np.full(n, -0.1)
    s = compute_summary({"time_s": t, "lat_deg": lat, "lon_deg": lon}, "run")
    assert s.moving_s == 119
    assert s.distance_m == pytest.approx(357.0, rel=1e-3)


def test_absurd_heart_rate_and_speed_dropped_with_warning() -> None:
    recs = _run()
    recs["heart_rate_bpm"][10] = 400.0
    recs["speed_mps"][20] = 100.0
    act = build_activity(recs, sport="run", source_format="test")
    assert np.isnan(act.records["heart_rate_bpm"][10])
    assert np.isnan(act.records["speed_mps"][20])
    assert any("heart rate" in w for w in act.warnings)
    assert any("speed" in w for w in act.warnings)
    assert act.summary.max_heart_rate_bpm == 140


def test_gps_jump_dropped() -> None:
    n = 60
    t = T0 + np.arange(n, dtype=float)
    lat = 51.5 + np.arange(n) * (3.0 / 111_195.0)
    lon = np.full(n, -0.1)
    lat[30] = 52.5  # 111 km away for one second
    act = build_activity({"time_s": t, "lat_deg": lat, "lon_deg": lon}, sport="run",
                         source_format="test")
    assert np.isnan(act.records["lat_deg"][30])
    assert act.summary.distance_m == pytest.approx(177.0, rel=1e-3)
    assert any("GPS jump" in w for w in act.warnings)


def test_year_1989_is_refused() -> None:
    recs = _run()
    recs["time_s"] = recs["time_s"] - T0 + datetime(1989, 12, 31, tzinfo=UTC).timestamp()
    with pytest.raises(ImplausibleActivityError, match="before 2000"):
        build_activity(recs, sport="run", source_format="test")


def test_future_is_refused() -> None:
    recs = _run()
    recs["time_s"] = recs["time_s"] + 10 * 365 * 86400
    with pytest.raises(ImplausibleActivityError, match="future"):
        build_activity(recs, sport="run", source_format="test")


def test_unknown_column_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown record column"):
        build_activity({"time_s": [T0], "hr": [1.0]}, sport="run", source_format="test")


def test_unsorted_records_are_sorted() -> None:
    recs = _run(10)
    order = np.array([0, 1, 2, 5, 3, 4, 6, 7, 8, 9])
    recs = {k: v[order] for k, v in recs.items()}
    act = build_activity(recs, sport="run", source_format="test")
    assert np.all(np.diff(act.records["time_s"]) > 0)
    assert any("sorted" in w for w in act.warnings)


def test_ascent_ignores_noise_below_threshold() -> None:
    n = 100
    t = T0 + np.arange(n, dtype=float)
    alt = 100 + np.where(np.arange(n) % 2 == 0, 0.0, 1.0)  # 1 m jitter
    alt[50:] += 20.0  # one real 20 m climb
    s = compute_summary({"time_s": t, "altitude_m": alt}, "run")
    assert s.ascent_m == pytest.approx(20.0, abs=1.0)


@pytest.mark.parametrize(
    ("raw", "sport"),
    [("Running", "run"), ("trail_running", "run"), ("Biking", "ride"), ("VirtualRide", "ride"),
     ("Walking", "walk"), ("Hiking", "hike"), ("lap_swimming", "swim"), ("yoga", "other"),
     (None, "other")],
)
def test_normalise_sport(raw: str | None, sport: str) -> None:
    assert normalise_sport(raw) == sport


def test_manual_session_validates() -> None:
    start = datetime(2026, 5, 1, 7, tzinfo=UTC)
    ManualSession(start, "strength", 1800.0, rpe=5)
    with pytest.raises(ValueError, match="RPE"):
        ManualSession(start, "run", 1800.0, rpe=11)
    with pytest.raises(ValueError, match="session type"):
        ManualSession(start, "yoga", 1800.0)
    with pytest.raises(ValueError, match="duration"):
        ManualSession(start, "run", 0.0)


def test_running_time_and_longest_bout_of_run_walk() -> None:
    # 5 min walk, then 3 x (4 min run at 165 spm, 1 min walk at 110 spm)
    pattern = [110.0] * 300 + ([165.0] * 240 + [110.0] * 60) * 3
    n = len(pattern)
    records = {"time_s": T0 + np.arange(n, dtype=float), "cadence_spm": np.array(pattern)}
    assert running_seconds(records) == pytest.approx(3 * 240, abs=2)
    assert longest_running_bout_s(records) == pytest.approx(240, abs=2)


def test_running_by_speed_when_no_cadence_and_none_without_either() -> None:
    speed = np.array([1.4] * 100 + [2.5] * 200 + [1.4] * 100)
    t = T0 + np.arange(speed.size, dtype=float)
    assert longest_running_bout_s({"time_s": t, "speed_mps": speed}) == pytest.approx(200, abs=1)
    assert running_seconds({"time_s": t}) is None


def test_sparse_recording_counts_its_gaps() -> None:
    # A pool swim logged once per 25 m length, every 35 s, with a 60 s rest (speed 0).
    t = T0 + np.array([0, 35, 70, 105, 165, 200, 235], dtype=float)
    speed = np.array([0.7, 0.7, 0.7, 0.7, 0.0, 0.7, 0.7])
    s = compute_summary({"time_s": t, "speed_mps": speed, "distance_m": 25.0 * np.arange(7)},
                        "swim")
    assert s.moving_s == 235 - 60  # every length counts; the rest (speed 0) does not


def test_flat_zero_distance_without_speed_counts_the_time() -> None:
    # An indoor swim whose watch wrote distance 0 throughout and no speed.
    t = T0 + np.arange(600, dtype=float)
    s = compute_summary({"time_s": t, "distance_m": np.zeros(600),
                         "heart_rate_bpm": np.full(600, 120.0)}, "swim")
    assert s.moving_s == 599
    assert s.distance_m == 0.0
