"""One voice: CLI `today`, the Today, Trends and Plan pages, `/api/today` and the report show
exactly the same warnings for the same athlete on the same day, and no chart gives advice of its
own. (Issue 9's first situations; the core will grow the list.)"""

from __future__ import annotations

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


SITUATIONS: dict[str, Callable[[Store, int], None]] = {
    "new walker": lambda store, a: _new_walker(store, a, _parq()),
    "pain stop": lambda store, a: (_new_walker(store, a, _parq()), _pain_stop(store, a)),
    "needs a doctor": lambda store, a: _new_walker(store, a, _parq(chest_pain=True)),
}


WATCH = "//section[contains(@class, 'watch')]//div[contains(@class, 'notice')]/p"


def _notices(html: str, selector: str) -> list[str]:
    tree = lxml.html.fromstring(html)
    return [" ".join(p.text_content().split()) for p in tree.xpath(selector)]


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
        # Make a plan where one is allowed, as the person would.
        CliRunner().invoke(cli_app, ["plan", "new", "--goal", "bone", "--days",
                                     "mon,tue,wed,thu,fri", "--db", url])
        report = build_report(store, athlete_id)

    cli = CliRunner().invoke(cli_app, ["today", "--db", url])
    assert cli.exit_code == 0, cli.output
    from_cli = [" ".join(line.removeprefix("Warning: ").split())
                for line in cli.output.replace("\n  ", " ").splitlines()
                if line.startswith("Warning: ")]
    with TestClient(create_app(url)) as client:
        pages = {name: client.get(path).text
                 for name, path in (("today", "/today"), ("trends", "/trends"),
                                    ("plan", "/plan"))}
        api = client.get("/api/today").json()
    from_api = [" ".join(w.split()) for w in api["warnings"]]
    from_pages = {name: _notices(html, WATCH)
                  for name, html in pages.items()}
    from_report = _notices(report, "//section[@id='warnings']//div[contains(@class, 'notice')]/p")

    assert from_pages["today"] == from_api
    assert from_pages["trends"] == from_api
    assert from_pages["plan"] == from_api
    assert from_report == from_api
    assert [w[:60] for w in from_cli] == [w[:60] for w in from_api]
    for html in (*pages.values(), report):
        assert "ease off" not in html  # charts describe; only the advice advises
    if situation == "new walker":
        # Two sessions are no history for a workload ratio: never an alarm.
        assert not any("workload ratio" in w for w in from_api)
        assert "Not enough history yet" in pages["trends"]
    if situation == "pain stop":
        assert any("doctor" in w for w in from_api), from_api
    if situation == "needs a doctor":
        assert from_api  # the screening's reasons
