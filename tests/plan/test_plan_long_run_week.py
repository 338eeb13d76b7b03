"""One long run after weeks of short ones (22 km after 5 km runs, goal maintain) must re-plan,
not crash: what was already done can take a week over its cap, the plan adds nothing on top,
and the next runs are built from the month's longest run, not from the spike (Frandsen 2025).
Through every face: CLI `today`, `report` and `plan new`; /today, /trends, /plan, /api/today.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stridewise import clock
from stridewise.activity import ManualSession
from stridewise.cli import app as cli_app
from stridewise.core.app import Core
from stridewise.plan import persist
from stridewise.plan.engine import build_plan
from stridewise.plan.guards import GuardSettings, check_plan, spike_clipped
from stridewise.plan.inputs import PlanInputs, ScreeningFacts
from stridewise.plan.model import (
    RUN_KINDS,
    Availability,
    Goal,
    PastSession,
    Profile,
    SessionKind,
    week_start,
)
from stridewise.science.bone_health import BoneInputs
from stridewise.science.fracture_risk import Sex
from stridewise.science.parq import ParqAnswers
from stridewise.science.screening import screen
from stridewise.store import Store, open_store
from stridewise.web import create_app

MONDAY = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
WEDNESDAY = MONDAY + timedelta(days=2, hours=3)
FIVE_K_S = 1800.0


def _runner(store: Store, athlete_id: int) -> None:
    """Six weeks of 5 km runs three times a week, a maintain plan from Monday, then a 22 km
    run on Tuesday (2 h 10 min: over four times the month's longest)."""
    parq = ParqAnswers(heart_condition_or_high_blood_pressure=False, chest_pain=False,
                       dizziness_or_fainting=False, other_chronic_condition=False,
                       medication_for_chronic_condition=False,
                       bone_joint_or_soft_tissue_problem=False,
                       told_supervised_activity_only=False, age_years=40,
                       used_to_vigorous_effort=True)
    bone = BoneInputs(sex=Sex.MALE, age_years=40, body_mass_kg=75.0)
    with store.write_transaction() as tx:
        tx.update_athlete(athlete_id, sex="male", birth_year=1986, time_zone="Europe/London")
        tx.add_screening(athlete_id, {"parq": parq.to_dict(), "bone": bone.to_dict()},
                         screen(parq, bone).to_dict(), taken_at_utc=MONDAY - timedelta(weeks=7))
        for week in range(1, 7):
            for day in (0, 2, 4):
                tx.add_manual_session(athlete_id, ManualSession(
                    MONDAY - timedelta(weeks=week) + timedelta(days=day), "run", FIVE_K_S,
                    distance_m=5000.0, rpe=5))
    with clock.use_clock(clock.FixedClock(MONDAY)):
        core = Core(store)
        core.make_plan(core.context(athlete_id), "maintain", [0, 2, 4, 5], 150)
    with store.write_transaction() as tx:
        tx.add_manual_session(athlete_id, ManualSession(
            MONDAY + timedelta(days=1), "run", 2 * 3600 + 600.0, distance_m=22000.0, rpe=6))


@pytest.fixture()
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("STRIDEWISE_ALLOWED_HOSTS", "testserver")
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    with open_store(url) as store:
        _runner(store, store.default_athlete_id())
    with clock.use_clock(clock.FixedClock(WEDNESDAY)):
        yield url


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 0, result.output
    assert "PlanGuardError" not in result.output
    return result.output


def test_every_face_answers_after_one_long_run(url: str, tmp_path: Path) -> None:
    today = _cli("today", "--db", url)
    assert "longer than your longest run in the month before" in today
    with open_store(url) as store, store.transaction() as tx:
        loaded = persist.load_plan(tx, store.default_athlete_id())
    assert loaded is not None
    plan = loaded[1]
    rest_of_week = [s for s in plan.sessions if s.active and s.status == "planned"
                    and WEDNESDAY.date() <= s.day < WEDNESDAY.date() + timedelta(days=5)]
    assert not [s for s in rest_of_week if s.kind in RUN_KINDS]  # the week's runs give way
    later_runs = [s for s in plan.sessions if s.active and s.kind in RUN_KINDS
                  and s.day >= WEDNESDAY.date()]
    assert later_runs, "the plan goes on"
    # Built from the month's longest (30 min), not from the 22 km: at most 10% over it.
    assert max(s.running_s for s in later_runs) <= 1.1 * FIVE_K_S + 1
    _cli("report", "--out", str(tmp_path / "r.html"), "--db", url)
    _cli("plan", "new", "--goal", "maintain", "--days", "mon,wed,fri,sat", "--minutes", "150",
         "--db", url)
    with TestClient(create_app(url)) as client:
        for path in ("/today", "/trends", "/plan", "/api/today"):
            assert client.get(path).status_code == 200, path


# The engine and the guard checker, without a store -------------------------------------------

def _history(day: date) -> list[PastSession]:
    runs = [PastSession(week_start(day) - timedelta(weeks=w) + timedelta(days=d),
                        SessionKind.EASY_RUN, FIVE_K_S, 5000.0, 5.0)
            for w in range(1, 7) for d in (0, 2, 4)]
    return [*runs, PastSession(week_start(day) + timedelta(days=1), SessionKind.EASY_RUN,
                               7800.0, 22000.0, 6.0)]


def test_a_week_already_over_its_cap_gets_nothing_more_and_is_no_violation() -> None:
    day = MONDAY.date() + timedelta(days=2)
    inputs = PlanInputs(ScreeningFacts(), Profile(40, "male"), _history(day),
                        Availability(frozenset({0, 2, 4, 5}), 150), day, Goal.MAINTAIN)
    plan = build_plan(inputs)  # raised PlanGuardError (week load over the cap) before
    this_week = [s for s in plan.sessions if s.active and s.day < week_start(day)
                 + timedelta(days=7)]
    assert this_week == []
    assert check_plan(plan, inputs.history, GuardSettings(), may_run=True,
                      impact_permitted=True, minutes_per_day=150) == []


def test_a_spike_counts_as_ten_percent_over_the_months_longest() -> None:
    day = MONDAY.date() + timedelta(days=2)
    clipped = spike_clipped(_history(day), GuardSettings())
    assert clipped[-1].running_s == pytest.approx(1.1 * FIVE_K_S)
    assert clipped[-1].load_au == _history(day)[-1].load_au  # what was done stays done
    # A first run with nothing before it has no reference and stands as it is.
    alone = [PastSession(day, SessionKind.EASY_RUN, 7800.0)]
    assert spike_clipped(alone, GuardSettings())[0].running_s == 7800.0


def test_a_replan_that_breaks_a_guard_never_takes_a_page_down(
        url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from stridewise.plan import adapt
    from stridewise.plan.engine import PlanGuardError
    from stridewise.plan.service import NOT_REMADE

    def broken(_inputs: object) -> None:
        raise PlanGuardError("a bug")

    monkeypatch.setattr(adapt, "build_plan", broken)
    today = _cli("today", "--db", url)
    assert " ".join(NOT_REMADE.split()[:6]) in " ".join(today.split())
    with TestClient(create_app(url)) as client:
        for path in ("/today", "/plan", "/api/today"):
            assert client.get(path).status_code == 200, path
