"""a revision number per athlete, kept by the database itself

Revision ID: 0008_athlete_revision
Revises: 0007_audit_ids_never_reused
Create Date: 2026-12-03 14:00:00

What the core derives from an athlete's rows (the daily series, the day's advice) is cached,
and the cache must learn of every change, whoever makes it: a page, the API, the CLI, an
import, a re-plan, another server process, a restored backup. Triggers on every table the
advice reads bump ``athlete_revision.revision`` for the athlete whose row was inserted,
updated or deleted, so one primary-key read tells whether anything changed. (Counting rows
and newest ids, as before, missed changes made in place, such as a day's body mass replaced.)

The row is never deleted, and has no foreign key: when an athlete is deleted its number stays,
so an athlete who later gets the same id (SQLite may reuse it) continues from a higher number
and can never meet a cached answer of the one before. Activity streams carry no trigger: a
stream is written with its activity, whose own row moves the number.

A second number, ``sessions_revision``, moves only with the rows the per-day session columns
come from (the profile, activities, hand-logged sessions): a check-in then recomputes only
the columns that check-ins and phone measures feed, not a year of sessions.

A SQLite table rebuilt by a later migration (``batch_alter_table(recreate=...)``) loses its
triggers: such a migration must call :func:`create_triggers` again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008_athlete_revision'
down_revision = '0007_audit_ids_never_reused'
branch_labels = None
depends_on = None

#: table -> how its rows name their athlete: a column, or (column, parent table) one hop away.
WATCHED: dict[str, str | tuple[str, str]] = {
    "athlete": "id",
    "body_mass": "athlete_id",
    "activity": "athlete_id",
    "manual_session": "athlete_id",
    "checkin": "athlete_id",
    "screening": "athlete_id",
    "plan": "athlete_id",
    "planned_session": ("plan_id", "plan"),
    "plan_change": ("plan_id", "plan"),
    "daily_measure": "athlete_id",
    "sleep_interval": "athlete_id",
    "brisk_interval": "athlete_id",
    "brain_answers": "athlete_id",
}
#: The tables the per-day session columns are computed from (series.daily.session_days).
SESSION_TABLES = frozenset({"athlete", "activity", "manual_session"})
EVENTS = ("INSERT", "UPDATE", "DELETE")


def _bumps(table: str, prefix: str = "") -> str:
    moved = [f"revision = {prefix}revision + 1"]
    if table in SESSION_TABLES:
        moved.append(f"sessions_revision = {prefix}sessions_revision + 1")
    return ", ".join(moved)


def _athlete_of(row: str, how: str | tuple[str, str]) -> str:
    if isinstance(how, str):
        return f"{row}.{how}"
    column, parent = how
    return f"(SELECT athlete_id FROM {parent} WHERE id = {row}.{column})"


def _sqlite_triggers(table: str, how: str | tuple[str, str]) -> list[str]:
    """Row triggers (SQLite has no statement-level ones); an update moves the number of the
    athlete before and after (the same one, in practice: twice is harmless)."""
    statements = []
    for event in EVENTS:
        rows = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}[event]
        body = ""
        for row in rows:
            who = _athlete_of(row, how)
            body += (f"INSERT OR IGNORE INTO athlete_revision (athlete_id) SELECT {who} "
                     f"WHERE {who} IS NOT NULL; "
                     f"UPDATE athlete_revision SET {_bumps(table)} WHERE athlete_id = {who}; ")
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS athlete_revision_{table}_{event.lower()} "
            f"AFTER {event} ON {table} FOR EACH ROW BEGIN {body}END")
    return statements


def _postgres_trigger(table: str, how: str | tuple[str, str], event: str) -> list[str]:
    """A statement-level trigger over the statement's transition tables that moves each
    athlete's number once per transaction: later writes in the same transaction are seen by
    no one before the commit, so a second move would tell no reader anything. (Moving it for
    every row updates the same row once per row written, and PostgreSQL cannot reuse those
    row versions before the commit: 40,000 logged sessions in one transaction took 32 s
    against 2.7 s without the trigger.) A transaction-local setting remembers the move; a
    rolled-back savepoint forgets it together with the move."""
    tables = {"INSERT": ("new_rows",), "UPDATE": ("new_rows", "old_rows"),
              "DELETE": ("old_rows",)}[event]
    if isinstance(how, str):
        who = " UNION ".join(f"SELECT {how} AS who FROM {t}" for t in tables)
    else:
        column, parent = how
        who = " UNION ".join(f"SELECT p.athlete_id AS who FROM {t} JOIN {parent} p "
                             f"ON p.id = {t}.{column}" for t in tables)
    name = f"athlete_revision_{table}_{event.lower()}"
    referencing = " ".join({"new_rows": "NEW TABLE AS new_rows",
                            "old_rows": "OLD TABLE AS old_rows"}[t] for t in tables)
    sessions = table in SESSION_TABLES
    # The session tables move both numbers, the others only the first: separate memories.
    memory = "'stridewise.moved_' || who || '" + ("_sessions'" if sessions else "'")
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE who bigint; BEGIN "
        f"FOR who IN SELECT moved.who FROM ({who}) AS moved WHERE moved.who IS NOT NULL LOOP "
        f"IF current_setting({memory}, true) IS DISTINCT FROM '1' THEN "
        "INSERT INTO athlete_revision (athlete_id, revision, sessions_revision) "
        f"VALUES (who, 1, {1 if sessions else 0}) "
        f"ON CONFLICT (athlete_id) DO UPDATE SET {_bumps(table, 'athlete_revision.')}; "
        f"PERFORM set_config({memory}, '1', true); "
        "END IF; END LOOP; RETURN NULL; END $$",
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]


def create_triggers() -> None:
    """(Re)create every table's triggers; safe to call again after a SQLite table rebuild."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, how in WATCHED.items():
        for event in EVENTS:
            statements = (_postgres_trigger(table, how, event) if postgres
                          else _sqlite_triggers(table, how)[EVENTS.index(event):][:1])
            for statement in statements:
                op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "athlete_revision",
        sa.Column("athlete_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("sessions_revision", sa.BigInteger(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("athlete_id", name=op.f("pk_athlete_revision")),
    )
    create_triggers()


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in WATCHED:
        for event in EVENTS:
            name = f"athlete_revision_{table}_{event.lower()}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
            if postgres:
                op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("athlete_revision")
