"""An item's surface: the word features a test-wise candidate reads without reading the content.

Three yes/no features of a text, each one a fixed guesser of the audit: it carries a cue word
("não", "sempre", "apenas", ...), a word the variant engine writes ("garante", "obrigatoriamente",
...), an odd number of negative words. The cue balance reads them for every candidate of an exam,
several hundred texts, so each assertion and variant keeps its own in the `surface` column, written
with its text (the models' text validators) and read with the candidates.

A stored value is `features | fingerprint << 3`: the fingerprint is a digest of the word lists the
features were computed with. A value computed with other lists (a release that changed them) or
never computed (NULL) is not trusted; the features are computed again from the text, so a stale
value costs time, never a wrong answer. `qbank db upgrade` rewrites stale values (`refresh`).
"""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.services.audit.guessers import TEXTS_CACHED, PhraseCounter, default_cue_lists, split_words

CUE, ENGINE, NEGATIONS = 1, 2, 4
_FEATURE_BITS = 3
_FINGERPRINT_BITS = 20  # with the three feature bits, the stored value fits a 32-bit integer column

Features = tuple[bool, bool, bool]


@cache
def _counter() -> PhraseCounter:
    lists = default_cue_lists()
    return PhraseCounter((lists.cue_words, lists.engine_words, lists.negative_words))


@cache
def fingerprint() -> int:
    """A digest of the shipped word lists, as a 20-bit number."""
    lists = default_cue_lists()
    text = repr((lists.cue_words, lists.engine_words, lists.negative_words)).encode("utf-8")
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "big") & ((1 << _FINGERPRINT_BITS) - 1)


@lru_cache(maxsize=TEXTS_CACHED)
def features(text: str) -> Features:
    """(has a cue word, has an engine word, has an odd number of negative words) of one text."""
    cues, engine, negative = _counter().counts(split_words(text))
    return cues > 0, engine > 0, negative % 2 == 1


def stored(text: str) -> int:
    """The value kept in the `surface` column for `text`."""
    cue, engine, negations = features(text)
    return (CUE * cue + ENGINE * engine + NEGATIONS * negations) | fingerprint() << _FEATURE_BITS


def read(value: int | None, text: str) -> Features:
    """The features of `text`, from its stored value when that was computed with today's lists."""
    if value is not None and value >> _FEATURE_BITS == fingerprint():
        return bool(value & CUE), bool(value & ENGINE), bool(value & NEGATIONS)
    return features(text)


def refresh(session: Session, *, batch: int = 2000) -> int:
    """Rewrite every stored value that is missing or was computed with other word lists; how many."""
    from app.models import Assertion, Variant  # the models' validators import this module

    current = fingerprint()
    changed = 0
    for model in (Assertion, Variant):
        table = model.__table__
        low, high = current << _FEATURE_BITS, (current + 1) << _FEATURE_BITS
        stale = sa.or_(table.c.surface.is_(None), table.c.surface < low, table.c.surface >= high)
        last = 0
        while True:
            rows = session.execute(sa.select(table.c.id, table.c.text).where(table.c.id > last, stale)
                                   .order_by(table.c.id).limit(batch)).all()
            if not rows:
                break
            # A Core UPDATE: bookkeeping is not an edit (no version bump, updated_at kept).
            session.execute(sa.update(table).where(table.c.id == sa.bindparam("row_id"))
                            .values(surface=sa.bindparam("value"), updated_at=table.c.updated_at),
                            [{"row_id": row.id, "value": stored(row.text)} for row in rows])
            changed += len(rows)
            last = rows[-1].id
    session.commit()
    return changed
