"""Each pain-monitoring rule, with the wording a person reads."""

from __future__ import annotations

import datetime
import math

import pytest

from stridewise.science.pain import (
    PainAction,
    PainCheck,
    PainTiming,
    evaluate_pain,
)

TODAY = datetime.date(2025, 3, 10)


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def check(
    offset: int,
    score: float,
    timing: PainTiming,
    *,
    site: str | None = "shin",
    localised_bone: bool = False,
    fell: bool = False,
) -> PainCheck:
    return PainCheck(day(offset), score, timing, site, localised_bone, fell)


def test_no_history_continues() -> None:
    decision = evaluate_pain([], TODAY)
    assert decision.action == PainAction.CONTINUE
    assert not decision.see_doctor
    assert "No pain" in decision.reason


def test_mild_pain_that_settles_continues() -> None:
    history = [check(-2, 3, PainTiming.DURING), check(-1, 1, PainTiming.NEXT_MORNING)]
    decision = evaluate_pain(history, TODAY)
    assert decision.action == PainAction.CONTINUE
    assert "3/10" in decision.reason
    assert decision.site == "shin"


def test_pain_above_five_during_reduces() -> None:
    history = [check(-1, 7, PainTiming.DURING)]
    decision = evaluate_pain(history, TODAY)
    assert decision.action == PainAction.REDUCE
    assert not decision.see_doctor
    assert "7/10 during your run on 9 March" in decision.reason
    assert "5/10" in decision.reason


def test_pain_of_exactly_five_is_acceptable() -> None:
    decision = evaluate_pain([check(-1, 5, PainTiming.DURING)], TODAY)
    assert decision.action == PainAction.CONTINUE


def test_pain_not_settled_next_morning_holds() -> None:
    history = [check(-2, 4, PainTiming.DURING), check(-1, 4, PainTiming.NEXT_MORNING)]
    decision = evaluate_pain(history, TODAY)
    assert decision.action == PainAction.HOLD
    assert decision.reason.startswith(
        "Your shin pain was 4/10 the next morning (9 March): hold this week's running at last "
        "week's level"
    )


def test_strong_next_morning_pain_reduces() -> None:
    decision = evaluate_pain([check(-1, 6, PainTiming.NEXT_MORNING)], TODAY)
    assert decision.action == PainAction.REDUCE


def test_pain_rising_week_to_week_holds() -> None:
    history = [check(-9, 2, PainTiming.DURING), check(-2, 4, PainTiming.DURING)]
    decision = evaluate_pain(history, TODAY)
    assert decision.action == PainAction.HOLD
    assert "higher this week (4/10) than last week (2/10)" in decision.reason


def test_pain_falling_week_to_week_continues() -> None:
    history = [check(-9, 4, PainTiming.DURING), check(-2, 2, PainTiming.DURING)]
    assert evaluate_pain(history, TODAY).action == PainAction.CONTINUE


def test_reduce_wins_over_hold() -> None:
    # 7/10 (not 8: from 8/10 the severe-pain rule stops running instead)
    history = [check(-1, 7, PainTiming.DURING), check(0, 3, PainTiming.NEXT_MORNING)]
    assert evaluate_pain(history, TODAY).action == PainAction.REDUCE


def test_localised_bone_pain_stops_and_sends_to_doctor() -> None:
    decision = evaluate_pain([check(-1, 2, PainTiming.DURING, localised_bone=True)], TODAY)
    assert decision.action == PainAction.STOP
    assert decision.see_doctor
    assert "bone" in decision.reason
    assert "see a doctor" in decision.reason


def test_pain_at_rest_stops() -> None:
    decision = evaluate_pain([check(-3, 3, PainTiming.AT_REST)], TODAY)
    assert decision.action == PainAction.STOP
    assert "at rest" in decision.reason and decision.see_doctor


def test_pain_at_night_stops() -> None:
    decision = evaluate_pain([check(0, 2, PainTiming.AT_NIGHT, site="hip")], TODAY)
    assert decision.action == PainAction.STOP
    assert decision.site == "hip"
    assert "hip pain was 2/10 at night on 10 March" in decision.reason


