"""API keys say whether a consumer key may ask for exams with unreviewed variants (allow_unreviewed).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both databases (SQLite has DROP COLUMN since 3.35). Batch mode would rebuild
# api_keys on SQLite, and dropping the old table with foreign keys on would set the api_key_id of
# every exam, attempt, practice session and job to NULL (ON DELETE SET NULL): their owners lost.
def upgrade() -> None:
    op.add_column("api_keys", sa.Column("allow_unreviewed", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    op.execute("ALTER TABLE api_keys DROP COLUMN allow_unreviewed")
