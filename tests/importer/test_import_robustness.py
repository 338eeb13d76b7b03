"""A batch goes on past any bad file, and every failure is logged with its reason."""

from __future__ import annotations

import pytest
from fakes_import import FakeMeta, FakeSource, dying_reader, fake_reader
from sqlalchemy.exc import DataError

from stridewise.importer import SAME_FILE, FileResult, import_sources
from stridewise.ingest import MAX_FILE_BYTES
from stridewise.ingest.parallel import WORKER_DIED
from stridewise.store import Store, Tx
from stridewise.store.models import Activity as ActivityRow

RUN_A = "fit 2024-05-04T06:30:00+00:00 3600 10000"
RUN_B = "fit 2024-05-05T06:30:00+00:00 1800 5000"
RUN_C = "fit 2024-05-06T06:30:00+00:00 1800 5000"


def _import(store: Store, sources: list[FakeSource], **kwargs: object) -> list[FileResult]:
    report = import_sources(
        store, sources, athlete_id=store.default_athlete_id(),
        **{"reader": fake_reader, **kwargs},  # type: ignore[arg-type]
    )
    assert not report.interrupted
    return report.files


def _logged(store: Store) -> list[tuple[str, str]]:
    with store.transaction() as tx:
        return [(r.source_name, r.status) for r in tx.list_import_log(store.default_athlete_id())]


def test_a_database_error_fails_that_file_and_the_batch_goes_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Tx.add_activity

    def refuse_b(self: Tx, athlete_id: int, activity: object, **kw: object) -> ActivityRow:
        if kw.get("source_name") == "b.fit":
            raise DataError("INSERT", {}, Exception("value too long for type character varying"))
        return original(self, athlete_id, activity, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Tx, "add_activity", refuse_b)
    files = _import(store, [FakeSource(n, p) for n, p in
                            (("a.fit", RUN_A), ("b.fit", RUN_B), ("c.fit", RUN_C))])
    assert [f.status for f in files] == ["imported", "failed", "imported"]
    assert "could not be saved to the database (value too long" in (files[1].reason or "")
    assert _logged(store) == [("a.fit", "imported"), ("b.fit", "failed"), ("c.fit", "imported")]
    with store.transaction() as tx:
        assert tx.count_activities(store.default_athlete_id()) == 2


class _ExplodingSource(FakeSource):
    def read(self) -> bytes:
        raise NotImplementedError("That compression method is not supported")


class _HugeSource(FakeSource):
    @property
    def size_bytes(self) -> int:
        return MAX_FILE_BYTES + 1

    def read(self) -> bytes:
        raise AssertionError("a file over the cap must not be read")


def test_any_error_reading_a_source_fails_that_file_and_is_logged(store: Store) -> None:
    files = _import(store, [FakeSource("a.fit", RUN_A), _ExplodingSource("x.gpx", ""),
                            _HugeSource("huge.fit", ""), FakeSource("c.fit", RUN_C)])
    assert [f.status for f in files] == ["imported", "failed", "failed", "imported"]
    # Plain words, never the internal exception (issue 11): the detail is in the debug log.
    assert files[1].reason == "cannot be read: the file or archive is damaged"
    assert "over the 256 MiB cap" in (files[2].reason or "")
    assert _logged(store) == [("a.fit", "imported"), ("x.gpx", "failed"),
                              ("huge.fit", "failed"), ("c.fit", "imported")]


def test_a_worker_that_dies_fails_only_its_own_file(store: Store) -> None:
    sources = [
        FakeSource(f"run{i}.fit", f"fit 2024-05-{i + 1:02d}T06:30:00+00:00 600 2000")
        for i in range(8)
    ]
    sources.insert(2, FakeSource("kills.fit", "DIE"))
    files = _import(store, sources, workers=2, reader=dying_reader)
    assert [f.source_name for f in files] == [s.name for s in sources]
    assert [f.status for f in files].count("imported") == 8
    assert (files[2].status, files[2].reason) == ("failed", WORKER_DIED)
    with store.transaction() as tx:
        assert tx.count_activities(store.default_athlete_id()) == 8


def test_a_richer_recording_keeps_the_name_and_rpe_and_takes_a_new_id(store: Store) -> None:
    first = _import(store, [FakeSource(
        "strava.gpx", "gpx 2024-05-04T06:30:00+00:00 3600 10000",
        meta=FakeMeta(name="Sunday long run", rpe=7.0))])
    second = _import(store, [FakeSource("watch.fit", "fit 2024-05-04T06:30:20+00:00 3600 10050")])
    old_id, new_id = first[0].activity_ids[0], second[0].activity_ids[0]
    assert new_id > old_id  # never the id of the activity it replaced
    with store.transaction() as tx:
        row = tx.get_activity(store.default_athlete_id(), new_id)
        assert row is not None and tx.get_activity(store.default_athlete_id(), old_id) is None
        assert (row.source_format, row.name, row.rpe) == ("fit", "Sunday long run", 7.0)


def test_activity_ids_are_not_reused_after_a_deletion(store: Store) -> None:
    first = _import(store, [FakeSource("a.fit", RUN_A)])[0].activity_ids[0]
    with store.write_transaction() as tx:
        tx.delete_activity(store.default_athlete_id(), first)
    again = _import(store, [FakeSource("b.fit", RUN_B)])[0].activity_ids[0]
    assert again > first


def test_the_same_file_imported_by_another_process_meanwhile_is_a_duplicate(
    store: Store,
) -> None:
    athlete_id = store.default_athlete_id()
    report = import_sources(store, [FakeSource("a.fit", RUN_A)], athlete_id=athlete_id,
                            reader=fake_reader)
    digest = report.files[0].sha256
    with store.write_transaction(athlete_id) as tx:
        assert digest is not None and tx.is_done_hash(athlete_id, digest)
    # A batch that began before that commit (its done-set is stale) re-checks inside its lock.
    from stridewise import importer

    job = importer._Job(FakeSource("copy.fit", RUN_A), RUN_A.encode(), digest)
    result = importer._store_job(store, athlete_id, job, set(), fake_reader, None)
    assert (result.status, result.reason) == ("duplicate", SAME_FILE)
