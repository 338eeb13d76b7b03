"""The cross-format duplicate rule: one activity recorded as FIT and GPX is kept once."""

from __future__ import annotations

import pytest
from fakes_import import FakeSource, fake_reader

from stridewise.importer import import_sources, is_same_activity
from stridewise.store import Store

FIT = "fit 2024-05-04T06:30:00+00:00 3600 10000"
GPX_SAME = "gpx 2024-05-04T06:30:40+00:00 3590 9800"
TCX_SAME = "tcx 2024-05-04T06:30:05+00:00 3600 10010"


@pytest.mark.parametrize(
    ("b", "same"),
    [
        ((59.0, 3600.0, 10000.0), True),
        ((61.0, 3600.0, 10000.0), False),
        ((0.0, 3600.0 * 0.96, 10000.0), True),
        ((0.0, 3600.0 * 0.94, 10000.0), False),
        ((0.0, 3600.0, 10000.0 * 0.98), True),
        ((0.0, 3600.0, 10000.0 * 0.96), False),
        ((0.0, 3600.0, None), True),  # no distance on one side: time alone decides
    ],
)
def test_rule(b: tuple[float, float, float | None], same: bool) -> None:
    assert is_same_activity(0.0, 3600.0, 10000.0, *b) is same


def _import(store: Store, *payloads: tuple[str, str]) -> list[tuple[str, str, str | None]]:
    report = import_sources(
        store,
        [FakeSource(name, text) for name, text in payloads],
        athlete_id=store.default_athlete_id(),
        reader=fake_reader,
    )
    return [(f.source_name, f.status, f.reason) for f in report.files]


def _kept_formats(store: Store) -> list[str]:
    with store.transaction() as tx:
        return [a.source_format for a in tx.list_activities(store.default_athlete_id())]


def test_fit_after_gpx_replaces_it(store: Store) -> None:
    _import(store, ("run.gpx", GPX_SAME))
    assert _import(store, ("run.fit", FIT)) == [("run.fit", "imported", None)]
    assert _kept_formats(store) == ["fit"]
    with store.transaction() as tx:
        log = {r.source_name: r for r in tx.list_import_log(store.default_athlete_id())}
    assert log["run.gpx"].status == "duplicate" and log["run.gpx"].activity_id is None
    assert "run.fit" in (log["run.gpx"].reason or "")
    assert "FIT over GPX" in (log["run.gpx"].reason or "")


def test_poorer_format_after_fit_is_logged_as_duplicate(store: Store) -> None:
    results = _import(store, ("run.fit", FIT), ("run.tcx", TCX_SAME), ("run.gpx", GPX_SAME))
    assert [r[1] for r in results] == ["imported", "duplicate", "duplicate"]
    assert "run.fit" in (results[1][2] or "") and "FIT" in (results[1][2] or "")
    assert _kept_formats(store) == ["fit"]


def test_tcx_beats_gpx_and_different_runs_both_stay(store: Store) -> None:
    other_run = "gpx 2024-05-04T17:00:00+00:00 3600 10000"
    _import(store, ("run.gpx", GPX_SAME), ("run.tcx", TCX_SAME), ("evening.gpx", other_run))
    assert sorted(_kept_formats(store)) == ["gpx", "tcx"]


def test_duplicates_are_per_athlete(store: Store) -> None:
    _import(store, ("run.fit", FIT))
    with store.transaction() as tx:
        other = tx.add_athlete("partner").id
    report = import_sources(
        store, [FakeSource("run.gpx", GPX_SAME), FakeSource("run.fit", FIT)],
        athlete_id=other, reader=fake_reader,
    )
    assert [f.status for f in report.files] == ["imported", "imported"]
