"""Assembling an exam: draw, balance, number, snapshot the items and their versions' orders, commit."""

from __future__ import annotations

import math
import random
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.engine import insert_rows, write_turn
from app.errors import Conflict, Invalid, NotFound, ServiceError
from app.models import (
    Assertion,
    Exam,
    ExamItem,
    Label,
    PracticeSession,
    SessionDraw,
    Status,
    Variant,
)
from app.services.audit import audit_rows
from app.services.generation import idlist
from app.services.generation.balance import balance_cues
from app.services.generation.balance import report as balance_report
from app.services.generation.lengths import balance_lengths
from app.services.generation.planning import (
    allocate,
    allocate_false,
    chosen_subtopics,
    rebalance_for_false,
    served_counts,
)
from app.services.generation.request import MAX_ITEMS, ExamRequest, Pick, Pool, Unit, false_count
from app.services.generation.sampling import Picker
from app.services.headings import block_heading
from app.services.issued import ItemView
from app.services.pool import REVIEW_APPROVED, REVIEW_TRUSTED, REVIEW_UNTRUSTED


def _number(blocks: list[list[Unit]]) -> list[tuple[int, Pick]]:
    numbered, n = [], 0
    for block_index, block in enumerate(blocks, start=1):
        for unit in block:
            for pick in unit.picks:
                n += 1
                numbered.append((block_index, pick))
    return numbered


@dataclass(frozen=True)
class IssuedExam:
    """An exam just issued, with its items as they were written (what its view shows of them)."""

    exam: Exam
    items: list[ItemView]


def generate_exam(session: Session, *, request: ExamRequest) -> Exam:
    """Choose, order and snapshot an exam; 422 with what is available when the bank falls short."""
    return issue_exam(session, request=request).exam


def issue_exam(session: Session, *, request: ExamRequest) -> IssuedExam:
    """`generate_exam`, with the items kept: the API answers the new exam from them without reading
    them back."""
    if not 1 <= request.items <= MAX_ITEMS:
        raise Invalid(f"items must be between 1 and {MAX_ITEMS}",
                      errors=[{"field": "items", "message": "out of range"}])
    seed = request.seed if request.seed is not None else secrets.randbelow(1 << 53)
    rng = random.Random(seed)
    token = request.session_token
    if token is not None:
        practice = session.get(PracticeSession, token)
        if practice is None or (request.owner_is_consumer and practice.api_key_id != request.owner_key_id):
            raise NotFound(f"practice session {token[:8]}... does not exist")
    variant_floor = REVIEW_TRUSTED if request.use_unreviewed else REVIEW_APPROVED
    served = served_counts(session, token, variant_floor)
    pools = []
    for subtopic, code, topic_title in chosen_subtopics(session, request):
        s = served.get(subtopic.id, Counter())
        variants = subtopic.pool_variants if request.use_unreviewed else subtopic.pool_variants_approved
        pools.append(Pool(subtopic, code, topic_title, true=subtopic.pool_true - s["true"],
                           variants=variants - s["variants"], false=subtopic.pool_false - s["false"]))
    false_items = false_count(request.items, request.false_ratio)
    available = {
        "items": sum(p.total for p in pools),
        "true": sum(p.true for p in pools),
        "false": sum(p.false_cap for p in pools),
    }
    # True items and false items made from variants both consume true assertions.
    from_variants = max(0, false_items - sum(p.false for p in pools))
    if available["items"] < request.items or available["false"] < false_items or \
            available["true"] < request.items - false_items + from_variants:
        exhausted = token is not None and sum(served.get(p.subtopic.id, Counter()).total() for p in pools) > 0
        awaiting = _awaiting_review(session, [p.subtopic.id for p in pools])
        raise (Conflict if exhausted else Invalid)(
            _shortfall(request.items, false_items, available, exhausted, awaiting, request.use_unreviewed),
            code="session_exhausted" if exhausted else "insufficient_items",
            extra={"available": available},
        )
    allocate(pools, request.items, request.distribution, rng)
    rebalance_for_false(pools, false_items)
    if not allocate_false(pools, false_items, rng):
        raise Invalid(_shortfall(request.items, false_items, available, False), code="insufficient_items",
                      extra={"available": available})
    operator_cap = max(1, math.floor(request.max_operator_share * false_items + 1e-9))
    picker, blocks, block_pools = _draw(session, request, rng, pools, false_items, operator_cap, variant_floor)
    balance_lengths(blocks, picker)
    if request.cue_balance:
        balance_cues(blocks, picker)
        balance_lengths(blocks, picker, keep_cues=True)  # the cue moves may have moved the mean lengths
    numbered = _number(blocks)
    exam, item_rows = _snapshot(request, seed, blocks, block_pools, numbered, _explanations(session, numbered))
    exam.parameters = {**exam.parameters, "balance": balance_report(blocks, request.cue_balance, picker.surfaces)}
    # The fixed guessers' audit travels with the snapshot (the items never change afterwards).
    exam.parameters = {**exam.parameters, "audit": audit_rows(
        item_rows, topic_codes=[p.topic_code for p in block_pools], lexicon_dir=request.lexicon_dir)}
    with write_turn(session.connection()):
        session.add(exam)
        session.flush()
        # The items in one go (a COPY on PostgreSQL, one executemany elsewhere): every row has every
        # column. The ORM's bulk path splits rows by which of their values are None, which gave dozens
        # of statements for 120 items.
        insert_rows(session.connection(), ExamItem.__table__, [{**row, "exam_id": exam.id} for row in item_rows])
        if token is not None:
            session.add_all(SessionDraw(session_id=token, assertion_id=pick.assertion.id, exam_id=exam.id)
                            for _, pick in numbered)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            raise Conflict("another request drew from this practice session at the same time; try again",
                           code="session_busy") from None
    return IssuedExam(exam, [ItemView(row["number"], row["text"], row["block"], row["subtopic_id"],
                                      row["subtopic_title"]) for row in item_rows])


