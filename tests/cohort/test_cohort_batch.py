"""A partition computes its participants together (series.daily_series_many): every
participant's daily series and weeks must be exactly those of their own daily_series and
weekly_summary, including recorded activities (own UTC offsets, heart rates, steps), device
measures, different last days and a participant without any session."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from stridewise.cohort import dataset as ds
from stridewise.cohort.pipeline import RunSettings, partition_job
from stridewise.series import daily_series, weekly_summary


def _varied_tables(small_dataset: Path) -> dict[str, pd.DataFrame]:
    tables = {name: ds.read_table(small_dataset, name, 0) for name in ds.TABLES}
    people = tables["participants"]
    pids = people["pid"].tolist()
    rng = np.random.default_rng(3)
    start = pd.Timestamp("2023-01-10 06:30", tz="UTC")
    rows = []
    for k, pid in enumerate(pids[:3]):
        for i in range(40):
            with_hr = i % 3 != 0
            rows.append({
                "pid": pid, "id": 1000 * k + i,
                "start_time_utc": start + pd.Timedelta(days=int(3 * i + k), minutes=int(37 * i)),
                "utc_offset_s": [np.nan, 3600.0, -18000.0 + 0.5][i % 3],
                "sport": ["run", "walk", "hike", "ride", "run"][i % 5],
                "moving_s": float(rng.uniform(900, 5400)),
                "distance_m": float(rng.uniform(1000, 12000)) if i % 7 else np.nan,
                "avg_speed_mps": float(rng.uniform(1.0, 3.5)) if i % 4 else np.nan,
                "avg_heart_rate_bpm": float(rng.uniform(95, 170)) if with_hr else np.nan,
                "max_heart_rate_bpm": float(rng.uniform(150, 200)) if with_hr else np.nan,
                "steps": float(rng.uniform(2000, 9000)) if i % 2 else np.nan,
                "avg_cadence_spm": float(rng.uniform(110, 175)) if i % 5 else np.nan,
                "rpe": float(rng.integers(2, 9)) if i % 4 == 0 else np.nan,
            })
    tables["activities"] = pd.DataFrame(rows)
    measures = []
    for pid in pids[1:4]:
        for i in range(60):
            measures.append({
                "pid": pid, "date": (pd.Timestamp("2023-01-05") + pd.Timedelta(days=2 * i)).date(),
                "source": "phone", "steps": float(rng.integers(1000, 15000)),
                "walking_distance_m": float(rng.uniform(500, 9000)),
                "resting_hr_bpm": float(rng.uniform(50, 80)) if i % 3 else np.nan,
                "sleep_asleep_s": float(rng.uniform(18000, 30000)) if i % 2 else np.nan,
                "steps_moderate_min": float(rng.uniform(0, 40)) if i % 4 else np.nan,
                "steps_vigorous_min": float(rng.uniform(0, 5)) if i % 4 else np.nan,
                "device_moderate_min": float(rng.uniform(0, 60)) if i % 4 == 0 else np.nan,
                "device_vigorous_min": np.nan, "walking_steadiness_pct": np.nan,
            })
    tables["measures"] = pd.DataFrame(measures)
    # Different last days, heart rates entered by some, and one person with no session.
    people["through"] = [d - timedelta(days=17 * i) for i, d in enumerate(people["through"])]
    people.loc[0, "max_hr_bpm"] = 181.0
    people.loc[1, ["resting_hr_bpm", "resting_hr_estimated"]] = (58.0, False)
    people.loc[2, "sex"] = None
    people.loc[3, "birth_year_band"] = None
    quiet = pids[-1]
    tables["manual"] = tables["manual"][tables["manual"]["pid"] != quiet]
    return tables


def test_a_batched_partition_equals_each_participants_own_series(small_dataset: Path) -> None:
    tables = _varied_tables(small_dataset)
    people = tables["participants"]
    out = partition_job(people, tables, RunSettings())
    assert (out["qc"]["status"] == "ok").all()
    for index, row in enumerate(people.itertuples(index=False)):
        own = {name: frame[frame["pid"] == row.pid]
               for name, frame in tables.items() if name != "participants"}
        profile = ds.profile_of_row(row, index)
        expected = daily_series(ds.frames_of(profile, own), through=row.through)
        got = out["daily"][out["daily"]["pid"] == row.pid].reset_index(drop=True)
        assert len(got) == len(expected) > 20
        assert got["day"].tolist() == list(range(len(expected)))
        pd.testing.assert_frame_equal(
            got[[c for c in expected.columns if c != "measures_source"]],
            expected.drop(columns="measures_source"), check_exact=True)
        weeks = out["weekly"][out["weekly"]["pid"] == row.pid].reset_index(drop=True)
        expected_weeks = weekly_summary(expected)
        pd.testing.assert_frame_equal(weeks[list(expected_weeks.columns)], expected_weeks,
                                      check_exact=True)
    # The participant without a session gets the product's 28 days.
    assert len(out["daily"][out["daily"]["pid"] == people["pid"].iloc[-1]]) == 28
    assert (tables["activities"]["pid"] == people["pid"].iloc[0]).any()
    daily = out["daily"].set_index("pid")
    for pid in people["pid"].iloc[1:4]:
        assert daily.loc[pid, "steps"].notna().sum() > 20
    assert out["daily"].groupby("pid", sort=False).size().nunique() == len(people)
    assert out["daily"]["trimp"].gt(0).any()  # heart rates reached the kernels
