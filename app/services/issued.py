"""Issued exams as read back: ownership, versions' orders, the candidate's view and the key.

Kept apart from generation so that reading an exam (the API's GET, every export, the CLI's
`exam --id`) does not import what drawing one needs (the variant engine's word lists, the
balancing, the audit).
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.engine import PreparedRead
from app.errors import Forbidden, Invalid, NotFound
from app.models import Assertion, Attempt, Exam, ExamFile, ExamItem, Label, Subtopic, Variant
from app.services.keys import Viewer

# Rendered files larger than this are not kept (a PDF of 500 items with its commented key is ~0.5 MB).
FILE_KEEP_MAX_BYTES = 8 * 1024 * 1024


class _StateRow(NamedTuple):
    api_key_id: int | None
    versions: int
    snapshot_token: str | None


@dataclass(frozen=True)
class ExamState:
    """What serving an issued exam from what was rendered before needs: one row, no items."""

    exam_id: int
    versions: int
    snapshot_token: str | None


# Built once: every GET of an exam, its key and its exports starts here, and building the ORM
# statement on each call cost more than running it.
_EXAM_STATE = sa.select(Exam.__table__.c.api_key_id, Exam.__table__.c.versions, Exam.__table__.c.snapshot_token) \
    .where(Exam.__table__.c.id == sa.bindparam("exam_id"))
_EXAM_STATE_READ = PreparedRead(_EXAM_STATE)


def exam_state(source: Session | sa.Engine, *, exam_id: int, viewer: Viewer | None = None) -> ExamState:
    """The exam's versions and snapshot token, after the same ownership check as get_exam.

    Given the engine rather than a session, the row is read on a pooled connection of its own,
    outside any ORM transaction and past Core's execution layer (PreparedRead): a GET served from
    kept bytes then opens no session at all. Through the session, this read and the session's
    teardown were about a third of such a request's time."""
    if isinstance(source, sa.Engine):
        found = _EXAM_STATE_READ.first(source, {"exam_id": exam_id})
        row = None if found is None else _StateRow(*found)
    else:
        row = source.connection().execute(_EXAM_STATE, {"exam_id": exam_id}).first()
    if row is None or (viewer is not None and viewer.is_consumer and row.api_key_id != viewer.key_id):
        raise NotFound(f"exam {exam_id} does not exist")
    return ExamState(exam_id, row.versions, row.snapshot_token)


def check_version(versions: int, version: int) -> None:
    if not 1 <= version <= versions:
        raise Invalid(f"version must be between 1 and {versions}",
                      errors=[{"field": "version", "message": "no such version of this exam"}])


def retoken_exams(session: Session, *, subtopic_ids: Collection[int] = (), assertion_ids: Collection[int] = (),
                  variant_ids: Collection[int] = ()) -> None:
    """Give a new snapshot token to the exams with items linked to these bank rows, or to the
    assertions of these subtopics, or to their variants: the deletion about to happen nulls those
    links, so what was rendered from the exams before no longer says what they say. Call it in the
    deletion's transaction, before the delete."""
    assertions = sa.select(Assertion.id).where(sa.or_(Assertion.id.in_(list(assertion_ids)),
                                                      Assertion.subtopic_id.in_(list(subtopic_ids))))
    variants = sa.select(Variant.id).where(sa.or_(Variant.id.in_(list(variant_ids)),
                                                  Variant.assertion_id.in_(assertions)))
    touched = sa.select(ExamItem.exam_id).where(sa.or_(
        ExamItem.subtopic_id.in_(list(subtopic_ids)), ExamItem.assertion_id.in_(assertions),
        ExamItem.variant_id.in_(variants)))
    session.execute(sa.update(Exam).where(Exam.id.in_(touched)).values(snapshot_token=secrets.token_hex(16))
                    .execution_options(synchronize_session=False))


def topic_subtopic_ids(session: Session, topic_id: int) -> list[int]:
    return list(session.scalars(sa.select(Subtopic.id).where(Subtopic.topic_id == topic_id)))


