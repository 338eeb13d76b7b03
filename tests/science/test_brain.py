"""Brain health (science/brain.py) against the published values: LIBRA weights and range
(Deckers 2015; Schiepers 2018; Vrijsen 2021 Table 1), the worked examples of
docs/science/brain.md (computed by hand), WHO-5 scoring and cut-offs (Topp 2015), sleep
ranges (Hirshkowitz 2015) and inactivity from the person's data."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from stridewise.science import brain

#: Transcribed from Vrijsen et al., BMJ Open 2021;11:e049918, Table 1 (PMC8689157; the
#: table lists each weight with its definition), with cognitive activity, not in that table,
#: from Deckers 2015 / Schiepers 2018 [S].
PAPER_WEIGHTS = {
    "healthy_diet": -1.7, "low_alcohol": -1.0, "heart_disease": 1.0,
    "physical_inactivity": 1.1, "kidney_disease": 1.1, "diabetes": 1.3,
    "high_cholesterol": 1.4, "smoking": 1.5, "obesity": 1.6, "hypertension": 1.6,
    "depression": 2.1, "cognitive_activity": -3.2,
}


def test_weights_match_the_paper_table() -> None:
    assert {f.id: f.weight for f in brain.LIBRA_FACTORS} == PAPER_WEIGHTS
    assert len(brain.LIBRA_FACTORS) == 12


def test_minimum_and_maximum_match_the_published_range() -> None:
    best = {f.id: f.weight < 0 for f in brain.LIBRA_FACTORS}
    worst = {f.id: f.weight > 0 for f in brain.LIBRA_FACTORS}
    assert brain.libra_score(best).score == pytest.approx(-5.9)
    assert brain.libra_score(worst).score == pytest.approx(12.7)
    assert (brain.LIBRA_MIN, brain.LIBRA_MAX) == (-5.9, 12.7)


def _answers(**yes: str) -> dict[str, str]:
    base = {q.id: "no" for q in brain.BRAIN_QUESTIONS}
    base["alcohol"] = "none"
    base.update(yes)
    return brain.check_answers(base)


def test_worked_example_1() -> None:
    # 68, high blood pressure and cholesterol, inactive, light drinker, mentally active:
    # 1.6 + 1.4 + 1.1 - 1.0 - 3.2 = -0.1 (docs/science/brain.md, example 1).
    answers = _answers(hypertension="yes", high_cholesterol="yes", physical_inactivity="yes",
                       alcohol="up_to_7", cognitive_activity="yes")
    result = brain.libra_score(brain.libra_present(answers))
    assert result.score == pytest.approx(-0.1)
    assert set(result.room_for_improvement) == {"hypertension", "high_cholesterol",
                                                "physical_inactivity", "healthy_diet"}


def test_worked_example_2() -> None:
    # 55, smokes, obese, depression, 8-21 units a week: 1.5 + 1.6 + 2.1 = 5.2; alcohol and
    # the two missing protective factors are room for improvement.
    answers = _answers(smoking="yes", obesity="yes", depression="yes", alcohol="8_to_21")
    result = brain.libra_score(brain.libra_present(answers))
    assert result.score == pytest.approx(5.2)
    assert "low_alcohol" in result.room_for_improvement
    assert "cognitive_activity" in result.room_for_improvement


def test_worked_example_3_with_unknowns() -> None:
    # Only four answered: diabetes, heart disease, kidney disease, no alcohol:
    # 1.3 + 1.0 + 1.1 - 1.0 = 2.4; eight factors unknown.
    answers = brain.check_answers({"diabetes": "yes", "heart_disease": "yes",
                                   "kidney_disease": "yes", "alcohol": "none"})
    result = brain.libra_score(brain.libra_present(answers))
    assert result.score == pytest.approx(2.4)
    assert len(result.unknown) == 8


def test_not_drinking_is_never_room_for_improvement() -> None:
    for choice in ("none", "up_to_7"):
        result = brain.libra_score(brain.libra_present(_answers(alcohol=choice)))
        assert "low_alcohol" not in result.room_for_improvement
    none = brain.libra_score(brain.libra_present(_answers(alcohol="none"))).score
    light = brain.libra_score(brain.libra_present(_answers(alcohol="up_to_7"))).score
    assert none == light  # starting to drink never lowers the score
    assert "start" not in brain.ALCOHOL_NOTE.replace("no reason to start", "")


def test_lancet_has_fourteen_factors_six_unscored() -> None:
    assert len(brain.LANCET_FACTORS) == 14
    unscored = [q.id for q in brain.BRAIN_QUESTIONS if q.lancet and q.libra is None]
    assert sorted(unscored) == ["air_pollution", "head_injury", "hearing_loss",
                                "less_education", "social_isolation", "vision_loss"]


def test_bad_answers_are_named() -> None:
    with pytest.raises(ValueError, match="smoking"):
        brain.check_answers({"smoking": "sometimes"})
    with pytest.raises(ValueError, match="not a brain-health question"):
        brain.check_answers({"coffee": "yes"})


@pytest.mark.parametrize(("items", "percent", "band"), [
    ((5, 5, 5, 5, 5), 100.0, "ok"),
    ((3, 3, 2, 2, 3), 52.0, "ok"),
    ((3, 2, 2, 2, 3), 48.0, "poor"),
    ((2, 2, 1, 2, 1), 32.0, "poor"),
    ((2, 1, 1, 2, 1), 28.0, "very_low"),
    ((0, 0, 0, 0, 0), 0.0, "very_low"),
])
def test_who5_scoring_and_cut_offs(items: tuple[int, ...], percent: float, band: str) -> None:
    assert brain.who5_percent(items) == percent
    assert brain.who5_band(percent) == band


def test_who5_fifty_is_not_poor() -> None:
    assert brain.who5_band(50.0) == "ok"  # "below 50" (Topp 2015)


def test_who5_windows_one_point_per_two_weeks() -> None:
    today = date(2026, 6, 28)
    days = [today, today - timedelta(days=3), today - timedelta(days=20)]
    windows = brain.who5_windows(days, [40.0, 60.0, 24.0], today, 3)
    assert [w.percent for w in windows[1:]] == [24.0, 50.0]
    assert np.isnan(windows[0].percent)
    assert windows[-1].start == date(2026, 6, 15) and windows[-1].end == today
    assert [w.band for w in windows] == ["none", "very_low", "ok"]


@pytest.mark.parametrize(("age", "low", "high"), [(30, 7, 9), (64, 7, 9), (65, 7, 8),
                                                  (80, 7, 8), (16, 8, 10)])
def test_sleep_ranges_by_age(age: int, low: float, high: float) -> None:
    band = brain.sleep_range(age)
    assert band is not None and band.recommended_h == (low, high)


def test_sleep_summary_against_the_range() -> None:
    older = brain.sleep_summary([8.5, 8.5, 8.5, np.nan], 70)
    assert older.verdict == "above" and older.mean_h == 8.5 and older.nights == 3
    assert brain.sleep_summary([8.5, 8.5, 8.5], 40).verdict == "within"
    assert brain.sleep_summary([6.0, 6.5, 6.0], 40).verdict == "below"
    assert brain.sleep_summary([7.0, 7.0], 40).verdict == "unknown"


def test_inactivity_follows_the_data_after_four_weeks() -> None:
    active = np.full(28, 30.0)  # 210 min a week
    quiet = np.full(28, 10.0)  # 70 min a week
    assert brain.physical_inactivity(active, 28, "yes") == brain.Inactivity(False, "data",
                                                                            210.0)
    assert brain.physical_inactivity(quiet, 40, "no") == brain.Inactivity(True, "data", 70.0)
    # Before 4 weeks are recorded the answer decides.
    assert brain.physical_inactivity(active, 27, "yes") == brain.Inactivity(True, "answer",
                                                                            None)
    assert brain.physical_inactivity(active, 5, "unknown").source == "unknown"


def test_exactly_150_minutes_is_active() -> None:
    days = np.array([150.0 / 7] * 28)
    assert brain.physical_inactivity(days, 28, "yes").inactive is False
