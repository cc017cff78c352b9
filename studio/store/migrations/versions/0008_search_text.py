"""accent-insensitive search

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22

Each bulletin keeps its title and texts folded (lower case, no tones or vowel marks, đ as d) so a search
typed without diacritics finds it; existing bulletins are folded here.
"""

import sqlalchemy as sa
from alembic import op

from studio.text.fold import fold


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bulletin') as batch:
        batch.add_column(sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
    bind = op.get_bind()
    texts: dict[int, list[str]] = {}
    for bulletin_id, title in bind.execute(sa.text("SELECT id, title FROM bulletin")):
        texts[bulletin_id] = [title or ""]
    for bulletin_id, text in bind.execute(sa.text("SELECT bulletin_id, text FROM segment ORDER BY position")):
        texts.setdefault(bulletin_id, [""]).append(text or "")
    for bulletin_id, parts in texts.items():
        bind.execute(sa.text("UPDATE bulletin SET search_text = :folded WHERE id = :id"),
                     {"folded": fold("\n".join(parts)), "id": bulletin_id})


def downgrade() -> None:
    with op.batch_alter_table('bulletin') as batch:
        batch.drop_column('search_text')
