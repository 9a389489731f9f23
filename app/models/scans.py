"""Scanned answer sheets: the uploads kept until their attempts are confirmed, and the sheets read."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models.bank import UTCDateTime, utcnow


class ScanStatus:
    SCORED = "scored"  # every item read confidently: an attempt was stored
    NEEDS_REVIEW = "needs_review"  # an item (or the candidate number) is ambiguous: an author resolves it

    ALL = (SCORED, NEEDS_REVIEW)


class ScanUpload(Base):
    """One uploaded file (PNG, JPEG or PDF of sheets), known by its checksum: sending it again is a replay."""

    __tablename__ = "scan_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    checksum: Mapped[str] = mapped_column(sa.String(64), unique=True)  # SHA-256, hex
    media_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]
    pages: Mapped[int]
    # The file itself, until every sheet read from it is confirmed; then NULL (checksum and readings stay).
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    kept: Mapped[bool] = mapped_column(default=True)  # whether `content` is still there (without loading it)
    api_key_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_keys.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sheets: Mapped[list[ScanSheet]] = relationship(
        back_populates="upload", order_by="ScanSheet.first_page", cascade="all, delete-orphan", passive_deletes=True
    )


class ScanSheet(Base):
    """One candidate's answer sheet read from an upload (one page, or several for a long exam)."""

    __tablename__ = "scan_sheets"
    __table_args__ = (
        sa.UniqueConstraint("upload_id", "first_page"),
        sa.CheckConstraint("status IN ('scored', 'needs_review')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(sa.ForeignKey("scan_uploads.id", ondelete="CASCADE"), index=True)
    first_page: Mapped[int]  # 1-based page of the upload where the sheet starts
    pages: Mapped[int] = mapped_column(default=1)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    candidate: Mapped[str | None] = mapped_column(sa.String(8))
    candidate_problem: Mapped[str | None] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(16))
    # Per item: {"number", "state", "answer", "confidence", "fill": [c, e], "reason"}.
    readings: Mapped[list] = mapped_column(sa.JSON)
    ambiguous: Mapped[list] = mapped_column(sa.JSON, default=list)  # item numbers
    attempt_id: Mapped[int | None] = mapped_column(sa.ForeignKey("attempts.id", ondelete="SET NULL"), index=True)
    confirmed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    upload: Mapped[ScanUpload] = relationship(back_populates="sheets")
