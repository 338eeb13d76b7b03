"""Safety through the plan service on a real store: a screening that needs a doctor first, pain
at plan creation, check-ins and screenings that re-plan, exports, and days other than today."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar

from stridewise.plan import downloads, persist, service
from stridewise.plan.model import IMPACT_KINDS, RUN_KINDS
from stridewise.science.screening import BoneInputs, ParqAnswers, Sex
from stridewise.store import CheckInInput, Store, open_store

# Next week: check-ins must come after the screening, which is stored with the real time.
MONDAY = date.today() + timedelta(days=7 - date.today().weekday())
SATURDAY = MONDAY + timedelta(days=5)


def parq(**yes: bool) -> ParqAnswers:
    answers = {"heart_condition_or_high_blood_pressure": False, "chest_pain": False,
               "dizziness_or_fainting": False, "other_chronic_condition": False,
               "medication_for_chronic_condition": False,
               "bone_joint_or_soft_tissue_problem": False, "told_supervised_activity_only": False}
    return ParqAnswers(**{**answers, **yes}, age_years=45, used_to_vigorous_effort=False)


BONE = BoneInputs(sex=Sex.MALE, age_years=45, body_mass_kg=80.0)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'sw.db'}", raw_dir=tmp_path / "raw") as opened:
        service.record_screening(opened, opened.default_athlete_id(), parq(), BONE,
                                 today=MONDAY - timedelta(days=7))
        yield opened


def checkin(day: date, score: int, timing: str) -> CheckInInput:
    return CheckInInput(at_utc=datetime.combine(day, time(7), tzinfo=UTC), pain_site="left shin",
                        pain_score=score, pain_timing=timing, pain_localised_bone=False,
                        fell=False)


def make_plan(store: Store, goal: str = "start") -> int:
    return service.create_plan(store, store.default_athlete_id(), goal, [0, 2, 4, 5], 45, MONDAY)


def planned_from(store: Store, day: date) -> list[str]:
    with store.transaction() as tx:
        loaded = persist.load_plan(tx, store.default_athlete_id())
    assert loaded is not None
    return [s.kind.value for s in loaded[1].sessions if s.day >= day and s.status == "planned"
            and s.kind.value != "rest"]


def test_a_screening_that_needs_a_doctor_cancels_the_plan_instead_of_crashing(
        store: Store) -> None:
    athlete_id = store.default_athlete_id()
    plan_id = make_plan(store)
    _row, result, changes = service.record_screening(store, athlete_id, parq(chest_pain=True),
                                                     BONE, today=SATURDAY)
    assert not result.can_start
    assert changes and "see a doctor before going on" in changes[0]
    assert planned_from(store, SATURDAY) == []
    with store.transaction() as tx:
        statuses = {r.status for r in tx.list_planned_sessions(athlete_id, plan_id, since=SATURDAY)
                    if r.kind != "rest"}
    assert statuses == {"cancelled"}
    answer = service.today(store, athlete_id, SATURDAY)
    assert "doctor" in answer.advice.headline and answer.advice.sessions == ()
    assert any("chest pain" in w for w in answer.advice.warnings)
    # Every other caller of the re-plan survives too, and nothing is offered to a watch.
    assert service.adapt_now(store, athlete_id, SATURDAY) == []
    service.record_checkin(store, athlete_id, checkin(SATURDAY, 3, "during"), SATURDAY)
    assert downloads.fit_workouts(store, athlete_id, SATURDAY) == []
    calendar = Calendar.from_ical(downloads.plan_ics(store, athlete_id, SATURDAY))
    upcoming = [e for e in calendar.walk("VEVENT") if e.decoded("dtstart").date() >= SATURDAY]
    assert upcoming and {str(e["status"]) for e in upcoming} == {"CANCELLED"}


def test_clearing_screening_after_a_doctor_restarts_the_plan(store: Store) -> None:
    athlete_id = store.default_athlete_id()
    make_plan(store)
    service.record_screening(store, athlete_id, parq(chest_pain=True), BONE, today=SATURDAY)
    _row, _result, changes = service.record_screening(store, athlete_id, parq(), BONE,
                                                      today=SATURDAY + timedelta(days=2))
    assert changes and any(kind in {k.value for k in RUN_KINDS}
                           for kind in planned_from(store, SATURDAY + timedelta(days=2)))


def test_a_new_plan_after_a_pain_stop_has_no_running_or_impact(store: Store) -> None:
    athlete_id = store.default_athlete_id()
    service.record_checkin(store, athlete_id, checkin(MONDAY, 4, "at_night"), MONDAY)
    for goal in ("start", "bone"):
        make_plan(store, goal)
        kinds = set(planned_from(store, MONDAY))
        assert kinds and not kinds & {k.value for k in IMPACT_KINDS}, goal
        with store.transaction() as tx:
            notes = tx.active_plan(athlete_id).params["plan"]["notes"]
        # The plan says it took the check-in into account; the advice (said once, by the
        # core) says to see a doctor.
        assert service.CHECKIN_NOTE in notes
        advice = service.day_answer(store, athlete_id, MONDAY, pd.DataFrame(),
                                    advice_only=True)
        assert any("see a doctor" in w.text.lower() for w in advice.warnings)


@pytest.mark.parametrize(("timing", "score", "limit_s"), [("next_morning", 4, 480),
                                                          ("during", 7, 300)])
def test_a_new_plan_after_hold_or_reduce_caps_runs_without_run_history(
        store: Store, timing: str, score: int, limit_s: int) -> None:
    athlete_id = store.default_athlete_id()
    service.record_checkin(store, athlete_id, checkin(MONDAY, score, timing), MONDAY)
    make_plan(store)
    with store.transaction() as tx:
        plan = persist.load_plan(tx, athlete_id)[1]  # type: ignore[index]
    first_week = [s for s in plan.sessions if s.kind in RUN_KINDS
                  and s.day < MONDAY + timedelta(days=7)]
    assert first_week and max(s.running_s for s in first_week) <= limit_s
    assert all("Kept shorter for a week" in s.reason for s in first_week)


def test_a_checkin_replans_once_and_returns_the_pain_decision(store: Store) -> None:
    athlete_id = store.default_athlete_id()
    make_plan(store)
    _row, decision, changes = service.record_checkin(
        store, athlete_id, checkin(SATURDAY, 5, "at_rest"), SATURDAY)
    assert decision is not None and decision.action.value == "stop"
    assert changes and changes[0].count("see a doctor") == 1
    assert not set(planned_from(store, SATURDAY)) & {k.value for k in IMPACT_KINDS}
    # Looking again changes nothing: the plan already answers this decision.
    assert service.today(store, athlete_id, SATURDAY).changes == ()


def test_advice_for_another_day_never_rewrites_the_plan(store: Store) -> None:
    athlete_id = store.default_athlete_id()
    plan_id = make_plan(store)
    service.record_checkin(store, athlete_id, checkin(MONDAY, 5, "at_rest"), MONDAY)
    with store.transaction() as tx:
        before = len(tx.list_plan_changes(athlete_id, plan_id))
    answer = service.today(store, athlete_id, MONDAY + timedelta(days=10), advice_only=True)
    assert answer.changes == () and answer.advice.see_doctor
    with store.transaction() as tx:
        assert len(tx.list_plan_changes(athlete_id, plan_id)) == before


def test_calendar_cancels_superseded_sessions_and_the_old_plans_events(store: Store) -> None:
    athlete_id = store.default_athlete_id()
    first_id = make_plan(store)
    service.record_checkin(store, athlete_id, checkin(MONDAY, 5, "at_rest"), MONDAY)
    events = Calendar.from_ical(downloads.plan_ics(store, athlete_id, MONDAY)).walk("VEVENT")
    # A superseded run's event is either replaced (same UID) or cancelled, never left standing.
    assert not [e for e in events if str(e["summary"]).startswith("Run/walk")
                and str(e["status"]) == "CONFIRMED"]
    second_id = make_plan(store, "bone")
    events = Calendar.from_ical(downloads.plan_ics(store, athlete_id, MONDAY)).walk("VEVENT")
    old = [e for e in events if str(e["uid"]).startswith(f"stridewise-{first_id}-")]
    new = [e for e in events if str(e["uid"]).startswith(f"stridewise-{second_id}-")]
    assert old and {str(e["status"]) for e in old} == {"CANCELLED"}
    assert new and {str(e["status"]) for e in new} == {"CONFIRMED"}
