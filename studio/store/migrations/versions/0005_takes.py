"""recorded takes and the phrase bank

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

Segments get a lasting key (their takes stay with them while text and order change) and the sha256 of
their chosen take; every take of a segment or phrase is kept (raw and cleaned audio, content-addressed).
The phrase bank holds phrases recorded once per language preset and approved once. A segment may be the
translation of another (bilingual bulletins); the station says how the languages are ordered.
"""

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('segment') as batch:
        batch.add_column(sa.Column('key', sa.String(length=32), nullable=False, server_default=''))
        batch.add_column(sa.Column('take_sha256', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('version_of', sa.String(length=32), nullable=True))
    with op.batch_alter_table('station') as batch:
        batch.add_column(sa.Column('bilingual_order', sa.String(length=20), nullable=False,
                                   server_default='interleaved'))
    op.create_table(
        'phrase',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('station_id', sa.Integer(), nullable=False),
        sa.Column('preset_id', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('gloss_vi', sa.Text(), nullable=False),
        sa.Column('take_sha256', sa.String(length=64), nullable=True),
        sa.Column('approved_sha256', sa.String(length=64), nullable=True),
        sa.Column('approved_by', sa.String(length=200), nullable=False),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['station.id'], name='fk_phrase_station_id_station',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_phrase'),
    )
    op.create_index('ix_phrase_station_id', 'phrase', ['station_id'])
    op.create_table(
        'take',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bulletin_id', sa.Integer(), nullable=True),
        sa.Column('phrase_id', sa.Integer(), nullable=True),
        sa.Column('segment_key', sa.String(length=32), nullable=False),
        sa.Column('raw_sha256', sa.String(length=64), nullable=False),
        sa.Column('raw_relpath', sa.String(length=300), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('relpath', sa.String(length=300), nullable=False),
        sa.Column('duration_ms', sa.Integer(), nullable=False),
        sa.Column('peak_dbfs', sa.Float(), nullable=False),
        sa.Column('rms_dbfs', sa.Float(), nullable=False),
        sa.Column('clipped', sa.Boolean(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('cleanup', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['bulletin_id'], ['bulletin.id'], name='fk_take_bulletin_id_bulletin',
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['phrase_id'], ['phrase.id'], name='fk_take_phrase_id_phrase', ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_take'),
    )
    op.create_index('ix_take_bulletin_id', 'take', ['bulletin_id'])
    op.create_index('ix_take_phrase_id', 'take', ['phrase_id'])
    op.create_index('ix_take_segment_key', 'take', ['segment_key'])
    op.create_index('ix_take_sha256', 'take', ['sha256'])


def downgrade() -> None:
    op.drop_index('ix_take_sha256', table_name='take')
    op.drop_index('ix_take_segment_key', table_name='take')
    op.drop_index('ix_take_phrase_id', table_name='take')
    op.drop_index('ix_take_bulletin_id', table_name='take')
    op.drop_table('take')
    op.drop_index('ix_phrase_station_id', table_name='phrase')
    op.drop_table('phrase')
    with op.batch_alter_table('station') as batch:
        batch.drop_column('bilingual_order')
    with op.batch_alter_table('segment') as batch:
        batch.drop_column('version_of')
        batch.drop_column('take_sha256')
        batch.drop_column('key')
