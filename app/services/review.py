"""The author's review queue (the workbench's /author/review): filters, cards with the changed spans,
progress, decisions with their undo, and approving one operator's variants of a subtopic at once.
Decisions and edits go through services.variants.update_variant, as the API's PATCH does."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager

from app.errors import Invalid
from app.models import Assertion, Subtopic, Topic, Variant, VariantOrigin, VariantStatus
from app.perturb.names import OPERATOR_NAMES
from app.services import pool, statistics, variant_quality
from app.services.variants import get_variant, update_variant

# Risk bands of the queue's filter: the engine's risk (0 safe .. 1 likely not false) cut in three.
RISK_BANDS = {"baixo": (0.0, 0.34), "medio": (0.34, 0.67), "alto": (0.67, 1.01)}
STATUSES = tuple(s.value for s in VariantStatus)
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilter:
    topic_id: int | None = None
    subtopic_id: int | None = None
    operator: str | None = None
    status: str | None = VariantStatus.PENDING.value  # None: every status
    risk: str | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise Invalid(f"status must be one of {', '.join(STATUSES)}", errors=[{"field": "status",
                                                                                  "message": "unknown status"}])
        if self.risk is not None and self.risk not in RISK_BANDS:
            raise Invalid(f"risk must be one of {', '.join(RISK_BANDS)}", errors=[{"field": "risk",
                                                                                   "message": "unknown band"}])


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


@dataclass(frozen=True)
class Card:
    variant: Variant
    original: list[Segment]
    rewritten: list[Segment]
    stats: statistics.ItemStats | None  # None when no attempt used the variant


@dataclass(frozen=True)
class Queue:
    cards: list[Card]
    matching: int  # variants matching the filter (every page)
    reviewed: int  # of the filter's scope (status aside): approved or rejected
    scope: int  # of the filter's scope (status aside): every variant


def _where(stmt: sa.Select, f: QueueFilter, *, with_status: bool) -> sa.Select:
    if f.topic_id is not None:
        stmt = stmt.where(Subtopic.topic_id == f.topic_id)
    if f.subtopic_id is not None:
        stmt = stmt.where(Assertion.subtopic_id == f.subtopic_id)
    if f.operator is not None:
        stmt = stmt.where(Variant.operator == f.operator)
    if f.risk is not None:
        low, high = RISK_BANDS[f.risk]
        stmt = stmt.where(Variant.risk >= low, Variant.risk < high)
    if with_status and f.status is not None:
        stmt = stmt.where(Variant.status == f.status)
    return stmt


def _joined(stmt: sa.Select, f: QueueFilter) -> sa.Select:
    """The joins a count needs: none without a topic or subtopic filter (an index-only count)."""
    stmt = stmt.select_from(Variant)
    if f.topic_id is not None or f.subtopic_id is not None:
        stmt = stmt.join(Variant.assertion)
    if f.topic_id is not None:
        stmt = stmt.join(Assertion.subtopic)
    return stmt


def segments(text: str, spans: list[tuple[int, int]]) -> list[Segment]:
    """`text` cut into unchanged and changed pieces; `spans` are (start, end), sorted, not overlapping."""
    out, at = [], 0
    for start, end in spans:
        start, end = max(start, at), min(end, len(text))
        if start > at:
            out.append(Segment(text[at:start], False))
        if end > start:
            out.append(Segment(text[start:end], True))
        at = max(at, end)
    if at < len(text):
        out.append(Segment(text[at:], False))
    return out


def highlight(original: str, changes: list[Mapping[str, Any]]) -> tuple[list[Segment], list[Segment]]:
    """The original and the variant cut at the variant's changes: what was replaced, what replaced it.
    A change is {"from", "to", "start", "end"} with offsets in the original (the engine's format)."""
    ordered = sorted((c for c in changes if isinstance(c.get("start"), int) and isinstance(c.get("end"), int)),
                     key=lambda c: c["start"])
    before, after, shift = [], [], 0
    for change in ordered:
        start, end, new = change["start"], change["end"], str(change.get("to", ""))
        before.append((start, end))
        after.append((start + shift, start + shift + len(new)))
        shift += len(new) - (end - start)
    return before, after


def card(variant: Variant, stats: statistics.ItemStats | None = None) -> Card:
    original = variant.assertion.text
    before, after = highlight(original, variant.changes or [])
    return Card(variant, segments(original, before), segments(variant.text, after), stats)


def queue(session: Session, *, f: QueueFilter, page: int = 1, page_size: int = PAGE_SIZE,
          min_attempts: int = 20) -> Queue:
    """One page of the filter's variants as cards, in the order their assertions entered the bank (an
    index order: the page does not sort the whole queue); and the review progress of its scope."""
    stmt = _where(sa.select(Variant).join(Variant.assertion).join(Assertion.subtopic).join(Subtopic.topic), f,
                  with_status=True)
    stmt = stmt.options(contains_eager(Variant.assertion).contains_eager(Assertion.subtopic)
                        .contains_eager(Subtopic.topic)).order_by(
        Variant.assertion_id, Variant.id)  # ix_variants_status_assertion_id; a variant's id follows its rank
    variants = session.scalars(stmt.limit(page_size).offset((max(page, 1) - 1) * page_size)).unique().all()
    counts = session.execute(_where(_joined(sa.select(Variant.status, sa.func.count()), f), f, with_status=False)
                             .group_by(Variant.status)).all()
    by_status = {status: n for status, n in counts}
    stats = statistics.variant_stats_many(session, variant_ids=[v.id for v in variants], min_attempts=min_attempts)
    return Queue(
        cards=[card(v, stats.get(v.id)) for v in variants],
        matching=by_status.get(f.status, 0) if f.status is not None else sum(by_status.values()),
        reviewed=sum(n for status, n in by_status.items() if status != VariantStatus.PENDING.value),
        scope=sum(by_status.values()),
    )


def card_of(session: Session, *, variant_id: int, min_attempts: int = 20) -> Card:
    variant = get_variant(session, variant_id=variant_id)
    stats = statistics.variant_stats_many(session, variant_ids=[variant.id], min_attempts=min_attempts)
    return card(variant, stats.get(variant.id))


def decide(session: Session, *, variant_id: int, status: str, if_match: Collection[str]) -> tuple[Variant, str]:
    """Approve, reject or put back to pending, only if nobody changed the variant since the author read
    it (412 otherwise); (the variant, its status before: what an undo restores)."""
    if status not in STATUSES:
        raise Invalid(f"status must be one of {', '.join(STATUSES)}",
                      errors=[{"field": "status", "message": "unknown status"}])
    before = get_variant(session, variant_id=variant_id).status
    variant = update_variant(session, variant_id=variant_id, changes={"status": status}, if_match=if_match)
    return variant, before


def edit(session: Session, *, variant_id: int, text: str, explanation: str, if_match: Collection[str]) -> Variant:
    """Change a variant's text and explanation in place (the API's PATCH, with If-Match)."""
    text, explanation = text.strip(), explanation.strip()
    errors = [{"field": name, "message": "não pode ficar vazio"} for name, value in
              (("text", text), ("explanation", explanation)) if not value]
    if errors:
        raise Invalid("o texto e a explicação não podem ficar vazios", errors=errors)
    return update_variant(session, variant_id=variant_id, changes={"text": text, "explanation": explanation},
                          if_match=if_match)


def pending_of_operator(session: Session, *, subtopic_id: int, operator: str) -> int:
    """How many pending variants of `operator` the subtopic has (what approve_operator would approve)."""
    return session.scalar(sa.select(sa.func.count()).select_from(Variant).join(Variant.assertion).where(
        Assertion.subtopic_id == subtopic_id, Variant.operator == operator,
        Variant.status == VariantStatus.PENDING.value)) or 0


def approve_operator(session: Session, *, subtopic_id: int, operator: str) -> int:
    """Approve every pending variant of `operator` in a subtopic, in one transaction; how many."""
    variants = session.scalars(sa.select(Variant).join(Variant.assertion).where(
        Assertion.subtopic_id == subtopic_id, Variant.operator == operator,
        Variant.status == VariantStatus.PENDING.value)).all()
    for variant in variants:
        variant.status = VariantStatus.APPROVED.value
    if any(v.origin == VariantOrigin.GENERATED.value for v in variants):
        session.flush()
        variant_quality.refresh_trust(session, operators=[operator])
    pool.refresh(session, assertion_ids={v.assertion_id for v in variants}, subtopic_ids=[subtopic_id])
    session.commit()
    return len(variants)


def filter_options(session: Session, *, topic_id: int | None) -> dict[str, list]:
    """What the queue's filters offer: topics, the chosen topic's subtopics, operators in use."""
    topics = session.execute(sa.select(Topic.id, Topic.code, Topic.title).order_by(Topic.code)).all()
    subtopics = session.execute(sa.select(Subtopic.id, Subtopic.number, Subtopic.title)
                                .where(Subtopic.topic_id == topic_id).order_by(Subtopic.number)).all() \
        if topic_id is not None else []
    operators = sorted(OPERATOR_NAMES)  # every name the engine gives (no scan of the variants)
    return {"topics": topics, "subtopics": subtopics, "operators": operators}
