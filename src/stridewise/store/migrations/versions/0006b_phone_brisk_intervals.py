"""brisk walking spans from step cadence, kept with their times (issue 13)

So the daily series takes out the recorded sessions that overlap them, whichever was stored
first: a walk logged or imported after the phone export is not counted twice.

Revision ID: 0006b
Revises: 0005
Create Date: 2026-12-03 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006b'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('brisk_interval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('start_utc', sa.DateTime(), nullable=False),
    sa.Column('end_utc', sa.DateTime(), nullable=False),
    sa.Column('intensity', sa.String(length=8), nullable=False),
    sa.CheckConstraint("intensity IN ('moderate', 'vigorous')", name=op.f('ck_brisk_interval_intensity')),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], name=op.f('fk_brisk_interval_athlete_id_athlete'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brisk_interval')),
    sa.UniqueConstraint('athlete_id', 'source', 'start_utc', 'intensity', name='uq_brisk_interval_key')
    )


def downgrade() -> None:
    op.drop_table('brisk_interval')
