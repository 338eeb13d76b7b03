"""Issue 10 case 8: the CLI answers file is validated with the API's models, errors name the
field, the schema is printed by `stridewise screen --schema`, and the documented example is
complete and accepted."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridewise.cli import app
from stridewise.core.screening_inputs import ScreeningIn

DOC = Path(__file__).parents[2] / "docs" / "screening-answers.md"


def _example() -> dict:  # type: ignore[type-arg]
    match = re.search(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def _screen(tmp_path: Path, answers: object) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", "--answers", str(path), "--no-save"])
    return " ".join(result.output.split()) + f" exit={result.exit_code}"


def test_an_empty_file_names_the_missing_parq(tmp_path: Path) -> None:
    out = _screen(tmp_path, {})
    assert "parq: Field required" in out and "exit=2" in out


def test_a_no_string_is_refused_naming_chest_pain(tmp_path: Path) -> None:
    answers = _example()
    answers["parq"]["chest_pain"] = "no"
    out = _screen(tmp_path, answers)
    assert "parq.chest_pain: Input should be a valid boolean" in out and "exit=2" in out


def test_the_documented_example_is_complete_and_accepted(tmp_path: Path) -> None:
    example = _example()
    schema = ScreeningIn.model_json_schema()
    for part in ("parq", "bone"):
        fields = set(schema["$defs"][f"{part.capitalize()}In"]["properties"])
        fields.discard("fractures_since_50")  # the older shape, still read, not shown
        assert set(example[part]) == fields, f"{part}: the example shows every field"
    out = _screen(tmp_path, example)
    assert "exit=0" in out and "Your screening" in out


def test_screen_schema_prints_the_models_schema() -> None:
    result = CliRunner().invoke(app, ["screen", "--schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == ScreeningIn.model_json_schema()


@pytest.mark.parametrize(("bone", "field"), [
    ({"falls_last_12_months": "2"}, "bone.falls_last_12_months"),
    ({"unsteady": "yes"}, "bone.unsteady"),
    ({"walking_days_per_week": 8}, "bone.walking_days_per_week"),
])
def test_bone_errors_name_the_field(tmp_path: Path, bone: dict, field: str) -> None:  # type: ignore[type-arg]
    answers = _example()
    answers["bone"].update(bone)
    assert f"{field}:" in _screen(tmp_path, answers)
