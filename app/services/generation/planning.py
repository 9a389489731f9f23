"""Planning an exam: the subtopics asked for, what each can give, and how many (false) items each gets."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.errors import Invalid
from app.models import (
    Assertion,
    Label,
    SessionDraw,
    Status,
    Subtopic,
    Topic,
)
from app.services.generation.pools import CREATED_AT
from app.services.generation.request import ExamRequest, Pool

# What planning and drawing read of a subtopic: plain column tuples, not ORM rows (a hundred
# subtopics an exam; the identity map and attribute instrumentation cost more than the query).
_SUBTOPIC_COLUMNS = (Subtopic.id, Subtopic.topic_id, Subtopic.number, Subtopic.title, Subtopic.pool_true,
                     Subtopic.pool_false, Subtopic.pool_variants, Subtopic.pool_variants_approved,
                     Subtopic.pool_stamp, CREATED_AT)


def chosen_subtopics(session: Session, request: ExamRequest) -> list[tuple[Subtopic, str, str]]:
    """(subtopic, topic code, topic title) of the exam's selection, in topic-code and number order;
    each subtopic as a row of its columns (the attributes of a Subtopic that planning reads)."""
    stmt = (sa.select(*_SUBTOPIC_COLUMNS, Topic.code, Topic.title.label("topic_title"))
            .join(Topic, Subtopic.topic_id == Topic.id))
    if request.topic_ids:
        found = set(session.scalars(sa.select(Topic.id).where(Topic.id.in_(request.topic_ids))))
        missing = sorted(set(request.topic_ids) - found)
        if missing:
            raise Invalid(f"topic_ids: no topic {missing[0]}",
                          errors=[{"field": "topic_ids", "message": f"unknown topics {missing}"}])
    if request.subtopic_ids:
        found = set(session.scalars(sa.select(Subtopic.id).where(Subtopic.id.in_(request.subtopic_ids))))
        missing = sorted(set(request.subtopic_ids) - found)
        if missing:
            raise Invalid(f"subtopic_ids: no subtopic {missing[0]}",
                          errors=[{"field": "subtopic_ids", "message": f"unknown subtopics {missing}"}])
    if request.topic_ids and request.subtopic_ids:
        stmt = stmt.where(sa.or_(Subtopic.topic_id.in_(request.topic_ids), Subtopic.id.in_(request.subtopic_ids)))
    elif request.topic_ids:
        stmt = stmt.where(Subtopic.topic_id.in_(request.topic_ids))
    elif request.subtopic_ids:
        stmt = stmt.where(Subtopic.id.in_(request.subtopic_ids))
    rows = session.execute(stmt).all()
    # Topic codes sort as version numbers: 9.3 before 10.1 (each code split once, not once a row).
    code_keys = {code: _code_key(code) for code in {row.code for row in rows}}
    return sorted(((row, row.code, row.topic_title) for row in rows), key=lambda r: (code_keys[r[1]], r[0].number))


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


def served_counts(session: Session, token: str | None, variant_floor: int) -> dict[int, Counter]:
    if token is None:
        return {}
    rows = session.execute(
        sa.select(Assertion.subtopic_id, Assertion.label, Assertion.variant_review, sa.func.count())
        .join(SessionDraw, SessionDraw.assertion_id == Assertion.id)
        .where(SessionDraw.session_id == token, Assertion.status == Status.PUBLISHED.value)
        .group_by(Assertion.subtopic_id, Assertion.label, Assertion.variant_review)
    ).all()
    served: dict[int, Counter] = {}
    for subtopic_id, label, review, count in rows:
        counter = served.setdefault(subtopic_id, Counter())
        if label == Label.E.value:
            counter["false"] += count
        else:
            counter["true"] += count
            if review >= variant_floor:
                counter["variants"] += count
    return served


def allocate(pools: list[Pool], items: int, distribution: str, rng: random.Random) -> None:
    """Items per subtopic: proportional to what each can give, or equal; never above it."""
    live = [p for p in pools if p.total > 0]
    for p in pools:
        p.items = 0
    remaining = items
    while remaining > 0:
        open_pools = [p for p in live if p.items < p.total]
        weights = [(p.total - p.items) if distribution == "proportional" else 1 for p in open_pools]
        shares = _largest_remainder(remaining, weights, rng)
        for pool, share in zip(open_pools, shares, strict=True):
            take = min(share, pool.total - pool.items)
            pool.items += take
            remaining -= take


def _largest_remainder(total: int, weights: Sequence[float], rng: random.Random) -> list[int]:
    """Split `total` in proportion to `weights` (Hamilton's method, ties broken by the rng)."""
    weight_sum = sum(weights)
    if weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    shares = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), rng.random()))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def allocate_false(pools: list[Pool], false_items: int, rng: random.Random) -> bool:
    """False items per subtopic within each one's bounds; False when the bounds cannot add up."""
    used = [p for p in pools if p.items > 0]
    bounds = [p.false_bounds(p.items) for p in used]
    if not sum(lo for lo, _ in bounds) <= false_items <= sum(hi for _, hi in bounds):
        return False
    shares = _largest_remainder(false_items, [p.items for p in used], rng)
    for pool, share, (lo, hi) in zip(used, shares, bounds, strict=True):
        pool.false_items = min(max(share, lo), hi)
    gap = false_items - sum(p.false_items for p in used)
    order = list(range(len(used)))
    rng.shuffle(order)
    while gap != 0:
        step = 1 if gap > 0 else -1
        for i in order:
            lo, hi = bounds[i]
            if gap != 0 and lo <= used[i].false_items + step <= hi:
                used[i].false_items += step
                gap -= step
    return True


def rebalance_for_false(pools: list[Pool], false_items: int) -> None:
    """Move items toward subtopics that can hold false ones (or true ones) until bounds allow."""
    for _ in range(sum(p.items for p in pools) + 1):
        his = sum(p.false_bounds(p.items)[1] for p in pools if p.items)
        los = sum(p.false_bounds(p.items)[0] for p in pools if p.items)
        if los <= false_items <= his:
            return
        if his < false_items:
            donor = next((p for p in pools if p.items and p.false_bounds(p.items)[1] < p.items), None)
            taker = next((p for p in pools if p.items < p.total and p.false_bounds(p.items + 1)[1] >
                          p.false_bounds(p.items)[1]), None)
        else:
            donor = next((p for p in pools if p.items and p.false_bounds(p.items)[0] > 0), None)
            taker = next((p for p in pools if p.items < p.total and p.false_bounds(p.items + 1)[0] ==
                          p.false_bounds(p.items)[0]), None)
        if donor is None or taker is None or donor is taker:
            return
        donor.items -= 1
        taker.items += 1
