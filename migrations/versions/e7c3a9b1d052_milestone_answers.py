"""milestone answers

The patient's word on a past usual visit or test (done, not done, don't know), e.g. the tests before the
start when joining a course that began in the past.

Revision ID: e7c3a9b1d052
Revises: d2b7f0c4a913
Create Date: 2026-12-07 01:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7c3a9b1d052'
down_revision = 'd2b7f0c4a913'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'milestone_answers',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('course_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('on_date', sa.Date(), nullable=False),
        sa.Column('answer', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('course_id', 'kind', 'on_date'),
    )
    with op.batch_alter_table('milestone_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_answers_course_id'), ['course_id'], unique=False)


def downgrade():
    with op.batch_alter_table('milestone_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_answers_course_id'))
    op.drop_table('milestone_answers')
