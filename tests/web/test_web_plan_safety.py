"""Safety answers through the pages and the API: a screening that needs a doctor first, a pain
stop reported through the API, and the exports that follow."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from icalendar import Calendar

PARQ_NO = {"heart_condition_or_high_blood_pressure": False, "chest_pain": False,
           "dizziness_or_fainting": False, "other_chronic_condition": False,
           "medication_for_chronic_condition": False,
           "bone_joint_or_soft_tissue_problem": False, "told_supervised_activity_only": False,
           "age_years": 62, "used_to_vigorous_effort": False}
BONE = {"sex": "female", "age_years": 62, "body_mass_kg": 64.0}
RUN_SUMMARIES = ("Run/walk", "Easy run", "Long run")


def screened_with_plan(client: TestClient) -> None:
    assert client.post("/api/screenings",
                       json={"parq": PARQ_NO, "bone": BONE}).status_code == 201
    made = client.post("/plan", data={"goal": "start", "weekday": [str(d) for d in range(7)],
                                      "minutes_per_day": "45"}, follow_redirects=False)
    assert made.status_code == 303


def confirmed_runs(client: TestClient) -> list[str]:
    events = Calendar.from_ical(client.get("/plan/calendar.ics").content).walk("VEVENT")
    return [str(e["summary"]) for e in events if str(e["status"]) == "CONFIRMED"
            and str(e["summary"]).startswith(RUN_SUMMARIES)]


def test_chest_pain_screening_answers_see_a_doctor_everywhere(client: TestClient) -> None:
    screened_with_plan(client)
    assert confirmed_runs(client)
    created = client.post("/api/screenings",
                          json={"parq": {**PARQ_NO, "chest_pain": True}, "bone": BONE})
    assert created.status_code == 201
    assert any("see a doctor before going on" in c for c in created.json()["plan_changes"])

    today = client.get("/api/today")
    assert today.status_code == 200
    body = today.json()
    assert "doctor" in body["headline"] and body["sessions"] == []
    assert any("chest pain" in w for w in body["warnings"])
    page = html.unescape(client.get("/today").text)
    assert "Please see a doctor before you go on" in page and "chest pain" in page

    assert client.post("/plan/adapt", follow_redirects=False).status_code == 303
    assert client.post("/api/plan/adapt").status_code == 200
    logged = client.post("/log/checkin", headers={"HX-Request": "true"},
                         data={"pain_score": "2", "pain_site": "Left knee",
                               "pain_timing": "during", "fell": "no"})
    assert logged.status_code == 200 and "Check-in saved" in logged.text
    assert confirmed_runs(client) == []
    plan = html.unescape(client.get("/plan").text)
    assert "see a doctor before going on" in plan and "Download this run" not in plan


def test_a_stop_reported_through_the_api_replans_and_says_why(client: TestClient) -> None:
    screened_with_plan(client)
    at = datetime.now(UTC).isoformat()  # after the screening, which the pain rules follow
    created = client.post("/api/checkins", json={
        "at_utc": at, "pain_site": "left shin", "pain_score": 5, "pain_timing": "at_rest",
        "pain_localised_bone": False, "fell": False})
    assert created.status_code == 201
    body = created.json()
    assert body["pain_action"] == "stop" and "see a doctor" in body["pain_reason"]
    assert body["plan_changes"] and body["plan_changes"][0].count("see a doctor") == 1
    assert confirmed_runs(client) == []
    today = client.get("/api/today").json()
    assert not any(s["kind"] in ("run_walk", "easy_run", "long_run", "impact")
                   for s in today["sessions"])


def test_without_a_plan_a_screening_that_needs_a_doctor_is_the_answer(
        client: TestClient) -> None:
    client.post("/api/screenings", json={"parq": {**PARQ_NO, "dizziness_or_fainting": True},
                                         "bone": BONE})
    page = html.unescape(client.get("/today").text)
    assert "Please see a doctor before you go on" in page and "Make my plan" not in page
    assert "dizziness" in page
