"""The HTML report: one self-contained file with every section, and the CLI around it."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from stridewise.cli import app
from stridewise.cohort.analyses import analyse
from stridewise.cohort.report import build_report

runner = CliRunner()


def test_report_is_self_contained_with_every_section(small_results: Path) -> None:
    analyse(small_results)
    page = build_report(small_results)
    for anchor in ("dist", "adh", "safety", "bone", "qc", "methods"):
        assert f'id="{anchor}"' in page
    assert "Plotly" in page and "plot-hazard-ratios" in page
    assert not re.search(r"<script[^>]+src=", page)  # nothing fetched from elsewhere
    assert "cluster" in page and "at least 2 of" in page  # methods from the run's settings


def test_cli_synth_run_and_report(tmp_path: Path) -> None:
    data, results = tmp_path / "data", tmp_path / "results"
    done = runner.invoke(app, ["cohort", "synth", "--athletes", "6", "--years", "0.3",
                               "--out", str(data), "--seed", "2", "--partition-size", "3"])
    assert done.exit_code == 0, done.output
    done = runner.invoke(app, ["cohort", "run", str(data), "--out", str(results),
                               "--workers", "0"])
    assert done.exit_code == 0, done.output
    assert "2 partitions computed" in done.output
    assert (results / "report.html").is_file()
    again = runner.invoke(app, ["cohort", "run", str(data), "--out", str(results),
                                "--workers", "0", "--no-report"])
    assert "0 partitions computed, 2 already done" in again.output


def test_cli_errors_are_plain(tmp_path: Path) -> None:
    done = runner.invoke(app, ["cohort", "run", str(tmp_path), "--out", str(tmp_path / "r")])
    assert done.exit_code == 2 and "not a cohort" in " ".join(done.output.split())
    done = runner.invoke(app, ["cohort", "export", "--out", str(tmp_path / "o"), "--study",
                               "s", "--key-file", str(tmp_path / "k"), "--from-sqlite-folder",
                               str(tmp_path)])
    assert done.exit_code == 2 and "--create-key" in " ".join(done.output.split())
    assert "Traceback" not in done.output
