"""Input checks of the JSON API and the Log forms: typed screening answers (a "no" string is not
a yes), no temporary paths in import results, one rule against future sessions, and plain
form errors that name the field."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from stridewise.web.log import TIME_PATTERN

PARQ_NO: dict[str, Any] = {
    "heart_condition_or_high_blood_pressure": False, "chest_pain": False,
    "dizziness_or_fainting": False, "other_chronic_condition": False,
    "medication_for_chronic_condition": False, "bone_joint_or_soft_tissue_problem": False,
    "told_supervised_activity_only": False, "age_years": 62, "used_to_vigorous_effort": False}
BONE: dict[str, Any] = {"sex": "female", "age_years": 62, "body_mass_kg": 64.0}


def post_screening(client: TestClient, parq: dict[str, Any], bone: dict[str, Any]) -> Any:
    return client.post("/api/screenings", json={"parq": parq, "bone": bone})


def error_fields(response: Any) -> list[tuple[str, ...]]:
    assert response.status_code == 422, response.text
    return [tuple(str(part) for part in item["loc"]) for item in response.json()["detail"]]


def test_a_no_string_for_a_yes_no_answer_is_refused_not_read_as_yes(client: TestClient) -> None:
    response = post_screening(client, {**PARQ_NO, "chest_pain": "no"}, BONE)
    assert error_fields(response) == [("body", "parq", "chest_pain")]
    assert client.get("/api/screenings").json() == []


def test_a_number_sent_as_text_or_out_of_range_names_the_field(client: TestClient) -> None:
    response = post_screening(client, PARQ_NO, {**BONE, "body_mass_kg": "heavy"})
    assert error_fields(response) == [("body", "bone", "body_mass_kg")]
    assert "not supported" not in response.text
    response = post_screening(client, {**PARQ_NO, "age_years": 130}, BONE)
    assert error_fields(response) == [("body", "parq", "age_years")]


def test_missing_answers_are_listed_by_name(client: TestClient) -> None:
    response = post_screening(client, {"chest_pain": False}, {"age_years": 62})
    missing = set(error_fields(response))
    assert ("body", "parq", "age_years") in missing
    assert ("body", "parq", "dizziness_or_fainting") in missing
    assert ("body", "bone", "sex") in missing
    assert "__init__" not in response.text and "positional" not in response.text


def test_enums_and_unknown_fields_are_checked(client: TestClient) -> None:
    assert error_fields(post_screening(client, PARQ_NO, {**BONE, "sex": "f"})) == [
        ("body", "bone", "sex")]
    bad_site = {**BONE, "fractures": [{"site": "elbow", "low_trauma": True}]}
    assert error_fields(post_screening(client, PARQ_NO, bad_site))[0][:4] == (
        "body", "bone", "fractures", "0")
    assert error_fields(post_screening(client, {**PARQ_NO, "chest_pian": True}, BONE)) == [
        ("body", "parq", "chest_pian")]
    unknown_follow_up = {**PARQ_NO, "follow_up_yes": ["not_a_question"]}
    assert error_fields(post_screening(client, unknown_follow_up, BONE))[0][:3] == (
        "body", "parq", "follow_up_yes")


def test_fractures_and_triad_answers_reach_the_screen(client: TestClient) -> None:
    bone = {**BONE, "fractures": [
        {"site": "wrist", "low_trauma": True, "since_age_50": True, "count": 2}]}
    created = post_screening(client, PARQ_NO, bone)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["permitted_impact"] == "up_to_brisk_walking"
    assert set(body) >= {"id", "taken_at_utc", "may_run", "can_start", "result", "plan_changes"}
    triad = {"energy_availability": "adequate", "bmi_kg_m2": 21.0, "age_at_menarche_years": 13,
             "menses_last_12_months": 12, "bmd_z_score": None, "bone_stress_injuries": 0}
    assert post_screening(client, PARQ_NO, {**BONE, "triad": triad}).status_code == 201
    man = {**BONE, "sex": "male", "triad": triad}
    assert error_fields(post_screening(client, PARQ_NO, man))[0][:2] == ("body", "bone")


def test_chest_pain_yes_still_needs_a_doctor(client: TestClient) -> None:
    created = post_screening(client, {**PARQ_NO, "chest_pain": True}, BONE)
    assert created.status_code == 201
    assert created.json()["can_start"] is False


def test_import_results_show_the_file_name_not_a_temporary_path(client: TestClient) -> None:
    response = client.post("/api/import",
                           files=[("files", ("bad.fit", b"not a fit file", "text/plain"))])
    assert response.status_code == 200
    assert [row["source_name"] for row in response.json()] == ["bad.fit"]
    assert response.json()[0]["status"] == "failed"


def test_api_refuses_future_sessions_and_check_ins_as_the_form_does(client: TestClient) -> None:
    future = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    session = client.post("/api/sessions", json={"kind": "walk", "start_time_utc": future,
                                                  "duration_s": 1800})
    assert session.status_code == 422
    assert "cannot be in the future" in session.text
    checkin = client.post("/api/checkins", json={"at_utc": future, "energy": 3})
    assert checkin.status_code == 422
    assert "cannot be in the future" in checkin.text
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert client.post("/api/sessions", json={"kind": "walk", "start_time_utc": past,
                                              "duration_s": 1800}).status_code == 201


def log_session(client: TestClient, **fields: str) -> str:
    data = {"kind": "walk", "date": "2020-01-01", "duration_min": "30", **fields}
    return client.post("/log/session", data=data).text


def test_form_errors_are_plain_and_name_the_field(client: TestClient) -> None:
    bad_date = log_session(client, date="21/11/2026")
    assert "Invalid isoformat" not in bad_date and "Not saved." in bad_date
    assert "Date" in bad_date
    for bad_time in ("25:00", "24:30", "9.30"):
        text = log_session(client, time=bad_time)
        assert "hour must be" not in text and "Invalid isoformat" not in text, bad_time
        assert "Start time" in text and "Not saved." in text, bad_time
    assert "Saved: walk, 30 min." in log_session(client, time="23:59")
    assert "Saved: walk, 30 min." in log_session(client, time="7:05")


def test_time_pattern_in_the_form_allows_only_real_times(client: TestClient) -> None:
    html = client.get("/log").text
    pattern = re.search(r'id="session_time"[^>]*pattern="([^"]+)"', html)
    assert pattern is not None and pattern.group(1) == TIME_PATTERN
    # Browsers anchor the pattern attribute to the whole value.
    allowed = [t for t in ("00:00", "9:30", "19:59", "23:59", "24:00", "25:00", "29:59", "12:60")
               if re.fullmatch(TIME_PATTERN, t)]
    assert allowed == ["00:00", "9:30", "19:59", "23:59"]


def test_pain_without_a_timing_is_saved_without_one(client: TestClient) -> None:
    today = datetime.now(UTC).date().isoformat()
    text = client.post("/log/checkin", data={"date": today, "pain_score": "3",
                                             "pain_site": "Left shin"}).text
    assert "'None'" not in text
    assert "Check-in saved" in text
    stored = client.get("/api/checkins").json()[-1]
    assert stored["pain_score"] == 3 and stored["pain_timing"] is None
