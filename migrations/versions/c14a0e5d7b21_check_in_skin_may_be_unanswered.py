"""check-in skin may be unanswered

A check-in's skin (and, inside its JSON, each effect) is NULL when the patient left the question
unanswered; rows stored before keep their values.

Revision ID: c14a0e5d7b21
Revises: d8e2f1a4b6c7
Create Date: 2026-12-07 00:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c14a0e5d7b21'
down_revision = 'd8e2f1a4b6c7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.alter_column('skin', existing_type=sa.Integer(), nullable=True)


def downgrade():
    unanswered = op.get_bind().execute(sa.text("SELECT COUNT(*) FROM checkins WHERE skin IS NULL")).scalar()
    if unanswered:
        raise RuntimeError(
            f"{unanswered} check-in(s) leave skin unanswered; the old schema cannot hold them without "
            "inventing an answer. Export or delete them first."
        )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.alter_column('skin', existing_type=sa.Integer(), nullable=False)
