"""Properties of evaluate_pain: red flags never continue; decisions are deterministic."""

from __future__ import annotations

import dataclasses
import datetime
import math
import random

from hypothesis import given
from hypothesis import strategies as st

from stridewise.science.pain import PainAction, PainCheck, PainTiming, evaluate_pain

TODAY = datetime.date(2025, 6, 1)

checks = st.builds(
    PainCheck,
    day=st.dates(TODAY - datetime.timedelta(days=20), TODAY + datetime.timedelta(days=3)),
    score=st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.5, 5.0, 6.0, 8.0, 10.0, math.nan]),
    timing=st.sampled_from(list(PainTiming)),
    site=st.sampled_from([None, "shin", "knee", "hip"]),
    localised_bone=st.booleans(),
    fell=st.booleans(),
)

red_flags = st.one_of(
    st.builds(
        PainCheck,
        day=st.dates(TODAY - datetime.timedelta(days=6), TODAY),
        score=st.floats(0.5, 10),
        timing=st.sampled_from([PainTiming.AT_REST, PainTiming.AT_NIGHT]),
        site=st.sampled_from([None, "shin"]),
    ),
    st.builds(
        PainCheck,
        day=st.dates(TODAY - datetime.timedelta(days=6), TODAY),
        score=st.floats(0, 10),
        timing=st.sampled_from(list(PainTiming)),
        localised_bone=st.just(True),
    ),
    st.builds(  # a fall with pain (a fall without pain is for the falls rules)
        PainCheck,
        day=st.dates(TODAY - datetime.timedelta(days=6), TODAY),
        score=st.floats(0.5, 10),
        timing=st.sampled_from(list(PainTiming)),
        fell=st.just(True),
    ),
    st.builds(  # severe pain
        PainCheck,
        day=st.dates(TODAY - datetime.timedelta(days=6), TODAY),
        score=st.floats(8, 10),
        timing=st.sampled_from(list(PainTiming)),
    ),
)


@given(st.lists(checks, max_size=12), red_flags, st.integers(0, 400))
def test_a_red_flag_since_the_last_screening_never_continues_however_old(
    history: list[PainCheck], flag: PainCheck, days_older: int
) -> None:
    old = dataclasses.replace(flag, day=flag.day - datetime.timedelta(days=days_older))
    decision = evaluate_pain([*history, old], TODAY, red_flag_history=[old])
    assert decision.action == PainAction.STOP
    assert decision.see_doctor


@given(st.lists(checks, max_size=12), red_flags)
def test_bone_rest_or_night_pain_never_continues(history: list[PainCheck], flag: PainCheck) -> None:
    decision = evaluate_pain([*history, flag], TODAY)
    assert decision.action == PainAction.STOP
    assert decision.see_doctor


@given(st.lists(checks, max_size=12), st.randoms(use_true_random=False))
def test_decision_is_deterministic_and_order_free(
    history: list[PainCheck], rng: random.Random
) -> None:
    first = evaluate_pain(history, TODAY)
    assert evaluate_pain(list(history), TODAY) == first
    shuffled = list(history)
    rng.shuffle(shuffled)
    assert evaluate_pain(shuffled, TODAY) == first


@given(st.lists(checks, max_size=12))
def test_see_doctor_when_stopping_or_when_an_ache_lingers(history: list[PainCheck]) -> None:
    # A stop always sends to a doctor; otherwise only an ache that lasts two weeks does.
    decision = evaluate_pain(history, TODAY)
    if decision.action == PainAction.STOP:
        assert decision.see_doctor
    else:
        assert decision.see_doctor == ("An ache that lasts two weeks" in decision.reason)
    assert decision.reason.strip()
