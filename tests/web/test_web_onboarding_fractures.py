"""The onboarding bone step asks about every adult broken bone from a minor fall, with a count
per site, and which were since 50 only from age 50."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient

READINESS_NO = dict.fromkeys((
    "heart_condition_or_high_blood_pressure", "chest_pain", "dizziness_or_fainting",
    "other_chronic_condition", "medication_for_chronic_condition",
    "bone_joint_or_soft_tissue_problem", "told_supervised_activity_only",
    "used_to_vigorous_effort", "temporary_illness", "pregnant", "health_changed",
), "no")
BONE_NO = {"fracture_last_12_months": "no", "osteoporosis_diagnosed": "no",
           "spine_fracture_bigger_accident": "no", "glucocorticoids_over_3_months": "no",
           "past_bone_stress_injury": "no", "falls_last_12_months": "0", "ethnicity": "other"}


def found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(1)


def bone_step(client: TestClient, age_years: int) -> tuple[str, str]:
    """Profile and readiness (all no) for a woman of this age; the bone page and its parq."""
    birth_year = datetime.now(UTC).year - age_years
    client.post("/onboarding/profile", data={"sex": "female", "birth_year": str(birth_year),
                                             "body_mass_kg": "64", "time_zone": "UTC"})
    page = client.post("/onboarding/readiness", data=READINESS_NO).text
    parq = html.unescape(found(r'name="parq" value="([^"]+)"', page))
    return page, parq


def test_a_45_year_old_is_asked_about_adult_fractures_with_counts(client: TestClient) -> None:
    page, _parq = bone_step(client, 45)
    assert "as an adult (from age 18) from a minor fall or less" in page
    assert "fall from standing height or less" in page
    for site in ("vertebral", "hip", "wrist", "upper_arm", "other"):
        assert f'<label for="fracture_{site}_count">' in page
        assert f'id="fracture_{site}_count" name="fracture_{site}_count"' in page
    assert "fractures-since-50" not in page  # nothing to ask below 50
    assert 'name="spine_fracture_bigger_accident"' in page


def test_two_wrist_fractures_at_45_mean_no_running(client: TestClient) -> None:
    _page, parq = bone_step(client, 45)
    result = client.post("/onboarding/bone",
                         data={"parq": parq, **BONE_NO, "fracture_wrist_count": "2"})
    assert result.status_code == 200
    assert "Impact up to brisk walking" in result.text and "no running" in result.text
    assert "2 broken bones from minor falls" in result.text
    summary_link = found(r'href="([^"]*doctor-summary/\d+)"', result.text)
    summary = client.get(summary_link).text
    assert "Wrist: 2 from a minor fall or less (0 since age 50)" in summary


def test_two_wrist_fractures_at_62_need_the_since_50_count(client: TestClient) -> None:
    page, parq = bone_step(client, 62)
    assert 'id="fractures-since-50"' in page
    answers = {"parq": parq, **BONE_NO, "fracture_wrist_count": "2"}
    missing = client.post("/onboarding/bone", data=answers)
    assert "Please say how many of your 2 broken bones (wrist) were since you turned 50" in (
        missing.text
    )
    assert 'name="fracture_wrist_count" min="0" max="20" inputmode="numeric" value="2"' in (
        missing.text
    )
    too_many = client.post("/onboarding/bone",
                           data={**answers, "fracture_wrist_since_50": "3"})
    assert "since age 50 but 2 in all" in too_many.text
    result = client.post("/onboarding/bone", data={**answers, "fracture_wrist_since_50": "1"})
    assert "Impact up to brisk walking" in result.text


def test_a_spine_fracture_from_a_bigger_accident_means_no_running(client: TestClient) -> None:
    _page, parq = bone_step(client, 35)
    result = client.post("/onboarding/bone", data={
        "parq": parq, **BONE_NO, "spine_fracture_bigger_accident": "yes"})
    assert "Impact up to brisk walking" in result.text
