"""Safety properties: red flags never allow running; adding a risk never raises the level.

The bone inputs are the ones the CLI and the web form can produce: any adult age, a count of
low-trauma fractures per site at any age (since age 50 only from age 50), and a spine fracture
from a bigger accident.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from stridewise.science.parq import (
    FOLLOW_UP_IDS,
    PARQ_QUESTIONS,
    READINESS_SEVERITY,
    ParqAnswers,
    screen_readiness,
)
from stridewise.science.screening import (
    BoneInputs,
    EnergyAvailability,
    Ethnicity,
    Fracture,
    FractureSite,
    Sex,
    TriadInputs,
    fractures_at,
    screen,
    screen_bone,
)
from stridewise.science.triad import triad_risk

SPINE_BIGGER_ACCIDENT = Fracture(FractureSite.VERTEBRAL, low_trauma=False, since_age_50=False)


def fracture_history(age_years: int) -> st.SearchStrategy[tuple[Fracture, ...]]:
    """What the forms produce at this age: counts per site, and which of them since 50."""

    @st.composite
    def history(draw: st.DrawFn) -> tuple[Fracture, ...]:
        fractures: list[Fracture] = []
        for site in FractureSite:
            count = draw(st.integers(0, 3))
            since_50 = draw(st.integers(0, count)) if age_years >= 50 else 0
            fractures += fractures_at(site, count, since_age_50=since_50)
        if draw(st.booleans()):
            fractures.append(SPINE_BIGGER_ACCIDENT)
        return tuple(fractures)

    return history()


def one_more_fracture(age_years: int) -> st.SearchStrategy[Fracture]:
    low_trauma = st.builds(
        Fracture,
        st.sampled_from(FractureSite),
        st.just(True),
        since_age_50=st.booleans() if age_years >= 50 else st.just(False),
    )
    return low_trauma | st.just(SPINE_BIGGER_ACCIDENT)

follow_ups = st.frozensets(st.sampled_from(sorted(FOLLOW_UP_IDS)), max_size=3)


@st.composite
def parq_answers(draw: st.DrawFn) -> ParqAnswers:
    main = {q.id: draw(st.booleans()) for q in PARQ_QUESTIONS}
    return ParqAnswers(
        **main,
        age_years=draw(st.integers(18, 95)),
        used_to_vigorous_effort=draw(st.booleans()),
        temporary_illness=draw(st.booleans()),
        pregnant=draw(st.booleans()),
        health_changed=draw(st.booleans()),
        follow_up_yes=draw(follow_ups),
    )


triad_inputs = st.builds(
    TriadInputs,
    energy_availability=st.sampled_from(EnergyAvailability),
    bmi_kg_m2=st.floats(15, 30),
    age_at_menarche_years=st.none() | st.floats(9, 18),
    menses_last_12_months=st.integers(0, 13),
    bmd_z_score=st.none() | st.floats(-4, 2),
    bone_stress_injuries=st.integers(0, 4),
)


@st.composite
def bone_inputs(draw: st.DrawFn) -> BoneInputs:
    sex = draw(st.sampled_from(Sex))
    age_years = draw(st.integers(18, 100))
    return BoneInputs(
        sex=sex,
        age_years=age_years,
        body_mass_kg=draw(st.none() | st.floats(35, 150)),
        ethnicity=draw(st.sampled_from(Ethnicity)),
        fractures=draw(fracture_history(age_years)),
        fracture_last_12_months=draw(st.booleans()),
        osteoporosis_diagnosed=draw(st.booleans()),
        femoral_neck_t_score=draw(st.none() | st.floats(-5, 3)),
        falls_last_12_months=draw(st.integers(0, 5)),
        glucocorticoids_over_3_months=draw(st.booleans()),
        past_bone_stress_injury=draw(st.booleans()),
        triad=draw(st.none() | triad_inputs) if sex is Sex.FEMALE else None,
    )


def _bone_red_flag(bone: BoneInputs) -> bool:
    low_trauma = bone.low_trauma_fractures
    return (
        bone.fracture_last_12_months
        or any(f.site is FractureSite.VERTEBRAL for f in bone.fractures)
        or len(low_trauma) >= 2
        or any(f.site is FractureSite.HIP for f in low_trauma)
        or (bone.triad is not None and triad_risk(bone.triad, age_years=bone.age_years).total >= 6)
    )


def _readiness_red_flag(answers: ParqAnswers) -> bool:
    return bool(
        answers.chest_pain
        or answers.dizziness_or_fainting
        or answers.told_supervised_activity_only
        or answers.follow_up_yes
        or answers.temporary_illness
        or answers.pregnant
        or answers.health_changed
    )


@settings(max_examples=400)
@given(parq_answers(), bone_inputs())
def test_no_red_flag_ever_allows_running(answers: ParqAnswers, bone: BoneInputs) -> None:
    result = screen(answers, bone)
    if _bone_red_flag(bone) or _readiness_red_flag(answers):
        assert not result.may_run
    if _readiness_red_flag(answers):
        assert not result.can_start
    if bone.osteoporosis_diagnosed or bone.glucocorticoids_over_3_months:
        assert not result.may_run


def _add_fracture(bone: BoneInputs, fracture: Fracture) -> BoneInputs:
    return replace(bone, fractures=(*bone.fractures, fracture))


@settings(max_examples=300)
@given(bone_inputs(), st.data())
def test_adding_a_bone_risk_factor_never_raises_the_level(
    bone: BoneInputs, data: st.DataObject
) -> None:
    before = screen_bone(bone)
    t_score = bone.femoral_neck_t_score
    worse = [
        _add_fracture(bone, data.draw(one_more_fracture(bone.age_years))),
        replace(bone, fracture_last_12_months=True),
        replace(bone, osteoporosis_diagnosed=True),
        replace(bone, glucocorticoids_over_3_months=True),
        replace(bone, past_bone_stress_injury=True),
        replace(bone, falls_last_12_months=bone.falls_last_12_months + 1),
        replace(bone, age_years=min(120, bone.age_years + data.draw(st.integers(1, 10)))),
        replace(
            bone,
            femoral_neck_t_score=data.draw(st.floats(-5, 3))
            if t_score is None
            else max(-6.0, t_score - data.draw(st.floats(0, 2))),
        ),
    ]
    for riskier in worse:
        after = screen_bone(riskier)
        assert after.impact_level.caution_rank >= before.impact_level.caution_rank, riskier
        assert after.balance_first >= before.balance_first


@settings(max_examples=300)
@given(
    parq_answers(),
    st.sampled_from(
        [q.id for q in PARQ_QUESTIONS] + ["temporary_illness", "pregnant", "health_changed"]
    ),
)
def test_adding_a_yes_never_makes_readiness_less_cautious(
    answers: ParqAnswers, field_name: str
) -> None:
    before = READINESS_SEVERITY[screen_readiness(answers).status]
    riskier: ParqAnswers = replace(answers, **{field_name: True})  # type: ignore[arg-type]
    after = READINESS_SEVERITY[screen_readiness(riskier).status]
    assert after >= before
    losing_vigour = replace(answers, used_to_vigorous_effort=False)
    assert READINESS_SEVERITY[screen_readiness(losing_vigour).status] >= before
