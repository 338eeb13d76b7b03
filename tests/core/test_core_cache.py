"""The core's caches (series, advice, a face's view) never serve an answer older than the
rows: after each kind of change, from the core or from any other writer, what the core gives
equals a computation from scratch, exactly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from stridewise import clock
from stridewise.activity import ManualSession
from stridewise.core.app import Core
from stridewise.series import daily_series, load_frames
from stridewise.store import CheckInInput, Store, open_store

TODAY = date(2026, 6, 30)


def _at(days_ago: int, hour: int = 9) -> datetime:
    d = TODAY - timedelta(days=days_ago)
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Both databases: their triggers move the revision differently (PostgreSQL once per
    transaction, SQLite per row)."""
    url = (f"sqlite:///{tmp_path / 'cache.db'}" if request.param == "sqlite"
           else request.getfixturevalue("pg_url"))
    s = open_store(url)
    with clock.use_clock(clock.FixedClock(_at(0, 12))):
        yield s
    s.close()


def _fresh(store: Store, athlete_id: int) -> pd.DataFrame:
    return daily_series(load_frames(store, athlete_id), through=TODAY)


@pytest.mark.parametrize("answer_after_writes", [False, True])
def test_series_follows_every_kind_of_change_exactly(store: Store,
                                                   answer_after_writes: bool) -> None:
    # The dashboards work the advice out right after each write, in the write's transaction.
    core = Core(store, answer_after_writes=answer_after_writes)
    ctx = core.context()
    for n in range(40, 0, -2):
        core.log_session(ctx, ManualSession(_at(n), "run" if n % 4 else "walk", 1800.0,
                                            distance_m=5000.0, rpe=5.0))
    pd.testing.assert_frame_equal(core.series(ctx), _fresh(store, ctx.athlete_id))
    # A check-in recomputes only its own columns; the result is still exact.
    core.record_checkin(ctx, CheckInInput(_at(1), sleep_hours=6.5, pain_site="left shin",
                                          pain_score=2, pain_timing="after"))
    pd.testing.assert_frame_equal(core.series(ctx), _fresh(store, ctx.athlete_id))
    assert core.series(ctx)["pain_max"].iloc[-2] == 2
    assert core.advice(ctx) == Core(store).advice(ctx)  # kept equals made afresh
    core.log_session(ctx, ManualSession(_at(0, 7), "run", 2400.0, distance_m=6000.0, rpe=6.0))
    pd.testing.assert_frame_equal(core.series(ctx), _fresh(store, ctx.athlete_id))
    # A change in place from outside the core (another process, a script): seen all the same.
    with store.write_transaction(ctx.athlete_id) as tx:
        tx.update_athlete(ctx.athlete_id, resting_hr_bpm=48.0, max_hr_bpm=181.0)
    pd.testing.assert_frame_equal(core.series(ctx), _fresh(store, ctx.athlete_id))
    with store.write_transaction(ctx.athlete_id) as tx:
        tx.add_checkin(ctx.athlete_id, CheckInInput(_at(0, 8), sleep_hours=8.0))
    fresh = _fresh(store, ctx.athlete_id)
    pd.testing.assert_frame_equal(core.series(ctx), fresh)
    assert fresh["sleep_hours"].iloc[-1] == 8.0


@pytest.mark.parametrize("answer_after_writes", [False, True])
def test_advice_follows_a_check_in_written_elsewhere(store: Store,
                                                     answer_after_writes: bool) -> None:
    # The dashboards work the advice out right after each write, in the write's transaction.
    core = Core(store, answer_after_writes=answer_after_writes)
    ctx = core.context()
    core.log_session(ctx, ManualSession(_at(3), "run", 1800.0, distance_m=5000.0, rpe=5.0))
    assert core.advice(ctx).advice.see_doctor is False
    assert core.advice(ctx) is core.advice(ctx)  # kept while nothing changed
    # Another face (another process) stores a red-flag check-in straight into the database.
    with store.write_transaction(ctx.athlete_id) as tx:
        tx.add_checkin(ctx.athlete_id, CheckInInput(_at(0, 8), pain_site="left shin",
                                                    pain_score=8, pain_timing="at_rest"))
    answer = core.advice(ctx)
    assert answer.advice.see_doctor is True
    assert any(w.id == "pain" and w.tone == "stop" for w in answer.warnings)
    assert Core(store).advice(ctx).warnings == answer.warnings  # a new process agrees


