"""How far each operator's variants can be trusted in this bank: the corpus's measured precision,
moved by the bank's own review decisions, and what that means for exams built unreviewed."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import Assertion, Subtopic, Topic, Variant, VariantOrigin, VariantStatus
from app.perturb.precision import PRIOR_WEIGHT, TRUSTED_PRECISION, adjusted, corpus_precision, is_trusted
from app.services import pool


@dataclass(frozen=True)
class OperatorQuality:
    """One operator's figures, bank-wide or for one topic."""

    operator: str
    corpus_precision: float | None
    approved: int
    rejected: int
    edited: int
    pending: int
    precision: float
    trusted: bool

    @property
    def reviewed(self) -> int:
        return self.approved + self.rejected

    @property
    def acceptance(self) -> float | None:
        """Approved without an edit, over reviewed; None before any review."""
        return (self.approved - self.edited) / self.reviewed if self.reviewed else None


def _counts(session: Session, topic_id: int | None = None,
            operators: Collection[str] | None = None) -> dict[str, dict[str, int]]:
    """operator -> {approved, rejected, edited, pending} over generated variants (of `operators` only,
    when given: a range of ix_variants_review_counts each, not a scan of the bank)."""
    accepted_edit = sa.and_(Variant.status == VariantStatus.APPROVED.value, Variant.edited.is_(True))
    stmt = (
        sa.select(
            Variant.operator,
            sa.func.count().filter(Variant.status == VariantStatus.APPROVED.value),
            sa.func.count().filter(Variant.status == VariantStatus.REJECTED.value),
            sa.func.count().filter(accepted_edit),
            sa.func.count().filter(Variant.status == VariantStatus.PENDING.value),
        )
        .where(Variant.origin == VariantOrigin.GENERATED.value)
        .group_by(Variant.operator)
    )
    if topic_id is not None:
        stmt = stmt.join(Variant.assertion).join(Assertion.subtopic).where(Subtopic.topic_id == topic_id)
    if operators is not None:
        stmt = stmt.where(Variant.operator.in_(sorted(operators)))
    return {
        operator: {"approved": a, "rejected": r, "edited": e, "pending": p}
        for operator, a, r, e, p in session.execute(stmt)
    }


def _quality(operator: str, counts: dict[str, int]) -> OperatorQuality:
    prior = corpus_precision().get(operator)
    reviewed = counts["approved"] + counts["rejected"]
    accepted = counts["approved"] - counts["edited"]
    precision = adjusted(prior or 0.0, accepted=accepted, reviewed=reviewed)
    return OperatorQuality(operator, prior, counts["approved"], counts["rejected"], counts["edited"],
                           counts["pending"], round(precision, 4), is_trusted(precision))


def operator_quality(session: Session, *, topic_id: int | None = None) -> list[OperatorQuality]:
    """Every operator the corpus measured or the bank has variants of, with its adjusted precision."""
    counts = _counts(session, topic_id)
    empty = {"approved": 0, "rejected": 0, "edited": 0, "pending": 0}
    operators = sorted(set(corpus_precision()) | set(counts))
    return [_quality(op, counts.get(op, empty)) for op in operators]


def bank_precision(session: Session) -> dict[str, float]:
    """operator -> precision adjusted by this bank's reviews: what the engine ranks by here."""
    return {q.operator: q.precision for q in operator_quality(session)}


def refresh_trust(session: Session, *, operators: Iterable[str]) -> None:
    """Re-mark the pending variants of these operators after a review moved their precision, and
    refresh the pools of the assertions whose state changed. Does not commit."""
    operators = sorted(set(operators))
    counts = _counts(session, operators=operators)
    for operator in operators:
        quality = _quality(operator, counts.get(operator, {"approved": 0, "rejected": 0, "edited": 0, "pending": 0}))
        changed = session.execute(
            sa.select(Variant.assertion_id, Assertion.subtopic_id).join(Variant.assertion).where(
                Variant.operator == operator, Variant.origin == VariantOrigin.GENERATED.value,
                Variant.status == VariantStatus.PENDING.value, Variant.trusted.is_not(quality.trusted))
        ).all()
        if not changed:
            continue
        session.execute(
            sa.update(Variant).where(
                Variant.operator == operator, Variant.origin == VariantOrigin.GENERATED.value,
                Variant.status == VariantStatus.PENDING.value, Variant.trusted.is_not(quality.trusted))
            .values(trusted=quality.trusted),
            execution_options={"synchronize_session": "fetch"},
        )
        pool.refresh(session, assertion_ids={a for a, _ in changed}, subtopic_ids={s for _, s in changed})


def quality_report(session: Session, *, topic_id: int | None = None) -> dict:
    """Per operator, bank-wide and per topic: corpus precision, review counts, adjusted precision."""
    topics = session.execute(sa.select(Topic.id, Topic.code).order_by(Topic.code)).all()
    if topic_id is not None:
        topics = [(i, c) for i, c in topics if i == topic_id]
    return {
        "threshold": TRUSTED_PRECISION,
        "prior_weight": PRIOR_WEIGHT,
        "operators": operator_quality(session),
        "topics": [{"topic_id": i, "code": c, "operators": operator_quality(session, topic_id=i)} for i, c in topics],
    }
