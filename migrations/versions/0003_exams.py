"""Exams, practice sessions and attempts; exam pool keys and counts on the bank.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "practice_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resets", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_sessions")),
    )
    op.create_table(
        "exams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("versions", sa.Integer(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("blocks", sa.JSON(), nullable=False),
        sa.Column("orders", sa.JSON(), nullable=False),
        sa.Column("weight_right", sa.Float(), nullable=False),
        sa.Column("weight_wrong", sa.Float(), nullable=False),
        sa.Column("weight_blank", sa.Float(), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["practice_sessions.id"],
            name=op.f("fk_exams_session_id_practice_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exams")),
    )
    with op.batch_alter_table("exams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exams_session_id"), ["session_id"], unique=False)

    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("right", sa.Integer(), nullable=False),
        sa.Column("wrong", sa.Integer(), nullable=False),
        sa.Column("blank", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["exam_id"], ["exams.id"], name=op.f("fk_attempts_exam_id_exams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempts")),
        sa.UniqueConstraint("exam_id", "idempotency_key", name=op.f("uq_attempts_exam_id_idempotency_key")),
    )
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attempts_exam_id"), ["exam_id"], unique=False)

    op.create_table(
        "session_draws",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("assertion_id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assertion_id"],
            ["assertions.id"],
            name=op.f("fk_session_draws_assertion_id_assertions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["exam_id"], ["exams.id"], name=op.f("fk_session_draws_exam_id_exams"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["practice_sessions.id"],
            name=op.f("fk_session_draws_session_id_practice_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "assertion_id", name=op.f("pk_session_draws")),
    )
    op.create_table(
        "exam_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("block", sa.Integer(), nullable=False),
        sa.Column("subtopic_id", sa.Integer(), nullable=True),
        sa.Column("subtopic_title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=1), nullable=False),
        sa.Column("assertion_id", sa.Integer(), nullable=True),
        sa.Column("variant_id", sa.Integer(), nullable=True),
        sa.Column("operator", sa.String(length=40), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("original_text", sa.Text(), nullable=True),
        sa.Column("depends_on_number", sa.Integer(), nullable=True),
        sa.CheckConstraint("label IN ('C', 'E')", name=op.f("ck_exam_items_label")),
        sa.ForeignKeyConstraint(
            ["assertion_id"], ["assertions.id"], name=op.f("fk_exam_items_assertion_id_assertions"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["exam_id"], ["exams.id"], name=op.f("fk_exam_items_exam_id_exams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["subtopic_id"], ["subtopics.id"], name=op.f("fk_exam_items_subtopic_id_subtopics"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_exam_items_variant_id_variants"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_items")),
        sa.UniqueConstraint("exam_id", "number", name=op.f("uq_exam_items_exam_id_number")),
    )
    with op.batch_alter_table("exam_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exam_items_assertion_id"), ["assertion_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exam_items_variant_id"), ["variant_id"], unique=False)

    op.create_table(
        "attempt_answers",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("exam_item_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=1), nullable=True),
        sa.Column("outcome", sa.String(length=5), nullable=False),
        sa.CheckConstraint("answer IN ('C', 'E') OR answer IS NULL", name=op.f("ck_attempt_answers_answer")),
        sa.CheckConstraint("outcome IN ('right', 'wrong', 'blank')", name=op.f("ck_attempt_answers_outcome")),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["attempts.id"], name=op.f("fk_attempt_answers_attempt_id_attempts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["exam_item_id"],
            ["exam_items.id"],
            name=op.f("fk_attempt_answers_exam_item_id_exam_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", "exam_item_id", name=op.f("pk_attempt_answers")),
    )
    with op.batch_alter_table("attempt_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attempt_answers_exam_item_id"), ["exam_item_id"], unique=False)

    with op.batch_alter_table("assertions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sample_key", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("variant_review", sa.SmallInteger(), server_default="0", nullable=False))
    op.create_index("ix_variants_assertion_id_status", "variants", ["assertion_id", "status"], unique=False)
    _backfill_assertions()
    with op.batch_alter_table("assertions", schema=None) as batch_op:
        batch_op.alter_column("sample_key", existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_index("ix_assertions_pool", ["subtopic_id", "status", "label", "sample_key"], unique=False)

    with op.batch_alter_table("subtopics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pool_true", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("pool_false", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("pool_variants", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("pool_variants_approved", sa.Integer(), server_default="0", nullable=False))
    _backfill_pool_counts()


def _backfill_assertions() -> None:
    """Sample keys (from each text, as the model computes them) and variant review states."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, text FROM assertions")).all()
    update = sa.text("UPDATE assertions SET sample_key = :key WHERE id = :id")
    for start in range(0, len(rows), 1000):
        bind.execute(
            update,
            [
                {"id": row.id, "key": int(hashlib.sha256(row.text.encode("utf-8")).hexdigest()[:15], 16) >> 2}
                for row in rows[start : start + 1000]
            ],
        )
    bind.execute(
        sa.text(
            "UPDATE assertions SET variant_review = CASE"
            " WHEN EXISTS (SELECT 1 FROM variants v"
            " WHERE v.assertion_id = assertions.id AND v.status = 'approved') THEN 2"
            " WHEN EXISTS (SELECT 1 FROM variants v"
            " WHERE v.assertion_id = assertions.id AND v.status = 'pending') THEN 1"
            " ELSE 0 END"
        )
    )


def _backfill_pool_counts() -> None:
    def count(condition: str) -> str:
        return (
            "(SELECT count(*) FROM assertions a WHERE a.subtopic_id = subtopics.id"
            " AND a.status = 'published' AND " + condition + ")"
        )

    op.get_bind().execute(
        sa.text(
            "UPDATE subtopics SET"
            " pool_true = " + count("a.label = 'C'") + ","
            " pool_false = " + count("a.label = 'E'") + ","
            " pool_variants = " + count("a.label = 'C' AND a.variant_review >= 1") + ","
            " pool_variants_approved = " + count("a.label = 'C' AND a.variant_review = 2")
        )
    )


def downgrade() -> None:
    op.drop_index("ix_variants_assertion_id_status", table_name="variants")
    with op.batch_alter_table("subtopics", schema=None) as batch_op:
        batch_op.drop_column("pool_variants_approved")
        batch_op.drop_column("pool_variants")
        batch_op.drop_column("pool_false")
        batch_op.drop_column("pool_true")

    with op.batch_alter_table("assertions", schema=None) as batch_op:
        batch_op.drop_index("ix_assertions_pool")
        batch_op.drop_column("variant_review")
        batch_op.drop_column("sample_key")

    with op.batch_alter_table("attempt_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attempt_answers_exam_item_id"))

    op.drop_table("attempt_answers")
    with op.batch_alter_table("exam_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_items_variant_id"))
        batch_op.drop_index(batch_op.f("ix_exam_items_assertion_id"))

    op.drop_table("exam_items")
    op.drop_table("session_draws")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attempts_exam_id"))

    op.drop_table("attempts")
    with op.batch_alter_table("exams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exams_session_id"))

    op.drop_table("exams")
    op.drop_table("practice_sessions")