def test_a_new_day_is_a_new_answer(store: Store) -> None:
    core = Core(store)
    ctx = core.context()
    core.log_session(ctx, ManualSession(_at(2), "walk", 1800.0, distance_m=3000.0, rpe=3.0))
    before = core.series(ctx)
    with clock.use_clock(clock.FixedClock(_at(-1, 12))):
        tomorrow = core.context()
        after = core.series(tomorrow)
    assert len(after) == len(before) + 1
    assert after["date"].iloc[-1] == TODAY + timedelta(days=1)


def test_a_view_computed_through_the_core_sees_a_write_made_just_before(store: Store) -> None:
    from stridewise.present.trend_charts import trend_charts

    core = Core(store)
    ctx = core.context()
    for n in range(20, 0, -2):
        core.log_session(ctx, ManualSession(_at(n), "run", 1800.0, distance_m=5000.0, rpe=5.0))
    core.series(ctx)  # a Trends request starts: the series is read ...
    with store.write_transaction(ctx.athlete_id) as tx:  # ... another process writes ...
        tx.add_checkin(ctx.athlete_id, CheckInInput(_at(1), pain_site="left shin",
                                                    pain_score=3, pain_timing="after"))
    # ... and the charts are computed (inside, through the core) and kept under the new number.
    charts = core.derived(ctx, ("trend_charts", "km", 365),
                          lambda: trend_charts(core.series(ctx), units="km", days=365))
    fresh = trend_charts(_fresh(store, ctx.athlete_id), units="km", days=365)
    assert [_json(c.figure) for c in charts] == [_json(c.figure) for c in fresh]


def _json(figure: object) -> str:
    import json

    from plotly.utils import PlotlyJSONEncoder

    return json.dumps(figure, cls=PlotlyJSONEncoder, sort_keys=True)


def test_the_cache_replaces_an_entry_for_a_new_day_and_stays_within_its_bytes() -> None:
    from stridewise.core.derived_cache import DerivedCache

    cache = DerivedCache(max_bytes=3 * 8 * 1000)
    frame = pd.DataFrame({"x": range(1000)})  # 8,000 bytes of values (+ a range index)
    assert cache.get(1, "series", (TODAY, 1), lambda: frame) is frame
    later = frame.copy()
    assert cache.get(1, "series", (TODAY + timedelta(days=1), 1), lambda: later) is later
    assert cache.get(1, "series", (TODAY + timedelta(days=1), 1), lambda: frame) is later
    for athlete in range(2, 10):
        cache.get(athlete, "series", (TODAY, 1), lambda: frame.copy())
    kept = [a for a in range(1, 10) if cache.get(a, "series", (TODAY, 1), lambda: None)
            is not None]
    assert len(kept) <= 3  # older entries went first; at most max_bytes are kept


