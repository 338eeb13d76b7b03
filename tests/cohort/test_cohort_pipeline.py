"""The run: the single-user product's numbers per participant, exactly; failures recorded
without stopping the run; finished partitions skipped; killed half-way + rerun = identical."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cohort_helpers import participant_tables, store_participant

from stridewise.cohort import dataset as ds
from stridewise.cohort.pipeline import marker_path, pain_stop_days, read_output, run_cohort
from stridewise.core.app import Core
from stridewise.series.daily import DAILY_SERIES_COLUMNS
from stridewise.store import open_store

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.parametrize("which", [0, 9, 20])
def test_daily_metrics_equal_the_single_user_product(small_dataset: Path, small_results: Path,
                                                     tmp_path: Path, which: int) -> None:
    part = which // 8
    people = ds.read_table(small_dataset, "participants", part)
    pid = str(people["pid"].iloc[which % 8])
    row, tables = participant_tables(small_dataset, part, pid)
    with open_store(f"sqlite:///{tmp_path / 'me.db'}") as store:
        athlete_id = store_participant(store, row, tables)
        core = Core(store)
        ctx = core.context(athlete_id)
        expected = core.series(ctx, through=pd.Timestamp(row.through).date())
    daily = read_output(small_results, "daily")
    got = daily[daily["pid"] == pid].reset_index(drop=True)
    assert len(got) == len(expected) > 100
    assert got["date"].tolist() == expected["date"].tolist()
    numeric = [c for c in DAILY_SERIES_COLUMNS if c != "date"]
    pd.testing.assert_frame_equal(got[numeric], expected[numeric], check_exact=True,
                                  check_dtype=False)


def test_pain_stops_are_the_safety_rules_stops(small_dataset: Path) -> None:
    row, tables = participant_tables(small_dataset, 0,
                                     str(ds.read_table(small_dataset, "participants", 0)
                                         ["pid"].iloc[0]))
    checks = tables["checkins"]
    severe_days = sorted({t.tz_convert(row.time_zone).date()
                          for t in checks.loc[checks["pain_score"] >= 8, "at_utc"]})
    screened = [t.to_pydatetime() for t in tables["screenings"]["taken_at_utc"]]
    assert pain_stop_days(checks, screened, row.time_zone) == severe_days


def test_a_failed_participant_is_recorded_and_the_others_go_on(small_dataset: Path,
                                                              tmp_path: Path) -> None:
    broken = tmp_path / "dataset"
    for table in ds.TABLES:
        (broken / table).mkdir(parents=True)
        for p in range(3):
            src = small_dataset / table / ds.part_name(p)
            (broken / table / ds.part_name(p)).write_bytes(src.read_bytes())
    (broken / "dataset.json").write_bytes((small_dataset / "dataset.json").read_bytes())
    people = ds.read_table(broken, "participants", 1)
    people.loc[2, "time_zone"] = "Nowhere/Atlantis"
    ds.write_table(broken, "participants", 1, people)
    (broken / "checkins" / ds.part_name(2)).write_bytes(b"not parquet")

    outcome = run_cohort(broken, tmp_path / "out", workers=0)
    qc = pd.read_parquet(tmp_path / "out" / "qc.parquet")
    failed = qc[qc["status"] == "failed"]
    assert set(failed["pid"]) == {people.loc[2, "pid"], "partition 2"}
    assert "Atlantis" in failed.set_index("pid").loc[people.loc[2, "pid"], "reason"]
    assert (qc["status"] == "ok").sum() == 15
    assert [f["part"] for f in outcome.failed] == [2]
    # A rerun retries only what is not finished.
    again = run_cohort(broken, tmp_path / "out", workers=0)
    assert (again.skipped, again.done, len(again.failed)) == (2, 0, 1)


def _results(out: Path) -> dict[str, pd.DataFrame]:
    found = {name: pd.read_parquet(out / f"{name}.parquet")
             for name in ("participants", "weekly", "runs", "qc")}
    found["daily"] = read_output(out, "daily")
    return found


@pytest.mark.slow
def test_killed_half_way_then_rerun_gives_identical_results(tmp_path: Path) -> None:
    from stridewise.cohort.synth import synthesise

    dataset = tmp_path / "dataset"
    synthesise(dataset, 36, 0.5, seed=11, partition_size=6)
    clean = tmp_path / "clean"
    run_cohort(dataset, clean, workers=0)

    killed = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-c", "from stridewise.cli import main; main()", "cohort", "run",
               str(dataset), "--out", str(killed), "--workers", "1", "--no-report"]
    proc = subprocess.Popen(command, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not marker_path(killed, 0).parent.is_dir() or not any(
            marker_path(killed, 0).parent.glob("*.json")):
        assert proc.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = sorted(p.name for p in marker_path(killed, 0).parent.glob("*.json"))
    assert 0 < len(finished) < 6
    stamps = {name: (marker_path(killed, 0).parent / name).stat().st_mtime_ns
              for name in finished}

    outcome = run_cohort(dataset, killed, workers=0)
    assert outcome.skipped == len(finished) and outcome.done == 6 - len(finished)
    assert {name: (marker_path(killed, 0).parent / name).stat().st_mtime_ns
            for name in finished} == stamps  # not recomputed
    a, b = _results(clean), _results(killed)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)


def test_collated_tables_and_analyses(small_results: Path) -> None:
    from stridewise.cohort.analyses import analyse

    tables = analyse(small_results)
    people = pd.read_parquet(small_results / "participants.parquet")
    assert len(people) == 24 and people["pid"].is_unique
    rates = tables["safety_rates"]
    assert rates["runs"].sum() == len(pd.read_parquet(small_results / "runs.parquet"))
    assert np.isfinite(tables["adherence_by_group"]["share_meeting"].iloc[-1])
    assert set(tables["bone_by_screening"]["impact_level"]) <= {
        "running", "moderate_impact", "up_to_brisk_walking", "balance_first"}


def test_valid_weeks_follow_the_stated_rule(small_results: Path) -> None:
    weekly = pd.read_parquet(small_results / "weekly.parquet")
    expected = (weekly["days"] == 7) & (weekly["data_days"] >= 2)
    assert weekly["valid"].tolist() == expected.tolist()
    assert expected.any() and not expected.all()
    qc = pd.read_parquet(small_results / "qc.parquet").set_index("pid")
    per_person = weekly.groupby("pid")["valid"].sum()
    assert (qc.loc[per_person.index, "valid_weeks"] == per_person).all()
