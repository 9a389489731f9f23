"""Variants record whether their operator's measured precision lets them enter exams unreviewed
(trusted) and whether an author edited their text; assertions tell trusted from untrusted pending
variants.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trusted", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("edited", sa.Boolean(), server_default=sa.false(), nullable=False))
    # variant_review was 0 none, 1 pending, 2 approved; it becomes 0 none, 1 pending (untrusted),
    # 2 pending and trusted, 3 approved. Variants generated before precision was measured are not
    # trusted: regenerating (qbank variants generate) measures them.
    op.execute("UPDATE assertions SET variant_review = 3 WHERE variant_review = 2")
    # The unreviewed pool counts trusted variants only: none yet.
    op.execute("UPDATE subtopics SET pool_variants = pool_variants_approved")


def downgrade() -> None:
    op.execute("UPDATE assertions SET variant_review = 1 WHERE variant_review = 2")
    op.execute("UPDATE assertions SET variant_review = 2 WHERE variant_review = 3")
    op.execute(
        "UPDATE subtopics SET pool_variants = (SELECT count(*) FROM assertions a WHERE a.subtopic_id = subtopics.id"
        " AND a.status = 'published' AND a.label = 'C' AND a.variant_review >= 1)"
    )
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.drop_column("edited")
        batch_op.drop_column("trusted")
