"""The HTML forms (outside the OpenAPI schema, so schemathesis does not reach them) answer odd
values with a message or a redirect, never a server error (issue 11: no value breaks the
dashboard). Each field of each posting form gets each odd value in turn, then seeded random
mixes; nothing impossible is stored."""

from __future__ import annotations

import random
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

ODD = ("", "0", "-1", "nan", "inf", "-inf", "1e400", "99999999999999999999999", "0001-01-01",
       "9999-12-31", "99999-01-01", "2024-02-30", "25:99", "é", "1,5", " 7 ", "yes", "no",
       "x" * 5000, "\x00", "{}", "[]", '{"chest_pain": true}', "../../etc/passwd")
FORMS: dict[str, tuple[str, ...]] = {
    "/log/checkin": ("date", "time", "pain_score", "pain_site", "pain_timing",
                     "pain_localised_bone", "fell", "sleep_hours", "sleep_quality", "who5_0",
                     "energy", "notes"),
    "/log/session": ("kind", "date", "time", "duration_min", "distance", "rpe", "notes"),
    "/onboarding/profile": ("sex", "birth_year", "body_mass_kg", "resting_hr_bpm",
                            "max_hr_bpm", "units", "time_zone"),
    "/plan": ("goal", "weekday", "minutes_per_day"),
    "/onboarding/readiness": ("chest_pain", "age_years"),
    "/onboarding/follow-ups": ("parq", "follow_up"),
    "/onboarding/bone": ("parq", "falls_last_12_months", "ethnicity", "femoral_neck_t_score",
                         "triad_energy", "triad_height_cm", "triad_menses",
                         "triad_stress_injuries", "triad_z_score", "triad_menarche_age",
                         "fracture_wrist_count", "fracture_wrist_since_50"),
    "/plan/sessions/1": ("status",),
}
BASE: dict[str, dict[str, str]] = {
    "/log/session": {"kind": "walk", "duration_min": "30"},
    "/onboarding/profile": {"sex": "female", "birth_year": "1980"},
}


@pytest.mark.slow
def test_odd_form_values_never_cause_a_server_error(app: FastAPI, client: TestClient) -> None:
    client.post("/onboarding/profile", data={"sex": "female", "birth_year": "1980"})
    rng = random.Random(20261202)
    errors: list[tuple[str, dict[str, Any], int]] = []
    with TestClient(app, raise_server_exceptions=False) as quiet:
        quiet.headers.update(client.headers)
        quiet.cookies.update(client.cookies)
        for path, fields in FORMS.items():
            trials = [{name: value} for name in fields for value in ODD]
            trials += [{name: rng.choice(ODD) for name in fields} for _ in range(30)]
            for values in trials:
                data = {**BASE.get(path, {}), **values}
                response = quiet.post(path, data=data)
                if response.status_code >= 500:
                    errors.append((path, {k: v[:40] for k, v in data.items()},
                                   response.status_code))
    assert errors == []
    engine = app.state.store.engine
    with engine.connect() as connection:
        days = connection.execute(text(
            "SELECT MIN(date(at_utc)), MAX(date(at_utc)) FROM checkin")).one()
        starts = connection.execute(text(
            "SELECT MIN(date(start_time_utc)), MAX(date(start_time_utc)) FROM manual_session"
        )).one()
    for low, high in (days, starts):
        assert low is None or low >= "1950-01-01"
        assert high is None or high <= "2100-01-01"
    for path in ("/today", "/trends", "/plan", "/log", "/api/today", "/api/series"):
        assert client.get(path).status_code == 200, path


def test_odd_query_values_never_cause_a_server_error(client: TestClient) -> None:
    templates = ("/activities?page_number={}", "/trends?range={}", "/plan?error={}",
                 "/evidence/{}", "/api/activities?limit={}", "/api/activities?offset={}",
                 "/api/series?since={}", "/activities/{}", "/onboarding/result/{}",
                 "/onboarding/doctor-summary/{}", "/plan/sessions/{}/workout.fit")
    for template in templates:
        for value in ODD:
            path = template.format(value.replace("\x00", "%00"))
            assert client.get(path).status_code < 500, path
