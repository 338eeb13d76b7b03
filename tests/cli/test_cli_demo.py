"""`stridewise demo` runs the whole chain on a throwaway database and writes a report."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app
from stridewise.series import load_daily_series
from stridewise.store import open_store


def test_demo_imports_plans_and_reports(tmp_path: Path) -> None:
    """On Thursday 26 November 2026 (an injected clock) the demo has 3 real files and 38
    generated run/walks (12 weeks of 3, plus Monday and Wednesday of this week)."""
    folder, report = tmp_path / "demo", tmp_path / "report.html"
    with clock.use_clock(clock.FixedClock(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))):
        _check_demo(folder, report)


def _check_demo(folder: Path, report: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--dir", str(folder), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "38 generated sessions" in result.output
    assert "│       41 │" in result.output  # imported
    assert "Today:" in result.output and "Why:" in result.output
    html = report.read_text(encoding="utf-8")
    assert "not a medical device" in html.lower()
    assert "<script src=\"http" not in html  # self-contained
    with open_store(f"sqlite:///{folder / 'demo.db'}") as store:
        athlete_id = store.default_athlete_id()
        with store.transaction() as tx:
            assert tx.count_activities(athlete_id) == 41
            assert tx.active_plan(athlete_id) is not None
            assert tx.list_screenings(athlete_id)
        daily = load_daily_series(store, athlete_id)
        assert daily["who_equivalent_min"].tail(28).sum() > 0
        assert daily["bone_stimulus"].tail(28).sum() > daily["walking_equivalent_stimulus"].tail(
            28).sum()
