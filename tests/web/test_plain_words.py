"""Plain words on every page a person reads first, in the report and in the CLI: no module
paths, no backticks, no formulas or training-science acronyms outside the Evidence pages, no
decimal minutes, plurals right (issue 17). Run on the demo's database at a fixed date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app as cli_app
from stridewise.web import create_app

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
PAGES = ("/today", "/plan", "/log", "/import", "/activities", "/activities/1", "/trends",
         "/onboarding", "/evidence")
#: What a first read must never show. The Evidence section pages may (the detail lives there).
NEVER = {
    "a module path": re.compile(r"\bstridewise\.[a-z_]+"),
    "a backtick": re.compile(r"`"),
    "a wrong plural": re.compile(r"(?<![\d.])1 (days|sessions|weeks|runs|walks|minutes|times)\b"),
    "decimal minutes": re.compile(r"\b\d+\.\d+ ?min\b"),
}
JARGON = {
    "an acronym of training science": re.compile(r"\b(CTL|ATL|TSB|EWMA|TRIMP|ACWR)\b"),
    "a formula": re.compile(r"[λτ]|1 − e"),
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("words")
    with clock.use_clock(clock.FixedClock(NOW)):
        result = CliRunner().invoke(cli_app, ["demo", "--dir", str(folder),
                                              "--report", str(folder / "report.html")])
        assert result.exit_code == 0, result.output
    yield f"sqlite:///{folder / 'demo.db'}"


def _visible_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    for bad in tree.xpath("//script | //style"):
        bad.drop_tree()
    return " ".join(tree.text_content().split())


def _problems(text: str, rules: dict[str, re.Pattern[str]]) -> list[str]:
    return [f"{name}: {m.group(0)!r} in …{text[max(0, m.start() - 40):m.end() + 40]}…"
            for name, rule in rules.items() for m in [rule.search(text)] if m]


@pytest.fixture()
def fixed() -> Iterator[None]:
    with clock.use_clock(clock.FixedClock(NOW)):
        yield


@pytest.mark.parametrize("path", PAGES)
def test_pages_read_plainly(demo_db: str, fixed: None, path: str) -> None:
    with TestClient(create_app(demo_db)) as client:
        response = client.get(path)
    assert response.status_code == 200
    assert _problems(_visible_text(response.text), {**NEVER, **JARGON}) == []


def test_report_reads_plainly(demo_db: str, fixed: None, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli_app, ["report", "--out", str(out), "--db", demo_db])
    assert result.exit_code == 0, result.output
    assert _problems(_visible_text(out.read_text(encoding="utf-8")), {**NEVER, **JARGON}) == []


@pytest.mark.parametrize("command", [["today"], ["plan", "show"], ["activities", "list"]])
def test_cli_reads_plainly(demo_db: str, fixed: None, command: list[str]) -> None:
    result = CliRunner().invoke(cli_app, [*command, "--db", demo_db],
                                env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    assert _problems(result.output, NEVER) == []
    assert "…" not in result.output, "a cell was cut at 80 columns"


def test_the_activity_page_says_what_its_average_pace_is(demo_db: str, fixed: None) -> None:
    with TestClient(create_app(demo_db)) as client:
        text = _visible_text(client.get("/activities/1").text)
    assert "(the whole distance divided by the moving time)" in text
