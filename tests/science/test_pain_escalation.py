"""Issue 10 case 2 and the bone-pain stop: an ache that lingers reaches a doctor, a stop names
what the person actually does, and a fall without pain is not read as pain."""

from __future__ import annotations

import datetime
import math
from pathlib import Path

import pytest

from stridewise.science.pain import (
    BARRED_BY_REGION,
    Load,
    PainAction,
    PainCheck,
    PainTiming,
    evaluate_pain,
)
from stridewise.science.questionnaires import BodyRegion, pain_site, region_of

DAY1 = datetime.date(2026, 11, 2)


def daily(days: int, score: float = 4.0, site: str = "left shin",
          skip: frozenset[int] = frozenset()) -> list[PainCheck]:
    return [PainCheck(DAY1 + datetime.timedelta(days=k), score, PainTiming.NEXT_MORNING, site)
            for k in range(days) if k not in skip]


@pytest.mark.parametrize(
    ("days", "score", "skip", "see_doctor"),
    [
        (1, 4.0, frozenset(), False),
        (7, 4.0, frozenset(), False),
        (10, 4.0, frozenset(), False),  # days 4-10: 7 days; days 1-3 before: only 3
        (11, 4.0, frozenset(), True),  # 7 this week, 4 the week before
        (14, 4.0, frozenset(), True),
        (21, 4.0, frozenset(), True),
        (14, 2.0, frozenset(), False),  # 2/10 is below the 3/10 threshold
        (14, 3.0, frozenset(), True),
        # 4 of 7 days in each week: still an ache that lasts.
        (14, 4.0, frozenset({0, 2, 4, 8, 10, 12}), True),
        # 3 of 7 in the first week: not yet.
        (14, 4.0, frozenset({0, 2, 4, 6, 8, 10}), False),
    ],
)
def test_pain_that_lingers_two_weeks_means_a_doctor(days: int, score: float,
                                                    skip: frozenset[int],
                                                    see_doctor: bool) -> None:
    today = DAY1 + datetime.timedelta(days=days - 1)
    decision = evaluate_pain(daily(days, score, skip=skip), today)
    assert decision.see_doctor is see_doctor
    if see_doctor:
        assert "please see a doctor" in decision.reason
        assert decision.action in (PainAction.HOLD, PainAction.REDUCE)


def test_daily_4_of_10_shin_pain_reaches_a_doctor_by_day_14_at_the_latest() -> None:
    first = next(n for n in range(1, 30)
                 if evaluate_pain(daily(n), DAY1 + datetime.timedelta(days=n - 1)).see_doctor)
    assert first <= 14


def test_lingering_counts_one_site_at_a_time() -> None:
    # Left shin on days 1-4 and right shin on days 8-11: no site lingers both weeks.
    checks = daily(4, site="left shin") + [
        PainCheck(DAY1 + datetime.timedelta(days=k), 4.0, PainTiming.NEXT_MORNING, "right shin")
        for k in range(7, 11)]
    assert not evaluate_pain(checks, DAY1 + datetime.timedelta(days=10)).see_doctor


WALKER = frozenset({Load.EXERCISE_WALKING, Load.LEG_STRENGTH, Load.ARM_STRENGTH,
                    Load.STANDING_BALANCE})


def test_bone_pain_at_night_stops_what_a_walker_does_without_speaking_of_running() -> None:
    check = PainCheck(DAY1, 6.0, PainTiming.AT_NIGHT, "left hip", localised_bone=True)
    decision = evaluate_pain([check], DAY1, doing=WALKER)
    assert decision.action is PainAction.STOP and decision.see_doctor
    assert "running" not in decision.reason
    assert "walking for exercise" in decision.reason
    assert {Load.EXERCISE_WALKING, Load.LEG_STRENGTH, Load.IMPACT, Load.RUNNING} <= (
        decision.barred)
    assert Load.ARM_STRENGTH not in decision.barred


def test_a_runners_stop_speaks_of_running() -> None:
    check = PainCheck(DAY1, 3.0, PainTiming.AT_REST, "right shin")
    decision = evaluate_pain([check], DAY1, doing=frozenset({Load.RUNNING, Load.LEG_STRENGTH}))
    assert "Please stop running and strength exercises for your legs" in decision.reason


def test_an_arm_bone_pain_stops_only_the_arm_exercises() -> None:
    check = PainCheck(DAY1, 5.0, PainTiming.AT_NIGHT, "right wrist", localised_bone=True)
    decision = evaluate_pain([check], DAY1, doing=frozenset(Load))
    assert decision.barred == frozenset({Load.ARM_STRENGTH})
    assert "Please stop strength exercises that use your arms and see a doctor" in (
        decision.reason)


def test_a_fall_without_pain_is_not_unrated_pain() -> None:
    fall = PainCheck(DAY1, math.nan, PainTiming.DURING, None, fell=True)
    decision = evaluate_pain([fall], DAY1)
    assert decision.action is PainAction.CONTINUE
    assert "did not rate" not in decision.reason


@pytest.mark.parametrize(("text", "region"), [
    ("left hip", BodyRegion.PELVIS), ("Left Shin", BodyRegion.LOWER_LIMB),
    ("lower_back", BodyRegion.SPINE), ("right wrist", BodyRegion.UPPER_LIMB),
    ("chest or ribs", BodyRegion.TRUNK)])
def test_sites_come_from_one_body_wide_list(text: str, region: BodyRegion) -> None:
    assert pain_site(text).region is region
    assert region_of(text) is region


def test_an_unlisted_site_is_refused_by_name_and_read_cautiously_when_stored() -> None:
    with pytest.raises(ValueError, match="left_hip"):
        pain_site("my big toe-ish")
    assert region_of("my big toe-ish") is None
    assert BARRED_BY_REGION[None] == frozenset(Load)


def test_the_cli_and_the_web_take_sites_from_the_one_list(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from stridewise.cli import app
    from stridewise.science.questionnaires import PAIN_SITES
    from stridewise.web.log import PAIN_SITES as WEB_SITES

    assert [s.lower() for s in WEB_SITES] == [site.words for site in PAIN_SITES]
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    bad = CliRunner().invoke(app, ["log", "checkin", "--pain-site", "shinbone", "--pain-score",
                                   "3", "--db", url])
    assert bad.exit_code != 0 and "is not one of the listed sites" in bad.output
