"""Engine, sessionmaker and declarative Base; one session per request, closed on teardown."""

from __future__ import annotations

import os
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app, g
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

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


def make_engine(url: str, *, echo: bool = False, sqlite_mmap_mb: int = 0) -> sa.Engine:
    """An engine for `url`; SQLite gets foreign keys on, a busy timeout for concurrent writers and,
    with `sqlite_mmap_mb`, reads through a memory map of the file."""
    if url.startswith("sqlite"):
        path = sa.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, echo=echo, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            if sqlite_mmap_mb > 0:
                cursor.execute(f"PRAGMA mmap_size={int(sqlite_mmap_mb) * 1024 * 1024}")
            if path and path != ":memory:":
                cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
            cursor.close()

        if path and path != ":memory:":
            checkpointer = Checkpointer(engine)
            event.listen(engine, "commit", lambda _connection: checkpointer.committed())
        return engine
    return sa.create_engine(url, echo=echo, pool_pre_ping=True)


# SQLite copies the write-ahead log back into the database file (a checkpoint) when a commit leaves
# more than this many pages in it, in the committing thread. With its default of 1,000 pages (4 MB)
# that was one exam in six on the 100,000-item bank: 120 items touch a few hundred pages of the
# items' indexes, and that commit took about 21 ms more than the others (0.7 ms). Checkpoints now
# run in a background thread of each process after commits (Checkpointer); the commit-time one
# stays as a bound on the log's size should the thread fall behind a burst of writes.
WAL_AUTOCHECKPOINT_PAGES = 16000  # 64 MB


class Checkpointer:
    """Runs SQLite's PASSIVE checkpoint in a background thread of this process, shortly after commits.

    A PASSIVE checkpoint neither waits for nor blocks readers and writers; it copies what it can.
    The thread is started by the first commit of a process (a gunicorn worker forked from a master
    that committed does not inherit the master's thread) and ends after IDLE_SECONDS without a
    commit, or once the engine is gone; a later commit starts it again."""

    DELAY_SECONDS = 1.0  # commits that come close together share one checkpoint
    IDLE_SECONDS = 5.0

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = weakref.ref(engine)
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def committed(self) -> None:
        self._wake.set()
        thread = self._thread
        if thread is not None and self._pid == os.getpid() and thread.is_alive():
            return
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="qbank-sqlite-checkpoint", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while self._wake.wait(self.IDLE_SECONDS):
            self._wake.clear()
            time.sleep(self.DELAY_SECONDS)
            engine = self._engine()
            if engine is None:
                return
            try:
                with engine.connect() as connection:
                    connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").all()
            except sa.exc.SQLAlchemyError:  # the file went away (a test's database); nothing to copy
                return
            finally:
                del engine
        with self._lock:
            if self._thread is threading.current_thread():
                self._thread = None
        if self._wake.is_set():  # a commit came between the wait's end and the line above
            self.committed()


class PreparedRead:
    """One constant SELECT, run on a pooled DB-API connection past SQLAlchemy's execution layer.

    For the reads on every request of a hot path (the state of an issued exam, before its kept
    bytes are served): Core's connect, execute and result objects cost about 20 µs more than the
    statement itself on SQLite, a fifth of such a request. The statement is compiled once per
    dialect; errors come out as SQLAlchemy's (an OperationalError still answers 503), and a
    connection the database dropped is invalidated, as Core does. Rows are plain tuples, without
    result processing: only for columns whose driver values are what the caller wants (integers,
    text)."""

    def __init__(self, statement: sa.Select) -> None:
        self._statement = statement
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}

    def _sql(self, dialect: sa.Dialect) -> tuple[str, tuple[str, ...] | None]:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self._statement.compile(dialect=dialect)
            order = tuple(compiled.positiontup or ()) if dialect.positional else None
            found = self._compiled[dialect.name] = (compiled.string, order)
        return found

    def first(self, engine: sa.Engine, params: dict[str, object]) -> tuple | None:
        """The first row for these parameters, or None."""
        dialect = engine.dialect
        sql, order = self._sql(dialect)
        args = tuple(params[name] for name in order) if order is not None else params
        connection = cursor = None
        try:
            connection = engine.raw_connection()
            cursor = connection.cursor()
            cursor.execute(sql, args)
            return cursor.fetchone()
        except dialect.loaded_dbapi.Error as error:
            dropped = connection is not None and dialect.is_disconnect(error, connection.dbapi_connection, cursor)
            if dropped:
                connection.invalidate(error)
            raise sa.exc.DBAPIError.instance(sql, args, error, dialect.loaded_dbapi.Error,
                                             connection_invalidated=dropped, dialect=dialect) from error
        finally:
            if connection is not None:
                try:
                    if cursor is not None:
                        cursor.close()
                finally:
                    connection.close()


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
