"""Issue 13: Apple's walking steadiness, when low, prompts the screening's falls questions again
(and a word with a doctor) through the one warnings path: CLI today, Today page, report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app
from stridewise.plan import service
from stridewise.science.screening import BoneInputs, ParqAnswers, Sex
from stridewise.science.steadiness import steadiness_class, steadiness_text
from stridewise.store import open_store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)


@pytest.fixture()
def fixed() -> Iterator[None]:
    with clock.use_clock(clock.FixedClock(NOW)):
        yield


def test_apples_classes_and_the_words() -> None:
    assert list(steadiness_class([85.0, 40.0, 39.9, 20.0, 19.9, np.nan])) == [
        "ok", "ok", "low", "low", "very_low", ""]
    assert steadiness_text("ok", 80.0, "1 March") is None
    low = steadiness_text("low", 32.4, "1 March")
    assert low is not None and "low (32% on 1 March)" in low and "falls questions" in low
    assert "not a diagnosis" in low and "doctor" in low
    very = steadiness_text("very_low", 12.0, "1 March")
    assert very is not None and "talk to your doctor soon" in very


def _screen(url: str, at: datetime) -> None:
    parq = ParqAnswers(heart_condition_or_high_blood_pressure=False, chest_pain=False,
                       dizziness_or_fainting=False, other_chronic_condition=False,
                       medication_for_chronic_condition=False,
                       bone_joint_or_soft_tissue_problem=False,
                       told_supervised_activity_only=False, age_years=72,
                       used_to_vigorous_effort=False)
    with open_store(url) as store, clock.use_clock(clock.FixedClock(at)):
        service.record_screening(store, store.default_athlete_id(), parq,
                                 BoneInputs(sex=Sex.FEMALE, age_years=72))


def _today(url: str) -> str:
    result = CliRunner().invoke(app, ["today", "--db", url])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_low_steadiness_prompts_the_falls_questions_until_screened_again(
        tmp_path: Path, fixed: None) -> None:
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    _screen(url, NOW - timedelta(days=40))
    with open_store(url) as store:
        athlete = store.default_athlete_id()
        with store.write_transaction(athlete) as tx:
            tx.update_athlete(athlete, sex="female", birth_year=1954, time_zone="UTC")
            tx.upsert_days(athlete, "apple_health", {
                TODAY - timedelta(days=17): {"steps": 5000.0, "walking_steadiness_pct": 62.0},
                TODAY - timedelta(days=10): {"steps": 5000.0, "walking_steadiness_pct": 35.0},
                TODAY - timedelta(days=3): {"steps": 4000.0, "walking_steadiness_pct": 32.0},
            })
    shown = _today(url)
    assert "Your iPhone rated your walking steadiness low (32% on 27 November)" in shown
    # Answering the falls questions again after the low readings began ends the prompt.
    _screen(url, NOW - timedelta(hours=1))
    assert "walking steadiness" not in _today(url)


def test_ok_or_old_steadiness_says_nothing(tmp_path: Path, fixed: None) -> None:
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    _screen(url, NOW - timedelta(days=90))
    with open_store(url) as store:
        athlete = store.default_athlete_id()
        with store.write_transaction(athlete) as tx:
            tx.upsert_days(athlete, "apple_health", {
                TODAY - timedelta(days=45): {"steps": 5000.0, "walking_steadiness_pct": 15.0},
                TODAY - timedelta(days=2): {"steps": 5000.0, "walking_steadiness_pct": 75.0},
            })
    assert "walking steadiness" not in _today(url)
