"""Add/get/list for every table, value checks, and all-or-nothing transactions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest
from sqlalchemy import func, select

from stridewise.activity import Activity, ManualSession
from stridewise.store import CheckInInput, Store
from stridewise.store.models import ActivityStream

START = datetime(2024, 5, 4, 6, 30, tzinfo=UTC)


def test_athlete_profile_and_body_mass_history(store: Store) -> None:
    with store.transaction() as tx:
        athlete = tx.add_athlete("ana")
        tx.update_athlete(
            athlete.id, sex="female", birth_year=1968, resting_hr_bpm=58,
            max_hr_bpm=172, max_hr_estimated=True, units="mi", time_zone="Europe/Lisbon",
        )
        tx.add_body_mass(athlete.id, date(2024, 1, 1), 64.0)
        tx.add_body_mass(athlete.id, date(2024, 3, 1), 62.5)
        tx.add_body_mass(athlete.id, date(2024, 3, 1), 62.0)  # same day: replaced
    with store.transaction() as tx:
        got = tx.get_athlete_by_name("ana")
        assert got is not None
        assert (got.sex, got.birth_year, got.units, got.time_zone) == (
            "female", 1968, "mi", "Europe/Lisbon",
        )
        assert got.max_hr_bpm == 172 and got.max_hr_estimated
        assert got.resting_hr_bpm == 58 and not got.resting_hr_estimated
        assert [b.mass_kg for b in tx.list_body_mass(got.id)] == [64.0, 62.0]
        latest = tx.latest_body_mass(got.id, on=date(2024, 2, 1))
        assert latest is not None and latest.mass_kg == 64.0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_year", 1850, "birth year"),
        ("resting_hr_bpm", 5.0, "resting heart rate"),
        ("max_hr_bpm", 300.0, "maximum heart rate"),
        ("units", "furlongs", "units"),
        ("time_zone", "Mars/Olympus", "time zone"),
        ("sex", "x", "sex"),
    ],
)
def test_absurd_profile_values_are_refused(
    store: Store, field: str, value: object, message: str
) -> None:
    athlete_id = store.default_athlete_id()
    with pytest.raises(ValueError, match=message), store.transaction() as tx:
        tx.update_athlete(athlete_id, **{field: value})  # type: ignore[arg-type]


def test_activity_round_trips_with_its_stream(
    store: Store, make_run: Callable[..., Activity]
) -> None:
    athlete_id = store.default_athlete_id()
    run = make_run(START, seconds=900)
    with store.transaction() as tx:
        row = tx.add_activity(athlete_id, run, source_sha256="a" * 64, source_name="run.fit")
    with store.transaction() as tx:
        got = tx.get_activity(athlete_id, row.id)
        assert got is not None
        assert got.start_time_utc == START and got.start_time_utc.tzinfo is not None
        assert got.utc_offset_s == 3600 and got.sport == "run" and got.device == "Test watch"
        assert got.distance_m == pytest.approx(run.summary.distance_m)
        assert got.elapsed_s == run.summary.elapsed_s and got.n_records == 900
        assert got.source_format == "fit" and got.source_sha256 == "a" * 64
        stream = tx.get_stream(athlete_id, row.id)
        assert stream is not None and set(stream) == set(run.records)
        for name, col in run.records.items():
            np.testing.assert_array_equal(stream[name], col)
        listed = tx.list_activities(athlete_id, since=START - timedelta(days=1))
        assert [a.id for a in listed] == [row.id]
        assert tx.activities_starting_near(athlete_id, START + timedelta(seconds=59), 60)
        assert not tx.activities_starting_near(athlete_id, START + timedelta(seconds=61), 60)
        tx.delete_activity(athlete_id, row.id)
    with store.transaction() as tx:
        assert tx.get_activity(athlete_id, row.id) is None
        assert tx.get_stream(athlete_id, row.id) is None


def test_non_utc_input_is_stored_as_the_same_instant(store: Store) -> None:
    athlete_id = store.default_athlete_id()
    local = datetime(2024, 5, 4, 8, 30, tzinfo=timezone(timedelta(hours=2)))
    with store.transaction() as tx:
        row = tx.add_manual_session(athlete_id, ManualSession(local, "strength", 1800.0))
    with store.transaction() as tx:
        got = tx.get_manual_session(athlete_id, row.id)
        assert got is not None and got.start_time_utc == START
        assert got.start_time_utc.utcoffset() == timedelta(0)


def test_checkins_and_manual_sessions(store: Store) -> None:
    athlete_id = store.default_athlete_id()
    with store.transaction() as tx:
        tx.add_checkin(
            athlete_id,
            CheckInInput(
                at_utc=START, pain_site="left shin", pain_score=3, pain_timing="after",
                pain_localised_bone=False, fell=False, sleep_hours=7.5, sleep_quality=4,
                who5=(3, 4, 3, 2, 5), energy=4, notes="fine",
            ),
        )
        tx.add_manual_session(
            athlete_id, ManualSession(START, "run", 1500.0, distance_m=4000.0, rpe=4.0)
        )
    with store.transaction() as tx:
        (checkin,) = tx.list_checkins(athlete_id)
        assert checkin.who5 == [3, 4, 3, 2, 5] and checkin.pain_timing == "after"
        (session,) = tx.list_manual_sessions(athlete_id, since=START)
        assert (session.kind, session.distance_m, session.rpe) == ("run", 4000.0, 4.0)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"pain_score": 11, "pain_site": "knee"}, "pain score"),
        ({"pain_score": 4}, "where it hurts"),
        ({"pain_timing": "sometimes"}, "pain timing"),
        ({"sleep_hours": 30.0}, "sleep hours"),
        ({"sleep_quality": 0}, "sleep quality"),
        ({"who5": (1, 2, 3)}, "five answers"),
        ({"who5": (1, 2, 3, 4, 9)}, "WHO-5 answer 5"),
        ({"energy": 6}, "energy"),
    ],
)
def test_absurd_checkins_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CheckInInput(at_utc=START, **fields)  # type: ignore[arg-type]


def test_screening_plan_sessions_and_changes(store: Store) -> None:
    athlete_id = store.default_athlete_id()
    with store.transaction() as tx:
        tx.add_screening(athlete_id, {"q1": "no"}, {"cleared": True})
        first = tx.add_plan(athlete_id, "run 5 km", {"weeks": 9})
        second = tx.add_plan(athlete_id, "run 30 min", {"weeks": 8})
        planned = tx.add_planned_session(athlete_id, second.id, date(2024, 6, 1), "run_walk",
                                         duration_s=1200)
        tx.add_planned_session(athlete_id, second.id, date(2024, 6, 1), "strength", slot=1)
        tx.set_planned_status(athlete_id, planned.id, "changed", "knee sore")
        tx.add_plan_change(athlete_id, second.id, "pain 4/10 after run", {"cut_pct": 20})
    with store.transaction() as tx:
        assert tx.list_screenings(athlete_id)[0].result == {"cleared": True}
        active = tx.active_plan(athlete_id)
        assert active is not None and active.id == second.id
        first_row = tx.get_plan(athlete_id, first.id)
        assert first_row is not None and not first_row.active
        sessions = tx.list_planned_sessions(athlete_id, second.id)
        assert [(s.kind, s.status) for s in sessions] == [
            ("run_walk", "changed"), ("strength", "planned"),
        ]
        assert tx.list_plan_changes(athlete_id, second.id)[0].details == {"cut_pct": 20}
    with pytest.raises(ValueError, match="status"), store.transaction() as tx:
        tx.set_planned_status(athlete_id, planned.id, "skipped")


def test_failed_transaction_leaves_nothing_behind(
    store: Store, make_run: Callable[..., Activity]
) -> None:
    athlete_id = store.default_athlete_id()
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.add_activity(athlete_id, make_run(START))
        tx.add_import_log(athlete_id, source_name="x.fit", status="imported")
        raise RuntimeError("crash after the stream was written")
    with store.transaction() as tx:
        assert tx.count_activities(athlete_id) == 0
        assert tx.list_import_log(athlete_id) == []
        assert tx.session.scalar(select(func.count()).select_from(ActivityStream)) == 0


def test_raw_files_are_content_addressed(store: Store) -> None:
    digest = store.raw.put(b"hello")
    assert store.raw.put(b"hello") == digest
    path = store.raw.path_for(digest)
    assert path.parent.parent.parent == store.raw.root and path.name == digest
    assert store.raw.get(digest) == b"hello"
