"""course pauses: capsules stopped until the prescriber says to restart

Revision ID: c4a1d7e2f9b3
Revises: 80dee2580224
Create Date: 2026-12-07 00:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a1d7e2f9b3'
down_revision = '80dee2580224'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_pauses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('course_id', sa.String(length=36), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('resumed_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_pauses_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_pauses'))
    )
    with op.batch_alter_table('course_pauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_pauses_course_id'), ['course_id'], unique=False)


def downgrade():
    with op.batch_alter_table('course_pauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_pauses_course_id'))

    op.drop_table('course_pauses')
