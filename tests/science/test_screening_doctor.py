"""The printable doctor summary: self-contained, escaped, and complete."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from stridewise.report.doctor import doctor_summary_html
from stridewise.science.parq import PARQ_QUESTIONS
from stridewise.science.screening import (
    BoneInputs,
    Fracture,
    FractureSite,
    ParqAnswers,
    Sex,
    screen,
)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [value or "" for name, value in attrs if name in ("src", "href")]


def _case() -> tuple[ParqAnswers, BoneInputs]:
    answers = ParqAnswers(
        **{q.id: q.id == "chest_pain" for q in PARQ_QUESTIONS},
        age_years=71,
        used_to_vigorous_effort=False,
        follow_up_yes=frozenset({"heart_b"}),
    )
    bone = BoneInputs(
        sex=Sex.FEMALE,
        age_years=71,
        body_mass_kg=58.0,
        fractures=(Fracture(FractureSite.VERTEBRAL, True),),
        femoral_neck_t_score=-2.6,
        falls_last_12_months=1,
    )
    return answers, bone


def test_summary_is_self_contained_and_complete() -> None:
    answers, bone = _case()
    result = screen(answers, bone)
    page = doctor_summary_html(result, answers, bone, person_name="Ann", on=date(2025, 3, 4))
    parser = _Collector()
    parser.feed(page)
    assert "script" not in parser.tags
    assert parser.urls == []  # nothing fetched from anywhere
    assert "<style>" in page and "@media print" in page
    assert "2025-03-04" in page and "Ann" in page
    assert "not a medical device" in page
    assert "Running allowed now:</strong> No" in page
    assert "Ready to start a plan:</strong> Not yet" in page
    for reason in (*result.readiness.reasons, *result.bone.reasons):
        assert reason.replace('"', "&#34;") in page
    for point in result.bone.doctor_points:
        assert point in page
    assert "irregular heartbeat" in page  # the follow-up answered yes
    assert "Spine (a vertebra): 1 from a minor fall or less (1 since age 50)" in page
    assert "Garvan" in page


def test_names_are_escaped() -> None:
    answers, bone = _case()
    page = doctor_summary_html(screen(answers, bone), answers, bone, person_name="<b>Bo</b>",
                               on=date(2025, 3, 4))
    assert "<b>Bo</b>" not in page and "&lt;b&gt;Bo&lt;/b&gt;" in page
