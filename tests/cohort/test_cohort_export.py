"""Export: SQLite folders (checked and migrated first, owner's files untouched), a server
database restricted to active research grants, activity folders through the importer; ids
keyed-hashed, dates shifted by keyed whole weeks, birth years banded, no names or notes."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from stridewise.activity import ManualSession
from stridewise.cohort import dataset as ds
from stridewise.cohort.export import ExportRefused, date_shift, export, pseudonym, read_key
from stridewise.store import CheckInInput, open_store
from stridewise.store.engine import make_engine, upgrade

DEMO = Path(__file__).resolve().parents[2] / "src" / "stridewise" / "demo_data"
START = datetime(2024, 3, 4, 7, 30, tzinfo=UTC)


def _fill(url: str, name: str, birth_year: int) -> None:
    with open_store(url) as store, store.write_transaction() as tx:
        athlete = tx.add_athlete(name)
        tx.update_athlete(athlete.id, sex="female", birth_year=birth_year,
                          time_zone="Europe/Copenhagen")
        tx.add_manual_sessions(athlete.id, [
            ManualSession(START + timedelta(days=2 * i), "run", 1800.0, 5000.0, 5.0,
                          notes=f"secret note {i}") for i in range(10)])
        tx.add_checkin(athlete.id, CheckInInput(at_utc=START + timedelta(days=3), pain_score=3,
                                                pain_timing="after", pain_site="knee"))


@pytest.fixture()
def key(tmp_path: Path) -> Path:
    path = tmp_path / "owner" / "study.key"
    read_key(path, create=True)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sqlite_folder_is_migrated_on_a_copy_and_pseudonymised(tmp_path: Path, key: Path
                                                               ) -> None:
    folder = tmp_path / "stores"
    folder.mkdir()
    _fill(f"sqlite:///{folder / 'anna.db'}", "Anna Jensen", 1957)
    # An old store: schema of migration 0002, with one athlete and one session.
    old = folder / "old.db"
    engine = make_engine(f"sqlite:///{old}")
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO athlete (id, name, units, time_zone, resting_hr_estimated,"
                          " max_hr_estimated, created_at) VALUES (1, 'Old Ole', 'km', 'UTC', 0,"
                          " 0, '2020-01-01 00:00:00')"))
    engine.dispose()
    (folder / "notes.txt").write_text("not a store")
    (folder / "broken.db").write_text("not a database")
    before = {p.name: _digest(p) for p in folder.iterdir()}

    out = tmp_path / "dataset"
    done = export(out, study="bonestudy", key_file=key, sqlite_folder=folder)

    assert {p.name: _digest(p) for p in folder.iterdir()} == before  # owner's files untouched
    assert done.participants == 2
    assert [s["source"] for s in done.skipped] == ["broken.db"]
    people = ds.read_table(out, "participants", 0)
    k = read_key(key)
    anna = pseudonym(k, "bonestudy", "anna.db/1")
    assert set(people["pid"]) == {anna, pseudonym(k, "bonestudy", "old.db/1")}
    row = people[people["pid"] == anna].iloc[0]
    assert row["birth_year_band"] == 1955 and row["sex"] == "female"
    manual = ds.read_table(out, "manual", 0)
    assert "notes" not in manual.columns
    shift = date_shift(k, "bonestudy", "anna.db/1")
    assert shift.days % 7 == 0 and 7 <= shift.days <= 364
    first = manual[manual["pid"] == anna]["start_time_utc"].min()
    assert first.to_pydatetime() == START - shift
    checkins = ds.read_table(out, "checkins", 0)
    assert checkins["at_utc"].min().to_pydatetime() == START + timedelta(days=3) - shift
    text_out = b"".join(p.read_bytes() for p in out.rglob("*.parquet"))
    assert b"Anna" not in text_out and b"secret" not in text_out and b"Jensen" not in text_out


def test_same_key_same_pseudonyms_other_study_other_pseudonyms(key: Path) -> None:
    k = read_key(key)
    assert pseudonym(k, "a", "x.db/1") == pseudonym(k, "a", "x.db/1")
    assert pseudonym(k, "a", "x.db/1") != pseudonym(k, "b", "x.db/1")
    assert pseudonym(k, "a", "x.db/1") != pseudonym(b"another key of 32 bytes.........", "a",
                                                   "x.db/1")


def test_server_without_research_grant_table_is_refused(tmp_path: Path, key: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    _fill(url, "Bo", 1980)
    engine = make_engine(url)
    with engine.begin() as conn:  # a database from before migration 0006_server_accounts
        conn.execute(text("DROP TABLE research_grant"))
    engine.dispose()
    with pytest.raises(ExportRefused, match="research_grant"):
        export(tmp_path / "out", study="s", key_file=key, postgres_url=url)
    assert not (tmp_path / "out" / "dataset.json").exists()


def test_server_exports_only_active_grants_for_the_study(tmp_path: Path, key: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    for name in ("granted", "revoked", "other study", "no grant"):
        _fill(url, name, 1970)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO research_grant (athlete_id, study, granted_at, "
                          "revoked_at) VALUES (1, 's', '2024-01-01', NULL), "
                          "(2, 's', '2024-01-01', '2024-06-01'), (3, 'x', '2024-01-01', NULL)"))
    engine.dispose()
    done = export(tmp_path / "out", study="s", key_file=key, postgres_url=url)
    assert done.participants == 1
    people = ds.read_table(tmp_path / "out", "participants", 0)
    assert people["pid"].tolist() == [pseudonym(read_key(key), "s", "server/1")]


def test_activity_folders_go_through_the_importer(tmp_path: Path, key: Path) -> None:
    folder = tmp_path / "files"
    for who, name in (("p1", "run_fenix2_47min.fit"), ("p2", "run_runpandas_session.gpx")):
        (folder / who).mkdir(parents=True)
        shutil.copy(DEMO / name, folder / who / name)
    done = export(tmp_path / "out", study="s", key_file=key, activity_folder=folder)
    assert done.participants == 2
    acts = ds.read_table(tmp_path / "out", "activities", 0)
    assert acts.groupby("pid").size().tolist() == [1, 1]
    assert "name" not in acts.columns and (acts["distance_m"] > 1000).all()


def test_missing_key_and_two_sources_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportRefused, match="no key file"):
        export(tmp_path / "o", study="s", key_file=tmp_path / "none.key",
               sqlite_folder=tmp_path)
    with pytest.raises(ExportRefused, match="exactly one"):
        export(tmp_path / "o", study="s", key_file=tmp_path / "none.key",
               sqlite_folder=tmp_path, postgres_url="postgresql://x")


def test_exported_dataset_runs(tmp_path: Path, key: Path) -> None:
    from stridewise.cohort.pipeline import run_cohort

    folder = tmp_path / "stores"
    folder.mkdir()
    _fill(f"sqlite:///{folder / 'a.db'}", "A", 1960)
    export(tmp_path / "ds", study="s", key_file=key, sqlite_folder=folder)
    run_cohort(tmp_path / "ds", tmp_path / "res", workers=0)
    qc = pd.read_parquet(tmp_path / "res" / "qc.parquet")
    assert qc["status"].tolist() == ["ok"]
