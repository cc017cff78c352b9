"""review and approval

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Accounts get lockout fields; the station gets its review and broadcast rules (single-person mode,
session caps); a bulletin records the hash of its approved content; comments and review decisions; the
audit log is indexed by time (exports select a range of days).
"""

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('station') as batch:
        batch.add_column(sa.Column('single_person_mode', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('session_minutes', sa.Float(), nullable=False, server_default='15'))
        batch.add_column(sa.Column('sessions_per_day', sa.Integer(), nullable=False, server_default='2'))
        batch.add_column(sa.Column('caps_block', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('bulletin') as batch:
        batch.add_column(sa.Column('approved_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('approved_by', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('state_note', sa.Text(), nullable=False, server_default=''))
        batch.create_foreign_key('fk_bulletin_approved_by_user_account', 'user_account', ['approved_by'], ['id'],
                                 ondelete='SET NULL')
    op.create_table(
        'comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bulletin_id', sa.Integer(), nullable=False),
        sa.Column('segment_position', sa.Integer(), nullable=True),
        sa.Column('revision_number', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('author_name', sa.String(length=200), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('resolved', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name='fk_comment_author_id_user_account',
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['bulletin_id'], ['bulletin.id'], name='fk_comment_bulletin_id_bulletin',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_comment'),
    )
    op.create_index('ix_comment_bulletin_id', 'comment', ['bulletin_id'])
    op.create_table(
        'approval',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bulletin_id', sa.Integer(), nullable=False),
        sa.Column('revision_number', sa.Integer(), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=True),
        sa.Column('reviewer_name', sa.String(length=200), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decision', sa.String(length=30), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('single_person', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['bulletin_id'], ['bulletin.id'], name='fk_approval_bulletin_id_bulletin',
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name='fk_approval_reviewer_id_user_account',
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_approval'),
    )
    op.create_index('ix_approval_bulletin_id', 'approval', ['bulletin_id'])
    op.create_index('ix_audit_entry_at', 'audit_entry', ['at'])


def downgrade() -> None:
    op.drop_index('ix_audit_entry_at', table_name='audit_entry')
    op.drop_index('ix_approval_bulletin_id', table_name='approval')
    op.drop_table('approval')
    op.drop_index('ix_comment_bulletin_id', table_name='comment')
    op.drop_table('comment')
    with op.batch_alter_table('bulletin') as batch:
        batch.drop_constraint('fk_bulletin_approved_by_user_account', type_='foreignkey')
        batch.drop_column('state_note')
        batch.drop_column('approved_at')
        batch.drop_column('approved_by')
        batch.drop_column('approved_hash')
    with op.batch_alter_table('station') as batch:
        batch.drop_column('caps_block')
        batch.drop_column('sessions_per_day')
        batch.drop_column('session_minutes')
        batch.drop_column('single_person_mode')
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('locked_until')
        batch.drop_column('failed_logins')
        batch.drop_column('active')
