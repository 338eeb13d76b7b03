"""Where the database lives, how connections are set up, and migrating it on open.

Default: SQLite in WAL mode at ``<user data dir>/stridewise.db`` (platformdirs); any
SQLAlchemy URL works (PostgreSQL is tested). SQLite connections get WAL (readers never block
the writer; survived kill -9 with nothing committed lost, reference/stack.md),
``synchronous=NORMAL`` (durable at checkpoints, much faster than FULL), foreign keys on and a
busy timeout so several processes can share the file.

Writers serialise: a write transaction (:meth:`stridewise.store.Store.write_transaction`)
starts with ``BEGIN IMMEDIATE`` on SQLite, so it takes the write lock before its first read.
A deferred transaction that reads, then writes, fails at once with "database is locked" when
another process committed in between (WAL cannot upgrade a stale snapshot); an immediate one
waits for the lock (up to the busy timeout) and then reads what the other one committed. Reads
stay deferred and never wait. On PostgreSQL writers for one athlete take a transaction-scoped
advisory lock instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

APP_NAME = "stridewise"
DB_ENV = "STRIDEWISE_DB"
RAW_DIR_ENV = "STRIDEWISE_RAW_DIR"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: Execution option that marks an engine's transactions as writes (BEGIN IMMEDIATE on SQLite).
WRITE_OPTION = "stridewise_write"
#: First key of PostgreSQL advisory locks taken by stridewise (the second is the athlete id).
PG_LOCK_NAMESPACE = 0x5357


def data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_url(url: str | None) -> str:
    """The URL given, else ``$STRIDEWISE_DB``, else the default SQLite file."""
    if url:
        return url
    if os.environ.get(DB_ENV):
        return os.environ[DB_ENV]
    return f"sqlite:///{data_dir() / 'stridewise.db'}"


def sqlite_path(url: str) -> Path | None:
    """The database file of a file-backed SQLite URL, else None (memory, other backends)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database or "")


def resolve_raw_dir(url: str, raw_dir: Path | None) -> Path:
    """Raw files beside a SQLite file (``<stem>-raw/``); elsewhere a configurable directory."""
    if raw_dir is not None:
        return raw_dir
    if os.environ.get(RAW_DIR_ENV):
        return Path(os.environ[RAW_DIR_ENV])
    db_file = sqlite_path(url)
    if db_file is not None:
        return db_file.with_name(db_file.stem + "-raw")
    return data_dir() / "raw"


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    # Let SQLAlchemy, not the driver, issue BEGIN, so transactions wrap what we ask for.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions are writes."""
    return engine.execution_options(**{WRITE_OPTION: True})


def make_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    db_file = sqlite_path(url)
    if db_file is None:
        engine = create_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        db_file.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)
