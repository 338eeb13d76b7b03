"""The one clock: today is the athlete's, instants are UTC, the machine's zone only seeds a new
athlete."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from stridewise import clock
from stridewise.store import open_store


def test_today_is_the_date_in_the_given_zone() -> None:
    # 2026-12-31 18:00 in Los Angeles is 02:00 on 1 January in London and UTC.
    with clock.use_clock(clock.FixedClock(datetime(2027, 1, 1, 2, 0, tzinfo=UTC))):
        assert clock.today("America/Los_Angeles") == date(2026, 12, 31)
        assert clock.today("Europe/London") == date(2027, 1, 1)
        assert clock.today("Not/AZone") == date(2027, 1, 1)  # unknown names read as UTC
        assert clock.now_utc() == datetime(2027, 1, 1, 2, 0, tzinfo=UTC)


def test_a_fixed_clock_moves_only_when_told() -> None:
    fixed = clock.FixedClock(datetime(2027, 3, 14, 1, 59, 50))  # naive: taken as UTC
    with clock.use_clock(fixed):
        assert clock.now_utc().tzinfo is UTC
        fixed.advance(timedelta(seconds=20))
        assert clock.now_utc() == datetime(2027, 3, 14, 2, 0, 10, tzinfo=UTC)
    assert clock.current() is not fixed  # restored after the block


@pytest.mark.parametrize(("tz", "expected"), [
    ("America/New_York", "America/New_York"), (":Europe/London", "Europe/London"),
])
def test_machine_zone_comes_from_tz(monkeypatch: pytest.MonkeyPatch, tz: str,
                                    expected: str) -> None:
    monkeypatch.setenv("TZ", tz)
    assert clock.machine_zone_name() == expected


def test_a_new_athlete_keeps_the_zone_of_its_creation(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Australia/Sydney")
    with open_store(f"sqlite:///{tmp_path / 'sw.db'}") as store:
        athlete_id = store.default_athlete_id()
        monkeypatch.setenv("TZ", "America/Chicago")  # the machine moves; the athlete does not
        with store.transaction() as tx:
            athlete = tx.get_athlete(athlete_id)
            assert athlete is not None and athlete.time_zone == "Australia/Sydney"
