"""the languages of the station's area

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

The first-run wizard asks which minority languages are spoken in the commune; the editor then offers
them first (a translation starts in the area's language).
"""

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('station') as batch:
        batch.add_column(sa.Column('area_presets', sa.String(length=500), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('station') as batch:
        batch.drop_column('area_presets')
