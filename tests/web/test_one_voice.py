"""One voice: CLI `today`, the Today, Trends and Plan pages, `/api/today` and the report show
exactly the same warnings for the same athlete on the same day, and no chart gives advice of its
own. (Issue 9's first situations; the core will grow the list.)"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stridewise import clock
from stridewise.activity import ManualSession
from stridewise.cli import app as cli_app
from stridewise.core.app import Core
from stridewise.report.html import build_report
from stridewise.science.bone_health import BoneInputs
from stridewise.science.fracture_risk import Sex
from stridewise.science.parq import ParqAnswers
from stridewise.science.screening import screen
from stridewise.store import CheckInInput, Store, open_store
from stridewise.web import create_app

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # a Wednesday afternoon in London


def _parq(**yes: bool) -> ParqAnswers:
    answers = dict(
        heart_condition_or_high_blood_pressure=False, chest_pain=False,
        dizziness_or_fainting=False, other_chronic_condition=False,
        medication_for_chronic_condition=False, bone_joint_or_soft_tissue_problem=False,
        told_supervised_activity_only=False, age_years=68, used_to_vigorous_effort=False,
    )
    answers.update(yes)
    return ParqAnswers(**answers)  # type: ignore[arg-type]


BONE = BoneInputs(sex=Sex.FEMALE, age_years=68, body_mass_kg=62.0, femoral_neck_t_score=-1.8)


def _new_walker(store: Store, athlete_id: int, parq: ParqAnswers) -> None:
    """A 68-year-old with osteopenia: one walk yesterday and one strength session today."""
    result = screen(parq, BONE)
    with store.write_transaction() as tx:
        tx.update_athlete(athlete_id, sex="female", birth_year=1958, time_zone="Europe/London")
        tx.add_screening(athlete_id, {"parq": parq.to_dict(), "bone": BONE.to_dict()},
                         result.to_dict(), taken_at_utc=NOW - timedelta(days=2))
        tx.add_manual_session(athlete_id, ManualSession(
            NOW - timedelta(days=1, hours=6), "walk", 1800.0, rpe=3))
        tx.add_manual_session(athlete_id, ManualSession(
            NOW - timedelta(hours=5), "strength", 1500.0, rpe=5))


def _pain_stop(store: Store, athlete_id: int) -> None:
    with store.write_transaction() as tx:
        tx.add_checkin(athlete_id, CheckInInput(
            NOW - timedelta(hours=2), pain_site="left hip", pain_score=8,
            pain_timing="at_night", pain_localised_bone=True))


def _runner(store: Store, athlete_id: int) -> None:
    """A 40-year-old cleared to run, with a month of 5 km runs every third day."""
    parq = _parq(age_years=40, used_to_vigorous_effort=True)
    bone = BoneInputs(sex=Sex.MALE, age_years=40, body_mass_kg=75.0)
    with store.write_transaction() as tx:
        tx.update_athlete(athlete_id, sex="male", birth_year=1986, time_zone="Europe/London")
        tx.add_screening(athlete_id, {"parq": parq.to_dict(), "bone": bone.to_dict()},
                         screen(parq, bone).to_dict(), taken_at_utc=NOW - timedelta(days=60))
        for days_ago in range(40, 3, -3):
            tx.add_manual_session(athlete_id, ManualSession(
                NOW - timedelta(days=days_ago, hours=6), "run", 1800.0, distance_m=5000.0, rpe=4))


def _spike(store: Store, athlete_id: int) -> None:
    """...then a 6.5 km run yesterday: 30 % longer than the month's longest."""
    _runner(store, athlete_id)
    with store.write_transaction() as tx:
        tx.add_manual_session(athlete_id, ManualSession(
            NOW - timedelta(days=1, hours=6), "run", 2400.0, distance_m=6500.0, rpe=5))


def _missed_week(store: Store, athlete_id: int) -> None:
    """A plan made ten days ago, and nothing done for the last week."""
    _runner(store, athlete_id)
    with clock.use_clock(clock.FixedClock(NOW - timedelta(days=10))):
        core = Core(store)
        core.make_plan(core.context(athlete_id), "start", range(7), 45)


