"""`stridewise screen`: from a JSON file and interactively; summary and database storage."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from stridewise.cli import app
from stridewise.science.parq import PARQ_QUESTIONS, ParqAnswers
from stridewise.science.screening import BoneInputs, Sex

runner = CliRunner()


def _write_answers(path: Path, **parq_changes: object) -> Path:
    values: dict[str, object] = {q.id: False for q in PARQ_QUESTIONS}
    values.update(age_years=50, used_to_vigorous_effort=True)
    values.update(parq_changes)
    parq = ParqAnswers(**values)  # type: ignore[arg-type]
    bone = BoneInputs(sex=Sex.MALE, age_years=50, body_mass_kg=80.0)
    path.write_text(json.dumps({"parq": parq.to_dict(), "bone": bone.to_dict()}))
    return path


def test_answers_file_prints_the_outcome_and_writes_the_summary(tmp_path: Path) -> None:
    answers = _write_answers(tmp_path / "answers.json")
    summary = tmp_path / "doctor.html"
    result = runner.invoke(
        app, ["screen", "--answers", str(answers), "--summary", str(summary), "--no-save"]
    )
    assert result.exit_code == 0, result.output
    assert "Ready to become more active" in result.output
    assert "Running is fine" in result.output
    assert "not a medical device" in summary.read_text()


def test_red_flag_from_file_says_no(tmp_path: Path) -> None:
    answers = _write_answers(tmp_path / "answers.json", chest_pain=True)
    result = runner.invoke(app, ["screen", "--answers", str(answers), "--no-save"])
    assert result.exit_code == 0, result.output
    assert "Running allowed now: no" in result.output


def test_bad_answers_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"parq": {}}')
    result = runner.invoke(app, ["screen", "--answers", str(bad), "--no-save"])
    assert result.exit_code != 0
    assert "parq.chest_pain: Field required" in " ".join(result.output.replace("│", "").split())


def test_interactive_screen_is_stored(tmp_path: Path) -> None:
    # age, sex, weight, 7 × no, vigorous yes, illness no, changed no (no pregnancy question
    # at 62), background, broken a bone in a minor fall no, spine in an accident no,
    # recent no, osteoporosis no, T-score empty, falls 0, unsteady no, worried no,
    # steroids no, stress injury no, walking days 5, minutes 30, athlete no; save to the
    # profile no.
    keys = ["62", "female", "60"] + ["n"] * 7 + ["y", "n", "n"]
    keys += ["white", "n", "n", "n", "n", "", "0", "n", "n", "n", "n", "5", "30", "n", "n"]
    db_url = f"sqlite:///{tmp_path / 'screen.db'}"
    result = runner.invoke(app, ["screen", "--db", db_url], input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    assert "Saved." in result.output

    from stridewise.store import open_store

    with open_store(db_url) as store:
        athlete_id = store.default_athlete_id()
        with store.transaction() as tx:
            rows = tx.list_screenings(athlete_id)
    assert len(rows) == 1
    assert rows[0].result["readiness"]["status"] == "cleared"
    assert rows[0].answers["bone"]["body_mass_kg"] == 60.0


def test_interactive_fractures_and_triad_questions(tmp_path: Path) -> None:
    summary = tmp_path / "doctor.html"
    # Woman, 55: chest pain yes → follow-ups (all categories no); then bone questions with one
    # spine fracture from a minor fall since 50 (counts: spine 1, since 50 1, hip, wrist, upper
    # arm, other 0; no spine fracture in an accident), and the athlete (Triad) questions.
    keys = ["55", "female", "", "n", "y"] + ["n"] * 5 + ["n"] * 10 + ["n", "n", "n", "n"]
    # (the spine break's year left empty, so the since-50 count is asked)
    keys += ["other", "y", "1", "", "1", "0", "0", "0", "0", "n"]
    keys += ["n", "n", "-1.5", "0", "n", "n", "n"]  # ... falls 0, unsteady, worried, steroids
    keys += ["y", "0", "y", "restricted_or_disordered", "17", "", "4", "-2.1", "1", "y"]
    result = runner.invoke(
        app,
        ["screen", "--no-save", "--summary", str(summary), "--name", "Kim"],
        input="\n".join(keys) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Running allowed now: no" in result.output
    assert "vertebral" in result.output
    page = summary.read_text()
    assert "Kim" in page and "Female Athlete Triad" in page


def _write_bone(path: Path, bone: dict[str, object]) -> Path:
    values: dict[str, object] = {q.id: False for q in PARQ_QUESTIONS}
    values.update(age_years=bone["age_years"], used_to_vigorous_effort=True)
    parq = ParqAnswers(**values)  # type: ignore[arg-type]
    path.write_text(json.dumps({"parq": parq.to_dict(), "bone": bone}))
    return path


def test_answers_file_with_two_wrist_fractures_before_50_says_no_running(tmp_path: Path) -> None:
    wrists = {"site": "wrist", "low_trauma": True, "since_age_50": False, "count": 2}
    answers = _write_bone(
        tmp_path / "answers.json", {"sex": "female", "age_years": 45, "fractures": [wrists]}
    )
    result = runner.invoke(app, ["screen", "--answers", str(answers), "--no-save"])
    assert result.exit_code == 0, result.output
    assert "Running allowed now: no" in result.output
    assert "Impact up to brisk walking" in result.output


def test_answers_file_in_the_old_fractures_since_50_shape_still_works(tmp_path: Path) -> None:
    answers = _write_bone(
        tmp_path / "answers.json",
        {"sex": "male", "age_years": 70, "fractures_since_50": [{"site": "vertebral",
                                                                  "low_trauma": True}]},
    )
    result = runner.invoke(app, ["screen", "--answers", str(answers), "--no-save"])
    assert result.exit_code == 0, result.output
    assert "Running allowed now: no" in result.output
    assert "spine" in result.output


def test_interactive_45_year_old_is_asked_about_a_spine_fracture(tmp_path: Path) -> None:
    # Age 45, all readiness no; bone: a spine fracture from a minor fall (counts: spine 1, then
    # 0 for hip, wrist, upper arm, other; no "since 50" question at 45), the rest no.
    keys = ["45", "male", "80"] + ["n"] * 7 + ["y", "n", "n"]
    keys += ["other", "y", "1", "", "0", "0", "0", "0", "n"]
    keys += ["n", "n", "", "0", "n", "n", "n", "n", "0", "n"]
    db_url = f"sqlite:///{tmp_path / 'screen.db'}"
    result = runner.invoke(app, ["screen", "--db", db_url], input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    assert "as an adult (from age 18)" in result.output
    assert "since you turned 50" not in result.output
    assert "Running allowed now: no" in result.output

    from stridewise.store import open_store

    with open_store(db_url) as store:
        athlete_id = store.default_athlete_id()
        with store.transaction() as tx:
            (row,) = tx.list_screenings(athlete_id)
    assert row.answers["bone"]["fractures"] == [
        {"site": "vertebral", "low_trauma": True, "since_age_50": False, "count": 1}
    ]
    assert row.result["bone"]["impact_level"] == "up_to_brisk_walking"
