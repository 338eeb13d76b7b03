"""`stridewise profile set` refuses what the dashboard refuses (issue 11, item 3): a body mass
dated in the future and a resting heart rate at or above the maximum; nothing is stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app as cli_app
from stridewise.store import open_store


def test_profile_set_refuses_a_future_weighing_and_crossed_heart_rates(tmp_path: Path
                                                                      ) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    runner = CliRunner()
    with clock.use_clock(clock.FixedClock(datetime(2026, 6, 1, 8, tzinfo=UTC))):
        future = runner.invoke(cli_app, ["profile", "set", "--db", url, "--mass-kg", "70",
                                         "--mass-date", "2099-01-01"])
        crossed = runner.invoke(cli_app, ["profile", "set", "--db", url,
                                          "--resting-hr", "110", "--max-hr", "105"])
        ok = runner.invoke(cli_app, ["profile", "set", "--db", url, "--mass-kg", "70",
                                     "--mass-date", "2026-05-31"])
    assert future.exit_code != 0 and "future" in future.output
    assert crossed.exit_code != 0 and "below the maximum" in crossed.output
    assert ok.exit_code == 0, ok.output
    with open_store(url) as store, store.transaction() as tx:
        athlete_id = store.default_athlete_id()
        masses = [(m.measured_on.isoformat(), m.mass_kg) for m in tx.list_body_mass(athlete_id)]
        athlete = tx.get_athlete(athlete_id)
    assert masses == [("2026-05-31", 70.0)]
    assert athlete is not None and athlete.resting_hr_bpm is None
