"""The athlete's revision number (migration 0008) moves on every insert, update and delete of
a row the advice reads, on SQLite and PostgreSQL alike, and only for that athlete: the core's
caches rely on it to never serve an answer computed from older rows."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import delete, text, update

from stridewise.activity import Activity, ManualSession
from stridewise.store import CheckInInput, Store
from stridewise.store import models as m
from stridewise.store.models import Base

START = datetime(2024, 5, 4, 6, 30, tzinfo=UTC)
MIGRATION = importlib.import_module(
    "stridewise.store.migrations.versions.0008_athlete_revision")
#: Tables with athlete data that the advice does not read, so no trigger, and why.
NOT_WATCHED = {
    "activity_stream": "written with its activity, whose row moves the number",
    "import_log": "a record of files read; the advice reads the activities",
    "app_user": "accounts", "invitation": "accounts", "web_session": "accounts",
    "login_attempt": "accounts", "api_token": "accounts", "care_grant": "who may look",
    "research_grant": "who may look", "audit_event": "who looked",
    "athlete_revision": "the number itself",
}


def test_every_table_of_athlete_data_is_watched_or_listed_with_a_reason() -> None:
    with_athlete = {name for name, table in Base.metadata.tables.items()
                    if {"athlete_id", "plan_id", "activity_id"} & set(table.columns.keys())}
    with_athlete.add("athlete")
    assert with_athlete - set(MIGRATION.WATCHED) - set(NOT_WATCHED) == set()
    assert set(MIGRATION.WATCHED) <= set(Base.metadata.tables)


def test_each_change_moves_only_that_athletes_number(
    store: Store, make_run: Callable[..., Activity]
) -> None:
    with store.write_transaction() as tx:
        me, other = tx.add_athlete("me").id, tx.add_athlete("other").id
    seen: list[int] = []

    def moved(change: Callable[..., object], *, sessions: bool = False) -> None:
        with store.transaction() as tx:
            mine, theirs = tx.revision(me), tx.revision(other)
        with store.write_transaction(me) as tx:
            change(tx)
        with store.transaction() as tx:
            now = tx.revision(me)
            assert now[0] > mine[0], change
            # The session columns' number moves with the profile and sessions only.
            assert (now[1] > mine[1]) is sessions, change
            assert tx.revision(other) == theirs, change
            seen.append(now[0])

    ids: dict[str, int] = {}
    moved(lambda tx: ids.setdefault("activity", tx.add_activity(
        me, make_run(START), source_sha256="0" * 64, source_name="run.fit").id), sessions=True)
    moved(lambda tx: ids.setdefault("checkin", tx.add_checkin(
        me, CheckInInput(START, pain_site="left shin", pain_score=3)).id))
    moved(lambda tx: tx.add_manual_session(me, ManualSession(START, "walk", 1800.0)),
          sessions=True)
    moved(lambda tx: tx.add_screening(me, {"parq": {}}, {"can_start": True}))
    moved(lambda tx: ids.setdefault("plan", tx.add_plan(me, "start", {"weeks": 8}).id))
    moved(lambda tx: ids.setdefault("planned", tx.add_planned_session(
        me, ids["plan"], date(2024, 6, 1), "walk", duration_s=1800.0).id))
    moved(lambda tx: tx.set_planned_status(me, ids["planned"], "done"))
    moved(lambda tx: tx.add_plan_change(me, ids["plan"], "Plan made."))
    moved(lambda tx: tx.add_body_mass(me, date(2024, 5, 4), 70.0))
    # A day's weighing replaced in place: counting rows would not have seen it.
    moved(lambda tx: tx.add_body_mass(me, date(2024, 5, 4), 71.0))
    moved(lambda tx: tx.update_athlete(me, birth_year=1958), sessions=True)
    moved(lambda tx: tx.add_brain_answers(me, {"sleep": "7"}, START))
    moved(lambda tx: (tx.session.add(m.DailyMeasure(athlete_id=me, day=date(2024, 5, 4),
                                                    source="apple_health", steps=4000.0)),
                      tx.session.flush()))
    moved(lambda tx: tx.session.execute(update(m.CheckIn).where(m.CheckIn.id == ids["checkin"])
                                        .values(pain_score=5)))
    moved(lambda tx: tx.session.execute(delete(m.PlannedSession)
                                        .where(m.PlannedSession.id == ids["planned"])))
    moved(lambda tx: tx.delete_activity(me, ids["activity"]), sessions=True)
    assert seen == sorted(seen) and len(set(seen)) == len(seen)


def test_a_deleted_athletes_number_is_kept_for_whoever_gets_the_id(store: Store) -> None:
    with store.write_transaction() as tx:
        me = tx.add_athlete("me").id
        tx.add_checkin(me, CheckInInput(START, sleep_hours=7.0))
    with store.transaction() as tx:
        before = tx.revision(me)
    with store.write_transaction(me) as tx:
        tx.session.execute(delete(m.Athlete).where(m.Athlete.id == me))
    with store.transaction() as tx:
        # Never back to 0: no cached answer of theirs can match whoever gets the id.
        assert tx.revision(me) >= before


def test_every_watched_table_has_its_triggers_at_head(store: Store) -> None:
    # A later migration that rebuilds a watched SQLite table drops its triggers silently.
    with store.engine.connect() as conn:
        if store.backend == "postgresql":
            found = {tuple(r) for r in conn.execute(text(
                "SELECT event_object_table, lower(event_manipulation) "
                "FROM information_schema.triggers WHERE trigger_name LIKE 'athlete_revision_%'"))}
        else:
            found = {(r[0], r[1].rsplit("_", 1)[1]) for r in conn.execute(text(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'athlete_revision_%'"))}
    expected = {(t, e.lower()) for t in MIGRATION.WATCHED for e in MIGRATION.EVENTS}
    assert expected <= found


def test_one_transaction_of_several_kinds_moves_both_numbers(store: Store) -> None:
    with store.write_transaction() as tx:
        me = tx.add_athlete("me").id
    with store.transaction() as tx:
        before = tx.revision(me)
    with store.write_transaction(me) as tx:
        tx.add_checkin(me, CheckInInput(START, sleep_hours=7.0))
        tx.add_manual_sessions(me, [ManualSession(START, "walk", 1800.0),
                                    ManualSession(START.replace(hour=18), "walk", 900.0)])
        tx.add_brain_answers(me, {"sleep": "7"}, START)
    with store.transaction() as tx:
        after = tx.revision(me)
    assert after[0] > before[0] and after[1] > before[1]
