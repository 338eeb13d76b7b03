"""Audit rows whose commit may lag (accounts.audit_may_lag) never share a transaction with
health data: inside a unit of work, which writes an athlete's data, it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridewise.server import accounts
from stridewise.store import open_store


def test_audit_that_may_lag_is_refused_inside_a_unit(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'lag.db'}") as store:
        with store.write_transaction() as tx:
            athlete_id = tx.add_athlete("someone").id
        with store.transaction() as tx:
            accounts.audit_may_lag(tx.session)  # a transaction of its own: fine
        with pytest.raises(RuntimeError), store.unit(athlete_id), \
                store.transaction() as tx:
            accounts.audit_may_lag(tx.session)
