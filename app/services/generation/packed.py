"""A subtopic's pool packed in memory: its published assertions per label in sample-key order (runs),
and the approved and pending variants of its true ones.

Packed into arrays and one UTF-8 buffer per text column rather than kept as row tuples: for the
benchmark's 100,000-assertion bank and its 48,354 variants, 20.0 MB of arrays and buffers
(tracemalloc) against 71.9 MB as named tuples, in a few hundred objects that the collector never
walks and whose pages the workers' reference counts never write to (they stay shared with a master
that read them before forking). No explanations: they took 8.5 MB of it (the variants' are longer
than their texts), and only the items an exam keeps need theirs, which the snapshot reads by id.

A draw unpacks only the rows its windows cut (`Run.rows`, `Variants.rows`): a few hundred an exam.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.models import Status, VariantKind, VariantStatus
from app.services.generation.rows import CandidateRow, VariantRow, candidate, variant

_PUBLISHED = Status.PUBLISHED.value
_NONE = -1  # a missing link or surface value (ids and stored values are never negative)


class Texts:
    """Strings (or None) kept as one UTF-8 buffer and the offsets where each starts and ends."""

    __slots__ = ("_data", "_bounds", "_missing")

    def __init__(self, values: Iterable[str | None]) -> None:
        parts, bounds, missing, end = [], [0], bytearray(), 0
        for value in values:
            if value is not None:
                encoded = value.encode()
                parts.append(encoded)
                end += len(encoded)
            bounds.append(end)  # string i is data[bounds[i]:bounds[i + 1]]
            missing.append(value is None)
        self._data = b"".join(parts)
        self._bounds = array("I" if end < 1 << 32 else "q", bounds)  # 4 bytes an offset below 4 GB
        self._missing = bytes(missing) if any(missing) else None  # most columns never miss

    def many(self, positions: Iterable[int]) -> list[str | None]:
        """The strings at these positions: one call for a window's rows."""
        data, bounds, missing = self._data, self._bounds, self._missing
        if missing is None:
            return [data[bounds[i]:bounds[i + 1]].decode() for i in positions]
        return [None if missing[i] else data[bounds[i]:bounds[i + 1]].decode() for i in positions]


def _optional(values: Iterable[int | None]) -> array:
    return array("q", (_NONE if value is None else value for value in values))


def _surfaces(values: Iterable[int | None]) -> array:
    """Stored cue-feature values in 4 bytes each. A value out of that range cannot carry today's
    fingerprint (20 bits above 3 feature bits): kept as missing, the features come from the text."""
    return array("i", (value if value is not None and 0 <= value < 1 << 31 else _NONE for value in values))