# How many times the items are drawn before answering that no operator mix fits the cap. A small
# exam (4 false items allow each operator once) can draw items whose variants share operators;
# drawing again, from the same seeded generator, keeps the result reproducible.
_DRAWS = 8


def _draw(session: Session, request: ExamRequest, rng: random.Random, pools: list[Pool], false_items: int,
          operator_cap: int, variant_floor: int) -> tuple[Picker, list[list[Unit]], list[Pool]]:
    """Choose the items of every subtopic and which are shown false; draw again if the operator
    cap cannot be met with the items drawn."""
    first_error: ServiceError | None = None
    for _ in range(_DRAWS):
        picker = Picker(session, request, rng, operator_cap, Counter(), variant_floor)
        try:
            picker.prepare([pool for pool in pools if pool.items > 0])
            blocks: list[list[Unit]] = []
            block_pools: list[Pool] = []
            for pool in pools:
                if pool.items == 0:
                    continue
                units = picker.pick(pool)
                rng.shuffle(units)
                blocks.append(units)
                block_pools.append(pool)
            picker.assign_roles(blocks, block_pools, false_items)
            return picker, blocks, block_pools
        except ServiceError as exc:
            if first_error is None:
                if exc.code != "operator_share":
                    raise  # the bank cannot give these items at all: drawing again would not help
                first_error = exc
    raise first_error


def _awaiting_review(session: Session, subtopic_ids: Sequence[int]) -> int:
    """True published assertions of these subtopics whose only variants await review."""
    if not subtopic_ids:
        return 0
    return session.scalar(
        sa.select(sa.func.count()).select_from(Assertion).where(
            Assertion.subtopic_id.in_(subtopic_ids), Assertion.label == Label.C.value,
            Assertion.status == Status.PUBLISHED.value,
            Assertion.variant_review.in_((REVIEW_UNTRUSTED, REVIEW_TRUSTED)))
    ) or 0


def _shortfall(items: int, false_items: int, available: dict[str, int], exhausted: bool,
               awaiting_review: int | None = None, use_unreviewed: bool = False) -> str:
    what = (f"asked for {items} items ({false_items} false); the selection has {available['items']} "
            f"available, {available['false']} of them usable as false and {available['true']} true")
    if exhausted:
        return f"this practice session has used up its pool: {what}; reset the session to start over"
    if available["false"] < false_items and awaiting_review is not None:
        # Say how to get false items: they come from variants (approved ones unless told otherwise).
        if awaiting_review and use_unreviewed:
            return (f"{what}; {awaiting_review} more assertions have false variants awaiting review from "
                    "operators whose measured precision is too low to use them unreviewed: approve them "
                    "(GET /api/v1/variants/quality shows each operator's precision)")
        if awaiting_review:
            return (f"{what}; {awaiting_review} more assertions have false variants awaiting review: approve "
                    "them, or allow unreviewed variants (\"use_unreviewed\": true; CLI: --unreviewed), which "
                    "takes only those from operators whose measured precision is trusted")
        return (f"{what}; generate false variants (POST /api/v1/topics/{{id}}/variants; CLI: qbank variants "
                "generate) and approve them, or lower false_ratio")
    return what


