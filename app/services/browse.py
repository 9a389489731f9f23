"""What the workbench's bank browser shows: topics with their sizes, a subtopic's assertions with
their variants and statistics, a document's lines beside their errors. No Flask here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.models import Assertion, Attempt, AttemptAnswer, ExamItem, Subtopic, Topic, VariantStatus
from app.services import statistics


@dataclass(frozen=True)
class TopicRow:
    topic: Topic
    subtopics: int
    assertions: int
    variants: int
    approved: int


def topics_overview(session: Session) -> list[TopicRow]:
    """Every topic with its subtopics, assertions and variants (from the pool counts), by code."""
    rows = session.execute(
        sa.select(Topic, sa.func.count(Subtopic.id), sa.func.coalesce(sa.func.sum(Subtopic.pool_true +
                                                                                  Subtopic.pool_false), 0),
                  sa.func.coalesce(sa.func.sum(Subtopic.pool_variants), 0),
                  sa.func.coalesce(sa.func.sum(Subtopic.pool_variants_approved), 0))
        .outerjoin(Subtopic, Subtopic.topic_id == Topic.id).group_by(Topic.id).order_by(Topic.code)).all()
    return [TopicRow(*row) for row in rows]


@dataclass(frozen=True)
class AssertionRow:
    assertion: Assertion
    stats: statistics.ItemStats | None
    variant_stats: dict[int, statistics.ItemStats]
    pending: int


def subtopic_assertions(session: Session, *, subtopic_id: int, min_attempts: int) -> list[AssertionRow]:
    """A subtopic's assertions, their variants and the statistics of those that attempts answered."""
    assertions = session.scalars(sa.select(Assertion).where(Assertion.subtopic_id == subtopic_id)
                                 .order_by(Assertion.number).options(selectinload(Assertion.variants))).all()
    variant_ids = [v.id for a in assertions for v in a.variants]
    by_variant = statistics.variant_stats_many(session, variant_ids=variant_ids, min_attempts=min_attempts)
    own = _assertion_stats_many(session, assertions, min_attempts=min_attempts)
    return [AssertionRow(a, own.get(a.id), {v.id: by_variant[v.id] for v in a.variants if v.id in by_variant},
                         sum(1 for v in a.variants if v.status == VariantStatus.PENDING.value)) for a in assertions]


def _assertion_stats_many(session: Session, assertions: Sequence[Assertion], *,
                          min_attempts: int) -> dict[int, statistics.ItemStats]:
    if not assertions:
        return {}
    rows = session.execute(
        sa.select(ExamItem.assertion_id, AttemptAnswer.answer, AttemptAnswer.outcome, Attempt.score)
        .join(ExamItem, ExamItem.id == AttemptAnswer.exam_item_id)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(ExamItem.assertion_id.in_([a.id for a in assertions]), ExamItem.variant_id.is_(None))
        .order_by(Attempt.id)).all()
    grouped: dict[int, list] = {}
    for assertion_id, answer, outcome, score in rows:
        grouped.setdefault(assertion_id, []).append((answer, outcome, score))
    labels = {a.id: a.label for a in assertions}
    return {aid: statistics.item_stats(found, is_false=labels[aid] == "E", min_attempts=min_attempts)
            for aid, found in grouped.items()}


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    errors: list[str]


def annotated_lines(text: str, errors: Sequence[tuple[int, str]]) -> list[Line]:
    """A document's lines, numbered from 1, each with the errors reported at it (line 0 or past the
    end: on the last line)."""
    lines = text.splitlines() or [""]
    by_line: dict[int, list[str]] = {}
    for number, message in errors:
        by_line.setdefault(min(max(number, 1), len(lines)), []).append(message)
    return [Line(n, line, by_line.get(n, [])) for n, line in enumerate(lines, start=1)]
