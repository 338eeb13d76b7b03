"""The :class:`Store`: one database plus its raw-file directory, opened (and migrated) once."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from stridewise.store import engine as engine_setup
from stridewise.store import models as m
from stridewise.store.memo import remembered, wrote
from stridewise.store.raw import RawFileStore, RawRepo
from stridewise.store.repo_activity import ActivityRepo
from stridewise.store.repo_daily import DailyRepo
from stridewise.store.repo_people import PeopleRepo
from stridewise.store.repo_plan import PlanRepo

DEFAULT_ATHLETE = "default"


@dataclass(frozen=True)
class _Unit:
    """The transaction of a :meth:`Store.unit`, which nested transactions join."""

    store: Store
    tx: Tx
    athlete_id: int


#: The unit of work open in this thread or task, if any (a context variable, so it never
#: leaks into another request: each request's work runs in its own context).
_UNIT: ContextVar[_Unit | None] = ContextVar("stridewise_store_unit", default=None)

#: What this request has read through :meth:`Store.revision` and :meth:`Store.athlete`, while
#: :func:`request_reads` is open (else None).
_REQUEST_READS: ContextVar[dict[Hashable, Any] | None] = ContextVar(
    "stridewise_request_reads", default=None)

T = TypeVar("T")


@contextmanager
def request_reads() -> Iterator[None]:
    """One request: inside it, :meth:`Store.revision` and :meth:`Store.athlete` read each
    athlete's revision numbers and profile once, not in a transaction of their own each time
    a page's parts ask (Trends asked for the revision six times, each a round trip to the
    database). Any write this request commits forgets them. A change another request or
    process commits meanwhile is not seen until this request ends, which is safe for the
    core's caches: a value kept under an older revision is only found by someone who still
    reads that older revision, and is then as new as what they read. The dashboards open one
    around every request (their middleware); ASGI runs the page's own thread in a copy of
    the request's context, so the page's thread shares the same reads."""
    token = _REQUEST_READS.set({})
    try:
        yield
    finally:
        _REQUEST_READS.reset(token)


def unit_open() -> bool:
    """Whether a :meth:`Store.unit` is open in this context (its writes are health data)."""
    return _UNIT.get() is not None


def _forget_request_reads() -> None:
    seen = _REQUEST_READS.get()
    if seen:
        seen.clear()


class Tx(PeopleRepo, ActivityRepo, PlanRepo, RawRepo, DailyRepo):
    """The repository API inside one transaction (see :meth:`Store.transaction`). Every method
    on an athlete's data takes the athlete id and never reads or changes another athlete's rows.

    Objects returned stay readable after the transaction ends (no expiry on commit).
    """

    def __init__(self, session: Session, raw: RawFileStore) -> None:
        self.session = session
        self.raw = raw

    # Reads asked many times while the advice is worked out, remembered until the
    # transaction writes (stridewise.store.memo). Lists are copied: callers may change them.
    def get_athlete(self, athlete_id: int) -> m.Athlete | None:
        read = super().get_athlete
        return remembered(self.session, ("athlete", athlete_id), lambda: read(athlete_id))

    def revision(self, athlete_id: int) -> tuple[int, int]:
        read = super().revision
        return remembered(self.session, ("revision", athlete_id), lambda: read(athlete_id))

    def active_plan(self, athlete_id: int) -> m.Plan | None:
        read = super().active_plan
        return remembered(self.session, ("active plan", athlete_id), lambda: read(athlete_id))

    def list_screenings(self, athlete_id: int) -> list[m.Screening]:
        read = super().list_screenings
        return list(remembered(self.session, ("screenings", athlete_id),
                               lambda: read(athlete_id)))

    def list_checkins(self, athlete_id: int, since: datetime | None = None,
                      until: datetime | None = None) -> list[m.CheckIn]:
        read = super().list_checkins
        return list(remembered(self.session, ("checkins", athlete_id, since, until),
                               lambda: read(athlete_id, since, until)))

    def list_manual_sessions(self, athlete_id: int, since: datetime | None = None,
                             until: datetime | None = None) -> list[m.ManualSession]:
        read = super().list_manual_sessions
        return list(remembered(self.session, ("manual", athlete_id, since, until),
                               lambda: read(athlete_id, since, until)))

    def list_activities(self, athlete_id: int, *, since: datetime | None = None,
                        until: datetime | None = None, sport: str | None = None,
                        limit: int | None = None, newest_first: bool = False
                        ) -> list[m.Activity]:
        read = super().list_activities
        return list(remembered(
            self.session, ("activities", athlete_id, since, until, sport, limit, newest_first),
            lambda: read(athlete_id, since=since, until=until, sport=sport, limit=limit,
                         newest_first=newest_first)))

    def list_planned_sessions(self, athlete_id: int, plan_id: int, since: date | None = None,
                              until: date | None = None) -> list[m.PlannedSession]:
        read = super().list_planned_sessions
        return list(remembered(self.session, ("planned", athlete_id, plan_id, since, until),
                               lambda: read(athlete_id, plan_id, since, until)))


class Store:
    def __init__(self, engine: Engine, url: str, raw: RawFileStore) -> None:
        self.engine = engine
        self.url = url
        self.raw = raw
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            engine_setup.writer(engine), expire_on_commit=False
        )

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """All-or-nothing: committed when the block ends, rolled back on any exception
        (KeyboardInterrupt included). Inside a :meth:`unit`, the unit's transaction."""
        unit = _UNIT.get()
        if unit is not None and unit.store is self:
            yield unit.tx
            return
        session = self._sessions()
        try:
            with session, session.begin():
                yield Tx(session, self.raw)
        finally:
            if wrote(session):
                _forget_request_reads()

    def _read_once(self, key: Hashable, read: Callable[[Tx], T]) -> T:
        """``read`` in a transaction, or its answer from earlier in this request
        (:func:`request_reads`). Inside a unit the unit's own reads apply: what it reads
        before its commit is not to be kept beyond it."""
        seen = _REQUEST_READS.get()
        if seen is None or _UNIT.get() is not None:
            with self.transaction() as tx:
                return read(tx)
        key = (id(self), key)
        if key not in seen:
            with self.transaction() as tx:
                seen[key] = read(tx)
        value: T = seen[key]
        return value

    def revision(self, athlete_id: int) -> tuple[int, int]:
        """The athlete's revision numbers (:meth:`Tx.revision`), read once a request."""
        return self._read_once(("revision", athlete_id), lambda tx: tx.revision(athlete_id))

    def athlete(self, athlete_id: int) -> m.Athlete | None:
        """The athlete's profile row (:meth:`Tx.get_athlete`), read once a request."""
        return self._read_once(("athlete", athlete_id), lambda tx: tx.get_athlete(athlete_id))

    @contextmanager
    def unit(self, athlete_id: int) -> Iterator[Tx]:
        """One write transaction for a whole computation about one athlete (the advice reads
        the profile, plan, screenings and check-ins through a dozen functions, each of which
        opens its own transaction when called alone): every :meth:`transaction` and
        :meth:`write_transaction` for this athlete opened inside it, in this thread, joins it.
        One connection, one commit, one consistent view, and rows already read come from the
        session's identity map. Inner blocks do not commit or roll back on their own; an
        exception rolls the whole unit back."""
        joined = self._open_unit(athlete_id)
        if joined is not None:
            yield joined
            return
        with self.write_transaction(athlete_id) as tx:
            token = _UNIT.set(_Unit(self, tx, athlete_id))
            try:
                yield tx
            finally:
                _UNIT.reset(token)

    def _open_unit(self, athlete_id: int | None) -> Tx | None:
        """The transaction of the unit open in this thread for this athlete, if any. A unit
        writes for its own athlete only: another writer's lock inside it could deadlock
        (SQLite's single write lock is already held)."""
        unit = _UNIT.get()
        if unit is None or unit.store is not self:
            return None
        if unit.athlete_id != athlete_id:
            raise RuntimeError("a unit of work reads and writes for its own athlete only")
        return unit.tx

    @contextmanager
    def write_transaction(self, athlete_id: int | None = None) -> Iterator[Tx]:
        """A transaction that will write, serialised against other writers before its first
        read, so a check-then-insert (is this file or activity stored yet?) cannot race:
        SQLite takes the database write lock (``BEGIN IMMEDIATE``); PostgreSQL takes an
        advisory lock on ``athlete_id`` (writers for other athletes go on in parallel).
        Use :meth:`transaction` for reads. Inside a :meth:`unit` for the same athlete, the
        unit's transaction (which already holds that lock)."""
        joined = self._open_unit(athlete_id)
        if joined is not None:
            yield joined
            return
        try:
            with self._write_sessions() as session, session.begin():
                if athlete_id is not None and self.backend == "postgresql":
                    session.execute(
                        text("SELECT pg_advisory_xact_lock(:namespace, :key)"),
                        {"namespace": engine_setup.PG_LOCK_NAMESPACE, "key": athlete_id},
                    )
                yield Tx(session, self.raw)
        finally:
            # Whether it committed or not: the next read in this request asks again.
            _forget_request_reads()

    def default_athlete_id(self) -> int:
        """The single-user athlete, created on first use."""
        with self.transaction() as tx:
            found = tx.session.scalar(select(m.Athlete.id).where(m.Athlete.name == DEFAULT_ATHLETE))
            if found is not None:
                return found
        try:
            with self.write_transaction() as tx:
                return tx.add_athlete(DEFAULT_ATHLETE).id
        except IntegrityError:
            # Another process created it between our two transactions.
            with self.transaction() as tx:
                athlete = tx.get_athlete_by_name(DEFAULT_ATHLETE)
                assert athlete is not None
                return athlete.id

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(url: str | None = None, *, raw_dir: Path | None = None) -> Store:
    """Open the database at ``url`` (else ``$STRIDEWISE_DB``, else the default SQLite file),
    creating it and applying migrations as needed."""
    resolved = engine_setup.resolve_url(url)
    engine = engine_setup.make_engine(resolved)
    engine_setup.upgrade(engine)
    raw = RawFileStore(engine_setup.resolve_raw_dir(resolved, raw_dir))
    return Store(engine, resolved, raw)
