"""push tests queued for the reminder worker

Revision ID: b7c1d2e3f4a5
Revises: c4a1d7e2f9b3
Create Date: 2026-12-07 00:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c1d2e3f4a5'
down_revision = 'c4a1d7e2f9b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('push_tests',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('patient_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('results', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_push_tests_patient_id_patients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_tests'))
    )
    with op.batch_alter_table('push_tests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_tests_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_tests_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_tests_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('push_tests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_tests_status'))
        batch_op.drop_index(batch_op.f('ix_push_tests_patient_id'))
        batch_op.drop_index(batch_op.f('ix_push_tests_created_at'))

    op.drop_table('push_tests')
