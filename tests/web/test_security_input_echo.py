"""A refused value's 422 names the field, the problem and echoes the input (issue 11); the
profile form refuses what `stridewise profile set` refuses, against the stored profile too; and
the forms' min and max come from core.validation's one set of ranges."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stridewise import clock
from stridewise.core.validation import RANGES, birth_year_bounds

RECENT = (datetime.now(UTC) - timedelta(hours=2)).isoformat()


@pytest.mark.parametrize(("path", "body", "field", "words"), [
    ("/api/checkins", {"at_utc": "0001-01-01T00:00:00Z"}, "at_utc", "before 1950"),
    ("/api/checkins", {"at_utc": "9999-12-31T23:59:59-12:00"}, "at_utc", "future"),
    ("/api/checkins", {"at_utc": "2099-01-01T00:00:00+14:00"}, "at_utc", "future"),
    # Lax parsing read these as Unix times (1969-12-31T23:59:59Z was stored).
    ("/api/checkins", {"at_utc": "-1"}, "at_utc", "2026-03-02T07:30:00Z"),
    ("/api/sessions", {"kind": "run", "start_time_utc": "1700000000", "duration_s": 600},
     "start_time_utc", "2026-03-02T07:30:00Z"),
    ("/api/checkins", {"at_utc": RECENT, "pain_score": 3, "pain_site": "elbow joint"},
     "pain_site", "elbow joint"),
    ("/api/checkins", {"at_utc": RECENT, "pain_score": 11}, "pain_score", "less than"),
    ("/api/checkins", {"at_utc": RECENT, "sleep_hours": 25.5}, "sleep_hours", "less than"),
    ("/api/checkins", {"at_utc": RECENT, "who5": [1, 2, 3, 4, "5"]}, "who5", "integer"),
    ("/api/sessions", {"kind": "run", "start_time_utc": "1900-01-01T00:00:00Z",
                       "duration_s": 600}, "start_time_utc", "before 1950"),
    ("/api/sessions", {"kind": "run", "start_time_utc": RECENT, "duration_s": 1e300},
     "duration_s", "less than"),
    ("/api/sessions", {"kind": "run", "start_time_utc": RECENT, "duration_s": 600,
                       "distance_m": 250_000}, "distance_m", "m/s"),
])
def test_422_names_the_field_the_problem_and_the_input(client: TestClient, path: str,
                                                       body: dict[str, Any], field: str,
                                                       words: str) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, list) and len(detail) >= 1
    error = detail[0]
    assert error["loc"][:2] == ["body", field], error
    assert words in error["msg"] or words in str(error["input"]), error
    if field in body and not isinstance(body[field], list):
        assert error["input"] == body[field], error  # echoed as sent, never null
    assert client.get(path).json() == []  # nothing stored


def test_an_error_of_no_one_field_echoes_the_body(client: TestClient) -> None:
    from stridewise.web.deps import invalid_value

    error = invalid_value(ValueError("these do not fit together"), sent={"a": 1})
    assert error.errors() == [{"type": "value_error", "loc": ("body",),
                               "msg": "these do not fit together", "input": {"a": 1}}]


def _profile(client: TestClient, **fields: str) -> str:
    data = {"sex": "female", "birth_year": "1960", "units": "km", "time_zone": "UTC",
            **fields}
    return client.post("/onboarding/profile", data=data, follow_redirects=False).text


def test_the_profile_form_checks_heart_rates_against_the_stored_ones(client: TestClient
                                                                      ) -> None:
    assert _profile(client, max_hr_bpm="105") == ""  # saved: a redirect
    page = _profile(client, resting_hr_bpm="110")
    assert "must be below your maximum heart rate (105 bpm" in page
    profile = client.get("/api/profile").json()
    assert (profile["resting_hr_bpm"], profile["max_hr_bpm"]) == (None, 105)


#: Five years ago: a child too young for the questions (the form allowed up to 2020, the
#: server up to 2100).
TOO_YOUNG = str(datetime.now(UTC).year - 5)


@pytest.mark.parametrize("year", ["1899", TOO_YOUNG, "²⁰²⁰", "99999", "-1960"])
def test_the_profile_form_refuses_birth_years_the_cli_refuses(client: TestClient,
                                                             year: str) -> None:
    page = _profile(client, birth_year=year)
    assert "year of birth" in page.lower(), page[:300]
    assert client.get("/api/profile").json()["birth_year"] is None


def _min_max(page: str, name: str) -> tuple[float, float]:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag is not None, name
    low = re.search(r'min="([^"]+)"', tag.group(0))
    high = re.search(r'max="([^"]+)"', tag.group(0))
    assert low and high, tag.group(0)
    return float(low.group(1)), float(high.group(1))


def test_form_limits_come_from_the_one_table(client: TestClient) -> None:
    with clock.use_clock(clock.FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))):
        profile = client.get("/onboarding").text
        assert _min_max(profile, "birth_year") == birth_year_bounds(datetime(2026, 6, 1).date())
    assert birth_year_bounds(datetime(2026, 6, 1).date()) == (1900, 2016)
    for field in ("body_mass_kg", "resting_hr_bpm", "max_hr_bpm"):
        assert _min_max(profile, field) == (RANGES[field].low, RANGES[field].high)
    log = client.get("/log").text
    assert _min_max(log, "sleep_hours") == (RANGES["sleep_hours"].low,
                                            RANGES["sleep_hours"].high)
    assert _min_max(log, "duration_min")[1] == RANGES["duration_s"].high / 60
    assert _min_max(log, "distance")[1] == RANGES["distance_m"].high / 1000
    parq = {"heart_condition_or_high_blood_pressure": False, "chest_pain": False,
            "dizziness_or_fainting": False, "other_chronic_condition": False,
            "medication_for_chronic_condition": False,
            "bone_joint_or_soft_tissue_problem": False, "told_supervised_activity_only": False,
            "age_years": 62, "used_to_vigorous_effort": False}
    bone = {"sex": "female", "age_years": 62, "body_mass_kg": 64.0}
    assert client.post("/api/screenings", json={"parq": parq, "bone": bone}
                       ).status_code == 201  # the plan form shows once screened
    plan = client.get("/plan").text
    assert _min_max(plan, "minutes_per_day") == (RANGES["plan_minutes_per_day"].low,
                                                 RANGES["plan_minutes_per_day"].high)