def kept_file(session: Session, *, state: ExamState, version: int, fmt: str, key: str) -> bytes | None:
    """A file rendered before from the exam as it is now, or None."""
    if state.snapshot_token is None:
        return None
    return session.scalar(sa.select(ExamFile.content).where(
        ExamFile.exam_id == state.exam_id, ExamFile.version == version, ExamFile.format == fmt,
        ExamFile.key_mode == key, ExamFile.snapshot_token == state.snapshot_token))


def keep_file(session: Session, *, state: ExamState, version: int, fmt: str, key: str, content: bytes) -> None:
    """Keep a rendered file for the next request (replacing one of an older token); a concurrent
    request keeping the same file first is no error. Commits: nothing else is pending on a read."""
    if state.snapshot_token is None or len(content) > FILE_KEEP_MAX_BYTES:
        return
    where = (ExamFile.exam_id == state.exam_id, ExamFile.version == version, ExamFile.format == fmt,
             ExamFile.key_mode == key)
    try:
        session.execute(sa.delete(ExamFile).where(*where))
        session.add(ExamFile(exam_id=state.exam_id, version=version, format=fmt, key_mode=key,
                             snapshot_token=state.snapshot_token, content=content))
        session.commit()
    except IntegrityError:
        session.rollback()


def get_exam(session: Session, *, exam_id: int, viewer: Viewer | None = None) -> Exam:
    """One issued exam, or NotFound (also for a consumer asking for another key's exam)."""
    exam = session.get(Exam, exam_id)
    if exam is None or (viewer is not None and viewer.is_consumer and exam.api_key_id != viewer.key_id):
        raise NotFound(f"exam {exam_id} does not exist")
    return exam


def require_answers_visible(session: Session, *, exam: Exam | ExamState, viewer: Viewer | None) -> None:
    """A consumer sees labels and explanations only after submitting an attempt for the exam."""
    if viewer is None or not viewer.is_consumer:
        return
    exam_id = exam.exam_id if isinstance(exam, ExamState) else exam.id
    attempted = session.scalar(
        sa.select(sa.func.count()).where(Attempt.exam_id == exam_id, Attempt.api_key_id == viewer.key_id)
    )
    if not attempted:
        raise Forbidden("submit an attempt for this exam before asking for its answers",
                        code="answers_before_attempt")


class ItemView(NamedTuple):
    """What the candidate's view shows of an item: what an exam just issued passes to describe_exam
    instead of reading its items back (the same attributes as an ExamItem's)."""

    number: int
    text: str
    block: int
    subtopic_id: int | None
    subtopic_title: str


def version_items(exam: Exam, version: int, items: Sequence[ExamItem | ItemView] | None = None,
                  ) -> list[tuple[int, ExamItem | ItemView]]:
    """(printed number, item) pairs in the order of a version (1 is the canonical order), of the
    exam's items or of `items`, the same items as the exam was just issued with."""
    check_version(exam.versions, version)
    by_number = {item.number: item for item in (exam.items if items is None else items)}
    order = sorted(by_number) if version == 1 else exam.orders[str(version)]
    return [(printed, by_number[canonical]) for printed, canonical in enumerate(order, start=1)]


def describe_exam(exam: Exam, version: int = 1, items: Sequence[ItemView] | None = None) -> dict:
    """An exam as delivered to candidates: blocks and numbered items, no labels or hints. `items`:
    those the exam was just issued with (generation.issue_exam), not read back from the database."""
    shown = [
        {"number": printed, "text": item.text, "block": item.block, "subtopic_id": item.subtopic_id,
         "subtopic": item.subtopic_title}
        for printed, item in version_items(exam, version, items)
    ]
    return {
        "id": exam.id, "title": exam.title, "seed": exam.seed, "version": version, "versions": exam.versions,
        "item_count": exam.item_count, "created_at": exam.created_at,
        "weights": {"right": exam.weight_right, "wrong": exam.weight_wrong, "blank": exam.weight_blank},
        "blocks": exam.blocks, "items": shown, "balance": (exam.parameters or {}).get("balance"),
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
