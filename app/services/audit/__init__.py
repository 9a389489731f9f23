"""The guesser audit of an exam: how much test-wise strategies that never read the content score on it.

Fixed guessers (guessers.py: cue words, length, the engine's words, negations, near-identical pairs)
run when an exam is issued; their results are stored with the exam's snapshot (under "audit" in
its `parameters` JSON) and shown to authors (GET /api/v1/exams/{id}/audit, `qbank exam --audit`)
and on the commented key. The learned guesser (learned.py) runs on demand.

A topic extends the cue words with `<QBANK_LEXICON_DIR>/<topic code>/cue_words.txt` (one word or
phrase a line, as services/audit/data/cue_words.txt); an exam uses the lists of all its topics.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.errors import Forbidden, NotFound
from app.models import Assertion, Exam, ExamItem, Label, Status, Subtopic, Topic, Variant, VariantKind, VariantStatus
from app.search import fold
from app.services.audit.guessers import AuditItem, GuesserResult, run_fixed, strip_comments
from app.services.keys import Viewer

__all__ = ["AuditItem", "GuesserResult", "audit_rows", "exam_audit", "run_fixed", "topic_cue_words",
           "training_items"]

CUE_WORDS_FILE = "cue_words.txt"


def topic_cue_words(codes: Iterable[str], lexicon_dir: str | Path | None) -> list[str]:
    """The extra cue words of these topics: `<lexicon_dir>/<code>/cue_words.txt`, where present."""
    if not lexicon_dir:
        return []
    extra: list[str] = []
    for code in sorted(set(codes)):
        path = Path(lexicon_dir) / code / CUE_WORDS_FILE
        if path.is_file():
            extra += strip_comments(path.read_text(encoding="utf-8").splitlines())
    return extra


def audit_rows(rows: Sequence[dict], *, topic_codes: Iterable[str] = (),
               lexicon_dir: str | Path | None = None) -> dict:
    """The stored audit of an exam being issued, from its item rows (number, text, label)."""
    items = [AuditItem(r["number"], r["text"], r["label"], r.get("assertion_id")) for r in rows]
    extra = topic_cue_words(topic_codes, lexicon_dir)
    return {"guessers": [g.as_dict() for g in run_fixed(items, extra_cue_words=extra)]}


def _items(exam: Exam) -> list[AuditItem]:
    return [AuditItem(i.number, i.text, i.label, i.assertion_id) for i in exam.items]


def _topic_codes(session: Session, exam: Exam) -> list[str]:
    subtopic_ids = [b["subtopic_id"] for b in exam.blocks if b.get("subtopic_id") is not None]
    if not subtopic_ids:
        return []
    return list(session.scalars(sa.select(Topic.code).join(Subtopic, Subtopic.topic_id == Topic.id)
                                .where(Subtopic.id.in_(subtopic_ids)).distinct()))


def training_items(session: Session, *, exam: Exam) -> list[AuditItem]:
    """What the learned guesser practises on: the bank's items as they can reach an exam (published
    assertions with their labels, and the variants an exam with these parameters may use: false
    variants as E, true rewrites as C), leaving out every assertion of `exam`, its variants, and any
    item whose text is in `exam`."""
    parameters = exam.parameters or {}
    excluded_ids = {i.assertion_id for i in exam.items if i.assertion_id is not None}
    excluded_texts = {fold(t) for i in exam.items for t in (i.text, i.original_text) if t}
    out: list[AuditItem] = []

    def keep(assertion_id: int, text: str) -> bool:
        return assertion_id not in excluded_ids and fold(text) not in excluded_texts

    assertions = session.execute(
        sa.select(Assertion.id, Assertion.text, Assertion.label)
        .where(Assertion.status == Status.PUBLISHED.value).order_by(Assertion.id))
    for assertion_id, text, label in assertions:
        if keep(assertion_id, text):
            out.append(AuditItem(len(out) + 1, text, label, assertion_id))
    usable = Variant.status == VariantStatus.APPROVED.value
    if parameters.get("use_unreviewed"):
        usable = sa.or_(usable, sa.and_(Variant.status == VariantStatus.PENDING.value, Variant.trusted.is_(True)))
    stmt = (sa.select(Variant.assertion_id, Variant.text, Variant.kind)
            .join(Assertion, Assertion.id == Variant.assertion_id)
            .where(usable, Assertion.status == Status.PUBLISHED.value).order_by(Variant.id))
    if parameters.get("operators") is not None:  # as in generation: the filter is about false variants
        stmt = stmt.where(sa.or_(Variant.operator.in_(parameters["operators"]),
                                 Variant.kind == VariantKind.TRUE_REWRITE.value))
    if not parameters.get("cue_balance", True):
        stmt = stmt.where(Variant.kind == VariantKind.FALSE.value)
    for assertion_id, text, kind in session.execute(stmt):
        if keep(assertion_id, text):
            label = Label.C.value if kind == VariantKind.TRUE_REWRITE.value else Label.E.value
            out.append(AuditItem(len(out) + 1, text, label, assertion_id))
    return out


def practice_items(session: Session, *, exam: Exam) -> list[AuditItem]:
    """What a candidate who practised on the site's exams has seen: the items of the other exams
    issued from the bank, with their keys, each text once, leaving out every assertion of `exam`
    and any item whose text is in `exam`."""
    excluded_ids = {i.assertion_id for i in exam.items if i.assertion_id is not None}
    excluded_texts = {fold(t) for i in exam.items for t in (i.text, i.original_text) if t}
    seen: set[str] = set()
    out: list[AuditItem] = []
    rows = session.execute(sa.select(ExamItem.assertion_id, ExamItem.text, ExamItem.label)
                           .where(ExamItem.exam_id != exam.id).order_by(ExamItem.exam_id, ExamItem.number))
    for assertion_id, text, label in rows:
        folded = fold(text)
        if assertion_id in excluded_ids or folded in excluded_texts or folded in seen:
            continue
        seen.add(folded)
        out.append(AuditItem(len(out) + 1, text, label, assertion_id))
    return out


def _enough(items: Sequence[AuditItem]) -> bool:
    from app.services.audit.learned import MIN_PER_LABEL

    false = sum(1 for i in items if i.label == Label.E.value)
    return min(false, len(items) - false) >= MIN_PER_LABEL


def exam_audit(session: Session, *, exam_id: int, viewer: Viewer | None = None, learned: bool = False,
               lexicon_dir: str | Path | None = None, practice: str = "exams") -> dict:
    """The audit of an issued exam for its authors: the stored fixed guessers (computed now for an
    exam issued before audits were stored) and, if asked, the learned guesser, trained on the other
    exams' items (`practice="exams"`, falling back to the bank while too few exams exist) or on
    the whole bank (`practice="bank"`). Consumers: 403."""
    if viewer is not None and viewer.is_consumer:
        raise Forbidden(f"a {viewer.role} key may not read the guesser audit (it needs: admin, author)",
                        code="forbidden_for_role")
    exam = session.get(Exam, exam_id)
    if exam is None:
        raise NotFound(f"exam {exam_id} does not exist")
    items = _items(exam)
    stored = (exam.parameters or {}).get("audit")
    if stored is None:
        stored = audit_rows([{"number": i.number, "text": i.text, "label": i.label} for i in items],
                            topic_codes=_topic_codes(session, exam), lexicon_dir=lexicon_dir)
    guessers = list(stored["guessers"])
    if learned:
        from app.services.audit.learned import learned_guesser

        training = practice_items(session, exam=exam) if practice == "exams" else []
        if not _enough(training):
            practice, training = "bank", training_items(session, exam=exam)
        guessers.append(dataclasses.replace(learned_guesser(items, training), practice=practice).as_dict())
    return {
        "exam_id": exam.id, "item_count": len(items), "false_items": sum(1 for i in items if i.label == Label.E.value),
        "versions": exam.versions, "guessers": guessers,
    }
