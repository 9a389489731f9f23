"""API keys: creation (the secret is shown once), listing, revocation, and authentication."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import ID_MAX, ApiKey, Counter, Role, utcnow
from app.models.counters import API_KEYS

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
    """Revoke a key for good; revoking it again changes nothing. Every process stops taking it within
    KeyMemo.CHECK_EVERY seconds (the api_keys counter), this one at once."""
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        bump_counter(session, API_KEYS)
        session.commit()
        KeyMemo.forget_everywhere(key.prefix)
    return key


def bump_counter(session: Session, name: str) -> None:
    """Add one to a counter (created at 1 where missing), in the caller's transaction."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(Counter).values(name=name, value=1)
    session.execute(statement.on_conflict_do_update(index_elements=[Counter.name],
                                                    set_={"value": Counter.value + 1}))


def set_allow_unreviewed(session: Session, *, key: ApiKey, allowed: bool) -> ApiKey:
    """Allow or forbid a key to ask for exams with unreviewed variants (it matters for consumer keys).
    A revoked key is final: it stays listed as it was when revoked, and is not changed."""
    if key.revoked_at is not None:
        raise Conflict(f"a chave {key.id} foi revogada: uma chave revogada não é alterada", code="key_revoked")
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


@dataclass(frozen=True)
class KnownKey:
    """What authenticating a request needs of an active key, remembered by KeyMemo. A column the
    requests read (a permission flag, ...) is one more field here and in `_known`."""

    key_id: int
    role: str
    name: str
    prefix: str
    secret_hash: str
    last_used_at: datetime | None


def _known(key: ApiKey) -> KnownKey:
    return KnownKey(key.id, key.role, key.name, key.prefix, key.secret_hash, key.last_used_at)


class KeyMemo:
    """Active keys by prefix, per process and database (engine), so that a request does not query its
    key. Entries live TTL seconds; every CHECK_EVERY seconds one read of the api_keys counter, which
    every revocation bumps, tells whether a key was revoked anywhere, and then all are dropped: a
    revocation stops the key in every other process within CHECK_EVERY seconds, and in every app
    instance of its own process at once (forget_everywhere)."""

    TTL = 30.0
    CHECK_EVERY = 0.5
    _memos: weakref.WeakKeyDictionary[sa.Engine, KeyMemo] = weakref.WeakKeyDictionary()
    _memos_lock = threading.Lock()

    def __init__(self) -> None:
        self._entries: dict[str, tuple[KnownKey, float]] = {}
        self._version: int | None = None
        self._checked = float("-inf")
        self._lock = threading.Lock()

    @classmethod
    def of(cls, engine: sa.Engine) -> KeyMemo:
        """The memo of the engine's database (one per engine: each app instance has its own)."""
        memo = cls._memos.get(engine)
        if memo is None:
            with cls._memos_lock:
                memo = cls._memos.setdefault(engine, cls())
        return memo

    def get(self, session_for: Callable[[], Session], prefix: str) -> KnownKey | None:
        now = time.monotonic()
        if now - self._checked >= self.CHECK_EVERY:
            version = session_for().scalar(sa.select(Counter.value).where(Counter.name == API_KEYS))
            with self._lock:
                if version != self._version:
                    self._entries.clear()
                    self._version = version
                self._checked = now
        found = self._entries.get(prefix)
        if found is None or now - found[1] >= self.TTL:
            return None
        return found[0]

    def put(self, known: KnownKey) -> None:
        with self._lock:
            self._entries[known.prefix] = (known, time.monotonic())

    def forget(self, prefix: str) -> None:
        with self._lock:
            self._entries.pop(prefix, None)

    @classmethod
    def forget_everywhere(cls, prefix: str) -> None:
        """Forget a key in every memo of this process (each app instance's), at once."""
        with cls._memos_lock:
            memos = list(cls._memos.values())
        for memo in memos:
            memo.forget(prefix)


def authenticate(session: Session, *, token: str) -> Viewer | None:
    """The viewer a bearer token belongs to; None for a malformed, unknown or revoked token."""
    return authenticate_with(session.get_bind().engine, lambda: session, token=token)


def authenticate_with(engine: sa.Engine, session_for: Callable[[], Session], *, token: str) -> Viewer | None:
    """`authenticate`, asking for a session only when the key is not remembered, the memo checks for
    revocations or the last use is written: most requests with a known key open none."""
    match = TOKEN.match(token)
    if match is None:
        return None
    memo = KeyMemo.of(engine)
    known = memo.get(session_for, match["prefix"])
    if known is None:
        session = session_for()
        key = session.scalar(sa.select(ApiKey).where(ApiKey.prefix == match["prefix"]))
        if key is None or key.revoked_at is not None:
            return None
        known = _known(key)
        memo.put(known)
    if not hmac.compare_digest(known.secret_hash, _hash(match["secret"])):
        return None
    noted = _note_use(session_for, known)
    if noted is not known:
        memo.put(noted)
    return Viewer(known.key_id, known.role, known.name, known.prefix)


# A key's last use is recorded at most once per this many seconds: not a write per request.
LAST_USED_EVERY = 60.0


def _note_use(session_for: Callable[[], Session], key: KnownKey) -> KnownKey:
    """Set `last_used_at` when it is unset or older than LAST_USED_EVERY. The condition is in the
    UPDATE, so several processes write it once between them; the request has done nothing else yet,
    so committing here commits only this. The key as it is now known."""
    now = utcnow()
    last = key.last_used_at
    if last is not None and (now - last).total_seconds() < LAST_USED_EVERY:
        return key
    threshold = now - timedelta(seconds=LAST_USED_EVERY)
    session = session_for()
    session.execute(sa.update(ApiKey).where(
        ApiKey.id == key.key_id, sa.or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < threshold))
        .values(last_used_at=now).execution_options(synchronize_session=False))
    session.commit()
    return replace(key, last_used_at=now)


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
