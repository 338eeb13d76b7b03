"""`today` gives one answer from the plan and the latest data."""

from __future__ import annotations

from stridewise.plan.adapt import PainSignal
from stridewise.plan.engine import build_plan
from stridewise.plan.examples import inputs_for
from stridewise.plan.inputs import ScreeningFacts
from stridewise.plan.model import RUN_KINDS, Goal, SessionKind
from stridewise.plan.today import today_advice

PLAN = build_plan(inputs_for("45-year-old man returning to running", Goal.START))
RUN_DAY = next(s.day for s in PLAN.sessions if s.kind in RUN_KINDS)
REST_DAY = next(s.day for s in PLAN.sessions if s.kind == SessionKind.REST)


def test_a_run_day_says_what_and_why() -> None:
    advice = today_advice(PLAN, RUN_DAY)
    assert advice.headline.startswith("Run/walk")
    assert "brisk walk" in advice.why and advice.warnings == ()


def test_a_rest_day_is_a_rest_day() -> None:
    assert today_advice(PLAN, REST_DAY).headline == "Rest day"


def test_pain_stop_replaces_the_run_and_says_see_a_doctor() -> None:
    pain = PainSignal("stop", "Your shin hurt at night: stop running and see a doctor.", True)
    advice = today_advice(PLAN, RUN_DAY, pain=pain)
    assert advice.headline == "No exercise that loads the painful spot today"
    assert not any(s.kind in RUN_KINDS for s in advice.sessions)
    assert "see a doctor" in advice.warnings[0]


def test_hold_keeps_the_run_but_warns() -> None:
    pain = PainSignal("hold", "Your knee pain was 3/10 the next morning.")
    advice = today_advice(PLAN, RUN_DAY, pain=pain)
    assert "last week's" in advice.headline and advice.warnings


def test_new_screening_without_running_stops_the_run() -> None:
    walking = ScreeningFacts("up_to_brisk_walking", may_run=False)
    assert today_advice(PLAN, RUN_DAY, screening=walking).headline == "No running today"
