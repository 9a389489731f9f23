"""Item statistics from scored attempts: difficulty, omission, discrimination, flags for review."""

from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import Attempt, AttemptAnswer, ExamItem, Variant
from app.services.bank import get_assertion

UPPER_GROUP = 0.27  # Kelley's upper 27%


@dataclass
class ItemStats:
    """How an item (an assertion as itself, or a variant) fared across attempts."""

    attempts: int
    share_right: float | None
    share_wrong: float | None
    share_blank: float | None
    discrimination: float | None  # point-biserial correlation of "right" with the attempt's score
    upper_share_certo: float | None  # share of the top 27% who judged it "C"
    flagged: bool
    min_attempts: int


def _rows(session: Session, condition: sa.ColumnElement[bool]) -> list[tuple[str | None, str, float]]:
    return list(session.execute(
        sa.select(AttemptAnswer.answer, AttemptAnswer.outcome, Attempt.score)
        .join(ExamItem, ExamItem.id == AttemptAnswer.exam_item_id)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(condition)
        .order_by(Attempt.id)
    ).all())


def point_biserial(right: list[int], scores: list[float]) -> float | None:
    """Correlation between a 0/1 item result and the total score; None when undefined."""
    n = len(right)
    if n < 2:
        return None
    mean = sum(scores) / n
    sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / n)
    p = sum(right) / n
    if sd == 0 or p in (0, 1):
        return None
    mean_right = sum(s for r, s in zip(right, scores, strict=True) if r) / sum(right)
    mean_other = sum(s for r, s in zip(right, scores, strict=True) if not r) / (n - sum(right))
    return round((mean_right - mean_other) / sd * math.sqrt(p * (1 - p)), 4)


def item_stats(rows: list[tuple[str | None, str, float]], *, is_false: bool, min_attempts: int) -> ItemStats:
    n = len(rows)
    if n == 0:
        return ItemStats(0, None, None, None, None, None, False, min_attempts)
    right = [1 if outcome == "right" else 0 for _, outcome, _ in rows]
    share = {k: sum(1 for _, o, _ in rows if o == k) / n for k in ("right", "wrong", "blank")}
    enough = n >= min_attempts
    discrimination = point_biserial(right, [score for _, _, score in rows]) if enough else None
    upper_certo, flagged = None, False
    if enough:
        top = sorted(rows, key=lambda r: -r[2])[: max(1, math.ceil(UPPER_GROUP * n))]
        upper_certo = round(sum(1 for answer, _, _ in top if answer == "C") / len(top), 4)
        # Most of the best candidates call this false item true: it may be accidentally true.
        flagged = is_false and upper_certo > 0.5
    return ItemStats(n, round(share["right"], 4), round(share["wrong"], 4), round(share["blank"], 4),
                     discrimination, upper_certo, flagged, min_attempts)


def assertion_stats(session: Session, *, assertion_id: int, min_attempts: int) -> ItemStats:
    """Statistics of an assertion shown as itself (its variants have their own)."""
    assertion = get_assertion(session, assertion_id=assertion_id)
    rows = _rows(session, sa.and_(ExamItem.assertion_id == assertion.id, ExamItem.variant_id.is_(None)))
    return item_stats(rows, is_false=assertion.label == "E", min_attempts=min_attempts)


def variant_stats(session: Session, *, variant_id: int, min_attempts: int) -> ItemStats:
    """Statistics of one false variant across the exams that used it."""
    from app.services.variants import get_variant

    get_variant(session, variant_id=variant_id)
    return item_stats(_rows(session, ExamItem.variant_id == variant_id), is_false=True, min_attempts=min_attempts)


def flagged_variants(session: Session, *, min_attempts: int) -> list[tuple[Variant, ItemStats]]:
    """Variants that most top scorers judged "C": candidates for review, worst first."""
    candidates = session.scalars(
        sa.select(ExamItem.variant_id)
        .join(AttemptAnswer, AttemptAnswer.exam_item_id == ExamItem.id)
        .where(ExamItem.variant_id.is_not(None))
        .group_by(ExamItem.variant_id)
        .having(sa.func.count() >= min_attempts)
        .order_by(ExamItem.variant_id)
    ).all()
    out = []
    for variant_id in candidates:
        stats = item_stats(_rows(session, ExamItem.variant_id == variant_id), is_false=True, min_attempts=min_attempts)
        if stats.flagged:
            out.append((session.get(Variant, variant_id), stats))
    out.sort(key=lambda pair: (-(pair[1].upper_share_certo or 0), pair[0].id))
    return out


def variant_stats_many(session: Session, *, variant_ids: list[int], min_attempts: int) -> dict[int, ItemStats]:
    """Statistics of several variants in one query; only those some attempt answered are present."""
    if not variant_ids:
        return {}
    rows = session.execute(
        sa.select(ExamItem.variant_id, AttemptAnswer.answer, AttemptAnswer.outcome, Attempt.score)
        .join(ExamItem, ExamItem.id == AttemptAnswer.exam_item_id)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(ExamItem.variant_id.in_(variant_ids))
        .order_by(Attempt.id)
    ).all()
    grouped: dict[int, list[tuple[str | None, str, float]]] = {}
    for variant_id, answer, outcome, score in rows:
        grouped.setdefault(variant_id, []).append((answer, outcome, score))
    return {vid: item_stats(found, is_false=True, min_attempts=min_attempts) for vid, found in grouped.items()}