def _low_wellbeing(store: Store, athlete_id: int) -> None:
    """...and WHO-5 answers yesterday adding up to 24 of 100 (28 or below, Topp 2015)."""
    _new_walker(store, athlete_id, _parq())
    with store.write_transaction() as tx:
        tx.add_checkin(athlete_id, CheckInInput(NOW - timedelta(days=1), who5=(1, 1, 2, 1, 1)))


SITUATIONS: dict[str, Callable[[Store, int], None]] = {
    "new walker": lambda store, a: _new_walker(store, a, _parq()),
    "pain stop": lambda store, a: (_new_walker(store, a, _parq()), _pain_stop(store, a)),
    "needs a doctor": lambda store, a: _new_walker(store, a, _parq(chest_pain=True)),
    "single-run spike": _spike,
    "missed week": _missed_week,
    "low wellbeing": _low_wellbeing,
}


WATCH = "//section[contains(@class, 'watch')]//div[contains(@class, 'notice')]"
REPORT_WATCH = "//section[@id='warnings']//div[contains(@class, 'notice')]"
ANY_NOTICE = "//div[contains(@class, 'notice')]"


def _items(html: str, selector: str) -> list[tuple[str, str]]:
    """(id, sentence) of every advice item the selector finds."""
    tree = lxml.html.fromstring(html)
    return [(div.get("data-advice", ""), " ".join(div.text_content().split()))
            for div in tree.xpath(selector)]


@pytest.fixture()
def fixed_clock() -> Iterator[None]:
    with clock.use_clock(clock.FixedClock(NOW)):
        yield


@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_every_face_says_the_same(tmp_path: Path, fixed_clock: None, situation: str) -> None:
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    with open_store(url) as store:
        athlete_id = store.default_athlete_id()
        SITUATIONS[situation](store, athlete_id)
        if situation != "missed week":
            # Make a plan where one is allowed, as the person would.
            CliRunner().invoke(cli_app, ["plan", "new", "--goal", "bone", "--days",
                                         "mon,tue,wed,thu,fri", "--db", url])
        core = Core(store)
        expected = [(w.id, " ".join(w.text.split()))
                    for w in core.advice(core.context(athlete_id)).warnings]
        report = build_report(store, athlete_id)

    as_json = CliRunner().invoke(cli_app, ["today", "--json", "--db", url])
    assert as_json.exit_code == 0, as_json.output
    from_cli = [(a["id"], " ".join(a["text"].split()))
                for a in json.loads(as_json.output)["advice"]]
    plain = CliRunner().invoke(cli_app, ["today", "--db", url])
    from_cli_text = [" ".join(line.removeprefix("Warning: ").split())
                     for line in plain.output.replace("\n  ", " ").splitlines()
                     if line.startswith("Warning: ")]
    with TestClient(create_app(url)) as client:
        pages = {name: client.get(path).text
                 for name, path in (("today", "/today"), ("trends", "/trends"),
                                    ("plan", "/plan"))}
        api = client.get("/api/today").json()
    from_api = [(a["id"], " ".join(a["text"].split())) for a in api["advice"]]

    assert from_api == expected
    assert from_cli == expected
    assert [t[:60] for t in from_cli_text] == [t[:60] for _, t in expected]
    assert _items(report, REPORT_WATCH) == expected
    for name, html in pages.items():
        assert _items(html, WATCH) == expected, name
        # No face shows any other advice: every notice on the page is one of the core's.
        others = [item for item in _items(html, ANY_NOTICE) if item not in expected]
        assert others == [], (name, others)
    for html in (*pages.values(), report):
        assert "ease off" not in html  # charts describe; only the advice advises
    ids = [i for i, _ in expected]
    texts = " ".join(t for _, t in expected)
    if situation == "new walker":
        # Two sessions are no history for a workload ratio: never an alarm.
        assert "workload-ratio" not in ids
        assert "Not enough history yet" in pages["trends"]
    if situation == "pain stop":
        assert "pain" in ids and "doctor" in texts
    if situation == "needs a doctor":
        assert "screening" in ids and "doctor" in api["why"] + texts
    if situation == "single-run-spike" or situation == "single-run spike":
        assert ids[:1] == ["single-run-spike"] and "30% longer" in texts
    if situation == "missed week":
        assert "single-run-spike" not in ids and "pain" not in ids
    if situation == "low wellbeing":
        assert ids.count("wellbeing") == 1 and "see your doctor soon" in texts
