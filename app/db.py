"""Declarative Base and the Flask extension: one session per request, closed on teardown (engines: app/engine.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app, g
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.engine import make_engine

if TYPE_CHECKING:
    from flask import Flask

# Constraint names are fixed so that Alembic (batch mode on SQLite included) can find them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class Database:
    """Flask extension: each app gets its own engine and session factory (kept in app.extensions)."""

    def init_app(self, app: Flask) -> None:
        """Create the engine from app.config and close the request's session on teardown."""
        engine = make_engine(app.config["DATABASE_URL"], echo=app.config.get("SQL_ECHO", False),
                             sqlite_mmap_mb=app.config.get("SQLITE_MMAP_MB", 0))
        app.extensions["qbank.db"] = _State(engine, sessionmaker(engine, expire_on_commit=False))
        app.teardown_appcontext(self._close_session)

    @staticmethod
    def _state() -> _State:
        return current_app.extensions["qbank.db"]

    @property
    def engine(self) -> sa.Engine:
        """The engine of the current app."""
        return self._state().engine

    @property
    def session(self) -> Session:
        """The session of the current request (or app context), created on first use."""
        session = g.get("_qbank_session")
        if session is None:
            session = self._state().sessionmaker()
            g._qbank_session = session
        return session

    def new_session(self) -> Session:
        """A session outside the request scope, for CLI commands; the caller closes it."""
        return self._state().sessionmaker()

    @staticmethod
    def _close_session(_exc: BaseException | None) -> None:
        """Close the request's session; never raise. Teardown runs after the response is made and
        outside every error handler: an exception here (the ROLLBACK of a connection the database
        dropped) would replace an answered request by the server's HTML 500, with no log line. It is
        logged instead, and the connection invalidated, so that the pool does not hand it out again."""
        session = g.pop("_qbank_session", None)
        if session is None:
            return
        try:
            session.close()
        except Exception as error:  # noqa: BLE001 (nothing may escape a teardown)
            current_app.logger.error("closing the database session failed (connection dropped?): %s",
                                     type(error).__name__)
            try:
                session.invalidate()
            except Exception:  # noqa: BLE001
                current_app.logger.exception("invalidating the database session failed")


@dataclass(frozen=True)
class _State:
    engine: sa.Engine
    sessionmaker: sessionmaker[Session]


db = Database()
