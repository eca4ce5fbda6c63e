"""course rule set, country and clinic phone

Existing courses get their programme's default rule set (the file named after the programme).

Revision ID: ab8cc0c1d508
Revises: 3de7bd80bcf4
Create Date: 2026-11-29 21:42:55.675615

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ab8cc0c1d508'
down_revision = '3de7bd80bcf4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule_set', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('clinic_phone', sa.String(length=32), nullable=True))
    op.execute("UPDATE courses SET rule_set = programme")
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.alter_column('rule_set', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('clinic_phone')
        batch_op.drop_column('country')
        batch_op.drop_column('rule_set')
