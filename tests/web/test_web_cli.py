"""`stridewise report` writes one offline HTML file; both commands name a missing athlete."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from stridewise.cli import app


def test_report_writes_one_self_contained_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--out", str(out),
                                      "--db", f"sqlite:///{tmp_path / 'r.db'}"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    markup = re.sub(r"<script>.*?</script>", "", html, flags=re.S)  # Plotly.js holds URLs
    assert re.findall(r'(?:src|href)="https?://', markup) == []
    assert "<script src=" not in markup
    assert "not a medical device" in html
    assert "No health screening yet" in html


def test_commands_refuse_an_unknown_athlete(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    for command in (["report", "--out", str(tmp_path / "x.html")], ["serve", "--no-open"]):
        result = CliRunner().invoke(app, [*command, "--db", db, "--athlete", "Nobody"])
        assert result.exit_code != 0
        assert "no athlete named 'Nobody'" in result.output