@dataclass(frozen=True)
class Run:
    """One label's published assertions of a subtopic, in (sample key, id) order."""

    subtopic_id: int
    label: str
    keys: array
    ids: array
    reviews: bytes
    numbers: array
    depends: array  # depends_on_id, _NONE for none
    surfaces: array  # _NONE for none
    texts: Texts
    # variant-review floor -> the keys and positions of the assertions at or above it, made when first
    # asked for: a window then costs a binary search and a slice, not a scan past those below the floor.
    _above: dict[int, tuple[array, array]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def pack(cls, subtopic_id: int, label: str, rows: Sequence[Sequence]) -> Run:
        """From (sample key, id, variant review, number, depends_on_id, surface, text) rows in key order."""
        return cls(subtopic_id, label, array("q", (r[0] for r in rows)), array("q", (r[1] for r in rows)),
                   bytes(r[2] for r in rows), array("q", (r[3] for r in rows)), _optional(r[4] for r in rows),
                   _surfaces(r[5] for r in rows), Texts(r[6] for r in rows))

    def _at_least(self, floor: int) -> tuple[array, array | range]:
        if floor <= 0:
            return self.keys, range(len(self.ids))
        found = self._above.get(floor)
        if found is None:
            keys, positions = array("q"), array("q")
            for position, (key, review) in enumerate(zip(self.keys, self.reviews, strict=True)):
                if review >= floor:
                    keys.append(key)
                    positions.append(position)
            found = self._above[floor] = (keys, positions)
        return found

    def window(self, pivot: int, limit: int, floor: int) -> list[int]:
        """The positions of up to `limit` assertions from the first key at or after `pivot` on, wrapping
        to the start, whose variant review is at least `floor`: what the SQL windows return."""
        if limit <= 0:
            return []
        keys, positions = self._at_least(floor)
        size = len(positions)
        start = bisect_left(keys, pivot)
        end = start + min(limit, size)
        if end <= size:
            return list(positions[start:end])
        return list(positions[start:]) + list(positions[:end - size])

    def rows(self, positions: Sequence[int]) -> list[CandidateRow]:
        """The rows at these positions (a window's)."""
        ids, numbers, depends, keys, reviews, surfaces = \
            self.ids, self.numbers, self.depends, self.keys, self.reviews, self.surfaces
        subtopic_id, label = self.subtopic_id, self.label
        return [candidate((ids[p], subtopic_id, numbers[p], text, label, _PUBLISHED,
                           None if depends[p] == _NONE else depends[p], keys[p], reviews[p],
                           None if surfaces[p] == _NONE else surfaces[p]))
                for p, text in zip(positions, self.texts.many(positions), strict=True)]


EMPTY_RUN = Run.pack(0, "", [])

# Variants.flags bits.
APPROVED, TRUSTED, REWRITE = 1, 2, 4
_STATUS_FLAG = {VariantStatus.APPROVED.value: APPROVED, VariantStatus.PENDING.value: 0}
_KIND_FLAG = {VariantKind.FALSE.value: 0, VariantKind.TRUE_REWRITE.value: REWRITE}
_KIND_OF = {0: VariantKind.FALSE.value, REWRITE: VariantKind.TRUE_REWRITE.value}


@dataclass(frozen=True)
class Variants:
    """The approved and pending variants of a subtopic's true published assertions, by assertion, each
    assertion's in the order exams take them (rank, unranked last, then id)."""

    owners: array  # the assertions that have variants, ascending
    starts: array  # owners[i]'s variants are at positions starts[i] up to starts[i + 1]
    ids: array
    flags: bytes
    operators: array  # index into `names`
    names: tuple[str, ...]
    surfaces: array
    texts: Texts

    @classmethod
    def pack(cls, rows: Sequence[Sequence]) -> Variants:
        """From (assertion id, id, status, trusted, kind, operator, surface, text) rows in assertion
        order, then each assertion's variants in the order exams take them."""
        owners, starts = array("q"), array("q")
        for position, row in enumerate(rows):
            if not owners or owners[-1] != row[0]:
                owners.append(row[0])
                starts.append(position)
        starts.append(len(rows))
        names = tuple(sorted({row[5] for row in rows}))
        number_of = {name: index for index, name in enumerate(names)}
        flags = bytes(_STATUS_FLAG[r[2]] | (TRUSTED if r[3] else 0) | _KIND_FLAG[r[4]] for r in rows)
        return cls(owners, starts, array("q", (r[1] for r in rows)), flags,
                   array("H", (number_of[r[5]] for r in rows)), names, _surfaces(r[6] for r in rows),
                   Texts(r[7] for r in rows))

    def of(self, assertion_id: int) -> range:
        """The positions of an assertion's variants."""
        index = bisect_left(self.owners, assertion_id)
        if index == len(self.owners) or self.owners[index] != assertion_id:
            return range(0)
        return range(self.starts[index], self.starts[index + 1])

    def rows(self, positions: Sequence[int], assertion_id: int) -> list[VariantRow]:
        """The variants at these positions (some of one assertion's)."""
        ids, flags, names, operators, surfaces = self.ids, self.flags, self.names, self.operators, self.surfaces
        return [variant((ids[p], assertion_id, text, names[operators[p]], _KIND_OF[flags[p] & REWRITE],
                         None if surfaces[p] == _NONE else surfaces[p]))
                for p, text in zip(positions, self.texts.many(positions), strict=True)]


NO_VARIANTS = Variants.pack([])


@dataclass(frozen=True)
class KeptPool:
    """What is kept of one subtopic: its runs by label, and its variants."""

    runs: dict[str, Run]
    variants: Variants

    def run(self, label: str) -> Run:
        return self.runs.get(label, EMPTY_RUN)


EMPTY_POOL = KeptPool({}, NO_VARIANTS)
