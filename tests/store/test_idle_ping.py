"""A pooled PostgreSQL connection that the server dropped while it sat idle is replaced before
use (stridewise.store.engine: pinged only after IDLE_PING_S in the pool, not on every use)."""

from __future__ import annotations

import os

import psycopg
import pytest

from stridewise.store import engine as engine_module
from stridewise.store import open_store

PG_ADMIN_DSN = os.environ.get(
    "STRIDEWISE_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
pytestmark = pytest.mark.postgres


def _backend_pids(database: str) -> list[int]:
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        rows = admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s",
                             (database,)).fetchall()
    return [int(row[0]) for row in rows]


def _terminate(database: str) -> int:
    pids = _backend_pids(database)
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    return len(pids)


def test_a_connection_dropped_while_idle_is_replaced(pg_url: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    database = pg_url.rsplit("/", 1)[1]
    with open_store(pg_url) as store:
        with store.transaction() as tx:
            assert tx.revision(1) == (0, 0)
        assert _terminate(database) >= 1  # the pooled connection's server side is gone
        monkeypatch.setattr(engine_module, "IDLE_PING_S", 0.0)
        with store.transaction() as tx:  # pinged, found dead, replaced: no error
            assert tx.revision(1) == (0, 0)


def test_a_connection_in_steady_use_is_not_pinged(pg_url: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """No ping within IDLE_PING_S: a connection dropped between two close uses fails that
    one statement, and SQLAlchemy's disconnect handling lets the next one reconnect."""
    from sqlalchemy.exc import OperationalError

    database = pg_url.rsplit("/", 1)[1]
    monkeypatch.setattr(engine_module, "IDLE_PING_S", 3600.0)
    with open_store(pg_url) as store:
        with store.transaction() as tx:
            tx.revision(1)
        _terminate(database)
        with pytest.raises(OperationalError), store.transaction() as tx:
            tx.revision(1)
        with store.transaction() as tx:
            assert tx.revision(1) == (0, 0)
