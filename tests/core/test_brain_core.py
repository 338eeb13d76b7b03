"""Core.brain and Core.answer_brain: answers checked and stored, physical inactivity taken
from the person's own data once 4 weeks are recorded, and the WHO-5 item in the one voice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from stridewise import clock
from stridewise.activity import ManualSession
from stridewise.core.app import Core
from stridewise.core.validation import InvalidValue
from stridewise.store import CheckInInput, Store, open_store

TODAY = date(2026, 6, 30)


def _at(days_ago: int, hour: int = 9) -> datetime:
    d = TODAY - timedelta(days=days_ago)
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'brain.db'}")
    with clock.use_clock(clock.FixedClock(_at(0, 12))):
        yield s
    s.close()


def test_bad_answer_names_the_question_and_stores_nothing(store: Store) -> None:
    core = Core(store)
    ctx = core.context()
    with pytest.raises(InvalidValue) as err:
        core.answer_brain(ctx, {"smoking": "yes", "alcohol": "lots"})
    assert err.value.field == "alcohol"
    assert core.brain(ctx).answered_on is None
    with pytest.raises(InvalidValue) as err:
        core.answer_brain(ctx, {"coffee": "yes"})
    assert err.value.field == "coffee"


def test_answers_are_scored(store: Store) -> None:
    core = Core(store)
    ctx = core.context()
    core.answer_brain(ctx, {"hypertension": "yes", "smoking": "yes", "alcohol": "none"})
    profile = core.brain(ctx)
    assert profile.answered_on == TODAY
    assert profile.libra.score == pytest.approx(1.6 + 1.5 - 1.0)
    assert profile.answers["diabetes"] == "unknown"


def _runs(core: Core, weeks: int, per_week: int, minutes: int) -> None:
    ctx = core.context()
    for week in range(weeks):
        for k in range(per_week):
            days_ago = 7 * week + 2 * k + 1
            core.log_session(ctx, ManualSession(_at(days_ago, 7), "run", minutes * 60.0,
                                                distance_m=minutes * 160.0, rpe=6))


def test_inactivity_follows_the_data_once_four_weeks_are_recorded(store: Store) -> None:
    core = Core(store)
    ctx = core.context()
    core.answer_brain(ctx, {"physical_inactivity": "yes"})
    _runs(core, weeks=2, per_week=3, minutes=40)
    early = core.brain(ctx)
    assert early.inactivity.source == "answer" and early.inactivity.inactive is True
    assert early.libra.score == pytest.approx(1.1)
    _runs(core, weeks=5, per_week=3, minutes=40)  # now over 4 weeks recorded
    later = Core(store).brain(ctx)
    assert later.inactivity.source == "data"
    assert later.inactivity.inactive is False
    assert later.inactivity.weekly_min is not None and later.inactivity.weekly_min >= 150
    assert later.libra.score == pytest.approx(0.0)
    row = next(f for f in later.factors if f.id == "physical_inactivity")
    assert row.source == "data" and "last 4 weeks" in row.answer


def test_little_activity_recorded_counts_as_inactive_whatever_the_answer(store: Store) -> None:
    core = Core(store)
    ctx = core.context()
    core.answer_brain(ctx, {"physical_inactivity": "no"})
    _runs(core, weeks=6, per_week=1, minutes=20)
    profile = core.brain(ctx)
    assert profile.inactivity.source == "data" and profile.inactivity.inactive is True


def _who5(core: Core, days_ago: int, items: tuple[int, int, int, int, int]) -> None:
    core.record_checkin(core.context(), CheckInInput(_at(days_ago), who5=items))


def test_low_wellbeing_is_said_once_through_the_one_voice(store: Store) -> None:
    core = Core(store)
    ctx = core.context()
    _who5(core, 2, (2, 3, 2, 2, 2))  # 4 x 11 = 44: below 50
    items = [w for w in core.advice(ctx).warnings if w.id == "wellbeing"]
    assert len(items) == 1 and "44 out of 100" in items[0].text and "doctor" in items[0].text
    assert "soon" not in items[0].text


def test_very_low_wellbeing_says_see_a_doctor_soon(store: Store) -> None:
    core = Core(store)
    ctx = core.context()
    _who5(core, 1, (1, 1, 2, 1, 1))  # 24: 28 or below
    items = [w for w in core.advice(ctx).warnings if w.id == "wellbeing"]
    assert len(items) == 1 and "24 out of 100" in items[0].text
    assert "see your doctor soon" in items[0].text


def test_good_or_old_answers_say_nothing(store: Store) -> None:
    core = Core(store)
    ctx = core.context()
    _runs(core, weeks=4, per_week=1, minutes=20)  # the series starts at the first run
    _who5(core, 20, (1, 1, 1, 1, 1))  # low, but outside the last two weeks
    _who5(core, 3, (3, 3, 3, 3, 3))  # 60
    assert not [w for w in core.advice(ctx).warnings if w.id == "wellbeing"]
    windows = core.brain(ctx).who5
    assert windows[-1].percent == 60.0 and windows[-2].percent == 20.0


def test_wellbeing_answers_from_before_the_first_session_are_shown(store: Store) -> None:
    core = Core(store)
    ctx = core.context()
    _who5(core, 40, (2, 2, 2, 2, 2))  # 40, in the window of days 28-41 ago
    _runs(core, weeks=1, per_week=1, minutes=20)  # first session yesterday
    windows = core.brain(ctx).who5
    assert [w.percent for w in windows if w.percent == w.percent] == [40.0]
    assert windows[-3].percent == 40.0 and windows[-3].band == "poor"


def test_low_wellbeing_from_before_the_first_session_is_still_said(store: Store) -> None:
    """The series starts at the first session; a low WHO-5 answered a few days before it is
    in the current two-week window, so the one voice must still say it (and the Brain page
    show it in the latest window)."""
    core = Core(store)
    ctx = core.context()
    _who5(core, 6, (1, 1, 2, 1, 1))  # 24, six days ago
    _runs(core, weeks=1, per_week=1, minutes=20)  # first session yesterday
    items = [w for w in core.advice(ctx).warnings if w.id == "wellbeing"]
    assert len(items) == 1 and "24 out of 100" in items[0].text
    assert core.brain(ctx).who5[-1].percent == 24.0
