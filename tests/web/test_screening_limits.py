"""One set of limits for the screening answers (issue 11): the web form, the JSON API's schema
and the CLI's questions all read core.validation.RANGES, so a count the CLI refuses is refused
on the web and through the API too, and the page's min/max say the same."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from stridewise.cli import screen as cli_screen
from stridewise.core.screening_inputs import BoneIn
from stridewise.core.validation import RANGES
from stridewise.web import screening_form as sf
from stridewise.web.onboarding import BONE_FORM_FIELDS

FORM_COUNTS = {"falls_last_12_months": "falls_last_12_months",
               "walking_days_per_week": "walking_days_per_week",
               "walking_minutes_per_day": "walking_minutes_per_day"}


YES_NO = ("spine_fracture_bigger_accident", "fracture_last_12_months", "osteoporosis_diagnosed",
          "glucocorticoids_over_3_months", "past_bone_stress_injury")


def _form(**values: str) -> dict[str, str]:
    return {"ethnicity": "other", **{name: "no" for name in YES_NO}, **values}


def _bone(form: dict[str, str]) -> object:
    return sf.bone_from_form(form, sex="female", age_years=68, body_mass_kg=60.0,
                             steroids=False)


@pytest.mark.parametrize("field", sorted(FORM_COUNTS))
def test_form_and_api_take_the_highest_allowed_and_refuse_one_more(field: str) -> None:
    high = int(RANGES[field].high)
    _bone(_form(**{FORM_COUNTS[field]: str(high)}))
    BoneIn(sex="female", age_years=68, **{field: high})
    with pytest.raises(ValueError):
        _bone(_form(**{FORM_COUNTS[field]: str(high + 1)}))
    with pytest.raises(ValidationError):
        BoneIn(sex="female", age_years=68, **{field: high + 1})


@pytest.mark.parametrize("typed", ["nan", "inf", "-7", "5", "abc", "1e309"])
def test_a_t_score_outside_the_range_or_not_a_number_is_refused_by_name(typed: str) -> None:
    with pytest.raises(ValueError, match="T-score"):
        _bone(_form(femoral_neck_t_score=typed))


def test_the_cli_asks_counts_within_the_same_ranges() -> None:
    for field in ("falls_last_12_months", "walking_days_per_week", "walking_minutes_per_day",
                  "menses_last_12_months", "bone_stress_injuries"):
        assert cli_screen._whole_bounds(field) == (int(RANGES[field].low),
                                                   int(RANGES[field].high))


def test_the_bone_page_limits_are_core_ranges() -> None:
    assert set(BONE_FORM_FIELDS) <= set(RANGES)
