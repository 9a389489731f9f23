"""Exams and their use: issued exams (immutable snapshots), practice sessions, attempts."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models.bank import UTCDateTime, utcnow


class Exam(Base):
    """An issued exam: the chosen items copied out of the bank, numbered 1..N, never edited."""

    __tablename__ = "exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    item_count: Mapped[int]
    versions: Mapped[int] = mapped_column(default=1)
    # The request that made it (normalized), for the record and to reproduce it; under "audit", the
    # fixed guessers' results computed when it was issued (services/audit).
    parameters: Mapped[dict] = mapped_column(sa.JSON)
    # Blocks: [{"number", "subtopic_id", "subtopic", "heading", "first", "last"}].
    blocks: Mapped[list] = mapped_column(sa.JSON)
    # Printed order of canonical item numbers for each version after the first: {"2": [3, 1, 2, ...]}.
    orders: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    weight_right: Mapped[float] = mapped_column(sa.Float, default=1.0)
    weight_wrong: Mapped[float] = mapped_column(sa.Float, default=-1.0)
    weight_blank: Mapped[float] = mapped_column(sa.Float, default=0.0)
    session_id: Mapped[str | None] = mapped_column(
        sa.ForeignKey("practice_sessions.id", ondelete="SET NULL"), index=True
    )
    # The key that generated it: a consumer sees only its own exams.
    api_key_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_keys.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Names the exam's current state, for what was rendered from it (services/issued.py): new when
    # the exam is issued, and again when a deletion in the bank nulls one of its items' links.
    snapshot_token: Mapped[str | None] = mapped_column(sa.String(32), default=lambda: secrets.token_hex(16))

    items: Mapped[list[ExamItem]] = relationship(
        back_populates="exam", order_by="ExamItem.number", cascade="all, delete-orphan", passive_deletes=True
    )


class ExamItem(Base):
    """One item of an exam as issued: its text and label are copies, not links."""

    __tablename__ = "exam_items"
    __table_args__ = (
        sa.UniqueConstraint("exam_id", "number"),
        sa.CheckConstraint("label IN ('C', 'E')", name="label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id", ondelete="CASCADE"))
    number: Mapped[int]
    block: Mapped[int]
    subtopic_id: Mapped[int | None] = mapped_column(sa.ForeignKey("subtopics.id", ondelete="SET NULL"))
    subtopic_title: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)
    label: Mapped[str] = mapped_column(sa.String(1))
    assertion_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assertions.id", ondelete="SET NULL"), index=True
    )
    variant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("variants.id", ondelete="SET NULL"), index=True)
    operator: Mapped[str | None] = mapped_column(sa.String(40))
    explanation: Mapped[str | None] = mapped_column(sa.Text)
    original_text: Mapped[str | None] = mapped_column(sa.Text)
    depends_on_number: Mapped[int | None]

    exam: Mapped[Exam] = relationship(back_populates="items")


class ExamFile(Base):
    """A file rendered from an issued exam (a PDF, ...), kept for the snapshot token it was made from."""

    __tablename__ = "exam_files"

    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    key_mode: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    snapshot_token: Mapped[str] = mapped_column(sa.String(32))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PracticeSession(Base):
    """An exam-prep site's session: no assertion is served twice until its pool runs out."""

    __tablename__ = "practice_sessions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resets: Mapped[int] = mapped_column(default=0)
    api_key_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_keys.id", ondelete="SET NULL"), index=True)


class SessionDraw(Base):
    """An assertion already served to a practice session (as itself or as a variant)."""

    __tablename__ = "session_draws"

    session_id: Mapped[str] = mapped_column(
        sa.ForeignKey("practice_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    assertion_id: Mapped[int] = mapped_column(sa.ForeignKey("assertions.id", ondelete="CASCADE"), primary_key=True)
    exam_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exams.id", ondelete="SET NULL"))


class Attempt(Base):
    """A candidate's answers to one version of an exam, scored when submitted."""

    __tablename__ = "attempts"
    __table_args__ = (sa.UniqueConstraint("exam_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200))
    api_key_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_keys.id", ondelete="SET NULL"), index=True)
    score: Mapped[float] = mapped_column(sa.Float)
    right: Mapped[int]
    wrong: Mapped[int]
    blank: Mapped[int]
    candidate: Mapped[str | None] = mapped_column(sa.String(8))  # the candidate number, from a scanned sheet
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", passive_deletes=True
    )


class AttemptAnswer(Base):
    """One judged item of an attempt: the answer given and how it scored (for item statistics)."""

    __tablename__ = "attempt_answers"
    __table_args__ = (
        sa.CheckConstraint("answer IN ('C', 'E') OR answer IS NULL", name="answer"),
        sa.CheckConstraint("outcome IN ('right', 'wrong', 'blank')", name="outcome"),
    )

    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    exam_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exam_items.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    answer: Mapped[str | None] = mapped_column(sa.String(1))
    outcome: Mapped[str] = mapped_column(sa.String(5))

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
