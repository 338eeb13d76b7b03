"""The demo, plans, today, the daily series, the report and the ICS export on fixed dates.

Every date runs the whole `stridewise demo` in-process under an injected clock
(stridewise.clock.FixedClock). The expected numbers are written out by hand for each date: the
demo's history holds three run/walks a week (Monday, Wednesday, Saturday) for twelve weeks plus
this week's up to yesterday, so the count depends on the demo athlete's weekday in
Europe/London, and the three shipped real files add 3.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app
from stridewise.series import load_daily_series
from stridewise.store import open_store

# (id, the instant in UTC, the demo athlete's date in Europe/London, activities stored)
DEMO_DATES = [
    ("monday", datetime(2026, 11, 23, 12, 0, tzinfo=UTC), date(2026, 11, 23), 39),
    ("tuesday", datetime(2026, 11, 24, 12, 0, tzinfo=UTC), date(2026, 11, 24), 40),
    ("wednesday", datetime(2026, 11, 25, 12, 0, tzinfo=UTC), date(2026, 11, 25), 40),
    ("thursday", datetime(2026, 11, 26, 12, 0, tzinfo=UTC), date(2026, 11, 26), 41),
    ("friday", datetime(2026, 11, 27, 12, 0, tzinfo=UTC), date(2026, 11, 27), 41),
    ("saturday", datetime(2026, 11, 28, 12, 0, tzinfo=UTC), date(2026, 11, 28), 41),
    ("sunday", datetime(2026, 11, 29, 12, 0, tzinfo=UTC), date(2026, 11, 29), 42),
    ("month-end", datetime(2026, 11, 30, 23, 30, tzinfo=UTC), date(2026, 11, 30), 39),
    ("new-year-eve", datetime(2026, 12, 31, 23, 30, tzinfo=UTC), date(2026, 12, 31), 41),
    ("new-year-day", datetime(2027, 1, 1, 0, 30, tzinfo=UTC), date(2027, 1, 1), 41),
    ("leap-day", datetime(2028, 2, 29, 12, 0, tzinfo=UTC), date(2028, 2, 29), 40),
    # London's repeated hour: 01:30 BST (00:30 UTC), then 01:30 GMT (01:30 UTC), a Sunday.
    ("london-repeated-hour-1", datetime(2026, 10, 25, 0, 30, tzinfo=UTC), date(2026, 10, 25), 42),
    ("london-repeated-hour-2", datetime(2026, 10, 25, 1, 30, tzinfo=UTC), date(2026, 10, 25), 42),
    # Ten seconds before London's missing hour (01:00 GMT jumps to 02:00 BST), a Sunday.
    ("london-spring-forward", datetime(2027, 3, 28, 0, 59, 50, tzinfo=UTC), date(2027, 3, 28),
     42),
    # 18:00 in Los Angeles on 31 December is already 1 January in London: the athlete's zone
    # decides, not the machine's.
    ("la-evening-is-london-new-year", datetime(2027, 1, 1, 2, 0, tzinfo=UTC), date(2027, 1, 1),
     41),
]


@pytest.mark.slow
@pytest.mark.parametrize(("instant", "london_day", "stored"),
                         [pytest.param(*row[1:], id=row[0]) for row in DEMO_DATES])
def test_demo_on_a_fixed_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              instant: datetime, london_day: date, stored: int) -> None:
    # A machine zone far from the athlete's: a rule that read the machine's date would break.
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    folder, report = tmp_path / "demo", tmp_path / "report.html"
    url = f"sqlite:///{folder / 'demo.db'}"
    runner = CliRunner()
    with clock.use_clock(clock.FixedClock(instant)):
        result = runner.invoke(app, ["demo", "--dir", str(folder), "--report", str(report)])
        assert result.exit_code == 0, result.output
        assert "Today:" in result.output and "Why:" in result.output
        with open_store(url) as store:
            athlete_id = store.default_athlete_id()
            with store.transaction() as tx:
                assert tx.count_activities(athlete_id) == stored
                plan = tx.active_plan(athlete_id)
                assert plan is not None
            daily = load_daily_series(store, athlete_id)
        assert daily["date"].iloc[-1] == london_day
        assert daily["who_equivalent_min"].tail(28).sum() > 0

        today = runner.invoke(app, ["today", "--db", url])
        assert today.exit_code == 0, today.output
        assert today.output.startswith(f"Today ({london_day:%A %d %B}):")

        ics = tmp_path / "plan.ics"
        exported = runner.invoke(app, ["plan", "export", "--ics", str(ics), "--db", url])
        assert exported.exit_code == 0, exported.output
        events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
        assert events
        # Nothing still to do is dated before the athlete's today.
        starts = [e.decoded("DTSTART") for e in events if str(e.get("STATUS")) != "CANCELLED"]
        days = [s.date() if isinstance(s, datetime) else s for s in starts]
        assert min(days) >= london_day

        again = runner.invoke(app, ["report", "--out", str(report), "--db", url])
        assert again.exit_code == 0, again.output
        html = report.read_text(encoding="utf-8")
        assert f"{london_day:%d %B %Y}".lstrip("0") in html or london_day.isoformat() in html
