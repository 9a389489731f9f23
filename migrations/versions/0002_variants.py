"""Variants: false versions of true assertions, with their review state.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "variants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assertion_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_digest", sa.String(length=64), nullable=False),
        sa.Column("operator", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("origin IN ('generated', 'manual')", name=op.f("ck_variants_origin")),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f("ck_variants_status")),
        sa.ForeignKeyConstraint(
            ["assertion_id"], ["assertions.id"],
            name=op.f("fk_variants_assertion_id_assertions"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_variants")),
        sa.UniqueConstraint("assertion_id", "text_digest", name=op.f("uq_variants_assertion_id_text_digest")),
    )
    op.create_index("ix_variants_status_operator", "variants", ["status", "operator"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_variants_status_operator", table_name="variants")
    op.drop_table("variants")
