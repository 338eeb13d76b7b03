"""Real files from ../shared/samples: one run exported as FIT, GPX and TCX is kept once (the
FIT), and corrupt files are reported while the rest import."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridewise.importer import import_paths
from stridewise.store import Store

RUN_ID = "run_fr945_14k_6782987395"


@pytest.mark.samples
def test_same_run_in_three_formats_keeps_the_fit(store: Store, samples_dir: Path) -> None:
    paths = [samples_dir / "gpx" / f"{RUN_ID}.gpx", samples_dir / "tcx" / f"{RUN_ID}.tcx",
             samples_dir / "fit" / f"{RUN_ID}.fit"]
    athlete_id = store.default_athlete_id()
    report = import_paths(store, paths, athlete_id=athlete_id)
    assert not report.failed, [(f.source_name, f.reason) for f in report.failed]
    with store.transaction() as tx:
        kept = tx.list_activities(athlete_id)
        log = {Path(r.source_name).suffix: r.status for r in tx.list_import_log(athlete_id)}
    assert [a.source_format for a in kept] == ["fit"]
    assert log == {".gpx": "duplicate", ".tcx": "duplicate", ".fit": "imported"}


@pytest.mark.samples
def test_corrupt_files_fail_with_reasons_and_the_rest_import(
    store: Store, samples_dir: Path
) -> None:
    paths = [samples_dir / "fit" / name for name in (
        "corrupt_bad_file_crc.fit", "run_fenix2_47min.fit", "corrupt_empty.fit",
        "corrupt_trunc50pct.fit",
    )]
    report = import_paths(store, paths, athlete_id=store.default_athlete_id())
    statuses = {Path(f.source_name).name: f.status for f in report.files}
    assert statuses["run_fenix2_47min.fit"] == "imported"
    failed = {Path(f.source_name).name: f.reason for f in report.failed}
    assert set(failed) == {"corrupt_bad_file_crc.fit", "corrupt_empty.fit",
                           "corrupt_trunc50pct.fit"}
    assert all(reason for reason in failed.values())
