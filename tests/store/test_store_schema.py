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
        current = MigrationContext.configure(conn).get_current_revision()
    heads = ScriptDirectory.from_config(engine_setup.alembic_config(store.engine)).get_heads()
    assert heads == [current]  # one head, and the database is at it


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


def test_audit_ids_are_never_reused_on_sqlite(tmp_path: Path) -> None:
    """A database made before migration 0007 is rebuilt with AUTOINCREMENT, keeping its rows,
    and an id removed is never handed out again."""
    from datetime import UTC, datetime

    from sqlalchemy import delete, select, text

    from stridewise.store import models_server as ms

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    engine = engine_setup.make_engine(url)
    engine_setup.upgrade(engine, "0006_server_accounts")
    at = datetime(2026, 12, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for n in range(3):
            conn.execute(ms.AuditEvent.__table__.insert().values(
                at=at, actor_user_id=1, athlete_id=2, action="view", route=f"GET /{n}"))
    engine_setup.upgrade(engine)
    with engine.begin() as conn:
        sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'audit_event'"))
        assert "AUTOINCREMENT" in sql.scalar_one()
        table = ms.AuditEvent.__table__
        assert list(conn.execute(select(table.c.id, table.c.route).order_by(table.c.id))) == [
            (1, "GET /0"), (2, "GET /1"), (3, "GET /2")]
        conn.execute(delete(table).where(table.c.id == 3))
        conn.execute(table.insert().values(at=at, actor_user_id=1, athlete_id=2,
                                           action="view", route="GET /new"))
        assert conn.execute(select(table.c.id).where(table.c.route == "GET /new")
                            ).scalar_one() == 4
    engine_setup.downgrade(engine, "0006_server_accounts")  # and back, rows kept
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar_one() == 3
    engine.dispose()
