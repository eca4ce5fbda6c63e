"""caregivers' push subscriptions move into push_subscriptions (caregiver_id); caregivers.language

Revision ID: f2a6c8d4e1b7
Revises: e7c3a9b1d052
Create Date: 2026-12-07 03:20:00.000000

A caregiver's phone is a push subscription like a patient's device, marked by `caregiver_id`, so the
nudge goes through the dispatcher's outbox (one delivery per occurrence and subscription, a 410
retires it). Patient-facing queries filter `caregiver_id IS NULL`.
"""
import uuid
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2a6c8d4e1b7'
down_revision = 'e7c3a9b1d052'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('caregiver_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_push_subscriptions_caregiver_id'), ['caregiver_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_push_subscriptions_caregiver_id_caregivers'), 'caregivers', ['caregiver_id'], ['id'],
            ondelete='CASCADE',
        )
    bind = op.get_bind()
    now = datetime.now(UTC)
    subscriptions = sa.table(
        'push_subscriptions',
        sa.column('id', sa.String), sa.column('patient_id', sa.String), sa.column('caregiver_id', sa.String),
        sa.column('endpoint', sa.String), sa.column('p256dh', sa.String), sa.column('auth', sa.String),
        sa.column('created_at', sa.DateTime(timezone=True)), sa.column('last_seen_at', sa.DateTime(timezone=True)),
        sa.column('failure_count', sa.Integer),
    )
    taken = {row[0] for row in bind.execute(sa.text('SELECT endpoint FROM push_subscriptions'))}
    rows = bind.execute(sa.text(
        'SELECT id, patient_id, push_endpoint, push_p256dh, push_auth FROM caregivers '
        'WHERE push_endpoint IS NOT NULL AND push_p256dh IS NOT NULL AND push_auth IS NOT NULL'
    )).all()
    moved = [
        {
            'id': str(uuid.uuid4()), 'patient_id': patient_id, 'caregiver_id': caregiver_id, 'endpoint': endpoint,
            'p256dh': p256dh, 'auth': auth, 'created_at': now, 'last_seen_at': now, 'failure_count': 0,
        }
        for caregiver_id, patient_id, endpoint, p256dh, auth in rows
        if endpoint not in taken  # a patient's own device keeps its endpoint; the caregiver re-registers
    ]
    if moved:
        op.bulk_insert(subscriptions, moved)
    with op.batch_alter_table('caregivers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
        batch_op.drop_column('push_endpoint')
        batch_op.drop_column('push_p256dh')
        batch_op.drop_column('push_auth')


def downgrade():
    with op.batch_alter_table('caregivers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('push_auth', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('push_p256dh', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('push_endpoint', sa.String(length=2048), nullable=True))
        batch_op.drop_column('language')
    bind = op.get_bind()
    for caregiver_id, endpoint, p256dh, auth in bind.execute(sa.text(
        'SELECT caregiver_id, endpoint, p256dh, auth FROM push_subscriptions WHERE caregiver_id IS NOT NULL'
    )).all():
        bind.execute(
            sa.text('UPDATE caregivers SET push_endpoint = :e, push_p256dh = :p, push_auth = :a WHERE id = :id'),
            {'e': endpoint, 'p': p256dh, 'a': auth, 'id': caregiver_id},
        )
    bind.execute(sa.text('DELETE FROM push_subscriptions WHERE caregiver_id IS NOT NULL'))
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_push_subscriptions_caregiver_id_caregivers'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_caregiver_id'))
        batch_op.drop_column('caregiver_id')
