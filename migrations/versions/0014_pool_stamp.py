"""A stamp per subtopic pool, drawn again with its counts (services/generation/pools.py).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ADD COLUMN on both databases (see 0010).
def upgrade() -> None:
    op.add_column("subtopics", sa.Column("pool_stamp", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    op.execute("ALTER TABLE subtopics DROP COLUMN pool_stamp")
