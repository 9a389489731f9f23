"""Practice sessions: an exam-prep site's token under which no assertion is served twice."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.models import PracticeSession, SessionDraw


@dataclass
class SessionState:
    token: str
    created_at: datetime
    served: int
    resets: int


def create_session(session: Session) -> SessionState:
    """A new practice session with a random token (256 bits)."""
    practice = PracticeSession(id=secrets.token_urlsafe(32))
    session.add(practice)
    session.commit()
    return SessionState(practice.id, practice.created_at, 0, 0)


def _get(session: Session, token: str) -> PracticeSession:
    practice = session.get(PracticeSession, token)
    if practice is None:
        raise NotFound("no practice session with this token")
    return practice


def session_state(session: Session, *, token: str) -> SessionState:
    """How many assertions a session has been served so far."""
    practice = _get(session, token)
    served = session.scalar(sa.select(sa.func.count()).where(SessionDraw.session_id == token)) or 0
    return SessionState(practice.id, practice.created_at, served, practice.resets)


def reset_session(session: Session, *, token: str) -> SessionState:
    """Forget what a session was served: its whole pool is available again."""
    practice = _get(session, token)
    session.execute(sa.delete(SessionDraw).where(SessionDraw.session_id == token))
    practice.resets += 1
    session.commit()
    return SessionState(practice.id, practice.created_at, 0, practice.resets)
