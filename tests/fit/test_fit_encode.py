"""The encoder's files, read back by garmin-fit-sdk (the official decoder) and by us."""

from __future__ import annotations

import numpy as np
import pytest
from garmin_fit_sdk import Decoder, Stream

from stridewise.activity import Lap
from stridewise.fit.encode import Repeat, WorkoutStep, encode_activity, encode_workout
from stridewise.ingest.fit import read

START = 1_750_000_000.0


def _sdk(data: bytes) -> dict:
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read(
        convert_datetimes_to_dates=False, merge_heart_rates=False
    )
    assert errors == []
    return messages


def _run(n: int = 1200) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    speed = 2.8 + rng.random(n)
    hr = rng.integers(120, 170, n).astype(float)
    hr[5] = np.nan  # a dropout stays a dropout
    return {
        "time_s": START + np.arange(n, dtype=float),
        "lat_deg": 47.37 + np.cumsum(rng.normal(0, 1e-5, n)),
        "lon_deg": 8.54 + np.cumsum(rng.normal(0, 1e-5, n)),
        "distance_m": np.cumsum(speed),
        "speed_mps": speed,
        "altitude_m": 400 + rng.random(n) * 20,
        "heart_rate_bpm": hr,
        "cadence_spm": 168 + rng.integers(0, 12, n).astype(float),
    }


def test_activity_file_decodes_with_the_garmin_sdk() -> None:
    records = _run()
    laps = [Lap(START, 600.0, 1900.0), Lap(START + 600, 599.0, 1800.0)]
    messages = _sdk(encode_activity(records, sport="run", laps=laps, utc_offset_s=7200))
    sdk = messages["record_mesgs"]
    assert len(sdk) == 1200
    np.testing.assert_allclose([r["distance"] for r in sdk], records["distance_m"], atol=0.01)
    np.testing.assert_allclose([r["enhanced_speed"] for r in sdk], records["speed_mps"],
                               atol=0.001)
    np.testing.assert_allclose([r["enhanced_altitude"] for r in sdk], records["altitude_m"],
                               atol=0.2)
    steps_per_min = [2 * (r["cadence"] + r.get("fractional_cadence", 0.0)) for r in sdk]
    np.testing.assert_allclose(steps_per_min, records["cadence_spm"], atol=0.02)
    assert "heart_rate" not in sdk[5] and sdk[6]["heart_rate"] == records["heart_rate_bpm"][6]
    assert sdk[0]["timestamp"] == START - 631065600
    assert len(messages["lap_mesgs"]) == 2
    (session,) = messages["session_mesgs"]
    assert session["sport"] == "running" and session["num_laps"] == 2
    (activity,) = messages["activity_mesgs"]
    assert activity["local_timestamp"] - activity["timestamp"] == 7200


def test_activity_round_trips_through_our_reader() -> None:
    records = _run()
    (activity,) = read(encode_activity(records, sport="run"), source_name="gen.fit")
    assert activity.sport == "run" and activity.n_records == 1200
    for name in ("lat_deg", "lon_deg"):
        np.testing.assert_allclose(activity.records[name], records[name], atol=1e-7)
    np.testing.assert_allclose(activity.records["cadence_spm"], records["cadence_spm"], atol=0.02)
    assert activity.summary.distance_m == pytest.approx(
        records["distance_m"][-1] - records["distance_m"][0], abs=0.02
    )


def test_ride_cadence_is_written_as_rpm() -> None:
    records = {"time_s": START + np.arange(60.0), "cadence_rpm": np.full(60, 88.0),
               "speed_mps": np.full(60, 8.0)}
    (activity,) = read(encode_activity(records, sport="ride"), source_name="ride.fit")
    assert activity.sport == "ride"
    np.testing.assert_array_equal(activity.records["cadence_rpm"], 88.0)


def test_workout_file_steps_durations_targets_and_repeats() -> None:
    data = encode_workout("6 x 400 m", [
        WorkoutStep("warmup", duration_s=600, name="Easy"),
        Repeat([WorkoutStep("active", distance_m=400, target_hr_bpm=(160, 175)),
                WorkoutStep("rest", duration_s=90, target_speed_mps=(1.2, 1.6))], times=6),
        WorkoutStep("cooldown"),
    ])
    messages = _sdk(data)
    assert messages["file_id_mesgs"][0]["type"] == "workout"
    (workout,) = messages["workout_mesgs"]
    assert workout["wkt_name"] == "6 x 400 m" and workout["num_valid_steps"] == 5
    steps = messages["workout_step_mesgs"]
    assert [s["message_index"] for s in steps] == [0, 1, 2, 3, 4]
    assert steps[0]["duration_type"] == "time" and steps[0]["duration_time"] == 600
    assert steps[0]["intensity"] == "warmup" and steps[0]["wkt_step_name"] == "Easy"
    assert steps[1]["duration_type"] == "distance" and steps[1]["duration_distance"] == 400
    assert steps[1]["custom_target_heart_rate_low"] == 260  # 160 bpm + 100
    assert steps[2]["intensity"] == "rest" and steps[2]["target_type"] == "speed"
    assert steps[2]["custom_target_speed_low"] == pytest.approx(1.2)
    assert steps[3]["duration_type"] == "repeat_until_steps_cmplt"
    assert steps[3]["duration_step"] == 1 and steps[3]["repeat_steps"] == 6
    assert steps[4]["duration_type"] == "open" and steps[4]["intensity"] == "cooldown"


def test_workout_steps_are_validated() -> None:
    with pytest.raises(ValueError, match="intensity"):
        WorkoutStep("sprint")
    with pytest.raises(ValueError, match="either a time or a distance"):
        WorkoutStep(duration_s=60, distance_m=200)
    with pytest.raises(ValueError, match="at least 2 times"):
        encode_workout("x", [Repeat([WorkoutStep()], times=1)])


def test_a_workout_file_is_not_imported_as_an_activity() -> None:
    from stridewise.errors import EmptyActivityError

    with pytest.raises(EmptyActivityError, match="not an activity"):
        read(encode_workout("w", [WorkoutStep(duration_s=60)]), source_name="w.fit")
