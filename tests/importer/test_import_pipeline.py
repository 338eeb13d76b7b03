"""The import pipeline on fake files: statuses, resumption, atomicity, metadata, workers."""

from __future__ import annotations

import pytest
from fakes_import import FakeMeta, FakeSource, fake_reader
from sqlalchemy import func, select

from stridewise.importer import SAME_FILE, FileResult, import_sources
from stridewise.store import Store, Tx
from stridewise.store.models import Activity, ActivityStream, ImportLog

RUN_A = "fit 2024-05-04T06:30:00+00:00 3600 10000"
RUN_B = "fit 2024-05-05T06:30:00+00:00 1800 5000"
MANUAL = "manual 2024-05-06T18:00:00+00:00 1200 -"


def _count(store: Store, table: type) -> int:
    with store.transaction() as tx:
        return int(tx.session.scalar(select(func.count()).select_from(table)) or 0)


def _run(store: Store, sources: list[FakeSource], **kwargs: object) -> list[FileResult]:
    athlete_id = store.default_athlete_id()
    report = import_sources(
        store, sources, athlete_id=athlete_id, reader=fake_reader, **kwargs  # type: ignore[arg-type]
    )
    assert not report.interrupted
    return report.files


def test_bad_file_is_reported_and_the_rest_imported(store: Store) -> None:
    seen: list[tuple[str, int, int]] = []
    files = _run(
        store,
        [FakeSource("a.fit", RUN_A), FakeSource("bad.fit", "BAD"), FakeSource("b.fit", RUN_B),
         FakeSource("s.csv", MANUAL)],
        progress=lambda result, done, total: seen.append((result.source_name, done, total)),
    )
    assert [(f.source_name, f.status) for f in files] == [
        ("a.fit", "imported"), ("bad.fit", "failed"), ("b.fit", "imported"),
        ("s.csv", "imported"),
    ]
    assert files[1].reason == "the test file is damaged"
    assert seen == [("a.fit", 1, 4), ("bad.fit", 2, 4), ("b.fit", 3, 4), ("s.csv", 4, 4)]
    assert _count(store, Activity) == 2 and _count(store, ActivityStream) == 2
    with store.transaction() as tx:
        log = tx.list_import_log(store.default_athlete_id())
        assert [(r.source_name, r.status) for r in log] == [
            (f.source_name, f.status) for f in files
        ]
        assert log[0].activity_id == files[0].activity_ids[0]
        assert len(tx.list_manual_sessions(store.default_athlete_id())) == 1
        assert store.raw.has(files[0].sha256 or "")


def test_reimport_skips_what_is_done_and_retries_failures(store: Store) -> None:
    sources = [FakeSource("a.fit", RUN_A), FakeSource("bad.fit", "BAD")]
    _run(store, sources)
    again = _run(store, [*sources, FakeSource("copy-of-a.fit", RUN_A)])
    assert [(f.status, f.reason) for f in again] == [
        ("duplicate", SAME_FILE), ("failed", "the test file is damaged"),
        ("duplicate", SAME_FILE),
    ]
    assert _count(store, Activity) == 1


def test_a_copy_within_one_batch_is_a_same_file_duplicate(store: Store) -> None:
    files = _run(store, [FakeSource("a.fit", RUN_A), FakeSource("again/a.fit", RUN_A)])
    assert [(f.status, f.reason) for f in files] == [("imported", None), ("duplicate", SAME_FILE)]


def test_a_crash_mid_file_leaves_nothing_half_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Tx.add_import_log
    calls = {"n": 0}

    def crash_on_second_file(self: Tx, *args: object, **kwargs: object) -> ImportLog:
        calls["n"] += 1
        if calls["n"] == 2:  # activity and stream of b.fit are already flushed
            raise OSError("disk full")
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Tx, "add_import_log", crash_on_second_file)
    sources = [FakeSource("a.fit", RUN_A), FakeSource("b.fit", RUN_B)]
    with pytest.raises(OSError, match="disk full"):
        _run(store, sources)
    assert _count(store, Activity) == 1 and _count(store, ActivityStream) == 1
    assert _count(store, ImportLog) == 1
    monkeypatch.setattr(Tx, "add_import_log", original)
    resumed = _run(store, sources)
    assert [f.status for f in resumed] == ["duplicate", "imported"]
    assert _count(store, Activity) == 2 and _count(store, ActivityStream) == 2


class _InterruptingSource(FakeSource):
    def read(self) -> bytes:
        raise KeyboardInterrupt


def test_ctrl_c_keeps_what_was_committed(store: Store) -> None:
    sources = [FakeSource("a.fit", RUN_A), _InterruptingSource("b.fit", RUN_B)]
    report = import_sources(
        store, sources, athlete_id=store.default_athlete_id(), reader=fake_reader
    )
    assert report.interrupted
    assert [f.source_name for f in report.imported] == ["a.fit"]
    assert _count(store, Activity) == 1


def test_archive_metadata_overrides_the_file(store: Store) -> None:
    meta = FakeMeta(name="Parkrun", sport="Run", rpe=6.0)
    files = _run(store, [FakeSource("a.fit", RUN_A + " other", meta=meta)])
    with store.transaction() as tx:
        row = tx.get_activity(store.default_athlete_id(), files[0].activity_ids[0])
        assert row is not None and (row.name, row.sport, row.rpe) == ("Parkrun", "run", 6.0)
    bad_rpe = _run(store, [FakeSource("b.fit", RUN_B, meta=FakeMeta(rpe=14.0))])
    assert any("RPE" in w for w in bad_rpe[0].warnings)


def test_worker_processes_give_the_same_result(store: Store) -> None:
    sources = [
        FakeSource(f"run{i}.fit", f"fit 2024-05-{i + 1:02d}T06:30:00+00:00 600 2000")
        for i in range(6)
    ]
    sources.insert(3, FakeSource("bad.fit", "BAD"))
    files = _run(store, sources, workers=2)
    assert [f.source_name for f in files] == [s.name for s in sources]
    assert [f.status for f in files].count("imported") == 6
    assert files[3].status == "failed" and files[3].reason == "the test file is damaged"
