"""push service alerts: a push service refused our VAPID authorization (reported by /healthz);
push tests may target one device

Revision ID: d8e2f1a4b6c7
Revises: d5e8f1a2b3c4
Create Date: 2026-12-07 01:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd8e2f1a4b6c7'
down_revision = 'd5e8f1a2b3c4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('push_service_alerts',
    sa.Column('origin', sa.String(length=255), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('origin', name=op.f('pk_push_service_alerts'))
    )
    with op.batch_alter_table('push_tests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subscription_id', sa.String(length=36), nullable=True))


def downgrade():
    with op.batch_alter_table('push_tests', schema=None) as batch_op:
        batch_op.drop_column('subscription_id')
    op.drop_table('push_service_alerts')