def _explanation_statement(dialect: str) -> sa.CompoundSelect:
    variants = sa.select(sa.literal(True).label("shown"), Variant.id, Variant.explanation).where(
        idlist.id_in(Variant.id, dialect, "variants"))
    assertions = sa.select(sa.literal(False).label("shown"), Assertion.id, Assertion.explanation).where(
        idlist.id_in(Assertion.id, dialect, "assertions"))
    return sa.union_all(variants, assertions)


_EXPLANATIONS: dict[str, sa.CompoundSelect] = {}  # dialect -> the statement, built once


def _explanations(session: Session, numbered: list[tuple[int, Pick]]) -> dict[tuple[bool, int], str | None]:
    """The explanations the snapshot keeps, read now in one statement: of each variant or rewrite shown,
    and of each E assertion shown as itself. (True, variant id) or (False, assertion id) -> explanation.
    The draw's rows carry none (rows.py)."""
    shown = [pick.shown.id for _, pick in numbered if pick.shown is not None]
    false = [pick.assertion.id for _, pick in numbered if pick.shown is None and pick.assertion.label == Label.E.value]
    if not shown and not false:
        return {}
    dialect = idlist.dialect_of(session)
    statement = _EXPLANATIONS.get(dialect)
    if statement is None:
        statement = _EXPLANATIONS[dialect] = _explanation_statement(dialect)
    found = session.connection().execute(
        statement, {"variants": idlist.bind(shown, dialect), "assertions": idlist.bind(false, dialect)})
    return {(bool(is_shown), row_id): explanation for is_shown, row_id, explanation in found}


def _snapshot(request: ExamRequest, seed: int, blocks: list[list[Unit]], pools: list[Pool],
              numbered: list[tuple[int, Pick]],
              explanations: dict[tuple[bool, int], str | None]) -> tuple[Exam, list[dict]]:
    number_of = {pick.assertion.id: n for n, (_, pick) in enumerate(numbered, start=1)}
    block_rows, n = [], 0
    for index, (units, pool) in enumerate(zip(blocks, pools, strict=True), start=1):
        count = sum(len(u.picks) for u in units)
        block_rows.append({
            "number": index, "subtopic_id": pool.subtopic.id, "subtopic": pool.subtopic.title,
            "heading": block_heading(pool.subtopic.title), "first": n + 1, "last": n + count,
        })
        n += count
    orders = {}
    for version in range(2, request.versions + 1):
        orders[str(version)] = _version_order(blocks, number_of, seed, version)
    titles = sorted({pool.topic_title for pool in pools})
    exam = Exam(
        title=request.title or ("Simulado: " + "; ".join(titles) if len(titles) <= 3 else "Simulado"),
        seed=seed, item_count=len(numbered), versions=request.versions,
        parameters=_parameters(request, seed), blocks=block_rows, orders=orders,
        weight_right=request.weight_right, weight_wrong=request.weight_wrong, weight_blank=request.weight_blank,
        session_id=request.session_token, api_key_id=request.owner_key_id,
    )
    rows = []
    for number, (block, pick) in enumerate(numbered, start=1):
        rows.append(dict(
            number=number, block=block, subtopic_id=pick.assertion.subtopic_id,
            subtopic_title=pools[block - 1].subtopic.title, text=pick.text, label=pick.label,
            assertion_id=pick.assertion.id, variant_id=pick.shown.id if pick.shown else None,
            operator=pick.shown.operator if pick.shown else None,
            explanation=(explanations.get((True, pick.shown.id)) if pick.shown else
                         explanations.get((False, pick.assertion.id)) if pick.assertion.label == Label.E.value
                         else None),
            original_text=pick.assertion.text if pick.shown else None,
            depends_on_number=number_of.get(pick.follows) if pick.follows else None,
        ))
    return exam, rows


def _version_order(blocks: list[list[Unit]], number_of: dict[int, int], seed: int, version: int) -> list[int]:
    """Canonical item numbers in a version's printed order: units reshuffled inside their blocks."""
    rng = random.Random(f"{seed}:version:{version}")
    order: list[int] = []
    for units in blocks:
        shuffled = list(units)
        for _ in range(5):
            rng.shuffle(shuffled)
            if len(units) < 2 or shuffled != units:
                break
        order.extend(number_of[p.assertion.id] for u in shuffled for p in u.picks)
    return order


def _parameters(request: ExamRequest, seed: int) -> dict:
    return {
        "items": request.items, "topic_ids": list(request.topic_ids), "subtopic_ids": list(request.subtopic_ids),
        "false_ratio": request.false_ratio, "distribution": request.distribution, "seed": seed,
        "versions": request.versions,
        "operators": list(request.operators) if request.operators is not None else None,
        "use_unreviewed": request.use_unreviewed, "max_operator_share": request.max_operator_share,
        "cue_balance": request.cue_balance,
    }
