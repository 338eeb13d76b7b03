"""The Brain page, its form and /api/brain: the same numbers as Core.brain; a bad answer is
refused with its question named and nothing stored; the page is in the nav; the report has
the section; the CLI prints the same score."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stridewise.cli import app as cli_app


def test_answers_saved_from_the_form_show_on_page_and_api(client: TestClient) -> None:
    page = client.get("/brain")
    assert page.status_code == 200 and '/brain" aria-current="page">Brain</a>' in page.text
    assert "You have not answered the questions yet." in page.text
    saved = client.post("/brain", data={"hypertension": "yes", "smoking": "yes",
                                         "alcohol": "over_21", "cognitive_activity": "yes"})
    assert saved.status_code == 200 and "Your answers are saved" in saved.text
    # 1.6 + 1.5 - 3.2 = -0.1; drinking over 21 units: no -1.0.
    assert "Your LIBRA score: -0.1" in saved.text
    body = client.get("/api/brain").json()
    assert body["libra"]["score"] == -0.1
    assert (body["libra"]["min"], body["libra"]["max"]) == (-5.9, 12.7)
    assert "low_alcohol" in body["libra"]["room_for_improvement"]
    alcohol = next(f for f in body["factors"] if f["id"] == "alcohol")
    assert alcohol["status"] == "present"  # the Lancet's excessive drinking
    assert len(body["who5"]) == 6


def test_bad_answer_is_refused_and_nothing_stored(client: TestClient) -> None:
    refused = client.post("/brain", data={"smoking": "sometimes"})
    assert refused.status_code == 422 and "Not saved." in refused.text
    assert "smoking" in refused.text
    assert client.get("/api/brain").json()["answered_on"] is None


def test_cli_shows_the_same_score(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    answers = tmp_path / "a.json"
    answers.write_text('{"depression": "yes", "alcohol": "none", "healthy_diet": "yes"}')
    runner = CliRunner()
    saved = runner.invoke(cli_app, ["brain", "answer", "--db", db, "--answers", str(answers)])
    assert saved.exit_code == 0, saved.output
    shown = runner.invoke(cli_app, ["brain", "--db", db])
    assert shown.exit_code == 0 and "LIBRA score -0.6" in shown.output  # 2.1 - 1.0 - 1.7
    bad = tmp_path / "b.json"
    bad.write_text('{"alcohol": "lots"}')
    refused = runner.invoke(cli_app, ["brain", "answer", "--db", db, "--answers", str(bad)])
    assert refused.exit_code == 2 and "alcohol" in refused.output


def test_report_has_the_brain_section(tmp_path: Path) -> None:
    from stridewise.report.html import build_report
    from stridewise.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        html = build_report(store)
    finally:
        store.close()
    assert 'id="brain-title"' in html and "Room for improvement (LIBRA)" in html


def test_cli_asks_the_questions_one_by_one(tmp_path: Path) -> None:
    from stridewise.science.brain import BRAIN_QUESTIONS

    db = f"sqlite:///{tmp_path / 'ask.db'}"
    # Smoking yes, every other question left at its default ("unknown").
    replies = ["yes" if q.id == "smoking" else "" for q in BRAIN_QUESTIONS]
    asked = CliRunner().invoke(cli_app, ["brain", "answer", "--db", db],
                               input="\n".join(replies) + "\n")
    assert asked.exit_code == 0, asked.output
    shown = CliRunner().invoke(cli_app, ["brain", "show", "--json", "--db", db])
    body = json.loads(shown.output)
    assert body["libra"]["score"] == 1.5 and body["answers"]["diabetes"] == "unknown"


def test_evidence_page_has_the_brain_notes(client: TestClient) -> None:
    page = client.get("/evidence/brain")
    assert page.status_code == 200
    assert "10.1016/j.cell.2025.06.001" in page.text and "TBK1" in page.text
    assert "not verified" in page.text and "how each was checked" in page.text


def test_api_takes_the_answers_and_returns_the_profile(client: TestClient) -> None:
    saved = client.post("/api/brain", json={"hypertension": "yes", "smoking": "yes",
                                            "alcohol": "none"})
    assert saved.status_code == 201, saved.text
    body = saved.json()
    assert body["libra"]["score"] == 2.1  # 1.6 + 1.5 - 1.0
    assert body["answers"]["diabetes"] == "unknown"
    assert client.get("/api/brain").json() == body
    page = client.get("/brain")
    assert "Your LIBRA score: +2.1" in page.text  # the same numbers on the page


def test_api_refuses_bad_answers_naming_the_field_and_saves_nothing(
        client: TestClient) -> None:
    for body, field in (({"smoking": "sometimes"}, "smoking"),
                        ({"alcohol": "lots"}, "alcohol"),
                        ({"coffee": "yes"}, "coffee"),
                        ({"smoking": True}, "smoking")):
        refused = client.post("/api/brain", json=body)
        assert refused.status_code == 422, (body, refused.text)
        detail = refused.json()["detail"]
        assert any(field in err["loc"] for err in detail), detail
    assert client.post("/api/brain", content=b"[1]",
                       headers={"content-type": "application/json"}).status_code == 422
    assert client.get("/api/brain").json()["answered_on"] is None


def test_api_brain_is_documented(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    post = schema["paths"]["/api/brain"]["post"]
    assert "201" in post["responses"] and "422" in post["responses"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert body["additionalProperties"] is False
    assert "over_21" in str(body["properties"]["alcohol"])
    assert "BrainOut" in str(schema["paths"]["/api/brain"]["get"]["responses"]["200"])


def test_the_profile_reads_plainly_with_a_next_step(client: TestClient) -> None:
    """Read as a 68-year-old would: each thing to work on said as something to do, one next
    step with when to see a doctor, the 'not a test' said once, no author names on the
    first read, and no diagnosis words."""
    client.post("/onboarding/profile", data={"sex": "female", "birth_year": "1958"})
    client.post("/api/brain", json={"hypertension": "yes", "hearing_loss": "yes",
                                    "healthy_diet": "no"})
    page = client.get("/brain").text
    profile = page.split('id="profile-title"')[1].split('id="questions-title"')[0]
    assert "Things you could work on: your blood pressure; eating more like a " \
           "Mediterranean diet." in profile
    assert "talk to your doctor: stridewise cannot check memory" in profile
    assert "Worth trying: a hearing test" in profile
    assert page.count("not a test") == 1
    for word in ("Hirshkowitz", "Topp", "you have dementia", "your risk of dementia is"):
        assert word not in profile, word
