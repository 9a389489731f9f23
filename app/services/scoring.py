"""Attempts scored by the CESPE rule (+1 right, -1 wrong, 0 blank, or the exam's own weights)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.engine import write_turn
from app.errors import Conflict, Invalid, NotFound
from app.models import Attempt, AttemptAnswer, Exam
from app.services.issued import get_exam, version_items
from app.services.keys import Viewer

VALID_ANSWERS = ("C", "E")


@dataclass
class ItemResult:
    number: int
    answer: str | None
    label: str
    outcome: str
    points: float
    block: int
    explanation: str | None = None
    original: str | None = None


@dataclass
class BlockResult:
    block: int
    subtopic: str
    right: int = 0
    wrong: int = 0
    blank: int = 0
    score: float = 0.0


@dataclass
class AttemptResult:
    """A scored attempt as the API shows it."""

    id: int
    exam_id: int
    version: int
    score: float
    right: int
    wrong: int
    blank: int
    max_score: float
    created_at: Any
    candidate: str | None
    blocks: list[BlockResult] = field(default_factory=list)
    items: list[ItemResult] = field(default_factory=list)


def _validate(exam: Exam, version: int, answers: Mapping[str, Any]) -> dict[int, str | None]:
    errors, parsed = [], {}
    for key, value in answers.items():
        if not isinstance(key, str) or not key.isdigit() or not 1 <= int(key) <= exam.item_count:
            message = f"no item {key} in this exam (1 to {exam.item_count})"
            errors.append({"field": f"answers.{key}", "message": message})
            continue
        if value is not None and value not in VALID_ANSWERS:
            errors.append({"field": f"answers.{key}", "message": "must be \"C\", \"E\" or null"})
            continue
        parsed[int(key)] = value
    if errors:
        first = errors[0]
        raise Invalid(f"{first['field']}: {first['message']}" + (f" (and {len(errors) - 1} more)" if len(errors) > 1
                                                                   else ""), errors=errors)
    return parsed


def submit_attempt(
    session: Session, *, exam_id: int, answers: Mapping[str, Any], version: int = 1,
    idempotency_key: str | None = None, viewer: Viewer | None = None,
) -> tuple[AttemptResult, bool]:
    """Score and store an attempt; with a known Idempotency-Key, return the first one instead.

    Returns (result, created).
    """
    exam = get_exam(session, exam_id=exam_id, viewer=viewer)
    version_items(exam, version)  # the version exists
    parsed = _validate(exam, version, answers)
    if idempotency_key is not None:
        existing = _by_key(session, exam_id, idempotency_key)
        if existing is not None:
            return _replay(session, existing, exam, parsed, version), False
    attempt = add_attempt(session, exam=exam, version=version, answers=parsed, idempotency_key=idempotency_key,
                          viewer=viewer)
    try:
        with write_turn(session.connection()):  # SQLite: attempts from several workers take turns
            session.commit()
    except IntegrityError:
        session.rollback()
        if idempotency_key is None:
            raise
        existing = _by_key(session, exam_id, idempotency_key)
        if existing is None:
            raise
        return _replay(session, existing, exam, parsed, version), False
    return result_of(session, attempt=attempt, exam=exam), True


def add_attempt(session: Session, *, exam: Exam, version: int, answers: Mapping[int, str | None],
                idempotency_key: str | None = None, candidate: str | None = None,
                viewer: Viewer | None = None) -> Attempt:
    """Score answers (printed number -> "C", "E" or None) and add the attempt to the session,
    without committing: the caller commits it with whatever goes with it (a scanned sheet)."""
    attempt = Attempt(exam_id=exam.id, version=version, idempotency_key=idempotency_key, score=0.0,
                      right=0, wrong=0, blank=0, candidate=candidate, api_key_id=viewer.key_id if viewer else None)
    for printed, item in version_items(exam, version):
        answer = answers.get(printed)
        outcome = "blank" if answer is None else ("right" if answer == item.label else "wrong")
        attempt.answers.append(AttemptAnswer(exam_item_id=item.id, answer=answer, outcome=outcome))
        setattr(attempt, outcome, getattr(attempt, outcome) + 1)
    attempt.score = (attempt.right * exam.weight_right + attempt.wrong * exam.weight_wrong
                     + attempt.blank * exam.weight_blank)
    session.add(attempt)
    return attempt


def _by_key(session: Session, exam_id: int, key: str) -> Attempt | None:
    return session.scalar(
        sa.select(Attempt).where(Attempt.exam_id == exam_id, Attempt.idempotency_key == key)
        .options(selectinload(Attempt.answers))
    )


def _replay(session: Session, attempt: Attempt, exam: Exam, parsed: dict[int, str | None],
            version: int) -> AttemptResult:
    result = result_of(session, attempt=attempt, exam=exam)
    given = {item.number: item.answer for item in result.items if item.answer is not None}
    asked = {n: a for n, a in parsed.items() if a is not None}
    if attempt.version != version or given != asked:
        raise Conflict("this Idempotency-Key was used for a different submission to this exam",
                       code="idempotency_key_reused")
    return result


def result_of(session: Session, *, attempt: Attempt, exam: Exam | None = None) -> AttemptResult:
    """The full result of a stored attempt: totals, per-block breakdown, per-item explanations."""
    exam = exam or get_exam(session, exam_id=attempt.exam_id)
    answers = {a.exam_item_id: a for a in attempt.answers}
    blocks = {b["number"]: BlockResult(block=b["number"], subtopic=b["subtopic"]) for b in exam.blocks}
    weights = {"right": exam.weight_right, "wrong": exam.weight_wrong, "blank": exam.weight_blank}
    items = []
    for printed, item in version_items(exam, attempt.version):
        answer = answers.get(item.id)
        outcome = answer.outcome if answer else "blank"
        block = blocks[item.block]
        setattr(block, outcome, getattr(block, outcome) + 1)
        block.score += weights[outcome]
        items.append(ItemResult(
            number=printed, answer=answer.answer if answer else None, label=item.label, outcome=outcome,
            points=weights[outcome], block=item.block, explanation=item.explanation, original=item.original_text,
        ))
    return AttemptResult(
        id=attempt.id, exam_id=exam.id, version=attempt.version, score=attempt.score, right=attempt.right,
        wrong=attempt.wrong, blank=attempt.blank, max_score=exam.item_count * exam.weight_right,
        created_at=attempt.created_at, candidate=attempt.candidate, blocks=list(blocks.values()), items=items,
    )


def get_attempt(session: Session, *, exam_id: int, attempt_id: int, viewer: Viewer | None = None) -> AttemptResult:
    """A stored attempt of an exam, or NotFound (a consumer sees only its own)."""
    exam = get_exam(session, exam_id=exam_id, viewer=viewer)
    attempt = session.get(Attempt, attempt_id)
    if attempt is None or attempt.exam_id != exam_id or \
            (viewer is not None and viewer.is_consumer and attempt.api_key_id != viewer.key_id):
        raise NotFound(f"attempt {attempt_id} of exam {exam_id} does not exist")
    return result_of(session, attempt=attempt, exam=exam)


def attempts_query(*, exam_id: int, viewer: Viewer | None = None) -> sa.Select:
    """Attempts of an exam, oldest first (a consumer's own only)."""
    stmt = sa.select(Attempt).where(Attempt.exam_id == exam_id)
    if viewer is not None and viewer.is_consumer:
        stmt = stmt.where(Attempt.api_key_id == viewer.key_id)
    return stmt.order_by(Attempt.id)
