"""What the draw reads of each subtopic's pool, kept in memory per process.

A window of a pool is a run of its published assertions of one label in sample-key order, from a
random pivot on, wrapping around (windows.py). Reading windows with SQL took a UNION of limited
subqueries per sixteen windows, about a third of an exam's time on a 100,000-assertion bank; reading
the rows the windows named by id, then their variants, still took a third of what was left. Here
each subtopic's published assertions are kept packed per label, in key order (packed.Run), with the
approved and pending variants of its true ones (packed.Variants): a window is cut with a binary
search and its rows unpacked, with no SQL. A process that has not read every pool (the server reads
them all before it serves: app/warmup.py) reads a subtopic's pool the second time an exam asks for
it, and cuts the first ask's windows with SQL (PoolIndex.pools).

The pool of a subtopic is kept for the `pool_stamp` of its row, which services/pool.refresh draws
again, at random, in the same transaction as every write to its assertions or their variants (a
text, an explanation, a label, a status, a number, a link, a variant's text, status or trust). Exams
read the stamp with the subtopic, before they read any pool, so what is kept for a stamp is never
older than the stamp: a change made through any instance is seen by every other at its next exam.
A random stamp rather than a count: a transaction rolled back after an exam read its uncommitted
stamp cannot leave a pool that a later, committed change would seem to match. The key also holds the
subtopic's creation time: SQLite may give a deleted subtopic's id to a new one.

The cue features (`surface`) are the one column written without a new stamp (by `qbank db
upgrade`, after the word lists change): a kept value computed with other lists is
recognised by its fingerprint and the features are computed from the text instead
(audit/surface.read), so an old value there is slower, never wrong.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import Assertion, Label, Status, Subtopic, Variant, VariantStatus
from app.services.generation.packed import EMPTY_POOL, NO_VARIANTS, KeptPool, Run, Variants

# Subtopics whose pools are read in one statement.
_CHUNK = 500
# Rows are fetched and packed a subtopic at a time, this many rows a fetch, not all of a statement's at
# once: the rows of a large bank's statement took some 15 MB, and the heap they left behind, fragmented
# by the packed pools allocated in between, stayed with the process (and its forked workers).
_STREAM = {"yield_per": 1000}
# The creation time as part of a pool's key, read as the driver gives it: only compared, never read as
# a time, so SQLite's text is not parsed into a datetime on every exam (a tenth of a millisecond for a
# hundred subtopics). Every read of a subtopic whose key is compared selects this same expression.
CREATED_AT = sa.type_coerce(Subtopic.created_at, sa.String).label("created_at")
Key = tuple[int, int, str | datetime | None]


class PoolIndex:
    """Per process and database: each subtopic's pool, for the pool stamp it was read at."""

    def __init__(self) -> None:
        self._pools: dict[int, tuple[Key, KeptPool]] = {}
        self._lock = threading.Lock()
        # Set once every pool was read (warm_pools, in a server's master): from then on, a pool
        # written since it was kept is read again at once.
        self.keeps_all = False
        self._asked: set[int] = set()  # subtopics asked for once, while not kept

    def pools(self, session: Session, subtopics: Sequence[Subtopic], *, read_all: bool = False) -> dict[int, KeptPool]:
        """The kept pools of these subtopics, reading again those written since they were kept.

        A subtopic is left out (its windows are cut with SQL: windows.fetch_windows, the same rows)
        when its pool was never kept and is asked for the first time, in a process that does not keep
        every pool: a one-off exam (the command line, a script) then reads the few windows it draws
        from, not the whole pools of a large bank (reading a thousand-item pool took about 25 ms on
        PostgreSQL, for each of the 120 subtopics of an exam on the million-item bank). The second
        time, the pool is read and kept. `read_all`: read every stale pool now, and from now on.
        """
        keys = {s.id: (s.id, s.pool_stamp, s.created_at) for s in subtopics}
        stale = [i for i, key in keys.items() if self._pools.get(i, (None,))[0] != key]
        if read_all:
            self.keeps_all = True
        if self.keeps_all:
            wanted = stale
        else:
            wanted = [i for i in stale if i in self._pools or i in self._asked]
            with self._lock:
                self._asked.update(stale)
        if wanted:
            fresh = read_pools(session, wanted)
            with self._lock:
                for subtopic_id in wanted:
                    self._pools[subtopic_id] = (keys[subtopic_id], fresh.get(subtopic_id, EMPTY_POOL))
        found = {}
        reading = set(wanted)
        for subtopic_id, key in keys.items():
            kept = self._pools.get(subtopic_id)
            if kept is not None and kept[0] == key:
                found[subtopic_id] = kept[1]
            elif subtopic_id in reading:
                # Another thread kept another stamp meanwhile: read this one alone, uncached.
                found[subtopic_id] = read_pools(session, [subtopic_id]).get(subtopic_id, EMPTY_POOL)
        return found


_RUN_COLUMNS = (Assertion.subtopic_id, Assertion.label, Assertion.sample_key, Assertion.id, Assertion.variant_review,
                Assertion.number, Assertion.depends_on_id, Assertion.surface, Assertion.text)
_VARIANT_COLUMNS = (Assertion.subtopic_id, Variant.assertion_id, Variant.id, Variant.status, Variant.trusted,
                    Variant.kind, Variant.operator, Variant.surface, Variant.text)
# Rejected variants never enter an exam; those of false or unpublished assertions are never asked for.
_KEPT_VARIANT_STATUSES = (VariantStatus.APPROVED.value, VariantStatus.PENDING.value)


def read_pools(session: Session, subtopic_ids: Iterable[int]) -> dict[int, KeptPool]:
    """The pools of these subtopics as the database has them now: two statements per CHUNK subtopics."""
    ids = sorted(set(subtopic_ids))
    runs: dict[int, dict[str, Run]] = {}
    variants: dict[int, Variants] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        rows = session.execute(
            sa.select(*_RUN_COLUMNS)
            .where(Assertion.subtopic_id.in_(chunk), Assertion.status == Status.PUBLISHED.value)
            .order_by(Assertion.subtopic_id, Assertion.label, Assertion.sample_key, Assertion.id),
            execution_options=_STREAM)
        for (subtopic_id, label), group in _groups(rows, 2):
            runs.setdefault(subtopic_id, {})[label] = Run.pack(subtopic_id, label, [row[2:] for row in group])
        rows = session.execute(
            sa.select(*_VARIANT_COLUMNS).join(Variant.assertion)
            .where(Assertion.subtopic_id.in_(chunk), Assertion.status == Status.PUBLISHED.value,
                   Assertion.label == Label.C.value, Variant.status.in_(_KEPT_VARIANT_STATUSES))
            # The order exams take each assertion's variants in (windows.usable_variants).
            .order_by(Assertion.subtopic_id, Variant.assertion_id, Variant.rank.is_(None), Variant.rank, Variant.id),
            execution_options=_STREAM)
        for (subtopic_id,), group in _groups(rows, 1):
            variants[subtopic_id] = Variants.pack([row[1:] for row in group])
    return {subtopic_id: KeptPool(runs.get(subtopic_id, {}), variants.get(subtopic_id, NO_VARIANTS))
            for subtopic_id in set(runs) | set(variants)}


def _groups(rows: Sequence[Sequence], width: int) -> Iterable[tuple[tuple, list]]:
    """Consecutive rows grouped by their first `width` columns."""
    current: tuple | None = None
    group: list = []
    for row in rows:
        head = tuple(row[:width])
        if head != current:
            if group:
                yield current, group
            current, group = head, []
        group.append(row)
    if group:
        yield current, group


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
