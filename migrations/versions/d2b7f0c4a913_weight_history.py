"""weight history

Each course's weight changes are kept with their local date; the first is the start weight, which the
course's mg/kg is counted by unless a later one is marked as the prescriber's re-based weight. Existing
courses get one record: their current weight on the day the course was created.

Revision ID: d2b7f0c4a913
Revises: c14a0e5d7b21
Create Date: 2026-12-07 00:40:00.000000

"""
import uuid
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2b7f0c4a913'
down_revision = 'c14a0e5d7b21'
branch_labels = None
depends_on = None


def upgrade():
    weights = op.create_table(
        'weight_records',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('course_id', sa.String(length=36), nullable=False),
        sa.Column('recorded_on', sa.Date(), nullable=False),
        sa.Column('weight_kg', sa.Float(), nullable=False),
        sa.Column('rebased', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('course_id', 'recorded_on'),
    )
    with op.batch_alter_table('weight_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weight_records_course_id'), ['course_id'], unique=False)
    courses = op.get_bind().execute(sa.text("SELECT id, weight_kg, created_at FROM courses")).fetchall()
    if courses:
        op.bulk_insert(
            weights,
            [
                {
                    'id': str(uuid.uuid4()),
                    'course_id': course_id,
                    'recorded_on': _date_of(created_at),
                    'weight_kg': weight_kg,
                    'rebased': False,
                    'created_at': _instant(created_at),
                }
                for course_id, weight_kg, created_at in courses
            ],
        )


def _instant(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _date_of(value):
    return _instant(value).date()


def downgrade():
    with op.batch_alter_table('weight_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weight_records_course_id'))
    op.drop_table('weight_records')
