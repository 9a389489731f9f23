"""Bank: topics, subtopics and assertions.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("source_document", sa.String(length=255), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint("code", name=op.f("uq_topics_code")),
    )
    op.create_table(
        "subtopics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("number >= 1", name=op.f("ck_subtopics_number_positive")),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"],
            name=op.f("fk_subtopics_topic_id_topics"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subtopics")),
        sa.UniqueConstraint("topic_id", "number", name=op.f("uq_subtopics_topic_id_number")),
    )
    op.create_table(
        "assertions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subtopic_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=1), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source_file", sa.String(length=255), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("depends_on_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("label IN ('C', 'E')", name=op.f("ck_assertions_label")),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'retired')", name=op.f("ck_assertions_status")
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_assertions_number_positive")),
        sa.ForeignKeyConstraint(
            ["depends_on_id"], ["assertions.id"],
            name=op.f("fk_assertions_depends_on_id_assertions"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subtopic_id"], ["subtopics.id"],
            name=op.f("fk_assertions_subtopic_id_subtopics"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assertions")),
        sa.UniqueConstraint("subtopic_id", "number", name=op.f("uq_assertions_subtopic_id_number")),
    )
    op.create_index(
        op.f("ix_assertions_depends_on_id"), "assertions", ["depends_on_id"], unique=False
    )
    op.create_index("ix_assertions_status_label", "assertions", ["status", "label"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_assertions_status_label", table_name="assertions")
    op.drop_index(op.f("ix_assertions_depends_on_id"), table_name="assertions")
    op.drop_table("assertions")
    op.drop_table("subtopics")
    op.drop_table("topics")
