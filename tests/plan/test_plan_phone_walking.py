"""Issue 13: a walker whose walks come only from her phone's steps gets a plan that starts from
her real walking volume (plan.inputs.walking_baseline reads the daily series' brisk minutes)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app
from stridewise.plan import persist, service
from stridewise.plan.inputs import walking_baseline
from stridewise.plan.model import PastSession, SessionKind
from stridewise.science.screening import BoneInputs, ParqAnswers, Sex
from stridewise.store import open_store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday morning in London
MONDAY = date(2026, 11, 30)


@pytest.fixture()
def fixed() -> Iterator[None]:
    with clock.use_clock(clock.FixedClock(NOW)):
        yield


def _screened(url: str, bone: BoneInputs) -> None:
    parq = ParqAnswers(heart_condition_or_high_blood_pressure=False, chest_pain=False,
                       dizziness_or_fainting=False, other_chronic_condition=False,
                       medication_for_chronic_condition=False,
                       bone_joint_or_soft_tissue_problem=False,
                       told_supervised_activity_only=False, age_years=68,
                       used_to_vigorous_effort=False)
    with open_store(url) as store:
        athlete_id = store.default_athlete_id()
        with store.write_transaction() as tx:
            tx.update_athlete(athlete_id, sex="female", birth_year=1958,
                              time_zone="Europe/London")
        with clock.use_clock(clock.FixedClock(NOW - timedelta(hours=12))):
            service.record_screening(store, athlete_id, parq, bone)


def test_phone_days_come_after_recorded_walks_and_before_the_answer() -> None:
    days = [MONDAY - timedelta(days=k) for k in range(1, 22)]
    # 21 days measured; a 25-minute brisk walk on 15 of them, a few slow minutes otherwise.
    device = [(d, 25.0 if i % 7 < 5 else 4.0) for i, d in enumerate(days)]
    phone = walking_baseline([], MONDAY, days_per_week=2, minutes_per_day=15,
                             device_days=device)
    assert (phone.minutes_per_walk, phone.walks_per_week, phone.source) == (
        25.0, 15 / 21 * 7, "phone")
    # A recorded walk on a measured day adds to that day's walking (outside it, by the series).
    one = walking_baseline([PastSession(days[5], SessionKind.WALK, 12 * 60.0)], MONDAY,
                           device_days=device)
    assert (one.walks_per_week, one.source) == (16 / 21 * 7, "phone")
    # Too few measured days, or too few walking days: the person's answer is used.
    assert walking_baseline([], MONDAY, days_per_week=2, minutes_per_day=15,
                            device_days=device[:10]).source == "answer"
    idle = [(d, 3.0) for d in days]
    assert walking_baseline([], MONDAY, device_days=idle).source == "default"
    walks = [PastSession(MONDAY - timedelta(days=k), SessionKind.WALK, 40 * 60.0)
             for k in range(1, 9, 2)]
    assert walking_baseline(walks, MONDAY, device_days=device).source == "recorded"


def test_a_walker_with_only_phone_steps_gets_a_plan_from_her_walking(
        tmp_path: Path, fixed: None) -> None:
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    _screened(url, BoneInputs(sex=Sex.FEMALE, age_years=68, body_mass_kg=62.0,
                                 femoral_neck_t_score=-1.8))
    with open_store(url) as store:
        athlete = store.default_athlete_id()
        days = [MONDAY - timedelta(days=k) for k in range(1, 22)]
        with store.write_transaction(athlete) as tx:
            tx.upsert_days(athlete, "apple_health", {
                d: {"steps": 6000.0, "steps_moderate_min": 35.0 if i % 7 < 5 else 0.0}
                for i, d in enumerate(days)})
            tx.put_brisk_intervals(athlete, "apple_health", {
                d: [(datetime.combine(d, time(10), UTC),
                     datetime.combine(d, time(10, 35), UTC), "moderate")]
                for i, d in enumerate(days) if i % 7 < 5})
    result = CliRunner().invoke(app, ["plan", "new", "--goal", "bone", "--days",
                                      "mon,tue,wed,thu,fri", "--db", url])
    assert result.exit_code == 0, result.output
    made = " ".join(result.output.split())
    assert ("Your walks start at about 35 minutes, what you already walk (the brisk walking "
            "your phone or watch counted)") in made
    with open_store(url) as store, store.transaction() as tx:
        loaded = persist.load_plan(tx, store.default_athlete_id())
    assert loaded is not None
    sessions = [s for s in loaded[1].sessions if s.active]
    first_walk = min((s for s in sessions if s.kind == SessionKind.WALK), key=lambda s: s.day)
    assert first_walk.duration_s == 35 * 60
