"""Counters in the database that every process can read cheaply to learn that something changed."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base

API_KEYS = "api_keys"  # bumped by every revocation: processes drop what they remembered of keys


class Counter(Base):
    """A named number that only grows (a table emptied by hand starts it again, which also reads as a change)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger)
