"""audit_event ids are never reused (SQLite AUTOINCREMENT)

Revision ID: 0007_audit_ids_never_reused
Revises: 0006_server_accounts
Create Date: 2026-12-03 14:00:00

Without AUTOINCREMENT, SQLite hands the id of a deleted row with the highest id to the next
insert, so after audit rows were removed (by hand, or from a restored backup) a new row could
carry the id of an old one that is already in someone's exported audit CSV. PostgreSQL
sequences never reuse ids, so only SQLite's table is rebuilt (as activity in 0002).
"""

from __future__ import annotations

from alembic import op

revision = '0007_audit_ids_never_reused'
down_revision = '0006_server_accounts'
branch_labels = None
depends_on = None


def _rebuild_audit_event(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "audit_event", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def upgrade() -> None:
    _rebuild_audit_event(True)


def downgrade() -> None:
    _rebuild_audit_event(False)
