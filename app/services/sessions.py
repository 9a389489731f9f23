"""Practice sessions: an exam-prep site's token under which no assertion is served twice."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.models import PracticeSession, SessionDraw
from app.services.keys import Viewer


@dataclass
class SessionState:
    token: str
    created_at: datetime
    served: int
    resets: int


def create_session(session: Session, *, viewer: Viewer | None = None) -> SessionState:
    """A new practice session with a random token (256 bits), owned by the calling key."""
    practice = PracticeSession(id=secrets.token_urlsafe(32), api_key_id=viewer.key_id if viewer else None)
    session.add(practice)
    session.commit()
    return SessionState(practice.id, practice.created_at, 0, 0)


def _get(session: Session, token: str, viewer: Viewer | None) -> PracticeSession:
    practice = session.get(PracticeSession, token)
    if practice is None or (viewer is not None and viewer.is_consumer and practice.api_key_id != viewer.key_id):
        raise NotFound("no practice session with this token")
    return practice


def session_state(session: Session, *, token: str, viewer: Viewer | None = None) -> SessionState:
    """How many assertions a session has been served so far."""
    practice = _get(session, token, viewer)
    served = session.scalar(sa.select(sa.func.count()).where(SessionDraw.session_id == token)) or 0
    return SessionState(practice.id, practice.created_at, served, practice.resets)


def reset_session(session: Session, *, token: str, viewer: Viewer | None = None) -> SessionState:
    """Forget what a session was served: its whole pool is available again."""
    practice = _get(session, token, viewer)
    session.execute(sa.delete(SessionDraw).where(SessionDraw.session_id == token))
    practice.resets += 1
    session.commit()
    return SessionState(practice.id, practice.created_at, 0, practice.resets)
