"""False variants in the bank: generation with the engine, the author's review, hand-written ones."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app import perturb
from app.errors import Conflict, Invalid, NotFound
from app.models import (
    Assertion,
    Label,
    Subtopic,
    Topic,
    Variant,
    VariantKind,
    VariantOrigin,
    VariantStatus,
    text_digest,
)
from app.perturb.precision import corpus_precision, is_trusted
from app.perturb.rewrites import true_rewrites
from app.search import fold
from app.services import issued, pool, variant_quality
from app.services.bank import check_if_match, get_assertion, get_topic
from app.services.races import retry_lost_races

# The 409 of a generation that kept losing races to concurrent generations of the same variants.
CONCURRENT_GENERATION = "outras gerações gravavam as mesmas variantes ao mesmo tempo; tente de novo"


def lexicon_for(topic: Topic, *, lexicon_dir: str | None) -> perturb.Lexicon:
    """The default lexicon, extended by `<lexicon_dir>/<topic code>/` when that folder exists."""
    if lexicon_dir:
        folder = Path(lexicon_dir) / topic.code
        if folder.is_dir():
            return perturb.default_lexicon().extend(folder)
    return perturb.default_lexicon()


def _topic_texts(session: Session, topic_id: int) -> tuple[str, ...]:
    return tuple(session.scalars(
        sa.select(Assertion.text).join(Assertion.subtopic).where(Subtopic.topic_id == topic_id)
        .order_by(Subtopic.number, Assertion.number)
    ))


def _bank_matches(session: Session, texts: Sequence[str]) -> set[str]:
    """Folded forms among `texts` that equal an assertion of the bank (any topic)."""
    folded = sorted({fold(t) for t in texts})
    found: set[str] = set()
    for i in range(0, len(folded), 500):
        chunk = folded[i:i + 500]
        found.update(session.scalars(sa.select(Assertion.search_text).where(Assertion.search_text.in_(chunk))))
    return found


def _store(session: Session, assertion: Assertion, ranked: Sequence[perturb.Variant], top: int) -> list[Variant]:
    """Upsert the first `top` variants that equal no assertion of the bank; reviews are kept."""
    clashes = _bank_matches(session, [v.text for v in ranked])
    kept = [v for v in ranked if fold(v.text) not in clashes][:top]
    existing = {v.text_digest: v for v in assertion.variants}
    stored = []
    for rank, generated in enumerate(kept, start=1):
        row = existing.get(text_digest(generated.text))
        if row is None:
            row = Variant(
                text=generated.text, operator=generated.operator, category=generated.category,
                changes=[dict(c) for c in generated.changes], explanation=generated.explanation,
                risk=generated.risk, rank=rank, status=VariantStatus.PENDING.value,
                origin=VariantOrigin.GENERATED.value, trusted=generated.trusted,
            )
            assertion.variants.append(row)
        elif row.origin == VariantOrigin.GENERATED.value:
            if row.rank != rank:
                row.rank = rank
            if row.status == VariantStatus.PENDING.value and row.trusted != generated.trusted:
                row.trusted = generated.trusted  # measured again: precision moved since it was stored
        stored.append(row)
    return stored


def _store_rewrites(session: Session, assertion: Assertion, lexicon: perturb.Lexicon) -> int:
    """Add the true rewrites of an assertion not stored yet (kind true_rewrite, pending review);
    how many were added. Their trust comes from the measured precision of their family."""
    existing = {v.text_digest for v in assertion.variants}
    rewrites = [r for r in true_rewrites(assertion.text, lexicon=lexicon) if text_digest(r.text) not in existing]
    clashes = _bank_matches(session, [r.text for r in rewrites])
    precision = corpus_precision()
    added = 0
    for rewrite in rewrites:
        if fold(rewrite.text) in clashes:
            continue
        assertion.variants.append(Variant(
            text=rewrite.text, operator=rewrite.operator, category="reformulação", kind=VariantKind.TRUE_REWRITE.value,
            changes=[dict(c) for c in rewrite.changes], explanation=rewrite.explanation, risk=0.0, rank=None,
            status=VariantStatus.PENDING.value, origin=VariantOrigin.GENERATED.value,
            trusted=is_trusted(precision.get(rewrite.operator, 0.0)),
        ))
        added += 1
    return added


def _require_true(assertion: Assertion) -> None:
    if assertion.label != Label.C.value:
        raise Invalid(
            f"assertion {assertion.id} is labelled E: false variants are made from true (C) assertions",
            errors=[{"field": "label", "message": "must be C to have false variants"}],
        )


def generate_for_assertion(
    session: Session, *, assertion_id: int, seed: int, top: int, lexicon_dir: str | None = None
) -> tuple[list[Variant], int]:
    """Generate and store up to `top` ranked false variants of one true assertion; (variants, new ones).
    Same seed, same variants: a request that loses the race to store them runs again and finds them."""
    return retry_lost_races(session, lambda: _generate_for_assertion(session, assertion_id, seed, top, lexicon_dir),
                            conflict=CONCURRENT_GENERATION)


def _generate_for_assertion(session: Session, assertion_id: int, seed: int, top: int,
                            lexicon_dir: str | None) -> tuple[list[Variant], int]:
    assertion = get_assertion(session, assertion_id=assertion_id)
    _require_true(assertion)
    topic = assertion.subtopic.topic
    context = perturb.Context(topic_sentences=_topic_texts(session, topic.id))
    lexicon = lexicon_for(topic, lexicon_dir=lexicon_dir)
    ranked = perturb.generate(
        assertion.text, rng=random.Random(seed), lexicon=lexicon,
        context=context, precision=variant_quality.bank_precision(session),
    )
    before = len(assertion.variants)
    stored = _store(session, assertion, ranked, top)
    _store_rewrites(session, assertion, lexicon)
    created = len(assertion.variants) - before
    pool.refresh(session, assertion_ids=[assertion.id], subtopic_ids=[assertion.subtopic_id])
    session.commit()
    return stored, created


@dataclass
class BulkResult:
    """What bulk generation did for a topic."""

    topic_id: int
    seed: int
    assertions: int = 0
    with_variants: int = 0
    variants: int = 0
    created: int = 0
    operators_first: dict[str, int] = field(default_factory=dict)
    rewrites: int = 0  # true rewrites added (kind true_rewrite)


def true_assertions(session: Session, topic_ids: Collection[int]) -> int:
    """How many true assertions the topics hold: the units of work of bulk generation."""
    return session.scalar(sa.select(sa.func.count(Assertion.id)).join(Assertion.subtopic)
                          .where(Subtopic.topic_id.in_(topic_ids), Assertion.label == Label.C.value)) or 0


def generate_for_topic(
    session: Session, *, topic_id: int, seed: int, top: int, lexicon_dir: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Generate variants for every true assertion of a topic, operators spread over first places;
    `progress(n)` is told of each assertion the engine has done; run again when a concurrent
    generation stored the same variants first."""
    return retry_lost_races(session, lambda: _generate_for_topic(session, topic_id, seed, top, lexicon_dir, progress),
                            conflict=CONCURRENT_GENERATION)


