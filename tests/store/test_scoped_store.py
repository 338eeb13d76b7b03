"""The scoped store: every repository method on an athlete's data takes the athlete id, and
another athlete's row is answered exactly as a missing one (None, an empty list, or the same
LookupError), for reads and for changes alike."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import stridewise
from stridewise.activity import Activity, ManualSession
from stridewise.store import CheckInInput, Store, Tx, sha256_hex

START = datetime(2024, 5, 4, 6, 30, tzinfo=UTC)
RAW = b"the owner's original FIT bytes"
#: Methods about athletes themselves (not an athlete's data) that need no athlete id first;
#: zones_and_revisions reads exactly the athletes it is given (a roster, after the policy
#: allowed each one).
ATHLETE_LEVEL = {"add_athlete", "get_athlete_by_name", "list_athletes", "zones_and_revisions"}
#: Packages of the faces: they reach data only through the scoped repository methods.
FACES = ("web", "cli", "report", "present")
#: SQL of one's own (queries, sessions, the engine) or the unscoped raw-file directory.
BYPASS = re.compile(r"^\s*(from sqlalchemy(\.orm)? import|import sqlalchemy\b)"
                    r"|\.session\.(execute|scalars?|get|query)\("
                    r"|(?<![\w.])store\.engine\b|\.raw\.(get|path_for|has)\(", re.M)


@dataclass
class Owned:
    """Ids of one row of each kind, all belonging to the owner."""

    owner: int
    other: int
    activity: int
    import_log: int
    checkin: int
    manual: int
    screening: int
    plan: int
    planned: int
    body_mass: int
    sha256: str


def _setup(store: Store, make_run: Callable[..., Activity]) -> Owned:
    digest = store.raw.put(RAW)
    with store.write_transaction() as tx:
        owner = tx.add_athlete("owner").id
        other = tx.add_athlete("other").id
        activity = tx.add_activity(owner, make_run(START), source_sha256=digest,
                                   source_name="run.fit")
        log = tx.add_import_log(owner, source_name="run.fit", status="imported", sha256=digest,
                                activity_id=activity.id)
        checkin = tx.add_checkin(owner, CheckInInput(START, pain_site="left shin", pain_score=3))
        manual = tx.add_manual_session(owner, ManualSession(START, "walk", 1800.0))
        screening = tx.add_screening(owner, {"parq": {}}, {"can_start": True})
        plan = tx.add_plan(owner, "start", {"weeks": 8})
        planned = tx.add_planned_session(owner, plan.id, date(2024, 6, 1), "walk",
                                         duration_s=1800.0)
        tx.add_plan_change(owner, plan.id, "Plan made.")
        mass = tx.add_body_mass(owner, date(2024, 5, 4), 70.0)
        return Owned(owner, other, activity.id, log.id, checkin.id, manual.id, screening.id,
                     plan.id, planned.id, mass.id, digest)


def test_every_method_on_athlete_data_takes_the_athlete_id_first() -> None:
    methods = [name for name, _ in inspect.getmembers(Tx, inspect.isfunction)
               if not name.startswith("_") and name not in ATHLETE_LEVEL]
    assert "get_activity" in methods and "get_raw_file" in methods  # the walk found them
    no_athlete = [name for name in methods
                  if list(inspect.signature(getattr(Tx, name)).parameters)[1] != "athlete_id"]
    assert no_athlete == []


def test_faces_reach_athlete_data_only_through_the_scoped_repository() -> None:
    root = Path(stridewise.__file__).parent
    modules = [path.relative_to(root).as_posix()
               for face in FACES for path in sorted((root / face).rglob("*.py"))]
    assert "web/api.py" in modules and "cli/data.py" in modules  # the walk found the faces
    bypassing = [name for name in modules if BYPASS.search((root / name).read_text("utf-8"))]
    assert bypassing == []


def test_another_athletes_rows_read_as_missing(
    store: Store, make_run: Callable[..., Activity]
) -> None:
    ids = _setup(store, make_run)
    me = ids.other
    with store.transaction() as tx:
        assert tx.get_activity(me, ids.activity) is None
        assert tx.get_stream(me, ids.activity) is None
        assert tx.import_log_for_activity(me, ids.activity) is None
        assert tx.get_import_log(me, ids.import_log) is None
        assert tx.list_import_log(me) == [] and not tx.is_done_hash(me, ids.sha256)
        assert tx.get_checkin(me, ids.checkin) is None and tx.list_checkins(me) == []
        assert tx.get_manual_session(me, ids.manual) is None
        assert tx.get_screening(me, ids.screening) is None  # the doctor summary's source
        assert tx.get_plan(me, ids.plan) is None
        assert tx.list_planned_sessions(me, ids.plan) == []
        assert tx.get_planned_session(me, ids.planned) is None
        assert tx.list_plan_changes(me, ids.plan) == []
        assert tx.get_body_mass(me, ids.body_mass) is None and tx.list_body_mass(me) == []
        assert tx.latest_body_mass(me) is None
        assert not tx.owns_raw_file(me, ids.sha256)
        assert tx.get_raw_file(me, ids.sha256) is None
    # The owner reads every one of them: the Nones above are the scope, not missing rows.
    with store.transaction() as tx:
        owner = ids.owner
        assert tx.get_activity(owner, ids.activity) is not None
        assert tx.get_stream(owner, ids.activity) is not None
        assert tx.get_import_log(owner, ids.import_log) is not None
        assert tx.import_log_for_activity(owner, ids.activity) is not None
        assert tx.get_checkin(owner, ids.checkin) is not None
        assert tx.get_manual_session(owner, ids.manual) is not None
        assert tx.get_screening(owner, ids.screening) is not None
        assert tx.get_plan(owner, ids.plan) is not None
        assert len(tx.list_planned_sessions(owner, ids.plan)) == 1
        assert tx.get_planned_session(owner, ids.planned) is not None
        assert len(tx.list_plan_changes(owner, ids.plan)) == 1
        assert tx.get_body_mass(owner, ids.body_mass) is not None
        assert tx.get_raw_file(owner, ids.sha256) == RAW


def test_another_athletes_rows_cannot_be_changed(
    store: Store, make_run: Callable[..., Activity]
) -> None:
    ids = _setup(store, make_run)
    me = ids.other
    # Each refusal is word for word the one for an id that does not exist.
    with store.write_transaction() as tx:
        assert tx.delete_activity(me, ids.activity) is False
        with pytest.raises(LookupError, match=f"^no activity with id {ids.activity}$"):
            tx.supersede_activity(me, ids.activity, "richer file")
        with pytest.raises(LookupError, match=f"^no activity with id {ids.activity}$"):
            tx.add_import_log(me, source_name="x.fit", status="imported",
                              activity_id=ids.activity)
        with pytest.raises(LookupError, match=f"^no planned session with id {ids.planned}$"):
            tx.set_planned_status(me, ids.planned, "done")
        with pytest.raises(LookupError, match=f"^no plan with id {ids.plan}$"):
            tx.add_planned_session(me, ids.plan, date(2024, 6, 2), "run")
        with pytest.raises(LookupError, match=f"^no plan with id {ids.plan}$"):
            tx.add_plan_change(me, ids.plan, "someone else's change")
        # A plan of one's own deactivates only one's own plans.
        tx.add_plan(me, "bone", {"weeks": 4})
        # Body mass on the same day is the other athlete's own row.
        assert tx.add_body_mass(me, date(2024, 5, 4), 95.0).id != ids.body_mass
    # Raw files are content-addressed: bytes under another file's digest are refused.
    with pytest.raises(ValueError, match="does not have the sha256"):
        store.raw.put(b"different bytes, different size", ids.sha256)
    with store.transaction() as tx:
        owner = ids.owner
        activity = tx.get_activity(owner, ids.activity)
        assert activity is not None and tx.get_stream(owner, ids.activity) is not None
        log = tx.get_import_log(owner, ids.import_log)
        assert log is not None and log.activity_id == ids.activity
        assert log.status == "imported"
        planned = tx.get_planned_session(owner, ids.planned)
        assert planned is not None and planned.status == "planned"
        assert [r.kind for r in tx.list_planned_sessions(owner, ids.plan)] == ["walk"]
        assert [c.reason for c in tx.list_plan_changes(owner, ids.plan)] == ["Plan made."]
        plan = tx.active_plan(owner)
        assert plan is not None and plan.id == ids.plan
        assert [b.mass_kg for b in tx.list_body_mass(owner)] == [70.0]
        assert tx.get_raw_file(owner, ids.sha256) == RAW
    assert sha256_hex(store.raw.get(ids.sha256)) == ids.sha256


def test_the_owner_can_still_change_their_rows(
    store: Store, make_run: Callable[..., Activity]
) -> None:
    ids = _setup(store, make_run)
    with store.write_transaction() as tx:
        assert tx.set_planned_status(ids.owner, ids.planned, "done").status == "done"
        assert tx.delete_activity(ids.owner, ids.activity) is True
    with store.transaction() as tx:
        assert tx.get_activity(ids.owner, ids.activity) is None
        log = tx.get_import_log(ids.owner, ids.import_log)
        assert log is not None and log.activity_id is None  # the log keeps its history
        assert tx.get_stream(ids.owner, ids.activity) is None
        # The raw file stays the owner's: the import log still names it.
        assert tx.get_raw_file(ids.owner, ids.sha256) == RAW
        assert tx.get_raw_file(ids.owner, sha256_hex(b"never imported")) is None
