"""Writers racing for the same new rows (issue 12, point 2).

Two requests that both find a row missing both insert it; the database's unique constraint lets one
through and fails the other with an IntegrityError, at a flush or at the commit. The services turn
that into what the client should see: a retry where the work is idempotent (an import finds the rows
the winner wrote), a 409 where it is not, and serialize what they number themselves (lock_parent).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.errors import Conflict

T = TypeVar("T")
ATTEMPTS = 3

log = logging.getLogger(__name__)

# SQLSTATEs of a lost race on PostgreSQL: unique violation, deadlock, serialization failure.
_PG_RACES = frozenset({"23505", "40P01", "40001"})


def lost_race(error: DBAPIError) -> bool:
    """Whether `error` means another transaction got there first (and trying again may succeed)."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _PG_RACES
    return isinstance(error, IntegrityError) and "UNIQUE constraint failed" in str(error.orig)


def retry_lost_races(session: Session, work: Callable[[], T], *, conflict: str) -> T:
    """Run `work` (one whole transaction, idempotent) again when it loses a race, up to ATTEMPTS times;
    a 409 saying `conflict` if it still loses. Any other database error is raised as it is."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return work()
        except DBAPIError as error:
            session.rollback()
            if not lost_race(error):
                raise
            log.info("lost a race (attempt %d of %d): %s", attempt, ATTEMPTS, type(error.orig).__name__)
    raise Conflict(conflict, code="concurrent_write")


def lock_parent(session: Session, model: type, ident: int) -> None:
    """Take the write lock on a parent row before numbering its children (max + 1), so that two
    requests numbering children of the same parent take turns instead of picking the same number.

    A no-op UPDATE rather than SELECT ... FOR UPDATE: it is a row lock on PostgreSQL and, on SQLite
    (which has no row locks), it opens the write transaction, so the next read sees the last commit."""
    table = model.__table__
    session.execute(sa.update(table).where(table.c.id == ident).values(updated_at=table.c.updated_at))
