"""The screening as a 68-year-old meets it on the web and through the API (issue 17): steroids
asked once, one set of question words for the CLI and the web, plain words for why breaks
since 50 matter, and the API screening filling the profile through the core when asked."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stridewise.science import questionnaires as qs
from stridewise.science.fracture_history import SINCE_50_HINT, SINCE_50_QUESTION
from stridewise.science.parq import PARQ_QUESTIONS

SRC = Path(__file__).resolve().parents[2] / "src" / "stridewise"
READINESS_NO = {q.id: "no" for q in (*PARQ_QUESTIONS, *qs.CONTEXT_QUESTIONS)}
NO_FRACTURES = {f"fracture_{site}_count": "0"
                for site in ("vertebral", "hip", "wrist", "upper_arm", "other")}
BONE_NO = {"fracture_last_12_months": "no", "osteoporosis_diagnosed": "no",
           "spine_fracture_bigger_accident": "no", "past_bone_stress_injury": "no",
           "falls_last_12_months": "0", "ethnicity": "other"}


def _to_bone_page(client: TestClient, ticked: list[str]) -> tuple[str, str]:
    """A woman of 68 with a bone or joint problem; the follow-up boxes ``ticked``."""
    client.post("/onboarding/profile", data={"sex": "female", "birth_year": "1958",
                                             "units": "km", "time_zone": "UTC"})
    follow_ups = client.post("/onboarding/readiness", data={
        **READINESS_NO, "bone_joint_or_soft_tissue_problem": "yes"})
    assert qs.STEROIDS_FOLLOW_UP in follow_ups.text  # the follow-up asks about steroids
    parq = html.unescape(re.search(r'name="parq" value="([^"]+)"', follow_ups.text).group(1))
    bone = client.post("/onboarding/follow-ups", data={"parq": parq, "follow_up": ticked})
    parq = html.unescape(re.search(r'name="parq" value="([^"]+)"', bone.text).group(1))
    return bone.text, parq


def _last_answers(client: TestClient) -> dict[str, Any]:
    store = client.app.state.store  # type: ignore[attr-defined]
    with store.transaction() as tx:
        row = tx.list_screenings(store.default_athlete_id())[-1]
    return dict(row.answers["bone"])


@pytest.mark.parametrize(("ticked", "steroids"), [(["bone_joint_c"], True),
                                                  (["bone_joint_a"], False)])
def test_steroids_answered_in_the_follow_ups_are_not_asked_again(
        client: TestClient, ticked: list[str], steroids: bool) -> None:
    page, parq = _to_bone_page(client, ticked)
    assert qs.STEROIDS_QUESTION not in page
    assert 'name="glucocorticoids_over_3_months"' not in page
    done = client.post("/onboarding/bone", data={"parq": parq, **NO_FRACTURES, **BONE_NO})
    assert done.status_code == 200 and "Your result" in done.text, done.text[:500]
    assert _last_answers(client)["glucocorticoids_over_3_months"] is steroids


def test_a_skipped_box_is_not_an_answer_so_the_bone_page_asks(client: TestClient) -> None:
    page, parq = _to_bone_page(client, [])
    assert page.count(qs.STEROIDS_QUESTION) == 1
    done = client.post("/onboarding/bone", data={
        "parq": parq, **NO_FRACTURES, **BONE_NO, "glucocorticoids_over_3_months": "yes"})
    assert done.status_code == 200
    assert _last_answers(client)["glucocorticoids_over_3_months"] is True


def test_the_web_asks_in_the_questionnaires_words_without_jargon(client: TestClient) -> None:
    client.post("/onboarding/profile", data={"sex": "female", "birth_year": "1958"})
    readiness = html.unescape(client.get("/onboarding/readiness").text)
    for q in qs.context_questions("female", 68):
        assert q.text in readiness
    bone = html.unescape(client.post("/onboarding/readiness", data=READINESS_NO).text)
    for text in (qs.T_SCORE_QUESTION, qs.T_SCORE_HINT, qs.ETHNICITY_QUESTION,
                 qs.ETHNICITY_HINT, qs.WALKING_DAYS_QUESTION, SINCE_50_QUESTION,
                 SINCE_50_HINT, qs.STEROIDS_QUESTION, qs.TRIAD_ENERGY_QUESTION):
        assert text in bone, text
    for jargon in ("Garvan", "OST", "cut-off", "nomogram"):
        assert jargon not in bone, jargon


def test_the_cli_and_the_templates_keep_no_question_words_of_their_own() -> None:
    """Every question the screening asks is data in science/ (questionnaires, parq, falls,
    fracture_history): cli/screen.py has no question string of its own, and the onboarding
    templates no literal question in a legend or label."""
    tree = ast.parse((SRC / "cli" / "screen.py").read_text(encoding="utf-8"))
    own = [node.value for node in ast.walk(tree)
           if isinstance(node, ast.Constant) and isinstance(node.value, str)
           and node.value.rstrip().endswith("?") and len(node.value.strip()) > 10]
    assert own == [], own
    for template in (SRC / "web" / "templates").glob("onboarding_*.html"):
        text = template.read_text(encoding="utf-8")
        literal = re.findall(r"<(?:legend|label)[^>]*>\s*([A-Z][^<{]*\?)", text)
        assert literal == [], (template.name, literal)


BONE_68 = {"sex": "female", "age_years": 68, "body_mass_kg": 55.0}
PARQ_68: dict[str, Any] = {**{q.id: False for q in PARQ_QUESTIONS}, "age_years": 68,
                           "used_to_vigorous_effort": False}


def test_the_api_fills_the_profile_through_the_core_when_asked(client: TestClient) -> None:
    plain = client.post("/api/screenings", json={"parq": PARQ_68, "bone": BONE_68})
    assert plain.status_code == 201, plain.text
    assert plain.json()["profile_filled"] is None
    could = plain.json()["profile_could_fill"]
    assert could["sex"] == "female" and could["body_mass_kg"] == 55.0
    assert client.get("/api/profile").json()["birth_year"] is None
    saved = client.post("/api/screenings?save_profile=true",
                        json={"parq": PARQ_68, "bone": BONE_68})
    assert saved.status_code == 201, saved.text
    filled = saved.json()["profile_filled"]
    assert filled["sex"] == "female" and filled["body_mass_kg"] == 55.0
    assert saved.json()["profile_could_fill"] is None
    profile = client.get("/api/profile").json()
    assert profile["sex"] == "female" and profile["body_mass_kg"] == 55.0
    assert profile["birth_year"] == filled["birth_year"] is not None
    again = client.post("/api/screenings?save_profile=true",
                        json={"parq": PARQ_68, "bone": BONE_68})
    assert again.json()["profile_filled"] is None  # nothing new to add
