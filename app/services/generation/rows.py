"""The rows the draw reads: an assertion that may be drawn, and a variant that may be shown.

Plain named tuples: reading a field of a SQLAlchemy Row by name costs about 0.4 µs, of a named tuple
a few nanoseconds, and the draw and the cue balance read these fields tens of thousands of times.
They are made from column tuples read with SQL (windows.py) or from the pools kept in memory
(packed.py), with the same fields in the same order either way.

Neither carries its explanation: only the items an exam keeps need theirs, and the snapshot reads
them by id (assembly.py), so the pools kept in memory hold no explanations.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple


class CandidateRow(NamedTuple):
    """An assertion as the draw reads it."""

    id: int
    subtopic_id: int
    number: int
    text: str
    label: str
    status: str
    depends_on_id: int | None
    sample_key: int
    variant_review: int
    surface: int | None


class VariantRow(NamedTuple):
    """A usable variant (false, or a true rewrite) as the draw reads it."""

    id: int
    assertion_id: int
    text: str
    operator: str
    kind: str
    surface: int | None


# From a column tuple in field order, without NamedTuple's keyword handling.
candidate = partial(tuple.__new__, CandidateRow)
variant = partial(tuple.__new__, VariantRow)
