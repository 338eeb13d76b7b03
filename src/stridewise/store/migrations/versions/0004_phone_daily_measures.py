"""daily measures and sleep intervals from phone exports (issue 13)

One row per athlete, local day and source (apple_health, garmin, fitbit) so a newer export
of the same account updates its days; sleep as intervals with their stage, never summed with
time in bed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 17:59:06.987035
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('athlete', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resting_hr_source', sa.String(length=32), nullable=True))
    op.create_table('daily_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('steps', sa.Double(), nullable=True),
    sa.Column('walking_distance_m', sa.Double(), nullable=True),
    sa.Column('resting_hr_bpm', sa.Double(), nullable=True),
    sa.Column('walking_speed_mps', sa.Double(), nullable=True),
    sa.Column('walking_steadiness_pct', sa.Double(), nullable=True),
    sa.Column('body_mass_kg', sa.Double(), nullable=True),
    sa.Column('sleep_asleep_s', sa.Double(), nullable=True),
    sa.Column('sleep_in_bed_s', sa.Double(), nullable=True),
    sa.Column('steps_moderate_min', sa.Double(), nullable=True),
    sa.Column('steps_vigorous_min', sa.Double(), nullable=True),
    sa.Column('device_moderate_min', sa.Double(), nullable=True),
    sa.Column('device_vigorous_min', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], name=op.f('fk_daily_measure_athlete_id_athlete'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_measure')),
    sa.UniqueConstraint('athlete_id', 'day', 'source', name='uq_daily_measure_athlete_day_src')
    )
    op.create_table('sleep_interval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('device', sa.String(length=200), nullable=False),
    sa.Column('start_utc', sa.DateTime(), nullable=False),
    sa.Column('end_utc', sa.DateTime(), nullable=False),
    sa.Column('stage', sa.String(length=8), nullable=False),
    sa.Column('utc_offset_s', sa.Integer(), nullable=False),
    sa.CheckConstraint("stage IN ('in_bed', 'asleep', 'core', 'deep', 'rem', 'awake')", name=op.f('ck_sleep_interval_stage')),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], name=op.f('fk_sleep_interval_athlete_id_athlete'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sleep_interval')),
    sa.UniqueConstraint('athlete_id', 'source', 'device', 'start_utc', 'stage', name='uq_sleep_interval_key')
    )


def downgrade() -> None:
    op.drop_table('sleep_interval')
    op.drop_table('daily_measure')
    with op.batch_alter_table('athlete', schema=None) as batch_op:
        batch_op.drop_column('resting_hr_source')
