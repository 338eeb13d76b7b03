"""Reads remembered inside one transaction, until it writes.

The advice reads the profile, the active plan and the screenings through a dozen small
functions, each asking the store again (the identity map does not help: it holds rows only
while someone else does). A :class:`~stridewise.store.core.Tx` keeps the answers of a few such
reads for as long as its session has not written anything since: every flush and every
non-SELECT statement moves a counter in ``session.info``, and a remembered answer is only
used under the counter it was read at, and never while changes wait to be flushed.

Every write in the store goes through the session (``session.add`` and flush, or
``session.execute``), which the counter sees. A write made on the raw connection
(``session.connection().execute``) would not be seen: none exists, and none may be added
without moving the counter by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

T = TypeVar("T")

_WRITES = "stridewise.writes"
_MEMO = "stridewise.memo"


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _flush: UOWTransaction) -> None:
    session.info[_WRITES] = session.info.get(_WRITES, 0) + 1


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[_WRITES] = state.session.info.get(_WRITES, 0) + 1


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous: Any) -> None:
    # A savepoint rolled back: what was read inside it may be gone.
    session.info[_WRITES] = session.info.get(_WRITES, 0) + 1


def wrote(session: Session) -> bool:
    """Whether anything was written in this session's transactions (flushed or executed)."""
    return bool(session.info.get(_WRITES, 0))


def remembered(session: Session, key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or its answer from earlier in this transaction if nothing was written
    since (and nothing waits to be written)."""
    if session.new or session.dirty or session.deleted:
        return read()
    writes = session.info.get(_WRITES, 0)
    memo: dict[Hashable, tuple[int, Any]] = session.info.setdefault(_MEMO, {})
    held = memo.get(key)
    if held is not None and held[0] == writes:
        return held[1]
    value = read()
    memo[key] = (session.info.get(_WRITES, 0), value)
    return value


def remembered_in(tx: Any, key: Hashable, read: Callable[[], T]) -> T:
    """:func:`remembered` in a store transaction's session; a stand-in for a transaction
    without one (a test's) just reads."""
    session = getattr(tx, "session", None)
    return read() if not isinstance(session, Session) else remembered(session, key, read)
