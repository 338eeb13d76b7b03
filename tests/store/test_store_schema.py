"""Migrations and connection set-up, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from stridewise.store import Store, open_store
from stridewise.store import engine as engine_setup
from stridewise.store.models import Base

EXPECTED_TABLES = {
    "athlete", "body_mass", "activity", "activity_stream", "manual_session", "checkin",
    "import_log", "screening", "plan", "planned_session", "plan_change", "alembic_version",
    "daily_measure", "sleep_interval", "brain_answers", "app_user", "invitation",
    "web_session", "login_attempt", "api_token", "care_grant", "research_grant", "audit_event",
    "athlete_revision",
}


def test_open_creates_every_table_at_head(store: Store) -> None:
    assert set(inspect(store.engine).get_table_names()) >= EXPECTED_TABLES
    with store.engine.connect() as conn:
        head = ScriptDirectory.from_config(engine_setup.alembic_config(store.engine)).get_heads()
        assert [MigrationContext.configure(conn).get_current_revision()] == head


def test_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []


def test_downgrade_to_base_and_upgrade_again(store: Store) -> None:
    engine_setup.downgrade(store.engine, "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    engine_setup.upgrade(store.engine)
    assert set(inspect(store.engine).get_table_names()) >= EXPECTED_TABLES


def test_reopening_is_idempotent_and_keeps_data(db_url: str, tmp_path: Path) -> None:
    with open_store(db_url, raw_dir=tmp_path / "raw") as first:
        athlete_id = first.default_athlete_id()
    with open_store(db_url, raw_dir=tmp_path / "raw") as second:
        assert second.default_athlete_id() == athlete_id
        with second.transaction() as tx:
            assert len(tx.list_athletes()) == 1


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'sw.db'}") as store:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert store.raw.root == tmp_path / "sw-raw"


def test_url_comes_from_argument_then_env_then_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(engine_setup.DB_ENV, "sqlite:///from-env.db")
    assert engine_setup.resolve_url("sqlite:///given.db") == "sqlite:///given.db"
    assert engine_setup.resolve_url(None) == "sqlite:///from-env.db"
    monkeypatch.delenv(engine_setup.DB_ENV)
    default = engine_setup.resolve_url(None)
    assert default.startswith("sqlite:///") and default.endswith("stridewise.db")
    pg = "postgresql+psycopg://u@h/db"
    monkeypatch.delenv(engine_setup.RAW_DIR_ENV, raising=False)
    assert engine_setup.resolve_raw_dir(pg, None) == engine_setup.data_dir() / "raw"
    monkeypatch.setenv(engine_setup.RAW_DIR_ENV, str(tmp_path))
    assert engine_setup.resolve_raw_dir(pg, None) == tmp_path


def test_in_memory_sqlite_works_for_quick_use() -> None:
    with open_store("sqlite://", raw_dir=Path("/nonexistent-raw")) as store:
        assert store.default_athlete_id() == 1
