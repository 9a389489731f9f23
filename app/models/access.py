"""API keys: who may call the service, with which role. Only a hash of each key is stored."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.models.bank import UTCDateTime, utcnow


class Role(enum.StrEnum):
    """admin: everything; author: the bank, reviews, keys of exams, statistics; consumer: exams."""

    ADMIN = "admin"
    AUTHOR = "author"
    CONSUMER = "consumer"


class ApiKey(Base):
    """An API key; the secret part exists only in the caller's hands (we keep its SHA-256)."""

    __tablename__ = "api_keys"
    __table_args__ = (sa.CheckConstraint("role IN ('admin', 'author', 'consumer')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    role: Mapped[str] = mapped_column(sa.String(16))
    prefix: Mapped[str] = mapped_column(sa.String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A consumer key may ask for exams with variants no author approved (use_unreviewed) only when an
    # admin allowed it; admin and author keys always may.
    allow_unreviewed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @property
    def active(self) -> bool:
        return self.revoked_at is None
