"""A new user's whole journey through the dashboard with TestClient (no browser): onboarding,
a plan, import, a pain check-in that changes the plan with its reason, Trends, the API and the
self-contained report."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

DEMO_DIR = Path(__file__).resolve().parents[2] / "src" / "stridewise" / "demo_data"
READINESS_IDS = (
    "heart_condition_or_high_blood_pressure", "chest_pain", "dizziness_or_fainting",
    "other_chronic_condition", "medication_for_chronic_condition",
    "bone_joint_or_soft_tissue_problem", "told_supervised_activity_only",
    "used_to_vigorous_effort", "temporary_illness", "pregnant", "health_changed",
)
NO_FRACTURES = {f"fracture_{site}_count": "0"
                for site in ("vertebral", "hip", "wrist", "upper_arm", "other")}
BONE_NO = {"fracture_last_12_months": "no", "osteoporosis_diagnosed": "no",
           "spine_fracture_bigger_accident": "no",
           "glucocorticoids_over_3_months": "no", "past_bone_stress_injury": "no",
           "falls_last_12_months": "0", "ethnicity": "other"}


def onboard(client: TestClient, **bone_answers: str) -> str:
    """Profile, readiness (all no), bone questions; returns the result page's HTML."""
    client.post("/onboarding/profile", data={"sex": "female", "birth_year": "1958",
                                             "body_mass_kg": "64", "units": "km",
                                             "time_zone": "UTC"})
    readiness = client.post("/onboarding/readiness", data=dict.fromkeys(READINESS_IDS, "no"))
    parq = html.unescape(re.search(r'name="parq" value="([^"]+)"', readiness.text).group(1))
    result = client.post("/onboarding/bone",
                         data={"parq": parq, **NO_FRACTURES, **BONE_NO, **bone_answers})
    assert result.status_code == 200
    return result.text


def test_unanswered_readiness_questions_are_named(client: TestClient) -> None:
    client.post("/onboarding/profile", data={"sex": "female", "birth_year": "1995"})
    page = client.post("/onboarding/readiness", data={"chest_pain": "no"}).text
    assert "Please answer the 10 questions marked below" in page
    assert 'id="q-pregnant-missing"' in page


@pytest.mark.parametrize("sex", ["male", "female"])
def test_pregnancy_is_not_asked_of_a_man_nor_of_a_woman_of_68(client: TestClient,
                                                               sex: str) -> None:
    client.post("/onboarding/profile", data={"sex": sex, "birth_year": "1958"})
    assert "Are you pregnant?" not in client.get("/onboarding/readiness").text
    page = client.post("/onboarding/readiness", data={"chest_pain": "no"}).text
    assert "Please answer the 9 questions marked below" in page
    assert "pregnant" not in page


def test_a_yes_leads_to_the_follow_up_questions(client: TestClient) -> None:
    client.post("/onboarding/profile", data={"sex": "male", "birth_year": "1950"})
    answers = {**dict.fromkeys(READINESS_IDS, "no"),
               "heart_condition_or_high_blood_pressure": "yes"}
    page = client.post("/onboarding/readiness", data=answers).text
    assert "follow-up questions" in page
    assert 'name="follow_up" value="heart_a"' in page


def test_vertebral_fracture_result_says_no_running_and_offers_a_doctor_summary(
    client: TestClient,
) -> None:
    page = onboard(client, fracture_vertebral_count="1", fracture_vertebral_since_50="1")
    assert "Impact up to brisk walking" in page and "no running" in page
    assert "not a medical device" in page
    summary_link = re.search(r'href="([^"]*doctor-summary/\d+)"', page).group(1)
    summary = client.get(summary_link)
    assert summary.status_code == 200 and "@media print" in summary.text


