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
    statements = []
    for event in EVENTS:
        who = _athlete_of("OLD" if event == "DELETE" else "NEW", how)
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS athlete_revision_{table}_{event.lower()} "
            f"AFTER {event} ON {table} FOR EACH ROW WHEN {who} IS NOT NULL BEGIN "
            f"INSERT OR IGNORE INTO athlete_revision (athlete_id) VALUES ({who}); "
            f"UPDATE athlete_revision SET {_bumps(table)} WHERE athlete_id = {who}; "
            "END")
    return statements


def _postgres_function(table: str, how: str | tuple[str, str]) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION athlete_revision_{table}() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ DECLARE who bigint; BEGIN "
        f"IF TG_OP = 'DELETE' THEN who := {_athlete_of('OLD', how)}; "
        f"ELSE who := {_athlete_of('NEW', how)}; END IF; "
        "IF who IS NOT NULL THEN "
        "INSERT INTO athlete_revision (athlete_id, revision, sessions_revision) "
        f"VALUES (who, 1, {1 if table in SESSION_TABLES else 0}) "
        f"ON CONFLICT (athlete_id) DO UPDATE SET {_bumps(table, 'athlete_revision.')}; "
        "END IF; RETURN NULL; END $$")


def create_triggers() -> None:
    """(Re)create every table's triggers; safe to call again after a SQLite table rebuild."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, how in WATCHED.items():
        if postgres:
            op.execute(_postgres_function(table, how))
            op.execute(f"DROP TRIGGER IF EXISTS athlete_revision ON {table}")
            op.execute(f"CREATE TRIGGER athlete_revision AFTER INSERT OR UPDATE OR DELETE "
                       f"ON {table} FOR EACH ROW EXECUTE FUNCTION athlete_revision_{table}()")
        else:
            for statement in _sqlite_triggers(table, how):
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
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS athlete_revision ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS athlete_revision_{table}()")
        else:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS athlete_revision_{table}_{event.lower()}")
    op.drop_table("athlete_revision")
