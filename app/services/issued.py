"""Issued exams as read back: ownership, versions' orders, the candidate's view and the key.

Kept apart from generation so that reading an exam (the API's GET, every export, the CLI's
`exam --id`) does not import what drawing one needs (the variant engine's word lists, the
balancing, the audit).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.errors import Forbidden, Invalid, NotFound
from app.models import Attempt, Exam, ExamItem, Label
from app.services.keys import Viewer


def get_exam(session: Session, *, exam_id: int, viewer: Viewer | None = None) -> Exam:
    """One issued exam, or NotFound (also for a consumer asking for another key's exam)."""
    exam = session.get(Exam, exam_id)
    if exam is None or (viewer is not None and viewer.is_consumer and exam.api_key_id != viewer.key_id):
        raise NotFound(f"exam {exam_id} does not exist")
    return exam


def require_answers_visible(session: Session, *, exam: Exam, viewer: Viewer | None) -> None:
    """A consumer sees labels and explanations only after submitting an attempt for the exam."""
    if viewer is None or not viewer.is_consumer:
        return
    attempted = session.scalar(
        sa.select(sa.func.count()).where(Attempt.exam_id == exam.id, Attempt.api_key_id == viewer.key_id)
    )
    if not attempted:
        raise Forbidden("submit an attempt for this exam before asking for its answers",
                        code="answers_before_attempt")


def version_items(exam: Exam, version: int) -> list[tuple[int, ExamItem]]:
    """(printed number, item) pairs in the order of a version (1 is the canonical order)."""
    if not 1 <= version <= exam.versions:
        raise Invalid(f"version must be between 1 and {exam.versions}",
                      errors=[{"field": "version", "message": "no such version of this exam"}])
    by_number = {item.number: item for item in exam.items}
    order = sorted(by_number) if version == 1 else exam.orders[str(version)]
    return [(printed, by_number[canonical]) for printed, canonical in enumerate(order, start=1)]


def describe_exam(exam: Exam, version: int = 1) -> dict:
    """An exam as delivered to candidates: blocks and numbered items, no labels or hints."""
    items = [
        {"number": printed, "text": item.text, "block": item.block, "subtopic_id": item.subtopic_id,
         "subtopic": item.subtopic_title}
        for printed, item in version_items(exam, version)
    ]
    return {
        "id": exam.id, "title": exam.title, "seed": exam.seed, "version": version, "versions": exam.versions,
        "item_count": exam.item_count, "created_at": exam.created_at,
        "weights": {"right": exam.weight_right, "wrong": exam.weight_wrong, "blank": exam.weight_blank},
        "blocks": exam.blocks, "items": items, "balance": (exam.parameters or {}).get("balance"),
    }


def answer_key(exam: Exam, version: int = 1) -> dict:
    """The gabarito comentado of a version: labels, sources, and why each false item is false."""
    return {
        "exam_id": exam.id, "version": version,
        "items": [
            {"number": printed, "label": item.label, "block": item.block, "assertion_id": item.assertion_id,
             "variant_id": item.variant_id, "operator": item.operator,
             "explanation": item.explanation if item.label == Label.E.value or item.variant_id else None,
             "original": item.original_text}
            for printed, item in version_items(exam, version)
        ],
    }
