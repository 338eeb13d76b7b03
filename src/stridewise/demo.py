"""A demo athlete: real shipped files plus twelve weeks of generated recent history.

The generated sessions are realistic 1 Hz run/walk recordings (speed, heart rate with a
first-order response, cadence, a looped route, gentle hills), written as FIT files by the
project's own encoder and then imported through the real importer, exactly as a user's files
would be. Nothing here is anybody's real data except the three shipped files (see
``demo_data/NOTICE.md``).
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from stridewise import clock
from stridewise.activity import ManualSession
from stridewise.fit.encode import encode_activity
from stridewise.science.bone_health import BoneInputs
from stridewise.science.fracture_risk import Sex
from stridewise.science.parq import ParqAnswers
from stridewise.science.screening import ScreeningResult, screen
from stridewise.store import CheckInInput, Store

DEMO_NAME = "Demo runner"
DEMO_TIME_ZONE = "Europe/London"
DEMO_BIRTH_YEAR = 1964
DEMO_SEX = "female"
DEMO_MASS_KG = 64.0
DEMO_RESTING_HR_BPM = 62.0
DEMO_MAX_HR_BPM = 164.0
HISTORY_WEEKS = 12
RUN_WEEKDAYS = (0, 2, 5)  # Monday, Wednesday, Saturday
STRENGTH_WEEKDAYS = (1, 4)  # Tuesday, Friday
HOME_LAT_DEG, HOME_LON_DEG = 51.4545, -2.5879


@dataclass(frozen=True)
class DemoSession:
    start_utc: datetime
    run_s: int  # length of each run interval; 0 = a brisk walk
    walk_s: int
    total_s: int


def demo_profile_answers() -> tuple[ParqAnswers, BoneInputs]:
    """A 62-year-old woman with osteopenia, no fractures, new to vigorous exercise."""
    age = clock.today(DEMO_TIME_ZONE).year - DEMO_BIRTH_YEAR
    parq = ParqAnswers(
        heart_condition_or_high_blood_pressure=False, chest_pain=False,
        dizziness_or_fainting=False, other_chronic_condition=False,
        medication_for_chronic_condition=False, bone_joint_or_soft_tissue_problem=False,
        told_supervised_activity_only=False, age_years=age, used_to_vigorous_effort=False,
    )
    bone = BoneInputs(sex=Sex.FEMALE, age_years=age, body_mass_kg=DEMO_MASS_KG,
                      femoral_neck_t_score=-1.6)
    return parq, bone


def plan_sessions(today: date) -> list[DemoSession]:
    """Three run/walk sessions a week for twelve weeks and this week up to yesterday,
    progressing gently: 1-minute runs in week 1 up to 13-minute runs now, with a lighter week
    every fourth week."""
    zone = ZoneInfo(DEMO_TIME_ZONE)
    first_monday = today - timedelta(days=today.weekday() + 7 * HISTORY_WEEKS)
    sessions = []
    for week in range(HISTORY_WEEKS + 1):  # the twelve past weeks and this week so far
        lighter = week % 4 == 3
        run_s = 60 * (1 + week) if not lighter else 60 * week // 2 + 60
        for weekday in RUN_WEEKDAYS:
            day = first_monday + timedelta(days=7 * week + weekday)
            if day >= today:
                continue
            start = datetime(day.year, day.month, day.day, 8, 30, tzinfo=zone)
            long_day = weekday == 5
            total_s = (40 if long_day else 30) * 60 + 300
            sessions.append(DemoSession(start.astimezone(UTC), run_s, 90, total_s))
    return sessions


def session_records(session: DemoSession, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """1 Hz records: a 5-minute walk warm-up, then run/walk intervals."""
    n = session.total_s
    t = np.arange(n, dtype=float)
    cycle = session.run_s + session.walk_s
    running = (t >= 300) & (((t - 300) % cycle) < session.run_s) if session.run_s else t < 0
    speed = np.where(running, 2.45, 1.55) + rng.normal(0, 0.06, n)
    speed = np.clip(np.convolve(speed, np.ones(5) / 5, mode="same"), 0.8, 4.0)
    target_hr = np.where(running, 146.0, 112.0) + 6.0 * (t / n)  # slow cardiac drift
    hr = np.empty(n)
    hr[0] = 85.0
    for i in range(1, n):  # first-order response, time constant ~30 s
        hr[i] = hr[i - 1] + (target_hr[i] - hr[i - 1]) / 30.0
    hr += rng.normal(0, 1.5, n)
    cadence = np.where(running, 162.0, 112.0) + rng.normal(0, 2.0, n)
    distance = np.cumsum(speed)
    loop_m = 1800.0
    angle = 2 * math.pi * distance / loop_m
    radius_m = loop_m / (2 * math.pi)
    lat = HOME_LAT_DEG + (radius_m * np.sin(angle)) / 111_195.0
    lon = HOME_LON_DEG + (radius_m * (1 - np.cos(angle))) / (
        111_195.0 * math.cos(math.radians(HOME_LAT_DEG))
    )
    altitude = 40.0 + 8.0 * np.sin(angle) + rng.normal(0, 0.2, n)
    return {
        "time_s": session.start_utc.timestamp() + t,
        "lat_deg": lat,
        "lon_deg": lon,
        "distance_m": distance,
        "speed_mps": speed,
        "altitude_m": altitude,
        "heart_rate_bpm": np.round(hr),
        "cadence_spm": np.round(cadence),
    }


def write_history(folder: Path, today: date, seed: int = 7) -> list[Path]:
    """Write the generated sessions as FIT files (every fifth one gzipped, as exports are)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    zone = ZoneInfo(DEMO_TIME_ZONE)
    for i, session in enumerate(plan_sessions(today)):
        offset = session.start_utc.astimezone(zone).utcoffset()
        offset_s = int(offset.total_seconds()) if offset else 0
        sport = "run" if session.run_s else "walk"
        data = encode_activity(session_records(session, rng), sport=sport, utc_offset_s=offset_s,
                               serial_number=1000 + i)
        name = f"{session.start_utc:%Y-%m-%d}-{sport}.fit"
        path = folder / (name + ".gz" if i % 5 == 4 else name)
        path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
        paths.append(path)
    return paths


