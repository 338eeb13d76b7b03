"""Issue 10's safety cases through every face (CLI, the web pages and forms, the JSON API),
parametrised so the faces cannot drift: each face enters the answers its own way, and each
must give the same safe answer. Also: the falls result's wording (no "running is good" beside
"Running allowed now: no") and fracture years in the future or before birth refused."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app as cli_app
from stridewise.core.app import Core
from stridewise.plan import persist
from stridewise.plan.model import IMPACT_KINDS, SessionKind
from stridewise.store import open_store
from stridewise.web import create_app

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday morning in London
FACES = ("cli", "web", "api")
PARQ_NO = {"heart_condition_or_high_blood_pressure": False, "chest_pain": False,
           "dizziness_or_fainting": False, "other_chronic_condition": False,
           "medication_for_chronic_condition": False,
           "bone_joint_or_soft_tissue_problem": False, "told_supervised_activity_only": False,
           "used_to_vigorous_effort": False, "temporary_illness": False, "pregnant": False,
           "health_changed": False}
WEB_BONE_NO = {"fracture_last_12_months": "no", "osteoporosis_diagnosed": "no",
               "spine_fracture_bigger_accident": "no", "glucocorticoids_over_3_months": "no",
               "past_bone_stress_injury": "no", "falls_last_12_months": "0",
               "ethnicity": "other"}


def same_origin(client: TestClient) -> TestClient:
    """As tests/web/conftest.py's: the token cookie repeated in the header, as forms do."""
    client.get("/static/stridewise.css")
    token = [c.value for c in client.cookies.jar if c.name.startswith("stridewise_csrf_")]
    client.headers["X-CSRF-Token"] = str(token[0])
    return client


class Face:
    """One face of stridewise on one database, driven as a person would drive it."""

    def __init__(self, name: str, url: str, tmp_path: Path) -> None:
        self.name, self.url, self.tmp_path = name, url, tmp_path
        self._client: TestClient | None = None

    @property
    def client(self) -> TestClient:
        if self._client is None:
            self._client = same_origin(TestClient(create_app(self.url)).__enter__())
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.__exit__(None, None, None)

    def cli(self, *args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli_app, [*args, "--db", self.url])
        # Error panels draw boxes round wrapped lines: read the words only.
        return result.exit_code, " ".join(re.sub("[│╭╮╰╯─]", " ", result.output).split())

    def screen(self, age: int, sex: str, *, falls: int = 0,
               fracture_year: int | None = None) -> tuple[bool, str]:
        """Screen the evening before, every readiness answer no; (stored, what it says)."""
        with clock.use_clock(clock.FixedClock(NOW - timedelta(hours=12))):
            return self._screen(age, sex, falls=falls, fracture_year=fracture_year)

    def _screen(self, age: int, sex: str, *, falls: int,
                fracture_year: int | None) -> tuple[bool, str]:
        with open_store(self.url) as store, store.write_transaction() as tx:
            tx.update_athlete(store.default_athlete_id(), sex=sex, birth_year=2026 - age,
                              time_zone="Europe/London")
        fractures = ([{"site": "wrist", "low_trauma": True, "count": 1, "year": fracture_year}]
                     if fracture_year is not None else [])
        bone = {"sex": sex, "age_years": age, "body_mass_kg": 64.0,
                "falls_last_12_months": falls, "fractures": fractures}
        if self.name == "cli":
            answers = self.tmp_path / "answers.json"
            answers.write_text(json.dumps({"parq": {**PARQ_NO, "age_years": age},
                                           "bone": bone}), encoding="utf-8")
            code, text = self.cli("screen", "--answers", str(answers))
            return code == 0, text
        if self.name == "api":
            response = self.client.post("/api/screenings", json={
                "parq": {**PARQ_NO, "age_years": age}, "bone": bone})
            if response.status_code != 201:
                return False, json.dumps(response.json())
            return True, " ".join(response.json()["reasons"])
        page = self.client.post("/onboarding/readiness", data={
            k: "yes" if v else "no" for k, v in PARQ_NO.items()}).text
        match = re.search(r'name="parq" value="([^"]+)"', page)
        assert match is not None
        form = {"parq": html.unescape(match.group(1)), **WEB_BONE_NO,
                "falls_last_12_months": str(falls), "body_mass_kg": "64"}
        if fracture_year is not None:
            form |= {"fracture_wrist_count": "1", "fracture_wrist_years": str(fracture_year)}
        result = self.client.post("/onboarding/bone", data=form)
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", result.text)).split())
        return "/onboarding/result/" in str(result.url), text

    def checkin(self, **fields: Any) -> str:
        """A check-in now; what the person reads back."""
        if self.name == "cli":
            args = ["log", "checkin"]
            for key, value in fields.items():
                flag = "--" + key.replace("_", "-")
                args += [flag] if value is True else [flag, str(value)]
            code, text = self.cli(*args)
            assert code == 0, text
            return text
        if self.name == "api":
            body = {"at_utc": NOW.isoformat(), **{
                {"bone_tender": "pain_localised_bone"}.get(k, k): v for k, v in fields.items()}}
            response = self.client.post("/api/checkins", json=body)
            assert response.status_code == 201, response.text
            out = response.json()
            return " ".join([out["pain_reason"] or "", *out["plan_changes"]])
        form = {{"bone_tender": "pain_localised_bone"}.get(k, k):
                "yes" if v is True else str(v) for k, v in fields.items()}
        result = self.client.post("/log/checkin", data=form)
        assert result.status_code == 200, result.text
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", result.text)).split())

    def today(self) -> str:
        if self.name == "cli":
            code, text = self.cli("today")
            assert code == 0, text
            return text
        if self.name == "api":
            out = self.client.get("/api/today").json()
            return " ".join([out["headline"], out["why"], *(a["text"] for a in out["advice"])])
        page = self.client.get("/today")
        assert page.status_code == 200
        main = page.text.split("<main", 1)[-1]
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.fixture(params=FACES)
def face(request: pytest.FixtureRequest, tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Face]:
    monkeypatch.setenv("STRIDEWISE_ALLOWED_HOSTS", "testserver")
    with clock.use_clock(clock.FixedClock(NOW)):
        opened = Face(request.param, f"sqlite:///{tmp_path / 'sw.db'}", tmp_path)
        yield opened
        opened.close()


