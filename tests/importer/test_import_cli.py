"""The data commands end to end through Typer's CliRunner, on small generated GPX files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from stridewise.cli import app

runner = CliRunner()


def write_gpx(path: Path, start: datetime, seconds: int = 600, lat0: float = 48.85) -> Path:
    """A steady run north at ~3 m/s, one point per second."""
    points = "\n".join(
        f'<trkpt lat="{lat0 + i * 2.7e-5:.7f}" lon="2.35"><ele>35</ele>'
        f"<time>{(start + timedelta(seconds=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for i in range(seconds)
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>Test run</name><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    )
    return path


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    runs = tmp_path / "runs"
    runs.mkdir()
    day = datetime(2024, 5, 4, 6, 30, tzinfo=UTC)
    write_gpx(runs / "a.gpx", day)
    write_gpx(runs / "b.gpx", day + timedelta(days=2), seconds=1200)
    (runs / "broken.gpx").write_text("<gpx><trk><trkseg><trkpt lat='1'")
    return runs


def test_import_reports_failures_with_exit_code_1(db: str, folder: Path) -> None:
    result = runner.invoke(app, ["import", str(folder), "--db", db])
    assert result.exit_code == 1, result.output
    assert "broken.gpx" in result.output
    assert "Files that could not be imported" in result.output
    again = runner.invoke(app, ["import", str(folder / "a.gpx"), "--db", db, "-v"])
    assert again.exit_code == 0, again.output
    assert "duplicate (same file)" in again.output


def test_env_var_selects_the_database(
    db: str, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRIDEWISE_DB", db)
    assert runner.invoke(app, ["import", str(folder / "a.gpx")]).exit_code == 0
    listed = runner.invoke(app, ["activities", "list"])
    assert listed.exit_code == 0 and "1 activity" in listed.output
    shown = runner.invoke(app, ["activities", "show", "1"])
    assert shown.exit_code == 0 and "Test run" in shown.output and "(gpx)" in shown.output
    assert runner.invoke(app, ["activities", "show", "99"]).exit_code == 1


def test_profile_set_and_show(db: str) -> None:
    result = runner.invoke(
        app,
        ["profile", "set", "--db", db, "--sex", "female", "--birth-year", "1970",
         "--mass-kg", "61.5", "--mass-date", "2024-05-01", "--resting-hr", "55",
         "--units", "mi", "--time-zone", "America/New_York"],
    )
    assert result.exit_code == 0, result.output
    shown = runner.invoke(app, ["profile", "show", "--db", db])
    for text in ("female", "1970", "61.5 kg on 2024-05-01", "55 bpm", "mi", "America/New_York"):
        assert text in shown.output
    bad = runner.invoke(app, ["profile", "set", "--db", db, "--max-hr", "320"])
    assert bad.exit_code == 2 and "maximum heart rate" in bad.output


def test_log_session_and_checkin_validate_values(db: str) -> None:
    ok = runner.invoke(
        app,
        ["log", "session", "--db", db, "--type", "run", "--duration", "32:30",
         "--distance", "5km", "--rpe", "5", "--start", "2024-05-04T07:00"],
    )
    assert ok.exit_code == 0 and "0:32:30" in ok.output and "5.00 km" in ok.output
    for args, message in [
        (["--type", "swim", "--duration", "30"], "session type"),
        (["--type", "run", "--duration", "30", "--rpe", "12"], "RPE"),
        (["--type", "run", "--duration", "forever"], "duration"),
        (["--type", "run", "--duration", "30", "--distance", "900km"], "distance"),
    ]:
        bad = runner.invoke(app, ["log", "session", "--db", db, *args])
        assert bad.exit_code == 2 and message in bad.output, (args, bad.output)
    checkin = runner.invoke(
        app,
        ["log", "checkin", "--db", db, "--pain-site", "left shin", "--pain-score", "4",
         "--pain-timing", "at_night", "--bone-tender", "--who5", "3,3,4,2,5", "--energy", "3"],
    )
    assert checkin.exit_code == 0 and "doctor" in checkin.output
    bad = runner.invoke(app, ["log", "checkin", "--db", db, "--who5", "3,3,4"])
    assert bad.exit_code == 2 and "WHO-5" in bad.output


def test_export_activities_and_daily(db: str, folder: Path, tmp_path: Path) -> None:
    # The files' days are UTC days; the athlete's zone must not follow the machine's.
    runner.invoke(app, ["profile", "set", "--db", db, "--time-zone", "UTC"])
    runner.invoke(app, ["import", str(folder / "a.gpx"), str(folder / "b.gpx"), "--db", db])
    runner.invoke(
        app,
        ["log", "session", "--db", db, "--type", "strength", "--duration", "20",
         "--start", "2024-05-05T18:00+00:00"],
    )
    acts = tmp_path / "acts.csv"
    assert runner.invoke(
        app, ["export", "--db", db, "--what", "activities", "--out", str(acts)]
    ).exit_code == 0
    assert len(pd.read_csv(acts)) == 2
    daily_path = tmp_path / "daily.parquet"
    result = runner.invoke(
        app, ["export", "--db", db, "--what", "daily", "--format", "parquet", "--out",
              str(daily_path)],
    )
    assert result.exit_code == 0, result.output
    daily = pd.read_parquet(daily_path)  # from the first session to today
    assert list(daily["sessions"].head(3)) == [1, 1, 1]  # run, strength, run, consecutive days
    assert daily["sessions"].iloc[3:].sum() == 0
    assert daily["run_distance_m"].iloc[1] == 0.0
    assert daily["longest_run_m"].iloc[2] == pytest.approx(1200 * 3.0, rel=0.05)
    assert daily["duration_min"].iloc[1] == 20.0
    assert bool(daily["strength_session"].iloc[1])
    assert {"load_srpe", "fitness", "acwr_ewma", "bone_stimulus", "who_equivalent_min"} <= set(
        daily.columns)
