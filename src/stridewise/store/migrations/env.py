"""Alembic environment, run programmatically by stridewise.store.engine (no alembic.ini).

Migrations run as a write transaction, so processes opening a new database at the same moment
migrate it once, one after the other: SQLite takes the write lock before alembic reads its
version table (``BEGIN IMMEDIATE``), PostgreSQL an advisory lock. SQLite foreign keys are off
while migrating: rebuilding a referenced table (batch mode) would otherwise cascade its
deletion; they are checked once the migration is done.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine, text

from stridewise.store.engine import PG_LOCK_NAMESPACE, writer
from stridewise.store.models import Base

engine = context.config.attributes["engine"]
assert isinstance(engine, Engine)
is_sqlite = engine.dialect.name == "sqlite"


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # Outside any transaction (the pragma is ignored inside one): on the driver connection.
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


with writer(engine).connect() as connection:
    if is_sqlite:
        _sqlite_foreign_keys(connection, on=False)
    try:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
            render_as_batch=is_sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            if engine.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:namespace, 0)"),
                    {"namespace": PG_LOCK_NAMESPACE},
                )
            context.run_migrations()
            if is_sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
        connection.commit()
    finally:
        if is_sqlite:
            _sqlite_foreign_keys(connection, on=True)
