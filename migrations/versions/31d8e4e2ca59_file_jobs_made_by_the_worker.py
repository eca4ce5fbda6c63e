"""file jobs made by the worker

The data export and the report PDF are made by the background worker, not inside a web request; the
file is kept here for a short while for the app to download.

Revision ID: 31d8e4e2ca59
Revises: f2a6c8d4e1b7
Create Date: 2026-12-07 03:01:44.187522

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '31d8e4e2ca59'
down_revision = 'f2a6c8d4e1b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('file_jobs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('patient_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('filename', sa.String(length=128), nullable=True),
    sa.Column('media_type', sa.String(length=64), nullable=True),
    sa.Column('content_encoding', sa.String(length=16), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('error', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_file_jobs_patient_id_patients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_jobs'))
    )
    with op.batch_alter_table('file_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_file_jobs_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_jobs_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_jobs_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('file_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_file_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_file_jobs_patient_id'))
        batch_op.drop_index(batch_op.f('ix_file_jobs_created_at'))

    op.drop_table('file_jobs')
