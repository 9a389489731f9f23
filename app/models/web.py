"""Browser sessions of the author workbench (/author/): kept on the server, the cookie holds only a
random identifier whose SHA-256 is the row's key. No API key is stored, neither here nor in the cookie."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.models.bank import UTCDateTime, utcnow


class WebSession(Base):
    """One browser's session: anonymous (the sign-in form's CSRF token) or signed in with a key."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    # The key the author signed in with; revoking it (or deleting it) ends the session.
    api_key_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
