"""delivery outbox and schedules

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

A bulletin carries its broadcast schedule and a station its default slots and loudspeaker zones. The
delivery table becomes the persistent outbox (one job per package and target: frozen package, queue rank,
attempts, backoff, lease, progress) with a per-job history. Earlier one-shot delivery records stay as
finished jobs; a failed one becomes cancelled (it has no frozen package to send again).
"""

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('station') as batch:
        batch.add_column(sa.Column('schedule_defaults', sa.JSON(), nullable=True))
    with op.batch_alter_table('bulletin') as batch:
        batch.add_column(sa.Column('schedule', sa.JSON(), nullable=True))
    with op.batch_alter_table('delivery') as batch:
        batch.drop_constraint('uq_delivery_render_id', type_='unique')
        batch.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='deliver'))
        batch.add_column(sa.Column('programme_id', sa.String(length=128), nullable=False, server_default=''))
        batch.add_column(sa.Column('rank', sa.Integer(), nullable=False, server_default='2'))
        batch.add_column(sa.Column('error', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('approval_hash', sa.String(length=64), nullable=False, server_default=''))
        batch.add_column(sa.Column('package_sha256', sa.String(length=64), nullable=False, server_default=''))
        batch.add_column(sa.Column('package_relpath', sa.String(length=300), nullable=False, server_default=''))
        batch.add_column(sa.Column('size_bytes', sa.BigInteger(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('sidecar_text', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('bytes_done', sa.BigInteger(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('lease_owner', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('created_by', sa.String(length=100), nullable=False, server_default=''))
        batch.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_index('ix_delivery_queue', ['target_id', 'state', 'rank', 'id'])
    op.execute("UPDATE delivery SET state = 'cancelled' WHERE state <> 'done'")
    op.create_table(
        'delivery_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('delivery_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('actor', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name='fk_delivery_event_delivery_id_delivery',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_delivery_event'),
    )
    op.create_index('ix_delivery_event_delivery_id', 'delivery_event', ['delivery_id'])


def downgrade() -> None:
    op.drop_index('ix_delivery_event_delivery_id', table_name='delivery_event')
    op.drop_table('delivery_event')
    op.execute("DELETE FROM delivery WHERE id NOT IN (SELECT MIN(id) FROM delivery GROUP BY render_id, target_id)")
    with op.batch_alter_table('delivery') as batch:
        batch.drop_index('ix_delivery_queue')
        for column in ('updated_at', 'created_by', 'lease_until', 'lease_owner', 'next_attempt_at', 'bytes_done',
                       'sidecar_text', 'size_bytes', 'package_relpath', 'package_sha256', 'approval_hash', 'error',
                       'rank', 'programme_id', 'kind'):
            batch.drop_column(column)
        batch.create_unique_constraint('uq_delivery_render_id', ['render_id', 'target_id'])
    with op.batch_alter_table('bulletin') as batch:
        batch.drop_column('schedule')
    with op.batch_alter_table('station') as batch:
        batch.drop_column('schedule_defaults')
