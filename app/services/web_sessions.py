"""Server-side sessions of the author workbench: created, read, signed in, ended. No Flask here.

The browser holds a random identifier (256 bits); the table keeps its SHA-256, the key's id and the
session's small data (the CSRF token, the undo list). Signing in replaces the identifier (no session
fixation); a revoked key, an expired row or a signed-out one is gone for good."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import ApiKey, Role, WebSession, utcnow
from app.services.keys import Viewer, authenticate

# Roles that may sign in to the workbench: it reviews and edits the bank.
WORKBENCH_ROLES = frozenset({Role.ADMIN.value, Role.AUTHOR.value})
ANONYMOUS_LIFETIME = timedelta(hours=1)  # a sign-in form left open


@dataclass(frozen=True)
class Loaded:
    """A live session: its row and, when signed in, who."""

    row: WebSession
    viewer: Viewer | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def create(session: Session, *, data: dict[str, Any], viewer: Viewer | None = None,
           lifetime: timedelta = ANONYMOUS_LIFETIME) -> tuple[str, WebSession]:
    """A new session row; (the identifier for the cookie, the row). Expired rows are swept meanwhile."""
    token = new_token()
    now = utcnow()
    session.execute(sa.delete(WebSession).where(WebSession.expires_at < now))
    row = WebSession(id_hash=_hash(token), api_key_id=viewer.key_id if viewer else None, data=dict(data),
                     created_at=now, expires_at=now + lifetime)
    session.add(row)
    session.commit()
    return token, row


def load(session: Session, *, token: str) -> Loaded | None:
    """The live session of a cookie's identifier; None when unknown, expired, or its key was revoked."""
    if not token or len(token) > 100:
        return None
    row = session.get(WebSession, _hash(token))
    if row is None:
        return None
    if row.expires_at <= utcnow():
        session.delete(row)
        session.commit()
        return None
    if row.api_key_id is None:
        return Loaded(row, None)
    key = session.get(ApiKey, row.api_key_id)
    if key is None or key.revoked_at is not None or key.role not in WORKBENCH_ROLES:
        session.delete(row)
        session.commit()
        return None
    return Loaded(row, Viewer(key.id, key.role, key.name, key.prefix))


def save(session: Session, *, row: WebSession, data: dict[str, Any]) -> None:
    """Store the session's data (a new dict: the JSON column sees the change)."""
    row.data = dict(data)
    session.commit()


class SignInRefused(Exception):
    """An API key that may not open the workbench; the message is for the person signing in."""


def sign_in(session: Session, *, api_key: str, previous: WebSession | None, data: dict[str, Any],
            lifetime: timedelta) -> tuple[str, WebSession, Viewer]:
    """Check an admin or author key and open a signed-in session in place of `previous` (dropped):
    (new identifier, row, viewer). A consumer, unknown or revoked key is refused."""
    viewer = authenticate(session, token=api_key.strip())
    if viewer is None:
        raise SignInRefused("chave desconhecida ou revogada")
    if viewer.role not in WORKBENCH_ROLES:
        raise SignInRefused("chaves de consumidor não entram na bancada do autor: use uma chave de autor ou de "
                            "administrador")
    if previous is not None:
        session.delete(previous)
    token, row = create(session, data=data, viewer=viewer, lifetime=lifetime)
    return token, row, viewer


def end(session: Session, *, row: WebSession) -> None:
    """Sign out: the row is deleted, the identifier is worth nothing from now on."""
    session.delete(row)
    session.commit()
