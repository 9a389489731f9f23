"""Engines: SQLite's and PostgreSQL's settings, SQLite's background checkpoints, the prepared
reads of hot paths, and bulk inserts. No Flask here: the services and the command line use these too."""

from __future__ import annotations

import contextlib
import os
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path

try:
    import fcntl  # the write turns' lock between processes (POSIX)
except ImportError:  # pragma: no cover - write_turn takes no turns there
    fcntl = None

import sqlalchemy as sa
from sqlalchemy import event


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


class _Held:
    """A pooled connection kept checked out by one thread for its prepared reads."""

    __slots__ = ("connection", "pool", "pid", "autocommit")

    def __init__(self, connection: sa.PoolProxiedConnection, pool: sa.Pool, autocommit: bool) -> None:
        self.connection: sa.PoolProxiedConnection | None = connection
        self.pool = pool
        self.pid = os.getpid()
        self.autocommit = autocommit

    def release(self) -> None:
        """Give the connection back to its pool as the pool handed it out (not in autocommit)."""
        connection, self.connection = self.connection, None
        if connection is None:
            return
        if self.pid != os.getpid():
            # Forked with a parent's connection: closing it here would end the parent's session on
            # the server. It stays referenced, untouched, for the life of this process instead.
            _FORKED_AWAY.append(connection)
            return
        _unkeep(self.pool)
        try:
            if self.autocommit and connection.is_valid:
                connection.dbapi_connection.autocommit = False
            connection.close()
        except Exception:  # noqa: BLE001 - a broken connection: its pool record is invalidated instead
            connection.invalidate()

    def __del__(self) -> None:  # the thread ended: its kept connection goes back to the pool
        self.release()


_FORKED_AWAY: list = []
# Threads keep at most this share of a queue pool's size between them, so that sessions always find
# connections (the rest of the size, plus the overflow). Other pools (SQLite in memory) keep none.
KEEP_SHARE = 0.6
_kept_by_pool: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # pool -> connections kept
_kept_lock = threading.Lock()


def _may_keep(pool: sa.Pool) -> bool:
    if not isinstance(pool, sa.QueuePool):
        return False
    with _kept_lock:
        kept = _kept_by_pool.get(pool, 0)
        if kept >= int(pool.size() * KEEP_SHARE):
            return False
        _kept_by_pool[pool] = kept + 1
        return True


def _unkeep(pool: sa.Pool) -> None:
    with _kept_lock:
        kept = _kept_by_pool.get(pool, 0)
        if kept > 0:
            _kept_by_pool[pool] = kept - 1


class PreparedRead:
    """One constant SELECT, run on a DB-API connection past SQLAlchemy's execution layer.

    For the reads on every request of a hot path (the state of an issued exam, before its kept
    bytes are served): Core's connect, execute and result objects cost about 20 µs more than the
    statement itself on SQLite, a fifth of such a request. The statement is compiled once per
    dialect; errors come out as SQLAlchemy's (an OperationalError still answers 503), and a
    connection the database dropped is invalidated, as Core does. Rows are plain tuples, without
    result processing: only for columns whose driver values are what the caller wants (integers,
    text).

    Each thread keeps the pooled connection it reads on checked out for its next reads (while the
    pool has room: KEEP_SHARE), in autocommit on PostgreSQL so that a read leaves no transaction
    open. A checkout and check-in cost about 7 µs on SQLite; on PostgreSQL they are the pool's
    liveness ping and the check-in's rollback, two round trips besides the read (about 0.5 ms
    against 0.12 ms on this machine's loopback). A kept connection the database dropped meanwhile
    (a restart) is invalidated and the read made once more on a fresh one, which the pool checks
    first, as every read did before connections were kept. A thread's connection goes back to the
    pool when the thread ends, or when its engine's pool is replaced (dispose)."""

    def __init__(self, statement: sa.Select) -> None:
        self._statement = statement
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}
        self._local = threading.local()

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
        held: _Held | None = getattr(self._local, "held", None)
        if held is not None:
            if held.connection is not None and held.pool is engine.pool and held.pid == os.getpid():
                try:
                    return _read(held.connection, dialect, sql, args)
                except sa.exc.DBAPIError as error:
                    self._drop(held)
                    if not error.connection_invalidated:
                        raise
                    # dropped while kept (the database restarted): once more, on a connection the pool checks
            else:
                self._drop(held)  # another engine, a disposed pool, a forked process
        return self._read_fresh(engine, dialect, sql, args)

    def _read_fresh(self, engine: sa.Engine, dialect: sa.Dialect, sql: str, args: object,
                    keep: bool = True) -> tuple | None:
        pool = engine.pool
        try:
            connection = engine.raw_connection()
        except dialect.loaded_dbapi.Error as error:
            raise sa.exc.DBAPIError.instance(sql, args, error, dialect.loaded_dbapi.Error,
                                             dialect=dialect) from error
        held = None
        if keep and _may_keep(pool):
            held = _Held(connection, pool, autocommit=dialect.name == "postgresql")
            if held.autocommit:
                try:
                    connection.dbapi_connection.autocommit = True
                except Exception:  # noqa: BLE001 - not kept, then: read on another, given back after
                    held.autocommit = False
                    held.release()
                    return self._read_fresh(engine, dialect, sql, args, keep=False)
        try:
            row = _read(connection, dialect, sql, args)
        except BaseException:
            if held is not None:
                held.release()
            else:
                connection.close()
            raise
        if held is None:
            connection.close()
        else:
            self._local.held = held
        return row

    def _drop(self, held: _Held) -> None:
        self._local.held = None
        held.release()


