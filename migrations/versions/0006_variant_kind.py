"""Variants have a kind: a false variant (label E) or a true rewrite (the same claim restated, C).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), server_default="false", nullable=False))
        batch_op.create_check_constraint(op.f("ck_variants_kind"), "kind IN ('false', 'true_rewrite')")


def downgrade() -> None:
    op.execute("DELETE FROM variants WHERE kind = 'true_rewrite'")
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_variants_kind"), type_="check")
        batch_op.drop_column("kind")
