"""Each assertion's and variant's cue features, kept with the text (services/audit/surface.py).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ADD COLUMN on both databases (see 0010). The values are filled by `qbank db upgrade` after
# the migrations (services/audit/surface.refresh): computing them needs the application's word
# lists, which a migration script should not import. Until then they are computed when read.
def upgrade() -> None:
    op.add_column("assertions", sa.Column("surface", sa.Integer(), nullable=True))
    op.add_column("variants", sa.Column("surface", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE variants DROP COLUMN surface")
    op.execute("ALTER TABLE assertions DROP COLUMN surface")
