"""The pain decision as the planner, Today and the report see it: from the store's check-ins,
with red flags kept open until the next screening."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stridewise.monitor import pain_decision
from stridewise.science.pain import PainAction
from stridewise.store import CheckInInput, Store, open_store

UTC_ZONE = ZoneInfo("UTC")
TODAY = date(2026, 6, 30)


def _at(days_ago: int) -> datetime:
    d = TODAY - timedelta(days=days_ago)
    return datetime(d.year, d.month, d.day, 9, tzinfo=UTC)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'pain.db'}")
    yield s
    s.close()


def _decide(store: Store) -> PainAction | None:
    athlete_id = store.default_athlete_id()
    with store.transaction() as tx:
        decision = pain_decision(tx, athlete_id, TODAY, UTC_ZONE)
    return decision.action if decision else None


def test_night_pain_three_weeks_ago_still_stops_until_screened_again(store: Store) -> None:
    athlete_id = store.default_athlete_id()
    with store.transaction() as tx:
        tx.add_screening(athlete_id, {}, {}, taken_at_utc=_at(60))
        tx.add_checkin(athlete_id, CheckInInput(_at(21), pain_site="shin", pain_score=3,
                                                pain_timing="at_night"))
    assert _decide(store) == PainAction.STOP
    with store.transaction() as tx:  # seen a doctor, screened again
        tx.add_screening(athlete_id, {}, {}, taken_at_utc=_at(2))
    assert _decide(store) in (None, PainAction.CONTINUE)  # nothing left to act on


def test_fall_without_a_pain_score_is_not_a_pain_stop(store: Store) -> None:
    # Issue 10 case 4: the falls rules answer a fall without pain (re-screen, balance phase).
    athlete_id = store.default_athlete_id()
    with store.transaction() as tx:
        tx.add_checkin(athlete_id, CheckInInput(_at(1), pain_site="wrist", fell=True))
    assert _decide(store) in (None, PainAction.CONTINUE)