def _generate_for_topic(session: Session, topic_id: int, seed: int, top: int, lexicon_dir: str | None,
                        progress: Callable[[int], None] | None) -> BulkResult:
    topic = get_topic(session, topic_id=topic_id)
    assertions = list(session.scalars(
        sa.select(Assertion).join(Assertion.subtopic)
        .where(Subtopic.topic_id == topic.id, Assertion.label == Label.C.value)
        .order_by(Subtopic.number, Assertion.number)
        .options(selectinload(Assertion.variants))
    ))
    texts = [a.text for a in assertions]
    context = perturb.Context(topic_sentences=_topic_texts(session, topic.id))
    lexicon = lexicon_for(topic, lexicon_dir=lexicon_dir)
    ranked_lists = perturb.generate_many(
        texts, rng=random.Random(seed), lexicon=lexicon,
        contexts=[context] * len(texts), precision=variant_quality.bank_precision(session), progress=progress,
    )
    result = BulkResult(topic_id=topic.id, seed=seed, assertions=len(assertions))
    first: Counter[str] = Counter()
    before = sum(len(a.variants) for a in assertions)
    for assertion, ranked in zip(assertions, ranked_lists, strict=True):
        stored = _store(session, assertion, ranked, top)
        result.rewrites += _store_rewrites(session, assertion, lexicon)
        if stored:
            result.with_variants += 1
            result.variants += len(stored)
            first[stored[0].operator] += 1
    pool.refresh(session, assertion_ids=[a.id for a in assertions], subtopic_ids={a.subtopic_id for a in assertions})
    result.created = sum(len(a.variants) for a in assertions) - before - result.rewrites
    result.operators_first = dict(sorted(first.items()))
    session.commit()
    return result


