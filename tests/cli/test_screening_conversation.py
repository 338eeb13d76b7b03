"""The screening conversation as a 68-year-old woman meets it (issue 17): sex and age first,
no pregnancy question at 68, steroids asked once, no jargon, hints after their question, and
what she told it saved to her profile when she says yes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app
from stridewise.core.app import ProfileFill, profile_fill
from stridewise.science.parq import PARQ_QUESTIONS, ParqAnswers
from stridewise.science.screening import BoneInputs, Sex
from stridewise.store import open_store

runner = CliRunner()
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed() -> Iterator[None]:
    with clock.use_clock(clock.FixedClock(NOW)):
        yield


def _flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def _answers_68(save_profile: str) -> list[str]:
    # About you: 68, female, 55 kg. PAR-Q+: a bone or joint problem (6th) yes, the rest no;
    # follow-ups: arthritis/osteoporosis/back yes, items a no, b no, c (steroids) yes, the 9
    # other categories no; used to hard exercise no, unwell no, health changed no.
    keys = ["68", "female", "55"] + ["n"] * 5 + ["y", "n"]
    keys += ["y", "n", "n", "y"] + ["n"] * 9 + ["n", "n", "n"]
    # Bones: white; no broken bone from a minor fall, none in the spine from an accident;
    # not in the last 12 months; no osteoporosis; no T-score; no falls; steady, not worried;
    # (no steroid question: asked above); no stress injury; walks 3 days, 30 min; no sport.
    keys += ["white", "n", "n", "n", "n", "", "0", "n", "n", "n", "3", "30", "n"]
    return [*keys, save_profile]


def test_the_conversation_asks_in_order_once_and_plainly(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    result = runner.invoke(app, ["screen", "--db", db], input="\n".join(_answers_68("y")) + "\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "pregnant" not in out.lower()
    assert out.index("Your sex") < out.index(PARQ_QUESTIONS[0].text)
    asked = out.split("Your screening")[0]  # the questions, before the outcome's reasons
    assert sum("steroid" in line.lower() for line in asked.splitlines()) == 1
    assert "OST" not in asked and "cut-off" not in asked
    # Each hint comes after its question, never before.
    dizzy = PARQ_QUESTIONS[2]
    assert out.index(dizzy.text) < out.index(dizzy.hint)
    assert out.index("Has a doctor told you that you have osteoporosis?") < out.index(
        "Osteopenia (bones a little thinner")
    assert "Your profile now has: sex female, birth year 1958, weight 55 kg." in out

    with open_store(db) as store:
        athlete_id = store.default_athlete_id()
        with store.transaction() as tx:
            (row,) = tx.list_screenings(athlete_id)
    assert row.answers["bone"]["glucocorticoids_over_3_months"] is True
    shown = _flat(runner.invoke(app, ["profile", "show", "--db", db]).output)
    assert "sex female" in shown
    assert "birth year 1958" in shown
    assert "body mass 55.0 kg on 2026-11-26" in shown
    assert "not set" not in shown.split("resting heart rate")[0]


def test_a_no_leaves_the_profile_as_it_was(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    result = runner.invoke(app, ["screen", "--db", db], input="\n".join(_answers_68("n")) + "\n")
    assert result.exit_code == 0, result.output
    shown = _flat(runner.invoke(app, ["profile", "show", "--db", db]).output)
    assert "sex not set" in shown and "birth year not set" in shown
    assert "body mass not set" in shown


def test_a_young_woman_is_asked_about_pregnancy_after_her_sex(tmp_path: Path) -> None:
    keys = ["30", "female", ""] + ["n"] * 7 + ["n", "n", "y", "n"]
    keys += ["other", "n", "n", "n", "n", "", "0", "n", "n", "n", "n", "0", "n"]
    result = runner.invoke(app, ["screen", "--no-save"], input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    assert result.output.index("Your sex") < result.output.index("Are you pregnant?")
    assert "Readiness" in result.output


def test_answers_file_saves_the_profile_with_the_flag_only(tmp_path: Path) -> None:
    values: dict[str, object] = {q.id: False for q in PARQ_QUESTIONS}
    values.update(age_years=68, used_to_vigorous_effort=False)
    parq = ParqAnswers(**values)  # type: ignore[arg-type]
    bone = BoneInputs(sex=Sex.FEMALE, age_years=68, body_mass_kg=55.0)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"parq": parq.to_dict(), "bone": bone.to_dict()}))
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    plain = runner.invoke(app, ["screen", "--answers", str(answers), "--db", db])
    assert plain.exit_code == 0, plain.output
    assert "--save-profile" in plain.output
    assert "birth year not set" in _flat(runner.invoke(app, ["profile", "show", "--db", db]).output)
    flagged = runner.invoke(app, ["screen", "--answers", str(answers), "--db", db,
                                  "--save-profile"])
    assert flagged.exit_code == 0, flagged.output
    assert "birth year 1958" in _flat(runner.invoke(app, ["profile", "show", "--db", db]).output)


def test_the_rule_fills_only_what_the_profile_lacks() -> None:
    bone = BoneInputs(sex=Sex.FEMALE, age_years=68, body_mass_kg=55.0)
    # A typed birth year (1957: 68 before her birthday) is not replaced by 2026 - 68 = 1958;
    # the same weight as the latest weighing is not stored again.
    assert profile_fill(bone, date(2026, 11, 26), sex="female", birth_year=1957,
                        latest_mass_kg=55.0) == ProfileFill()
    assert profile_fill(bone, date(2026, 11, 26), sex=None, birth_year=None,
                        latest_mass_kg=57.5) == ProfileFill("female", 1958, 55.0)
    # An impossible weight (the validation range is 25-350 kg) is left out, not stored.
    light = BoneInputs(sex=Sex.FEMALE, age_years=68, body_mass_kg=21.0)
    assert profile_fill(light, date(2026, 11, 26), sex="female", birth_year=1958,
                        latest_mass_kg=None) == ProfileFill()


NUMBERS = {"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11}


def test_the_readme_counts_the_health_questions_the_cli_asks() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    match = re.search(r"the (\w+) PAR-Q\+ questions and (\w+)\s+more about your health now",
                      " ".join(readme.split()))
    assert match, "the README no longer says how many health questions are asked"
    told = NUMBERS[match.group(1)] + NUMBERS[match.group(2)]
    # A 30-year-old woman answering no to all: every health question and no follow-up.
    keys = ["30", "female", ""] + ["n"] * 11
    keys += ["other", "n", "n", "n", "n", "", "0", "n", "n", "n", "n", "0", "n"]
    result = runner.invoke(app, ["screen", "--no-save"], input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    health = result.output.split("Health questions")[1].split("Bone health questions")[0]
    assert health.count("[y/N]") == told == len(PARQ_QUESTIONS) + 4
