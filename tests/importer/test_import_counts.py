"""Import counts match what is stored (issue 12 item 5): a GPX and a TCX of the same run in
one command store one activity, and the report says "imported 1, replaced #1"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridewise.cli import app
from stridewise.importer import import_paths
from stridewise.store import Store
from stridewise.web.imports import report_rows

RUN_ID = "run_fr945_14k_6782987395"


@pytest.mark.samples
def test_gpx_then_tcx_of_one_run_reports_one_import_and_the_replacement(
    store: Store, samples_dir: Path
) -> None:
    paths = [samples_dir / "gpx" / f"{RUN_ID}.gpx", samples_dir / "tcx" / f"{RUN_ID}.tcx"]
    athlete_id = store.default_athlete_id()
    report = import_paths(store, paths, athlete_id=athlete_id)
    with store.transaction() as tx:
        kept = tx.list_activities(athlete_id)
    assert [a.source_format for a in kept] == ["tcx"]
    assert report.summary_line() == "imported 1, replaced #1, duplicate 0, failed 0"
    assert len(report.stored) == len(kept)
    assert report.files[1].replaced_ids == [1]
    assert any("#1 was replaced by" in w for w in report.files[0].warnings)
    # The web page's rows say the same: one file imported (replacing #1), one replaced.
    rows = report_rows(report)
    assert [r.status for r in rows] == ["replaced", "imported"]
    assert rows[1].detail.startswith("1 session added, replacing #1")


@pytest.mark.samples
def test_cli_summary_counts_what_is_stored(tmp_path: Path, samples_dir: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    paths = [str(samples_dir / "gpx" / f"{RUN_ID}.gpx"), str(samples_dir / "tcx" / f"{RUN_ID}.tcx")]
    result = CliRunner().invoke(app, ["import", *paths, "--db", db])
    assert result.exit_code == 0, result.output
    assert "imported 1, replaced #1, duplicate 0, failed 0" in result.output
    listed = CliRunner().invoke(app, ["activities", "list", "--db", db])
    assert listed.output.count("tcx") == 1 and "gpx" not in listed.output


@pytest.mark.samples
def test_richer_file_in_a_later_import_reports_the_replacement(
    store: Store, samples_dir: Path
) -> None:
    athlete_id = store.default_athlete_id()
    import_paths(store, [samples_dir / "gpx" / f"{RUN_ID}.gpx"], athlete_id=athlete_id)
    report = import_paths(store, [samples_dir / "fit" / f"{RUN_ID}.fit"], athlete_id=athlete_id)
    assert report.summary_line() == "imported 1, replaced #1, duplicate 0, failed 0"
    with store.transaction() as tx:
        assert [a.source_format for a in tx.list_activities(athlete_id)] == ["fit"]
