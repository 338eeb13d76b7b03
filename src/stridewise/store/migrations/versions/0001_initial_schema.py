"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 15:44:53.737360

Instants are stored as naive UTC (models.UTCDateTime); see stridewise.store.models.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('athlete',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sex', sa.String(length=8), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('resting_hr_bpm', sa.Double(), nullable=True),
    sa.Column('resting_hr_estimated', sa.Boolean(), nullable=False),
    sa.Column('max_hr_bpm', sa.Double(), nullable=True),
    sa.Column('max_hr_estimated', sa.Boolean(), nullable=False),
    sa.Column('units', sa.String(length=2), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("sex IN ('female', 'male')", name=op.f('ck_athlete_sex')),
    sa.CheckConstraint("units IN ('km', 'mi')", name=op.f('ck_athlete_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_athlete')),
    sa.UniqueConstraint('name', name=op.f('uq_athlete_name'))
    )
    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('sport', sa.String(length=16), nullable=False),
    sa.Column('sub_sport', sa.String(length=32), nullable=True),
    sa.Column('start_time_utc', sa.DateTime(), nullable=False),
    sa.Column('utc_offset_s', sa.Integer(), nullable=True),
    sa.Column('elapsed_s', sa.Double(), nullable=False),
    sa.Column('moving_s', sa.Double(), nullable=False),
    sa.Column('distance_m', sa.Double(), nullable=True),
    sa.Column('ascent_m', sa.Double(), nullable=True),
    sa.Column('avg_heart_rate_bpm', sa.Double(), nullable=True),
    sa.Column('max_heart_rate_bpm', sa.Double(), nullable=True),
    sa.Column('avg_cadence_spm', sa.Double(), nullable=True),
    sa.Column('steps', sa.Integer(), nullable=True),
    sa.Column('avg_speed_mps', sa.Double(), nullable=True),
    sa.Column('n_records', sa.Integer(), nullable=False),
    sa.Column('device', sa.String(length=200), nullable=True),
    sa.Column('name', sa.String(length=500), nullable=True),
    sa.Column('rpe', sa.Double(), nullable=True),
    sa.Column('source_sha256', sa.String(length=64), nullable=True),
    sa.Column('source_format', sa.String(length=16), nullable=False),
    sa.Column('source_name', sa.Text(), nullable=True),
    sa.Column('laps', sa.JSON(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], name=op.f('fk_activity_athlete_id_athlete'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_athlete_start', ['athlete_id', 'start_time_utc'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_source_sha256'), ['source_sha256'], unique=False)

    op.create_table('body_mass',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('mass_kg', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], name=op.f('fk_body_mass_athlete_id_athlete'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_body_mass')),
    sa.UniqueConstraint('athlete_id', 'measured_on', name='uq_body_mass_athlete_day')
    )
    op.create_table('checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('at_utc', sa.DateTime(), nullable=False),
    sa.Column('pain_site', sa.String(length=200), nullable=True),
    sa.Column('pain_score', sa.Integer(), nullable=True),
    sa.Column('pain_timing', sa.String(length=16), nullable=True),
    sa.Column('pain_localised_bone', sa.Boolean(), nullable=True),
    sa.Column('fell', sa.Boolean(), nullable=True),
    sa.Column('sleep_hours', sa.Double(), nullable=True),
    sa.Column('sleep_quality', sa.Integer(), nullable=True),
    sa.Column('who5', sa.JSON(), nullable=True),
    sa.Column('energy', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.CheckConstraint("pain_timing IN ('during', 'after', 'next_morning', 'at_rest', 'at_night')", name=op.f('ck_checkin_pain_timing')),
    sa.CheckConstraint('energy BETWEEN 1 AND 5', name=op.f('ck_checkin_energy')),
    sa.CheckConstraint('pain_score BETWEEN 0 AND 10', name=op.f('ck_checkin_pain_score')),
    sa.CheckConstraint('sleep_quality BETWEEN 1 AND 5', name=op.f('ck_checkin_sleep_quality')),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], name=op.f('fk_checkin_athlete_id_athlete'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin'))
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_athlete_at', ['athlete_id', 'at_utc'], unique=False)

    op.create_table('manual_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('start_time_utc', sa.DateTime(), nullable=False),
    sa.Column('duration_s', sa.Double(), nullable=False),
    sa.Column('distance_m', sa.Double(), nullable=True),
    sa.Column('rpe', sa.Double(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('source_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('run', 'walk', 'strength', 'balance', 'impact', 'other')", name=op.f('ck_manual_session_kind')),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], name=op.f('fk_manual_session_athlete_id_athlete'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manual_session'))
    )
    with op.batch_alter_table('manual_session', schema=None) as batch_op:
        batch_op.create_index('ix_manual_session_athlete_start', ['athlete_id', 'start_time_utc'], unique=False)

    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('goal', sa.String(length=200), nullable=False),
    sa.Column('created_at_utc', sa.DateTime(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], name=op.f('fk_plan_athlete_id_athlete'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan'))
    )
    op.create_table('screening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('taken_at_utc', sa.DateTime(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], name=op.f('fk_screening_athlete_id_athlete'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening'))
    )
    op.create_table('activity_stream',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('codec', sa.String(length=32), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('n_records', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_stream_activity_id_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_activity_stream'))
    )
    op.create_table('import_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('source_name', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('at_utc', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('imported', 'duplicate', 'failed')", name=op.f('ck_import_log_status')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_import_log_activity_id_activity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], name=op.f('fk_import_log_athlete_id_athlete'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_log'))
    )
    with op.batch_alter_table('import_log', schema=None) as batch_op:
        batch_op.create_index('ix_import_log_athlete_sha256', ['athlete_id', 'sha256'], unique=False)

    op.create_table('plan_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('at_utc', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_change_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_change'))
    )
    op.create_table('planned_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('duration_s', sa.Double(), nullable=True),
    sa.Column('distance_m', sa.Double(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('planned', 'done', 'missed', 'changed', 'cancelled')", name=op.f('ck_planned_session_status')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_planned_session_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_session'))
    )
    with op.batch_alter_table('planned_session', schema=None) as batch_op:
        batch_op.create_index('ix_planned_session_plan_date', ['plan_id', 'date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('planned_session', schema=None) as batch_op:
        batch_op.drop_index('ix_planned_session_plan_date')

    op.drop_table('planned_session')
    op.drop_table('plan_change')
    with op.batch_alter_table('import_log', schema=None) as batch_op:
        batch_op.drop_index('ix_import_log_athlete_sha256')

    op.drop_table('import_log')
    op.drop_table('activity_stream')
    op.drop_table('screening')
    op.drop_table('plan')
    with op.batch_alter_table('manual_session', schema=None) as batch_op:
        batch_op.drop_index('ix_manual_session_athlete_start')

    op.drop_table('manual_session')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_athlete_at')

    op.drop_table('checkin')
    op.drop_table('body_mass')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_source_sha256'))
        batch_op.drop_index('ix_activity_athlete_start')

    op.drop_table('activity')
    op.drop_table('athlete')
