"""Scanned answer sheets: kept uploads (checksum, content until confirmed), sheets read, attempts' candidate.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN on both databases (see 0010: batch mode would rebuild attempts on SQLite).
    op.add_column("attempts", sa.Column("candidate", sa.String(length=8), nullable=True))
    op.create_table(
        "scan_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["api_key_id"], ["api_keys.id"], name=op.f("fk_scan_uploads_api_key_id_api_keys"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan_uploads")),
        sa.UniqueConstraint("checksum", name=op.f("uq_scan_uploads_checksum")),
    )
    op.create_index(op.f("ix_scan_uploads_api_key_id"), "scan_uploads", ["api_key_id"], unique=False)
    op.create_table(
        "scan_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("first_page", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("candidate", sa.String(length=8), nullable=True),
        sa.Column("candidate_problem", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("readings", sa.JSON(), nullable=False),
        sa.Column("ambiguous", sa.JSON(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('scored', 'needs_review')", name=op.f("ck_scan_sheets_status")),
        sa.ForeignKeyConstraint(["upload_id"], ["scan_uploads.id"], name=op.f("fk_scan_sheets_upload_id_scan_uploads"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["exam_id"], ["exams.id"], name=op.f("fk_scan_sheets_exam_id_exams"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name=op.f("fk_scan_sheets_attempt_id_attempts"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan_sheets")),
        sa.UniqueConstraint("upload_id", "first_page", name=op.f("uq_scan_sheets_upload_id_first_page")),
    )
    op.create_index(op.f("ix_scan_sheets_upload_id"), "scan_sheets", ["upload_id"], unique=False)
    op.create_index(op.f("ix_scan_sheets_exam_id"), "scan_sheets", ["exam_id"], unique=False)
    op.create_index(op.f("ix_scan_sheets_attempt_id"), "scan_sheets", ["attempt_id"], unique=False)


def downgrade() -> None:
    op.drop_table("scan_sheets")
    op.drop_table("scan_uploads")
    op.execute("ALTER TABLE attempts DROP COLUMN candidate")
