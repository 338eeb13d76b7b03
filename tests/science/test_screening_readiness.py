"""PAR-Q+ readiness logic."""

from __future__ import annotations

import pytest

from stridewise.science.parq import (
    FOLLOW_UP_CATEGORIES,
    FOLLOW_UP_IDS,
    PARQ_QUESTIONS,
    ParqAnswers,
    Readiness,
    screen_readiness,
)


def _answers(**changes: object) -> ParqAnswers:
    values: dict[str, object] = {q.id: False for q in PARQ_QUESTIONS}
    values.update(age_years=40, used_to_vigorous_effort=False)
    values.update(changes)
    return ParqAnswers(**values)  # type: ignore[arg-type]


def test_question_ids_are_the_answer_fields() -> None:
    assert len(PARQ_QUESTIONS) == 7
    answers = _answers()
    for question in PARQ_QUESTIONS:
        assert getattr(answers, question.id) is False
    assert len(FOLLOW_UP_CATEGORIES) == 10
    assert "bone_joint_b" in FOLLOW_UP_IDS


def test_all_no_under_45_is_cleared() -> None:
    assert screen_readiness(_answers()).status is Readiness.CLEARED


def test_45_and_not_used_to_vigorous_effort_starts_slowly() -> None:
    result = screen_readiness(_answers(age_years=45))
    assert result.status is Readiness.CLEARED_START_SLOWLY
    assert "qualified exercise professional" in result.reasons[0]
    used_to_it = _answers(age_years=60, used_to_vigorous_effort=True)
    assert screen_readiness(used_to_it).status is Readiness.CLEARED


def test_a_yes_with_all_follow_ups_no_starts_slowly() -> None:
    result = screen_readiness(_answers(medication_for_chronic_condition=True))
    assert result.status is Readiness.CLEARED_START_SLOWLY
    assert "150 minutes" in result.reasons[0]


def test_any_follow_up_yes_means_see_a_professional() -> None:
    answers = _answers(
        bone_joint_or_soft_tissue_problem=True, follow_up_yes=frozenset({"bone_joint_c"})
    )
    result = screen_readiness(answers)
    assert result.status is Readiness.SEE_PROFESSIONAL
    assert "steroid" in result.reasons[0]


@pytest.mark.parametrize(
    "red_flag", ["chest_pain", "dizziness_or_fainting", "told_supervised_activity_only"]
)
def test_red_flags_mean_see_a_professional_without_follow_ups(red_flag: str) -> None:
    result = screen_readiness(_answers(**{red_flag: True}))
    assert result.status is Readiness.SEE_PROFESSIONAL
    assert "doctor" in result.reasons[0]


@pytest.mark.parametrize("reason", ["temporary_illness", "pregnant", "health_changed"])
def test_illness_pregnancy_or_changed_health_delay(reason: str) -> None:
    result = screen_readiness(_answers(**{reason: True}))
    assert result.status is Readiness.DELAY
    assert len(result.reasons) == 1


def test_see_professional_outranks_delay_and_keeps_both_reasons() -> None:
    result = screen_readiness(_answers(chest_pain=True, pregnant=True))
    assert result.status is Readiness.SEE_PROFESSIONAL
    assert len(result.reasons) == 2


def test_unknown_follow_up_ids_and_ages_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown follow-up"):
        _answers(follow_up_yes=frozenset({"made_up"}))
    with pytest.raises(ValueError, match="age_years"):
        _answers(age_years=150)
    with pytest.raises(ValueError, match="unknown PAR-Q"):
        ParqAnswers.from_dict({**_answers().to_dict(), "colour": "red"})


def test_answers_round_trip_through_a_dict() -> None:
    answers = _answers(chest_pain=True, follow_up_yes=frozenset({"heart_b", "cancer_a"}))
    data = answers.to_dict()
    assert data["follow_up_yes"] == ["cancer_a", "heart_b"]
    assert ParqAnswers.from_dict(data) == answers