def variants_query(
    *,
    assertion_id: int | None = None,
    topic_id: int | None = None,
    status: str | None = None,
    operator: str | None = None,
    kind: str | None = None,
) -> sa.Select:
    """Variants matching the filters, by assertion then rank."""
    stmt = sa.select(Variant).join(Variant.assertion).join(Assertion.subtopic)
    if assertion_id is not None:
        stmt = stmt.where(Variant.assertion_id == assertion_id)
    if topic_id is not None:
        stmt = stmt.where(Subtopic.topic_id == topic_id)
    if status is not None:
        stmt = stmt.where(Variant.status == status)
    if operator is not None:
        stmt = stmt.where(Variant.operator == operator)
    if kind is not None:
        stmt = stmt.where(Variant.kind == kind)
    return stmt.order_by(Subtopic.topic_id, Subtopic.number, Assertion.number, Variant.rank.is_(None),
                         Variant.rank, Variant.id)


def get_variant(session: Session, *, variant_id: int) -> Variant:
    """One variant, or NotFound."""
    variant = session.get(Variant, variant_id)
    if variant is None:
        raise NotFound(f"variant {variant_id} does not exist")
    return variant


def _check_text(session: Session, assertion: Assertion, text: str, *, except_id: int | None = None) -> None:
    # A text the bank already holds conflicts with what is there (409), like a variant's duplicate below:
    # whether it does depends on the bank's contents, not on the request alone.
    if fold(text) == assertion.search_text:
        raise Conflict("a false variant must differ from its assertion", code="text_in_bank",
                       errors=[{"field": "text", "message": "equals the assertion's text"}])
    if _bank_matches(session, [text]):
        raise Conflict("the text equals an assertion of the bank", code="text_in_bank",
                       errors=[{"field": "text", "message": "equals an assertion of the bank"}])
    digest = text_digest(text)
    other = session.scalar(sa.select(Variant.id).where(
        Variant.assertion_id == assertion.id, Variant.text_digest == digest))
    if other is not None and other != except_id:
        raise Conflict(f"variant {other} of this assertion has the same text",
                       errors=[{"field": "text", "message": "already a variant of this assertion"}])


def add_manual_variant(session: Session, *, assertion_id: int, text: str, explanation: str) -> Variant:
    """A hand-written false variant; written by an author, it starts approved."""
    assertion = get_assertion(session, assertion_id=assertion_id)
    _require_true(assertion)
    _check_text(session, assertion, text)
    variant = Variant(
        text=text, operator="manual", category="manual", changes=[], explanation=explanation, risk=0.0,
        rank=None, status=VariantStatus.APPROVED.value, origin=VariantOrigin.MANUAL.value,
    )
    assertion.variants.append(variant)
    _commit_review(session, assertion)
    return variant


def _commit_review(session: Session, assertion: Assertion) -> None:
    """Refresh the pool bookkeeping and commit; a text taken meanwhile by another writer is a 409."""
    try:
        pool.refresh(session, assertion_ids=[assertion.id], subtopic_ids=[assertion.subtopic_id])
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("this assertion already has a variant with that text") from None


def update_variant(session: Session, *, variant_id: int, changes: Mapping[str, Any],
                   if_match: Collection[str] | None = None) -> Variant:
    """Review or edit a variant: status, text, explanation. An edited text drops the change list.

    A review of a generated variant is evidence about its operator: the operator's precision in
    this bank is measured again, and its pending variants gain or lose the right to enter exams
    unreviewed.
    """
    variant = get_variant(session, variant_id=variant_id)
    check_if_match(variant, if_match)
    if "text" in changes and changes["text"] != variant.text:
        _check_text(session, variant.assertion, changes["text"], except_id=variant.id)
        variant.changes = []
        variant.edited = True
    reviewed = "status" in changes and changes["status"] != variant.status or "text" in changes
    for key, value in changes.items():
        setattr(variant, key, value)
    if reviewed and variant.origin == VariantOrigin.GENERATED.value:
        session.flush()
        variant_quality.refresh_trust(session, operators=[variant.operator])
    _commit_review(session, variant.assertion)
    return variant


def delete_variant(session: Session, *, variant_id: int, if_match: Collection[str] | None = None) -> None:
    """Delete a variant."""
    variant = get_variant(session, variant_id=variant_id)
    check_if_match(variant, if_match)
    assertion = variant.assertion
    issued.retoken_exams(session, variant_ids=[variant.id])
    session.delete(variant)
    pool.refresh(session, assertion_ids=[assertion.id], subtopic_ids=[assertion.subtopic_id])
    session.commit()
