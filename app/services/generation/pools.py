"""What the draw reads of each subtopic's pool, kept in memory per process.

A window of a pool is a run of its published assertions of one label in sample-key order, from a
random pivot on, wrapping around (windows.py). Reading windows with SQL took a UNION of limited
subqueries per sixteen windows, about a third of an exam's time on a 100,000-assertion bank. Here
each subtopic's published assertions are kept as (sample key, id, variant review) runs per label,
in key order, and a window is cut from them with a binary search; the draw then reads the rows it
needs by id in one statement.

The runs of a subtopic are kept for the `pool_stamp` of its row, which services/pool.refresh draws
again, at random, in the same transaction as every write that can change the pool (a text, hence
its sample key; a label; a status; a variant review). Exams read the stamp with the subtopic, so a
change made through any instance is seen by every other at its next exam. A random stamp rather
than a count: a transaction rolled back after an exam read its uncommitted stamp cannot leave
runs that a later, committed change would seem to match. The key also holds the subtopic's
creation time: SQLite may give a deleted subtopic's id to a new one.
"""

from __future__ import annotations

import threading
import weakref
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import Assertion, Status, Subtopic

# Subtopics whose runs are read in one statement.
_CHUNK = 500


@dataclass(frozen=True)
class Run:
    """One label's published assertions of a subtopic, in (sample key, id) order."""

    keys: array
    ids: array
    reviews: bytes
    # variant-review floor -> the keys and ids of the assertions at or above it, made when first asked
    # for: a window then costs a binary search and a slice, not a scan past the items below the floor.
    _above: dict[int, tuple[array, array]] = field(default_factory=dict, compare=False, repr=False)

    def _at_least(self, floor: int) -> tuple[array, array]:
        if floor <= 0:
            return self.keys, self.ids
        found = self._above.get(floor)
        if found is None:
            keys, ids = array("q"), array("q")
            for key, row_id, review in zip(self.keys, self.ids, self.reviews, strict=True):
                if review >= floor:
                    keys.append(key)
                    ids.append(row_id)
            found = self._above[floor] = (keys, ids)
        return found

    def window(self, pivot: int, limit: int, floor: int) -> list[int]:
        """Up to `limit` ids from the first key at or after `pivot` on, wrapping to the start, of
        assertions whose variant review is at least `floor`: what the SQL windows return."""
        if limit <= 0:
            return []
        keys, ids = self._at_least(floor)
        size = len(ids)
        start = bisect_left(keys, pivot)
        end = start + min(limit, size)
        if end <= size:
            return ids[start:end].tolist()
        return ids[start:].tolist() + ids[:end - size].tolist()


_EMPTY = Run(array("q"), array("q"), b"")
Key = tuple[int, int, datetime | None]


class PoolIndex:
    """Per process and database: each subtopic's runs, for the pool stamp they were read at."""

    def __init__(self) -> None:
        self._runs: dict[int, tuple[Key, dict[str, Run]]] = {}
        self._lock = threading.Lock()

    def runs(self, session: Session, subtopics: Sequence[Subtopic]) -> dict[int, dict[str, Run]]:
        """The runs of these subtopics, reading again those whose pool was written since they were kept."""
        keys = {s.id: (s.id, s.pool_stamp, s.created_at) for s in subtopics}
        stale = [i for i, key in keys.items() if self._runs.get(i, (None,))[0] != key]
        if stale:
            fresh = _read(session, stale)
            with self._lock:
                for subtopic_id in stale:
                    self._runs[subtopic_id] = (keys[subtopic_id], fresh.get(subtopic_id, {}))
        found = {}
        for subtopic_id, key in keys.items():
            kept = self._runs.get(subtopic_id)
            # Another thread may have kept another stamp meanwhile: read this one alone, uncached.
            found[subtopic_id] = kept[1] if kept is not None and kept[0] == key else \
                _read(session, [subtopic_id]).get(subtopic_id, {})
        return found


def _read(session: Session, subtopic_ids: Iterable[int]) -> dict[int, dict[str, Run]]:
    ids = sorted(set(subtopic_ids))
    out: dict[int, dict[str, Run]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        rows = session.execute(
            sa.select(Assertion.subtopic_id, Assertion.label, Assertion.sample_key, Assertion.id,
                      Assertion.variant_review)
            .where(Assertion.subtopic_id.in_(chunk), Assertion.status == Status.PUBLISHED.value)
            .order_by(Assertion.subtopic_id, Assertion.label, Assertion.sample_key, Assertion.id)
        )
        current: tuple[int, str] | None = None
        keys, row_ids, reviews = array("q"), array("q"), bytearray()
        for subtopic_id, label, key, row_id, review in rows:
            if (subtopic_id, label) != current:
                if current is not None:
                    out.setdefault(current[0], {})[current[1]] = Run(keys, row_ids, bytes(reviews))
                current, keys, row_ids, reviews = (subtopic_id, label), array("q"), array("q"), bytearray()
            keys.append(key)
            row_ids.append(row_id)
            reviews.append(review)
        if current is not None:
            out.setdefault(current[0], {})[current[1]] = Run(keys, row_ids, bytes(reviews))
    return out


def empty_run() -> Run:
    return _EMPTY


_INDEXES: weakref.WeakKeyDictionary[sa.Engine, PoolIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def index_for(session: Session) -> PoolIndex:
    """The pool index of the database this session is bound to."""
    engine = session.get_bind()
    engine = getattr(engine, "engine", engine)
    with _INDEXES_LOCK:
        index = _INDEXES.get(engine)
        if index is None:
            index = _INDEXES[engine] = PoolIndex()
        return index