def _read(connection: sa.PoolProxiedConnection, dialect: sa.Dialect, sql: str, args: object) -> tuple | None:
    cursor = None
    try:
        cursor = connection.cursor()
        cursor.execute(sql, args)
        row = cursor.fetchone()
        cursor.close()
        return row
    except dialect.loaded_dbapi.Error as error:
        dropped = dialect.is_disconnect(error, connection.dbapi_connection, cursor)
        if dropped:
            connection.invalidate(error)
        elif cursor is not None:
            try:
                cursor.close()
            except dialect.loaded_dbapi.Error:
                pass
        raise sa.exc.DBAPIError.instance(sql, args, error, dialect.loaded_dbapi.Error,
                                         connection_invalidated=dropped, dialect=dialect) from error


def insert_rows(connection: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, object]]) -> None:
    """Insert `rows`, each naming the same columns, in one go: PostgreSQL's COPY through psycopg when
    every column is an integer or a text, else one executemany.

    psycopg's executemany runs one INSERT per row (in a pipeline): the 120 items of an exam took 7.4
    ms, against 4.0 ms by COPY, on the 100,000-item bench database. Errors come out as SQLAlchemy's,
    as the executemany's do: a constraint broken is an IntegrityError, a connection the database
    dropped an OperationalError (503), and the connection is invalidated.
    """
    if not rows:
        return
    dialect = connection.dialect
    columns = list(rows[0])
    plain = all(isinstance(table.c[name].type, sa.Integer | sa.String) for name in columns)
    # A column left out whose default SQLAlchemy would have filled in: only an INSERT fills it.
    defaults = any(column.default is not None and column.name not in rows[0] for column in table.c)
    if dialect.name != "postgresql" or dialect.driver != "psycopg" or not plain or defaults:
        connection.execute(table.insert(), list(rows))
        return
    quote = dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(name) for name in columns)}) FROM STDIN"
    raw = connection.connection
    cursor = None
    try:
        cursor = raw.cursor()
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([row[name] for name in columns])
        cursor.close()
    except dialect.loaded_dbapi.Error as error:
        dropped = dialect.is_disconnect(error, raw.dbapi_connection, cursor)
        if dropped:
            connection.invalidate(error)
        raise sa.exc.DBAPIError.instance(sql, None, error, dialect.loaded_dbapi.Error,
                                         connection_invalidated=dropped, dialect=dialect) from error


class _WriteTurns:
    """One SQLite database's writers taking turns: a lock between this process's threads, then an
    exclusive flock on a file beside the database between processes. The file is opened once per
    process (an open file shared across a fork would be one lock for all)."""

    def __init__(self, path: str) -> None:
        self.path = path + ".writers"
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid: int | None = None

    def __enter__(self) -> None:
        self._threads.acquire()
        try:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                try:
                    self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                except OSError:  # a directory this process may not create in: turns between its threads only
                    self._fd = None
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()


_write_turns: dict[str, _WriteTurns] = {}
_write_turns_lock = threading.Lock()


def write_turn(connection: sa.Connection) -> contextlib.AbstractContextManager[None]:
    """A context in which this writer holds the database's write turn: on a SQLite file, writers that
    come in while another writes wait for it in the kernel and go on the moment it ends; SQLite's own
    busy handler, which they otherwise meet, sleeps 1, 2, 5, 10 ms ... between attempts. Elsewhere
    (PostgreSQL's row locks, SQLite in memory) nothing."""
    url = connection.engine.url
    if connection.dialect.name != "sqlite" or not url.database or url.database == ":memory:" or fcntl is None \
            or connection.connection.dbapi_connection.in_transaction:
        # Already writing in this transaction: it may hold SQLite's lock, which the turn's holder may
        # be waiting for. It goes on as it would without turns.
        return contextlib.nullcontext()
    path = os.path.abspath(url.database)
    turns = _write_turns.get(path)
    if turns is None:
        with _write_turns_lock:
            turns = _write_turns.setdefault(path, _WriteTurns(path))
    return turns
