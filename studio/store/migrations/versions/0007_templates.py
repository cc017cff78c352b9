"""bulletin templates

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22

A station keeps its own templates for new bulletins (the running order and the wording it repeats:
ident, greeting, closing), beside the standard one the studio ships.
"""

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'bulletin_template',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('station_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['station.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('station_id', 'name'),
    )
    op.create_index(op.f('ix_bulletin_template_station_id'), 'bulletin_template', ['station_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_bulletin_template_station_id'), table_name='bulletin_template')
    op.drop_table('bulletin_template')
