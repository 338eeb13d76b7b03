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
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

APP_NAME = "stridewise"
DB_ENV = "STRIDEWISE_DB"
RAW_DIR_ENV = "STRIDEWISE_RAW_DIR"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: Execution option that marks an engine's transactions as writes (BEGIN IMMEDIATE on SQLite).
WRITE_OPTION = "stridewise_write"
#: A pooled connection idle for longer than this is checked (one round trip) before use: the
#: server may have restarted or dropped it meanwhile. Connections in steady use are not.
IDLE_PING_S = 10.0
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


def _returned(dbapi_connection: Any, connection_record: Any) -> None:
    connection_record.info["returned_at"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
    """A connection that waited in the pool for more than :data:`IDLE_PING_S` is pinged;
    a dead one is reported to the pool, which drops it and connects afresh (SQLAlchemy's
    pessimistic disconnect handling, from the ``checkout`` event). ``pool_pre_ping`` pings on
    every checkout: a round trip (and a ``BEGIN``) on every transaction, which at the server's
    load test was a fifth of a Trends page's round trips to the database. A connection in
    steady use is not pinged; if the server went away between two close uses, that one
    statement fails and SQLAlchemy invalidates the pool, so the next request reconnects."""
    returned_at = connection_record.info.get("returned_at")
    if returned_at is None or time.monotonic() - returned_at < IDLE_PING_S:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception as error:  # any failure: this connection is not to be trusted
        raise exc.DisconnectionError(f"pooled connection is gone: {error}") from error


def make_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() != "sqlite":
        engine = create_engine(url)
        event.listen(engine, "checkin", _returned)
        event.listen(engine, "checkout", _ping_if_idle)
        return engine
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