def test_journey_plan_import_pain_changes_plan_trends_report(client: TestClient) -> None:
    result = onboard(client)
    assert "Ready to start, slowly" in result
    plan = client.post("/plan", data={"goal": "start", "weekday": ["0", "2", "4", "5"],
                                      "minutes_per_day": "45"})
    assert plan.url.path == "/plan"
    assert "<em>Why:</em>" in plan.text

    files = [("files", (p.name, p.read_bytes())) for p in sorted(DEMO_DIR.glob("run_*"))]
    imported = client.post("/import", files=files[:2], headers={"HX-Request": "true"})
    assert "2 of 2 files imported" in imported.text

    checkin = client.post("/log/checkin", headers={"HX-Request": "true"}, data={
        "pain_score": "6", "pain_site": "Left shin", "pain_timing": "during",
        "pain_localised_bone": "no", "fell": "no"})
    assert "Your plan has changed" in checkin.text
    assert "Your left shin pain reached 6/10" in html.unescape(checkin.text)
    changes = client.get("/plan").text
    assert "Plan re-made from" in re.search(r'<ul id="plan-changes">(.*?)</ul>', changes,
                                            re.S).group(1)

    today = client.get("/api/today").json()
    assert any("6/10" in warning for warning in today["warnings"])

    trends = client.get("/trends").text
    for title in ("Weekly active minutes", "Fitness, fatigue and form", "workload ratio",
                  "Bone stimulus per week", "Pain over time"):
        assert title in trends
    assert trends.count("<figcaption>") >= 7

    activity_id = client.get("/api/activities").json()[0]["id"]
    detail = client.get(f"/activities/{activity_id}").text
    assert "Bone stimulus" in detail and "plot-pace" in detail

    from stridewise.report.html import build_report

    report = build_report(client.app.state.store)  # type: ignore[attr-defined]
    assert "<script src=" not in report and "<link" not in report
    assert "Plotly.newPlot" in report and "left shin" in html.unescape(report)


@pytest.mark.parametrize("status", ["done", "missed"])
def test_marking_a_session_returns_the_updated_item(client: TestClient, status: str) -> None:
    onboard(client)
    client.post("/plan", data={"goal": "start", "weekday": ["0", "1", "2", "3", "4"]})
    session_id = re.search(r'/plan/sessions/(\d+)"', client.get("/plan").text).group(1)
    item = client.post(f"/plan/sessions/{session_id}", data={"status": status},
                       headers={"HX-Request": "true"})
    assert item.status_code == 200
    assert f'class="session {status}"' in item.text
    marked = client.post(f"/api/plan/sessions/{session_id}", json={"status": "planned"})
    assert marked.status_code == 422


def test_plan_downloads_calendar_and_watch_workouts(client: TestClient) -> None:
    onboard(client)
    client.post("/plan", data={"goal": "start", "weekday": ["0", "2", "4"]})
    ics = client.get("/plan/calendar.ics")
    assert ics.text.startswith("BEGIN:VCALENDAR")
    fit_link = re.search(r'href="([^"]*/workout\.fit)"', client.get("/plan").text).group(1)
    fit = client.get(fit_link)
    assert fit.content[8:12] == b".FIT"
    assert "/" not in fit.headers["content-disposition"].split("filename=")[1]


def test_log_refuses_a_future_session_and_says_why(client: TestClient) -> None:
    page = client.post("/log/session", data={"kind": "walk", "date": "2999-01-01",
                                             "duration_min": "30"})
    assert "cannot be in the future" in page.text


def test_api_screening_round_trip(client: TestClient) -> None:
    parq = {**dict.fromkeys(READINESS_IDS, False), "age_years": 70}
    bone = {"sex": "female", "age_years": 70, "osteoporosis_diagnosed": True}
    created = client.post("/api/screenings", json={"parq": parq, "bone": bone})
    assert created.status_code == 201
    assert created.json()["permitted_impact"] == "moderate_impact"
    assert client.post("/api/screenings", json={"parq": {}, "bone": {}}).status_code == 422


def test_triad_answers_reach_the_screening(client: TestClient) -> None:
    page = onboard(client, triad_energy="eating_disorder", triad_height_cm="165",
                   triad_menses="2", triad_stress_injuries="2", triad_trabecular="yes")
    assert "Female Athlete Triad" in page
    screening = client.get("/api/screenings").json()[-1]
    assert screening["result"]["bone"]["triad"]["total"] >= 6
    assert screening["permitted_impact"] == "up_to_brisk_walking"


def test_cached_series_follows_new_data(client: TestClient) -> None:
    def total_minutes() -> float:
        return sum(day["duration_min"] or 0.0 for day in client.get("/api/series").json())

    before = total_minutes()
    assert total_minutes() == before
    saved = client.post("/log/session", data={"kind": "walk", "duration_min": "40",
                                              "time": "00:00"})
    assert "Saved" in saved.text
    assert total_minutes() == before + 40
