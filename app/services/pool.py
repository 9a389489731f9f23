"""The exam pool's bookkeeping: per-subtopic counts and per-assertion variant review state.

Exams plan from these numbers (one row per subtopic) instead of counting a large bank on every
request. Every service that changes an assertion's status, label or variants calls `refresh`
for what it touched, inside its own transaction; the numbers are recomputed, never incremented.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import Assertion, Label, Status, Subtopic, Variant, VariantKind, VariantStatus

_CHUNK = 500

# Assertion.variant_review: the best false variant an assertion has. An exam that allows unreviewed
# variants draws from REVIEW_TRUSTED up; one that does not, from REVIEW_APPROVED.
REVIEW_NONE, REVIEW_UNTRUSTED, REVIEW_TRUSTED, REVIEW_APPROVED = 0, 1, 2, 3


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), _CHUNK):
        yield ordered[i:i + _CHUNK]


def _variant_exists(status: VariantStatus, *conditions: sa.ColumnElement[bool]) -> sa.Exists:
    return sa.exists().where(Variant.assertion_id == Assertion.id, Variant.status == status.value,
                             Variant.kind == VariantKind.FALSE.value, *conditions)


def _pool_count(*conditions: sa.ColumnElement[bool]) -> sa.ScalarSelect:
    return (
        sa.select(sa.func.count())
        .select_from(Assertion)
        .where(Assertion.subtopic_id == Subtopic.id, Assertion.status == Status.PUBLISHED.value, *conditions)
        .scalar_subquery()
    )


def _lock_in_id_order(session: Session, model: type, ids: list[int]) -> None:
    """Row locks in id order before a multi-row UPDATE. PostgreSQL locks rows in scan order, which
    concurrent updates of the same rows change: two refreshes of overlapping rows (two imports of
    one document) could each hold a row the other waits for, a deadlock. In id order they queue.
    SQLite renders no FOR UPDATE and needs none: its database lock serializes writers."""
    session.execute(sa.select(model.id).where(model.id.in_(ids)).order_by(model.id).with_for_update())


def refresh(session: Session, *, subtopic_ids: Iterable[int] = (), assertion_ids: Iterable[int] = ()) -> None:
    """Recompute the variant review state of `assertion_ids`, then the counts of `subtopic_ids`."""
    session.flush()
    review = sa.case(
        (_variant_exists(VariantStatus.APPROVED), REVIEW_APPROVED),
        (_variant_exists(VariantStatus.PENDING, Variant.trusted.is_(True)), REVIEW_TRUSTED),
        (_variant_exists(VariantStatus.PENDING), REVIEW_UNTRUSTED),
        else_=REVIEW_NONE,
    )
    for chunk in _chunks(assertion_ids):
        _lock_in_id_order(session, Assertion, chunk)
        session.execute(
            # updated_at is kept: bookkeeping is not an edit (and an unchanged import stays unchanged).
            sa.update(Assertion).where(Assertion.id.in_(chunk))
            .values(variant_review=review, updated_at=Assertion.updated_at),
            execution_options={"synchronize_session": False},
        )
    is_true = Assertion.label == Label.C.value
    for chunk in _chunks(subtopic_ids):
        _lock_in_id_order(session, Subtopic, chunk)
        session.execute(
            sa.update(Subtopic).where(Subtopic.id.in_(chunk)).values(
                pool_true=_pool_count(is_true),
                pool_false=_pool_count(Assertion.label == Label.E.value),
                pool_variants=_pool_count(is_true, Assertion.variant_review >= REVIEW_TRUSTED),
                pool_variants_approved=_pool_count(is_true, Assertion.variant_review == REVIEW_APPROVED),
                # Every caller has written something of these pools (a text, a label, a status, a
                # review): processes keeping them in memory read them again under this new stamp. A
                # random one, never a count: a rolled-back transaction's stamp is not given again.
                pool_stamp=secrets.randbits(31),
                updated_at=Subtopic.updated_at,
            ),
            execution_options={"synchronize_session": False},
        )


BULK_ROWS = 1000  # after loading at least this many rows, refresh the planner's statistics


def analyze(session: Session) -> None:
    """Refresh the query planner's statistics of the pool tables after a bulk load.

    Measured on PostgreSQL: before autovacuum gets to a freshly loaded 100,000-item bank, exam
    windows were planned without statistics and took 1.9 s instead of 32 ms (bench/run.py).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("ANALYZE assertions, variants, subtopics"))