def copy_shipped_files(folder: Path) -> list[Path]:
    """The three real, MIT-licensed activity files shipped with the package."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    shipped = resources.files("stridewise") / "demo_data"
    for name in ("run_fenix2_47min.fit", "run_runpandas_sample.tcx", "run_runpandas_session.gpx"):
        target = folder / name
        target.write_bytes((shipped / name).read_bytes())
        paths.append(target)
    return paths


def add_profile_and_screening(store: Store, athlete_id: int) -> ScreeningResult:
    parq, bone = demo_profile_answers()
    result = screen(parq, bone)
    with store.write_transaction() as tx:
        tx.update_athlete(
            athlete_id, sex=DEMO_SEX, birth_year=DEMO_BIRTH_YEAR,
            resting_hr_bpm=DEMO_RESTING_HR_BPM, max_hr_bpm=DEMO_MAX_HR_BPM, units="km",
            time_zone=DEMO_TIME_ZONE,
        )
        tx.add_body_mass(athlete_id, clock.today(DEMO_TIME_ZONE), DEMO_MASS_KG)
        tx.add_screening(athlete_id, {"parq": parq.to_dict(), "bone": bone.to_dict()},
                         result.to_dict())
    return result


def add_manual_entries(store: Store, athlete_id: int, today: date) -> None:
    """Strength twice a week, and a Sunday check-in with sleep and WHO-5; one mild shin ache
    five weeks ago that settled, as the pain rules expect most aches to."""
    zone = ZoneInfo(DEMO_TIME_ZONE)
    first_monday = today - timedelta(days=today.weekday() + 7 * HISTORY_WEEKS)
    with store.write_transaction() as tx:
        for week in range(HISTORY_WEEKS + 1):
            for weekday in STRENGTH_WEEKDAYS if week >= 2 else ():
                day = first_monday + timedelta(days=7 * week + weekday)
                if day < today:
                    start = datetime(day.year, day.month, day.day, 18, tzinfo=zone)
                    tx.add_manual_session(athlete_id, ManualSession(
                        start.astimezone(UTC), "strength", 1800.0, rpe=5,
                        notes="sit-to-stand, step-ups, heel raises, bridges"))
            sunday = first_monday + timedelta(days=7 * week + 6)
            if sunday >= today:
                continue
            at = datetime(sunday.year, sunday.month, sunday.day, 9, tzinfo=zone).astimezone(UTC)
            ache = week == HISTORY_WEEKS - 5
            tx.add_checkin(athlete_id, CheckInInput(
                at, sleep_hours=6.5 + 0.1 * week, sleep_quality=3 + (week > 5),
                who5=(3, 3, 3 + (week > 4), 3, 3 + (week > 8)), energy=3 + (week > 6),
                pain_site="left shin" if ache else None, pain_score=2 if ache else None,
                pain_timing="after" if ache else None))