def _plan(face: Face, goal: str) -> list[Any]:
    with open_store(face.url) as store:
        core = Core(store)
        core.make_plan(core.context(), goal, range(5), 45)
        with store.transaction() as tx:
            loaded = persist.load_plan(tx, store.default_athlete_id())
    assert loaded is not None
    return [s for s in loaded[1].sessions if s.active]


def _screenings(face: Face) -> int:
    with open_store(face.url) as store, store.transaction() as tx:
        return len(tx.list_screenings(store.default_athlete_id()))


# The falls result's words fit it (follow-up 4) -----------------------------------------------

def test_high_falls_risk_never_says_running_is_good_beside_no_running(face: Face) -> None:
    stored, text = face.screen(80, "female", falls=2)
    assert stored, text
    assert "running is a good way" not in text
    assert "Nothing in your answers about your bones suggests they need special care" in text
    if face.name == "cli":
        assert "Running allowed now: no" in text


# Fracture years that cannot be (follow-up 5) -------------------------------------------------

@pytest.mark.parametrize(("year", "problem"), [(2031, "cannot be in the future"),
                                               (1930, "cannot be before you were born")])
def test_an_impossible_fracture_year_is_refused_by_name(face: Face, year: int,
                                                        problem: str) -> None:
    stored, text = face.screen(80, "female", fracture_year=year)
    assert not stored
    assert problem in text and str(year) in text
    assert "Traceback" not in text
    assert _screenings(face) == 0  # nothing impossible stored


# Issue 10's cases through every face (follow-up 8) ---------------------------------------

def test_case1_two_falls_put_every_face_in_the_balance_phase(face: Face) -> None:
    stored, _text = face.screen(80, "female", falls=2)
    assert stored
    sessions = _plan(face, "start")
    assert not [s for s in sessions if s.kind in IMPACT_KINDS]
    today = face.today()
    assert today.count("balance-and-strength phase because of your answers about falls") == 1
    assert "Your plan is a bone-health plan instead of the 'start' plan" in today


def test_case3_bone_pain_at_night_is_answered_without_running_on_every_face(face: Face) -> None:
    face.screen(68, "female")
    _plan(face, "bone")
    said = face.checkin(pain_site="left hip", pain_score=6, pain_timing="at_night",
                        bone_tender=True)
    assert "running" not in said and said.count("sits on one spot of the bone") == 1
    assert "walking for exercise" in said
    today = face.today()
    assert "running" not in today and today.count("sits on one spot of the bone") == 1


def test_case4_a_fall_without_pain_asks_for_a_rescreen_on_every_face(face: Face) -> None:
    face.screen(68, "female")
    _plan(face, "bone")
    said = face.checkin(fell=True, notes="tripped on kerb")
    assert "did not rate" not in said and "stop running" not in said
    today = face.today()
    assert "did not rate" not in today
    assert today.count("Please answer the screening questions again") == 1
    with open_store(face.url) as store, store.transaction() as tx:
        loaded = persist.load_plan(tx, store.default_athlete_id())
    assert loaded is not None
    assert not [s for s in loaded[1].sessions if s.active and s.status == "planned"
                and s.day >= NOW.date() and s.kind == SessionKind.IMPACT]


@pytest.mark.parametrize("name", ["cli", "api"])
def test_case8_answers_files_name_the_field_on_both_json_faces(tmp_path: Path, name: str,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    monkeypatch.setenv("STRIDEWISE_ALLOWED_HOSTS", "testserver")
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    bodies = [({}, "parq"), ({"parq": {**PARQ_NO, "chest_pain": "no", "age_years": 60},
                              "bone": {"sex": "female", "age_years": 60}}, "chest_pain")]
    for body, field in bodies:
        if name == "cli":
            path = tmp_path / "answers.json"
            path.write_text(json.dumps(body), encoding="utf-8")
            result = CliRunner().invoke(cli_app, ["screen", "--answers", str(path), "--db", url])
            assert result.exit_code != 0 and field in result.output
        else:
            with TestClient(create_app(url)) as client:
                response = same_origin(client).post("/api/screenings", json=body)
            assert response.status_code == 422 and field in response.text
