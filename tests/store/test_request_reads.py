"""Store.revision and Store.athlete read once a request (store.core.request_reads), forget
on any write the request commits, and never keep what a unit read before its commit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stridewise.store import CheckInInput, Store
from stridewise.store.core import request_reads


def _checkin(store: Store, athlete_id: int) -> None:
    with store.write_transaction(athlete_id) as tx:
        tx.add_checkin(athlete_id, CheckInInput(at_utc=datetime.now(UTC), sleep_hours=7.0))


@pytest.fixture
def athlete_id(store: Store) -> int:
    with store.write_transaction() as tx:
        return tx.add_athlete("reader").id


def _count_selects(store: Store) -> list[str]:
    from sqlalchemy import event

    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: seen.append(statement)
                 if "athlete_revision" in statement else None)
    return seen


def test_a_request_reads_the_revision_once(store: Store, athlete_id: int) -> None:
    _checkin(store, athlete_id)
    reads = _count_selects(store)
    with request_reads():
        first = store.revision(athlete_id)
        assert store.revision(athlete_id) == first
        assert store.athlete(athlete_id) is store.athlete(athlete_id)
    assert len(reads) == 1
    store.revision(athlete_id)  # outside a request: every call reads
    store.revision(athlete_id)
    assert len(reads) == 3


def test_a_write_in_the_request_forgets_what_it_read(store: Store, athlete_id: int) -> None:
    with request_reads():
        before = store.revision(athlete_id)
        _checkin(store, athlete_id)
        after = store.revision(athlete_id)
        assert after[0] > before[0]
        # A write made through a plain transaction is seen too.
        with store.transaction() as tx:
            tx.add_checkin(athlete_id, CheckInInput(at_utc=datetime.now(UTC), notes="x"))
        assert store.revision(athlete_id)[0] > after[0]


def test_a_unit_does_not_keep_its_uncommitted_reads(store: Store, athlete_id: int) -> None:
    with request_reads():
        before = store.revision(athlete_id)
        with pytest.raises(RuntimeError), store.unit(athlete_id) as tx:
            tx.add_checkin(athlete_id, CheckInInput(at_utc=datetime.now(UTC), notes="x"))
            inside = store.revision(athlete_id)  # the unit's own view, not kept
            assert inside[0] > before[0]
            raise RuntimeError("rolled back")
        assert store.revision(athlete_id) == before
