"""The web bone step asks the same falls, walking and fracture-date questions as the CLI
(issue 10): a high falls risk is named on the result page, a dated wrist break this year is
recent without the tick."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from stridewise.science.falls import FALLS_QUESTIONS

READINESS_NO = dict.fromkeys((
    "heart_condition_or_high_blood_pressure", "chest_pain", "dizziness_or_fainting",
    "other_chronic_condition", "medication_for_chronic_condition",
    "bone_joint_or_soft_tissue_problem", "told_supervised_activity_only",
    "used_to_vigorous_effort", "temporary_illness", "pregnant", "health_changed",
), "no")
BONE_NO = {"fracture_last_12_months": "no", "osteoporosis_diagnosed": "no",
           "spine_fracture_bigger_accident": "no", "glucocorticoids_over_3_months": "no",
           "past_bone_stress_injury": "no", "falls_last_12_months": "0", "ethnicity": "other"}


def bone_step(client: TestClient, age_years: int) -> tuple[str, str]:
    """Profile and readiness (all no) for a woman of this age; the bone page and its parq."""
    birth_year = datetime.now(UTC).year - age_years
    client.post("/onboarding/profile", data={"sex": "female", "birth_year": str(birth_year),
                                             "body_mass_kg": "64", "time_zone": "UTC"})
    page = client.post("/onboarding/readiness", data=READINESS_NO).text
    match = re.search(r'name="parq" value="([^"]+)"', page)
    assert match is not None
    return page, html.unescape(match.group(1))


def test_the_bone_step_asks_the_falls_and_walking_questions(client: TestClient) -> None:
    page, _parq = bone_step(client, 80)
    for question in FALLS_QUESTIONS:
        assert question.text in page
    assert 'name="walking_days_per_week"' in page and 'name="fracture_wrist_years"' in page


def test_unsteadiness_names_a_high_falls_risk_on_the_result(client: TestClient) -> None:
    _page, parq = bone_step(client, 80)
    result = client.post("/onboarding/bone", data={"parq": parq, **BONE_NO, "unsteady": "yes"})
    assert result.status_code == 200
    assert "Falls risk: high" in result.text
    assert "Balance and strength first" in result.text


def test_a_wrist_break_dated_this_year_is_recent(client: TestClient) -> None:
    _page, parq = bone_step(client, 45)
    this_year = str(datetime.now(UTC).year)
    result = client.post("/onboarding/bone", data={
        "parq": parq, **BONE_NO, "fracture_wrist_count": "1", "fracture_wrist_years": this_year})
    assert "You broke a bone in the last 12 months" in result.text
