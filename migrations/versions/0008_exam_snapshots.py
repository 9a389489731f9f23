"""Issued exams' snapshot token, and the files rendered from them (kept once rendered).

An exam's representations (the candidate's view, the key, the PDF, ...) never change, except where
the bank rows an item points at are deleted (its subtopic_id, assertion_id or variant_id goes NULL).
`snapshot_token` names the exam's current state: the bank's deletions give the exams they touch a
new one, and what was rendered for an older token is not served again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("exams") as batch:
        batch.add_column(sa.Column("snapshot_token", sa.String(length=32), nullable=True))
    random_hex = "md5(random()::text || id::text)" if op.get_context().dialect.name == "postgresql" \
        else "lower(hex(randomblob(16)))"
    op.execute(f"UPDATE exams SET snapshot_token = substr({random_hex}, 1, 32)")
    op.create_table(
        "exam_files",
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("key_mode", sa.String(length=16), nullable=False),
        sa.Column("snapshot_token", sa.String(length=32), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["exam_id"], ["exams.id"], name=op.f("fk_exam_files_exam_id_exams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("exam_id", "version", "format", "key_mode", name=op.f("pk_exam_files")),
    )


def downgrade() -> None:
    op.drop_table("exam_files")
    with op.batch_alter_table("exams") as batch:
        batch.drop_column("snapshot_token")
