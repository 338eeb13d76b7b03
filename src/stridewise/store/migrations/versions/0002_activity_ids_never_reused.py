"""activity ids are never reused (SQLite AUTOINCREMENT)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 16:00:00

Without AUTOINCREMENT, SQLite hands the id of a deleted row with the highest id to the next
insert, so a reference kept outside the database (a bookmarked page, an export, a report)
would silently point at another activity after a richer recording replaced one. PostgreSQL
sequences never reuse ids, so only SQLite's table is rebuilt.
"""

from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _rebuild_activity(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "activity", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def upgrade() -> None:
    _rebuild_activity(True)


def downgrade() -> None:
    _rebuild_activity(False)
