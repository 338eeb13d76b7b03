"""Moving a local single-user database into a server account (issue 15, data rights).

``stridewise server import-local --db <server> --from <local.sqlite> --email <athlete>`` copies
one local athlete's data into that existing server account: the profile (sex, birth year, heart
rates, units, time zone) and every row of every athlete table of the store (activities with
their streams, logged sessions, check-ins, screenings, plans with their sessions and changes,
body mass, phone daily measures, sleep and brisk-walking intervals, brain-health answers, the
import log). The tables are found from the models' metadata, as the data-rights export finds
them: a table with an ``athlete_id`` column, or one foreign key away from such a table. A new
athlete table is therefore moved without a change here; one that is neither stops the move
(:class:`MoveError`) rather than leaving data behind silently.

Everything is written in one transaction: the account receives all of it or nothing. Rows get
new ids on the server, and references between the moved rows (a stream's activity, a planned
session's plan, an import's activity) follow them. Raw files are content-addressed: a file the
server holds already (another athlete imported the same bytes) is reused, never copied twice;
the others are copied before the transaction commits (a file left by a failed move is
harmless: the next import of the same bytes reuses it).

The account must hold no data yet: moving into an account that already has activities, a
plan or check-ins is refused (there is no merge: two histories of the same person would count
the same runs twice). The move is recorded on the athlete's audit page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, insert, select

from stridewise.server import accounts
from stridewise.server.rights import raw_files_of
from stridewise.store import DEFAULT_ATHLETE, Store
from stridewise.store import models as m
from stridewise.store import models_server as ms

#: The server's own tables (accounts, sessions, grants, the audit): never moved.
SERVER_TABLES = frozenset(
    str(model.__tablename__) for model in vars(ms).values()
    if isinstance(model, type) and issubclass(model, m.Base) and model.__module__ == ms.__name__)
#: Profile fields copied onto the account's athlete record (not its name, id or creation).
PROFILE_FIELDS = ("sex", "birth_year", "resting_hr_bpm", "resting_hr_estimated",
                  "resting_hr_source", "max_hr_bpm", "max_hr_estimated", "units", "time_zone")
AUDIT_ACTION = "local database moved into this account"


class MoveError(ValueError):
    """A refusal with a sentence a person can read; nothing was changed."""


@dataclass
class MoveReport:
    email: str
    rows: dict[str, int] = field(default_factory=dict)   # table -> rows moved
    files_copied: int = 0
    files_reused: int = 0
    files_missing: list[str] = field(default_factory=list)  # named by a row, not on disk


def athlete_tables() -> list[Table]:
    """Every table holding an athlete's data, parents before children (the athlete record
    itself and the server's tables left out). Raises MoveError for a table that cannot be
    traced to an athlete."""
    tables = []
    for table in m.Base.metadata.sorted_tables:
        # The revision numbers are the database's own (its triggers move them as rows come).
        if table.name in ("athlete", "alembic_version", "athlete_revision") \
                or table.name in SERVER_TABLES:
            continue
        if "athlete_id" not in table.c and not any(
                "athlete_id" in fk.column.table.c for fk in table.foreign_keys):
            raise MoveError(f"The table {table.name} cannot be traced to an athlete; the "
                            "move does not know how to copy it.")
        tables.append(table)
    return tables


def _owner_rows(session: Any, table: Table, athlete_id: int) -> list[dict[str, Any]]:
    """The athlete's rows of ``table`` (directly, or through the parent's athlete_id)."""
    if "athlete_id" in table.c:
        where = table.c.athlete_id == athlete_id
    else:
        clauses = [fk.parent.in_(select(fk.column).where(
            fk.column.table.c.athlete_id == athlete_id))
            for fk in table.foreign_keys if "athlete_id" in fk.column.table.c]
        where = clauses[0]
    order = list(table.primary_key.columns)
    return [dict(row) for row in session.execute(
        select(table).where(where).order_by(*order)).mappings()]


def _holds_data(session: Any, athlete_id: int) -> list[str]:
    """The athlete tables in which this athlete already has rows."""
    found = []
    for table in athlete_tables():
        if "athlete_id" in table.c and session.scalar(select(func.count()).select_from(
                table).where(table.c.athlete_id == athlete_id)):
            found.append(table.name)
    return found


def source_athlete(source: Store, name: str | None) -> int:
    """The local athlete to move: the named one, else the single-user default, else the only
    athlete in the file."""
    with source.transaction() as tx:
        if name is not None:
            athlete = tx.get_athlete_by_name(name)
            if athlete is None:
                raise MoveError(f"The local database has no athlete called {name!r}.")
            return int(athlete.id)
        default = tx.get_athlete_by_name(DEFAULT_ATHLETE)
        if default is not None:
            return int(default.id)
        athletes = tx.list_athletes()
        if len(athletes) != 1:
            raise MoveError("The local database holds several athletes: name the one to move "
                            "with --athlete.")
        return int(athletes[0].id)


def move_local(source: Store, target: Store, email: str, *,
               athlete_name: str | None = None) -> MoveReport:
    """Copy the local athlete's data into the server account with this email (see the module
    docstring); MoveError when the account is missing, not an athlete's, or holds data."""
    tables = athlete_tables()
    src_id = source_athlete(source, athlete_name)
    with target.transaction() as tx:
        user = accounts.user_by_email(tx.session, email)
        if user is None or user.athlete_id is None:
            raise MoveError(f"There is no athlete account for {email.strip().lower()} on the "
                            "server. Invite the person first; once they have accepted, move "
                            "their data.")
        dst_id = int(user.athlete_id)
        report = MoveReport(user.email)
    with source.transaction() as stx:
        profile = stx.get_athlete(src_id)
        rows = {t.name: _owner_rows(stx.session, t, src_id) for t in tables}
        digests = sorted(raw_files_of(stx.session, src_id))
    # Files first (outside the transaction): content-addressed, so an existing one is reused.
    for digest in digests:
        if target.raw.has(digest):
            report.files_reused += 1
            continue
        try:
            data = source.raw.get(digest)
        except FileNotFoundError:
            report.files_missing.append(digest)
            continue
        target.raw.put(data, digest)  # checks the bytes against the digest
        report.files_copied += 1
    referenced = {fk.column.table.name for t in tables for fk in t.foreign_keys}
    with target.write_transaction(dst_id) as tx:
        busy = _holds_data(tx.session, dst_id)
        if busy:
            raise MoveError(
                f"Nothing was moved: the account {report.email} already holds data "
                f"({', '.join(busy)}). Moving a local database is for an account that has "
                "none yet, so that no run is counted twice.")
        athlete = tx.get_athlete(dst_id)
        assert athlete is not None and profile is not None
        for name in PROFILE_FIELDS:
            setattr(athlete, name, getattr(profile, name))
        tx.session.flush()
        new_ids: dict[str, dict[int, int]] = {}
        for table in tables:
            mapping = new_ids.setdefault(table.name, {})
            own_id = "id" in table.c and table.c.id.primary_key
            copied = []
            for row in rows[table.name]:
                values = dict(row)
                for fk in table.foreign_keys:
                    old = values.get(fk.parent.name)
                    if old is None:
                        continue
                    parent = fk.column.table.name
                    if parent == "athlete":
                        values[fk.parent.name] = dst_id
                    elif fk.parent.nullable:  # e.g. an import whose activity is gone
                        values[fk.parent.name] = new_ids[parent].get(old)
                    else:
                        values[fk.parent.name] = new_ids[parent][old]
                if own_id:
                    old_id = values.pop("id")
                    if table.name in referenced:
                        mapping[old_id] = tx.session.execute(
                            insert(table).returning(table.c.id), values).scalar_one()
                        continue
                copied.append(values)
            if copied:
                tx.session.execute(insert(table), copied)
            report.rows[table.name] = len(rows[table.name])
        accounts.record(tx.session, None, dst_id, AUDIT_ACTION, "stridewise server import-local",
                        None)
    return report
