"""The :class:`Store`: one database plus its raw-file directory, opened (and migrated) once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from stridewise.store import engine as engine_setup
from stridewise.store import models as m
from stridewise.store.raw import RawFileStore, RawRepo
from stridewise.store.repo_activity import ActivityRepo
from stridewise.store.repo_daily import DailyRepo
from stridewise.store.repo_people import PeopleRepo
from stridewise.store.repo_plan import PlanRepo

DEFAULT_ATHLETE = "default"


class Tx(PeopleRepo, ActivityRepo, PlanRepo, RawRepo, DailyRepo):
    """The repository API inside one transaction (see :meth:`Store.transaction`). Every method
    on an athlete's data takes the athlete id and never reads or changes another athlete's rows.

    Objects returned stay readable after the transaction ends (no expiry on commit).
    """

    def __init__(self, session: Session, raw: RawFileStore) -> None:
        self.session = session
        self.raw = raw


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
        (KeyboardInterrupt included)."""
        with self._sessions() as session, session.begin():
            yield Tx(session, self.raw)

    @contextmanager
    def write_transaction(self, athlete_id: int | None = None) -> Iterator[Tx]:
        """A transaction that will write, serialised against other writers before its first
        read, so a check-then-insert (is this file or activity stored yet?) cannot race:
        SQLite takes the database write lock (``BEGIN IMMEDIATE``); PostgreSQL takes an
        advisory lock on ``athlete_id`` (writers for other athletes go on in parallel).
        Use :meth:`transaction` for reads."""
        with self._write_sessions() as session, session.begin():
            if athlete_id is not None and self.backend == "postgresql":
                session.execute(
                    text("SELECT pg_advisory_xact_lock(:namespace, :key)"),
                    {"namespace": engine_setup.PG_LOCK_NAMESPACE, "key": athlete_id},
                )
            yield Tx(session, self.raw)

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
