"""API keys: creation (the secret is shown once), listing, revocation, and authentication."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import ID_MAX, ApiKey, Role, utcnow

TOKEN = re.compile(r"^qbk_(?P<prefix>[0-9a-f]{10})_(?P<secret>[A-Za-z0-9_-]{43})$")
PREFIX = re.compile(r"[0-9a-f]{10}")
BOOTSTRAP_LOCK = 727_101  # PostgreSQL advisory lock key (migrations/env.py holds 727_100)


@dataclass(frozen=True)
class Viewer:
    """Who is calling: the key's id and role (services use it for ownership rules)."""

    key_id: int
    role: str
    name: str
    prefix: str

    @property
    def is_consumer(self) -> bool:
        return self.role == Role.CONSUMER.value


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    token: str  # the only time the full token exists on our side


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def create_key(session: Session, *, role: str, name: str, allow_unreviewed: bool = False) -> NewKey:
    """A new key: 256 random bits behind a visible prefix; only the SHA-256 of the secret is kept.
    `allow_unreviewed` lets a consumer key ask for exams with unreviewed variants."""
    if role not in {r.value for r in Role}:
        raise Invalid(f"role must be one of {', '.join(r.value for r in Role)}",
                      errors=[{"field": "role", "message": "unknown role"}])
    prefix = secrets.token_hex(5)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(name=name, role=role, prefix=prefix, secret_hash=_hash(secret), allow_unreviewed=allow_unreviewed)
    session.add(key)
    session.commit()
    return NewKey(key, f"qbk_{prefix}_{secret}")


def keys_query() -> sa.Select:
    """All keys, newest first."""
    return sa.select(ApiKey).order_by(ApiKey.id.desc())


def get_key(session: Session, *, key_id: int) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"API key {key_id} does not exist")
    return key


def find_key(session: Session, *, prefix_or_id: str) -> ApiKey:
    """A key by its visible prefix (bare, `qbk_<prefix>_…` as `qbank keys list` prints it, or the
    whole key) or by id.

    Prefixes are random hex and about one in a hundred is all digits, so a ten-hex-digit string is
    looked up as a prefix first; only when no key has that prefix is a number read as an id.
    """
    text = prefix_or_id.strip()
    explicit = text.startswith("qbk_")
    if explicit:
        text = text.removeprefix("qbk_").split("_", 1)[0]  # what follows the prefix is not needed
    if PREFIX.fullmatch(text):
        key = session.scalar(sa.select(ApiKey).where(ApiKey.prefix == text))
        if key is not None:
            return key
    if text.isdigit() and not explicit and int(text) <= ID_MAX:
        return get_key(session, key_id=int(text))
    raise NotFound(f"no API key with prefix or id {prefix_or_id}")


def revoke_key(session: Session, *, key: ApiKey) -> ApiKey:
    """Revoke a key for good; revoking it again changes nothing."""
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.commit()
    return key


def set_allow_unreviewed(session: Session, *, key: ApiKey, allowed: bool) -> ApiKey:
    """Allow or forbid a key to ask for exams with unreviewed variants (it matters for consumer keys)."""
    if key.allow_unreviewed != allowed:
        key.allow_unreviewed = allowed
        session.commit()
    return key


def use_unreviewed_for(session: Session, *, viewer: Viewer | None, requested: bool | None, default: bool) -> bool:
    """Whether an exam asked for by `viewer` may use unreviewed variants.

    Admin and author keys (and the CLI, with no viewer) get what they ask for, else the server's
    default. A consumer key gets them only when an admin allowed it (api_keys.allow_unreviewed, read
    here, at the moment the exam is made, so that a revocation takes effect at once): asking for them
    without that permission is refused, and without asking it gets reviewed variants only, whatever
    the server's default."""
    if viewer is None or not viewer.is_consumer:
        return default if requested is None else requested
    allowed = bool(session.scalar(sa.select(ApiKey.allow_unreviewed).where(ApiKey.id == viewer.key_id)))
    if not allowed:
        if requested:
            raise Forbidden(
                "esta chave de consumidor não tem permissão para pedir variantes não revisadas "
                "(\"use_unreviewed\": true); peça a um administrador que a conceda (allow_unreviewed) ou "
                "omita o campo para usar só variantes aprovadas",
                code="unreviewed_not_allowed",
                errors=[{"location": "json", "field": "use_unreviewed",
                         "message": "não permitido para esta chave: um administrador precisa conceder "
                                    "allow_unreviewed"}])
        return False
    return default if requested is None else requested


def admin_count(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).where(ApiKey.role == Role.ADMIN.value,
                                                           ApiKey.revoked_at.is_(None))) or 0


def bootstrap_admin(session: Session) -> NewKey | None:
    """The first admin key of an empty installation, or None when keys exist already.

    Replicas starting together all run this: they take turns (an advisory lock on PostgreSQL, a
    write transaction on SQLite), so exactly one of them finds no key, creates it and prints it.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOOTSTRAP_LOCK})
    elif dialect == "sqlite":
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
    if session.scalar(sa.select(sa.func.count()).select_from(ApiKey)):
        session.rollback()
        return None
    return create_key(session, role=Role.ADMIN.value, name="first admin (make run)")


def authenticate(session: Session, *, token: str) -> Viewer | None:
    """The viewer a bearer token belongs to; None for a malformed, unknown or revoked token."""
    match = TOKEN.match(token)
    if match is None:
        return None
    key = session.scalar(sa.select(ApiKey).where(ApiKey.prefix == match["prefix"]))
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.secret_hash, _hash(match["secret"])):
        return None
    _note_use(session, key)
    return Viewer(key.id, key.role, key.name, key.prefix)


# A key's last use is recorded at most once per this many seconds: not a write per request.
LAST_USED_EVERY = 60.0


def _note_use(session: Session, key: ApiKey) -> None:
    """Set `last_used_at` when it is unset or older than LAST_USED_EVERY. The condition is in the
    UPDATE, so several processes write it once between them; the request has done nothing else yet,
    so committing here commits only this."""
    now = utcnow()
    last = key.last_used_at
    if last is not None and (now - last).total_seconds() < LAST_USED_EVERY:
        return
    threshold = now - timedelta(seconds=LAST_USED_EVERY)
    session.execute(sa.update(ApiKey).where(
        ApiKey.id == key.id, sa.or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < threshold))
        .values(last_used_at=now).execution_options(synchronize_session=False))
    session.commit()


def ensure_not_own_key(key: ApiKey, *, viewer: Viewer | None) -> None:
    """Refuse to revoke, through the API, the key the request is made with: a caller would lock itself
    out halfway through its work (another admin key, or `qbank keys revoke`, can)."""
    if viewer is not None and viewer.key_id == key.id and key.revoked_at is None:
        raise Conflict("esta é a chave usada nesta requisição: uma chave não revoga a si mesma; use outra chave de "
                       "admin ou `qbank keys revoke`", code="own_key")


def ensure_not_last_admin(session: Session, key: ApiKey) -> None:
    """Refuse to revoke the last active admin key: nobody could manage keys afterwards."""
    if key.role == Role.ADMIN.value and key.revoked_at is None and admin_count(session) <= 1:
        raise Conflict("this is the last active admin key; create another admin key first",
                       code="last_admin_key")