def test_trends_in_two_parts_equal_the_whole_and_follow_changes(store: Store) -> None:
    """The Trends page keeps its session charts through check-ins and makes the rest again:
    together they are exactly the charts made from scratch, before and after a check-in and
    after a new session."""
    from stridewise.present.trend_charts import joined_charts, trend_charts

    core = Core(store)
    ctx = core.context()

    def page() -> list[str]:
        from_sessions = core.derived_from_sessions(
            ctx, ("trend_charts", "km", 365),
            lambda: trend_charts(core.session_days(ctx), units="km", days=365,
                                 part="sessions"))
        rest = core.derived(ctx, ("trend_charts", "km", 365),
                            lambda: trend_charts(core.series(ctx), units="km", days=365,
                                                 part="rest"))
        return [_json(c.figure) for c in joined_charts(from_sessions, rest)]

    def whole() -> list[str]:
        return [_json(c.figure) for c in trend_charts(_fresh(store, ctx.athlete_id),
                                                      units="km", days=365)]

    for n in range(40, 0, -3):
        core.log_session(ctx, ManualSession(_at(n), "run", 1800.0, distance_m=5000.0, rpe=5.0))
    assert page() == whole()
    core.record_checkin(ctx, CheckInInput(_at(1), pain_site="left shin", pain_score=3,
                                          pain_timing="after"))
    assert page() == whole()
    core.log_session(ctx, ManualSession(_at(0, 7), "run", 2400.0, distance_m=7000.0, rpe=6.0))
    assert page() == whole()
    assert len(page()) >= 7  # minutes, distance, load, ratio, monotony, bone, pain


@pytest.mark.parametrize("answer_after_writes", [False, True])
def test_processes_agree_after_a_re_plan_and_the_answer_is_ready(
        store: Store, answer_after_writes: bool) -> None:
    """Two processes (two cores on one database) give the same answer, the plan's reasons
    included, after a logged run that makes the plan re-made; and with answers after writes
    the next page finds the answer ready (nothing worked out again)."""
    from stridewise.science.screening import BoneInputs, ParqAnswers, Sex

    worker_a = Core(store, answer_after_writes=answer_after_writes)
    worker_b = Core(store, answer_after_writes=answer_after_writes)
    ctx = worker_a.context()
    with store.write_transaction(ctx.athlete_id) as tx:
        tx.update_athlete(ctx.athlete_id, sex="male", birth_year=1981)
    parq = ParqAnswers(heart_condition_or_high_blood_pressure=False, chest_pain=False,
                       dizziness_or_fainting=False, other_chronic_condition=False,
                       medication_for_chronic_condition=False,
                       bone_joint_or_soft_tissue_problem=False,
                       told_supervised_activity_only=False, age_years=45,
                       used_to_vigorous_effort=True)
    worker_a.submit_screening(ctx, parq, BoneInputs(sex=Sex.MALE, age_years=45,
                                                    body_mass_kg=80.0))
    for n in range(29, 1, -2):
        worker_a.log_session(ctx, ManualSession(_at(n), "run", 1800.0, distance_m=5000.0,
                                                rpe=5.0))
    worker_a.make_plan(ctx, "maintain", range(7), 45)
    # A run 20% longer than the month's longest: the single-run rule holds the next runs.
    worker_a.log_session(ctx, ManualSession(_at(0, 7), "run", 2400.0, distance_m=6000.0,
                                            rpe=6.0))
    made: list[int] = []
    compute = worker_a._advice

    def counted(*args: object) -> object:
        made.append(1)
        return compute(*args)  # type: ignore[arg-type]

    worker_a._advice = counted  # type: ignore[method-assign,assignment]
    a = worker_a.advice(ctx)
    if answer_after_writes:
        assert made == []  # worked out with the write, kept under the number after it
    b = worker_b.advice(ctx)
    assert a.changes and a.changes == b.changes
    assert a == b
    assert worker_a.advice(ctx) == Core(store).advice(ctx)


def test_a_check_in_and_its_answer_apply_the_pain_rules_once(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check-in applies the pain rules and its answer (same transaction, nothing written
    between) reuses them; the answer still equals one made afresh."""
    from stridewise.plan import service

    calls: list[date] = []
    real = service.pain_decision

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "pain_decision", counted)
    core = Core(store, answer_after_writes=True)
    ctx = core.context()
    core.log_session(ctx, ManualSession(_at(3), "run", 1800.0, distance_m=5000.0, rpe=5.0))
    calls.clear()
    core.record_checkin(ctx, CheckInInput(_at(0, 8), sleep_hours=7.0, pain_site="left shin",
                                          pain_score=2, pain_timing="after"))
    assert calls == [TODAY]
    assert core.advice(ctx) == Core(store).advice(ctx)
