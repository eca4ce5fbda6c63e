"""caregivers and caregiver invites: adherence shared with a credential of its own

Revision ID: d5e8f1a2b3c4
Revises: e5b7d2a9c013
Create Date: 2026-12-07 01:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e8f1a2b3c4'
down_revision = 'e5b7d2a9c013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('caregiver_invites',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('patient_id', sa.String(length=36), nullable=False),
    sa.Column('course_id', sa.String(length=36), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_caregiver_invites_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_caregiver_invites_patient_id_patients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_caregiver_invites'))
    )
    with op.batch_alter_table('caregiver_invites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caregiver_invites_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_caregiver_invites_patient_id'), ['patient_id'], unique=False)

    op.create_table('caregivers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('patient_id', sa.String(length=36), nullable=False),
    sa.Column('course_id', sa.String(length=36), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('show_appointments', sa.Boolean(), nullable=False),
    sa.Column('nudge_allowed', sa.Boolean(), nullable=False),
    sa.Column('nudge', sa.Boolean(), nullable=False),
    sa.Column('quiet_start', sa.Time(), nullable=True),
    sa.Column('quiet_end', sa.Time(), nullable=True),
    sa.Column('push_endpoint', sa.String(length=2048), nullable=True),
    sa.Column('push_p256dh', sa.String(length=128), nullable=True),
    sa.Column('push_auth', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_caregivers_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_caregivers_patient_id_patients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_caregivers')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_caregivers_token_hash'))
    )
    with op.batch_alter_table('caregivers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caregivers_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_caregivers_patient_id'), ['patient_id'], unique=False)


def downgrade():
    with op.batch_alter_table('caregivers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caregivers_patient_id'))
        batch_op.drop_index(batch_op.f('ix_caregivers_course_id'))

    op.drop_table('caregivers')
    with op.batch_alter_table('caregiver_invites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caregiver_invites_patient_id'))
        batch_op.drop_index(batch_op.f('ix_caregiver_invites_course_id'))

    op.drop_table('caregiver_invites')
