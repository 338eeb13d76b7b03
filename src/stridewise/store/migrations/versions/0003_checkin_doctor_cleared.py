"""check-ins can record a doctor's clearance

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 18:10:00

A pain stop (bone, night or rest pain) lasts until the person answers the screening again or
records that a doctor has checked the pain and cleared them (issue 10); the clearance is a
check-in answer, recorded the same way on the CLI and the Log page.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkin") as batch:
        batch.add_column(sa.Column("doctor_cleared", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkin") as batch:
        batch.drop_column("doctor_cleared")
