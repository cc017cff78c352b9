"""programme timeline

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Per-segment gap, crossfade and music-bed choice; the station's stinger, bed and the segment kinds the
bed plays under; the laid-out programme of each render (for the timeline view).
"""

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('station') as batch:
        batch.add_column(sa.Column('stinger_jingle', sa.String(length=200), nullable=False,
                                   server_default='stinger'))
        batch.add_column(sa.Column('bed_jingle', sa.String(length=200), nullable=False, server_default='bed'))
        batch.add_column(sa.Column('bed_kinds', sa.String(length=200), nullable=False, server_default='notice'))
    with op.batch_alter_table('segment') as batch:
        batch.add_column(sa.Column('gap', sa.Float(), nullable=True))
        batch.add_column(sa.Column('crossfade', sa.Float(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('bed', sa.Boolean(), nullable=True))
    with op.batch_alter_table('render') as batch:
        batch.add_column(sa.Column('layout', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('render') as batch:
        batch.drop_column('layout')
    with op.batch_alter_table('segment') as batch:
        batch.drop_column('bed')
        batch.drop_column('crossfade')
        batch.drop_column('gap')
    with op.batch_alter_table('station') as batch:
        batch.drop_column('bed_kinds')
        batch.drop_column('bed_jingle')
        batch.drop_column('stinger_jingle')
