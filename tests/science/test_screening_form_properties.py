"""Safety properties over what the web bone form can post: any adult age, a count per site,
which of them since 50 (only asked from 50), and a spine fracture from a bigger accident."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stridewise.science.screening import FractureSite, ImpactLevel, Sex, screen_bone
from stridewise.web.screening_form import bone_from_form

BONE_NO = {"fracture_last_12_months": "no", "osteoporosis_diagnosed": "no",
           "glucocorticoids_over_3_months": "no", "past_bone_stress_injury": "no",
           "falls_last_12_months": "0", "ethnicity": "other"}


@st.composite
def posted_fractures(draw: st.DrawFn) -> tuple[int, dict[str, str]]:
    age_years = draw(st.integers(18, 100))
    form = {**BONE_NO, "spine_fracture_bigger_accident": draw(st.sampled_from(["yes", "no"]))}
    for site in FractureSite:
        count = draw(st.integers(0, 4))
        form[f"fracture_{site.value}_count"] = str(count)
        if count and age_years >= 50:
            form[f"fracture_{site.value}_since_50"] = str(draw(st.integers(0, count)))
    return age_years, form


@settings(max_examples=300)
@given(posted_fractures(), st.sampled_from(Sex))
def test_spine_or_several_minor_fall_fractures_never_allow_running_at_any_age(
    posted: tuple[int, dict[str, str]], sex: Sex
) -> None:
    age_years, form = posted
    bone = bone_from_form(form, sex=sex.value, age_years=age_years, body_mass_kg=None)
    counts = {site: int(form[f"fracture_{site.value}_count"]) for site in FractureSite}
    spine = counts[FractureSite.VERTEBRAL] > 0 or form["spine_fracture_bigger_accident"] == "yes"
    if spine or sum(counts.values()) >= 2 or counts[FractureSite.HIP] > 0:
        assert screen_bone(bone).impact_level is ImpactLevel.UP_TO_BRISK_WALKING
    since_50 = sum(int(form.get(f"fracture_{site.value}_since_50", 0)) for site in FractureSite)
    assert len(bone.low_trauma_fractures) == sum(counts.values())
    assert len(bone.low_trauma_fractures_since_50) == since_50