def test_no_pain_at_night_is_not_a_red_flag() -> None:
    assert evaluate_pain([check(0, 0, PainTiming.AT_NIGHT)], TODAY).action == PainAction.CONTINUE


def test_a_fall_with_pain_stops() -> None:
    decision = evaluate_pain([check(-1, 3, PainTiming.AFTER, fell=True, site="wrist")], TODAY)
    assert decision.action == PainAction.STOP
    assert "fall" in decision.reason and decision.see_doctor


def test_a_fall_without_pain_does_not_stop() -> None:
    decision = evaluate_pain([check(-1, 0, PainTiming.AFTER, fell=True)], TODAY)
    assert decision.action == PainAction.CONTINUE


def test_pain_rising_three_days_in_a_row_stops() -> None:
    history = [
        check(-2, 1, PainTiming.DURING),
        check(-1, 2, PainTiming.AFTER),
        check(0, 3, PainTiming.NEXT_MORNING),
    ]
    decision = evaluate_pain(history, TODAY)
    assert decision.action == PainAction.STOP
    assert "3 days in a row (1, 2, 3 out of 10" in decision.reason


def test_rising_with_a_gap_day_is_not_three_in_a_row() -> None:
    history = [
        check(-4, 1, PainTiming.DURING),
        check(-2, 2, PainTiming.DURING),
        check(-1, 3, PainTiming.DURING),
    ]
    assert evaluate_pain(history, TODAY).action != PainAction.STOP


def test_old_red_flags_and_future_checks_are_ignored() -> None:
    history = [check(-8, 3, PainTiming.AT_NIGHT), check(2, 9, PainTiming.AT_REST)]
    assert evaluate_pain(history, TODAY).action == PainAction.CONTINUE


def test_unnamed_site_reads_naturally() -> None:
    decision = evaluate_pain([PainCheck(day(-1), 7, PainTiming.DURING)], TODAY)
    assert decision.reason.startswith("Your pain reached 7/10")
    assert decision.site is None


def test_severe_pain_stops_and_sends_to_doctor() -> None:
    decision = evaluate_pain([check(-2, 9, PainTiming.DURING)], TODAY)
    assert decision.action == PainAction.STOP and decision.see_doctor
    assert "9/10" in decision.reason


def test_fall_without_a_pain_score_is_not_read_as_pain() -> None:
    # Issue 10 case 4: a fall reported without pain goes to the falls rules, not the pain ones.
    fall = PainCheck(TODAY, math.nan, PainTiming.DURING, site="wrist", fell=True)
    decision = evaluate_pain([fall], TODAY)
    assert decision.action == PainAction.CONTINUE and not decision.see_doctor
    assert "did not rate" not in decision.reason


def test_fall_without_pain_does_not_stop() -> None:
    assert evaluate_pain([check(0, 0, PainTiming.DURING, fell=True)], TODAY).action == (
        PainAction.CONTINUE)


def test_high_pain_earlier_this_week_holds_and_never_says_within_limits() -> None:
    history = [check(-3, 7, PainTiming.DURING), check(-1, 3, PainTiming.DURING)]
    decision = evaluate_pain(history, TODAY)
    assert decision.action == PainAction.HOLD
    assert "7/10" in decision.reason and "within" not in decision.reason


def test_stop_lasts_until_rescreened() -> None:
    night = check(-20, 3, PainTiming.AT_NIGHT)
    # Without the history since the last screening, the 20-day-old flag is out of the week...
    assert evaluate_pain([night], TODAY).action == PainAction.CONTINUE
    # ...but with it (no screening since), running stays stopped, and the reason says how to
    # restart.
    decision = evaluate_pain([night], TODAY, red_flag_history=[night])
    assert decision.action == PainAction.STOP and "screening questions again" in decision.reason
    # A screening after the flag clears it: the caller passes only later checks.
    assert evaluate_pain([night], TODAY, red_flag_history=[]).action == PainAction.CONTINUE


def test_scores_outside_zero_to_ten_are_refused() -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        PainCheck(TODAY, 42.0, PainTiming.DURING)
