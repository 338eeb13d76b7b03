"""An athlete's data rights on the server: download everything held about them, and delete
their account with all their data and raw files.

The download is a zip: ``tables/<table>.json`` (every row of every table that belongs to the
athlete or the account, found through ``athlete_id``/``user_id`` columns or one foreign key
away; password hashes and secrets' hashes left out), ``files/<sha256>`` (the original activity
files) and ``report.html`` (the offline report).

Raw files are content-addressed and may be shared by two athletes who imported the same bytes:
a file is removed only when no row of anyone names it any more (its references are counted
after the deletion commits). Audit rows stay, holding ids that no longer name anyone.
"""

from __future__ import annotations

import base64
import io
import json
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, or_, select
from sqlalchemy.orm import Session

from stridewise.store import Store
from stridewise.store import models as m
from stridewise.store import models_server as ms

#: Columns never exported (secrets' hashes: useless to the person, useful to an attacker).
SECRET_COLUMNS = frozenset({"password_hash", "token_hash"})
#: Tables of the server's own machinery (not data about the person).
SKIPPED_TABLES = frozenset({"web_session", "login_attempt", "invitation", "alembic_version",
                            # the caches' revision numbers: kept by triggers, not data
                            "athlete_revision"})
#: (table, column) pairs that name a raw file.
RAW_REFERENCES = ((m.ImportLog.__table__, "sha256"), (m.Activity.__table__, "source_sha256"),
                  (m.ManualSession.__table__, "source_sha256"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    return value


def _owner_filter(table: Table, athlete_id: int | None, user_id: int) -> Any:
    """A WHERE clause selecting this person's rows of ``table``, else None."""
    columns = table.c
    if table.name == "athlete":
        return columns.id == athlete_id if athlete_id is not None else None
    if table.name == "app_user":
        return columns.id == user_id
    clauses = []
    if "athlete_id" in columns and athlete_id is not None:
        clauses.append(columns.athlete_id == athlete_id)
    if "user_id" in columns:
        clauses.append(columns.user_id == user_id)
    if "grantee_user_id" in columns:
        clauses.append(columns.grantee_user_id == user_id)
    if "actor_user_id" in columns:
        clauses.append(columns.actor_user_id == user_id)
    if not clauses and athlete_id is not None:
        # One foreign key away from a table that has the athlete (streams, plan sessions).
        for fk in table.foreign_keys:
            parent = fk.column.table
            if "athlete_id" in parent.c:
                clauses.append(fk.parent.in_(select(fk.column).where(
                    parent.c.athlete_id == athlete_id)))
    if not clauses:
        return None
    return or_(*clauses)


def tables_of(session: Session, athlete_id: int | None, user_id: int) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for table in m.Base.metadata.sorted_tables:
        if table.name in SKIPPED_TABLES:
            continue
        where = _owner_filter(table, athlete_id, user_id)
        if where is None:
            continue
        rows = session.execute(select(table).where(where)).mappings().all()
        out[table.name] = [{k: _jsonable(v) for k, v in row.items() if k not in SECRET_COLUMNS}
                           for row in rows]
    return out


def raw_files_of(session: Session, athlete_id: int) -> set[str]:
    found: set[str] = set()
    for table, column in RAW_REFERENCES:
        found.update(d for d in session.scalars(select(table.c[column]).where(
            table.c.athlete_id == athlete_id, table.c[column].is_not(None))) if d)
    return found


def export_zip(store: Store, user: ms.AppUser) -> bytes:
    """Everything held about ``user`` (and their athlete record) as a zip."""
    from stridewise.report.html import write_report

    buffer = io.BytesIO()
    with store.transaction() as tx, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, rows in tables_of(tx.session, user.athlete_id, user.id).items():
            zf.writestr(f"tables/{name}.json", json.dumps(rows, indent=1, default=str))
        if user.athlete_id is not None:
            for digest in sorted(raw_files_of(tx.session, user.athlete_id)):
                data = tx.get_raw_file(user.athlete_id, digest)
                if data is not None:
                    zf.writestr(f"files/{digest}", data)
        zf.writestr("README.txt", "Everything stridewise holds about you: tables/ (one JSON "
                                  "file per table), files/ (your original activity files, "
                                  "named by their SHA-256) and report.html (open it in a "
                                  "browser; it works offline).\n")
    if user.athlete_id is not None:
        with tempfile.TemporaryDirectory() as tmp, \
                zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as zf:
            report = write_report(store, Path(tmp) / "report.html", user.athlete_id,
                                  days=None)
            zf.write(report, "report.html")
    return buffer.getvalue()


def delete_account(store: Store, user_id: int) -> int:
    """Delete the account, its athlete record with every row of theirs, and the raw files no
    one else names; returns how many raw files were removed."""
    with store.write_transaction() as tx:
        user = tx.session.get(ms.AppUser, user_id)
        if user is None:
            return 0
        athlete_id = user.athlete_id
        digests = raw_files_of(tx.session, athlete_id) if athlete_id is not None else set()
        tx.session.delete(user)
        tx.session.flush()
        if athlete_id is not None:
            athlete = tx.session.get(m.Athlete, athlete_id)
            if athlete is not None:
                tx.session.delete(athlete)
    removed = 0
    # Counted after the commit: an import of the same bytes by someone else in between keeps
    # the file (their row names it).
    with store.write_transaction() as tx:
        for digest in sorted(digests):
            named = any(tx.session.scalar(select(table.c[column]).where(
                table.c[column] == digest).limit(1)) for table, column in RAW_REFERENCES)
            if not named:
                try:
                    store.raw.path_for(digest).unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
    return removed
