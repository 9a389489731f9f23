"""Reading what the draw draws from: windows of each subtopic's pool in sample-key order, and the
usable variants of the assertions they hold.

Outside practice sessions both come from the pools kept in memory (pools.py), with no SQL; a practice
session's windows leave out what it has served, which only SQL knows, so they are read with SQL.
Either way the rows are the same named tuples (rows.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import Assertion, Label, SessionDraw, Status, Variant, VariantKind, VariantStatus
from app.services.generation import idlist
from app.services.generation.packed import APPROVED, REWRITE, TRUSTED, KeptPool
from app.services.generation.request import ExamRequest
from app.services.generation.rows import CandidateRow, VariantRow, candidate, variant

_TRUE, _PUBLISHED = Label.C.value, Status.PUBLISHED.value
_FALSE_KIND, _REWRITE_KIND = VariantKind.FALSE.value, VariantKind.TRUE_REWRITE.value


@dataclass(frozen=True)
class WindowSpec:
    """A run of one subtopic's pool in sample-key order: from `pivot` on, wrapping around."""

    subtopic_id: int
    label: str
    pivot: int
    limit: int
    variant_floor: int | None = None


_POOL_COLUMNS = tuple(getattr(Assertion, name) for name in CandidateRow._fields)
_VARIANT_COLUMNS = tuple(getattr(Variant, name) for name in VariantRow._fields)
# Windows are fetched CHUNK at a time with one statement of a fixed shape (padded with empty
# windows), so that SQLAlchemy compiles it once and every exam reuses the compiled form. Rows
# come back as plain column tuples: no ORM identity map or attribute instrumentation to pay for.
_CHUNK = 16


def _window_statement(upper: bool, in_session: bool) -> sa.CompoundSelect:
    """From each window's pivot up (`upper`), or from the start of the key space to it (wrapping);
    leaving out what the practice session has drawn (`in_session`)."""
    parts = []
    for index in range(_CHUNK):
        conditions = [
            Assertion.subtopic_id == sa.bindparam(f"s{index}"),
            Assertion.status == _PUBLISHED,
            Assertion.label == sa.bindparam(f"l{index}"),
            Assertion.variant_review >= sa.bindparam(f"f{index}"),
        ]
        if in_session:
            conditions.append(~sa.exists().where(SessionDraw.session_id == sa.bindparam("token"),
                                                 SessionDraw.assertion_id == Assertion.id))
        pivot = sa.bindparam(f"p{index}")
        half = Assertion.sample_key >= pivot if upper else Assertion.sample_key < pivot
        # Ties of the key (two texts with the same digest prefix) go by id: the index's last column
        # on SQLite (its rowid), so that the window is read off the index without a sort.
        inner = (sa.select(sa.literal(index).label("spec"), *_POOL_COLUMNS).where(*conditions, half)
                 .order_by(Assertion.sample_key, Assertion.id).limit(sa.bindparam(f"n{index}"))
                 .subquery())
        parts.append(sa.select(inner))
    return sa.union_all(*parts)


# (upper half, in a practice session) -> the statement, built once.
_WINDOWS = {(upper, in_session): _window_statement(upper, in_session)
            for upper in (True, False) for in_session in (True, False)}


def fetch_windows(session: Session, specs: Sequence[WindowSpec], token: str | None) -> dict[WindowSpec, list]:
    """Every window's assertions: CHUNK windows per execution of one cached UNION ALL statement."""
    rows_by_spec: dict[WindowSpec, list] = {spec: [] for spec in specs}
    for statement in (_WINDOWS[True, token is not None], _WINDOWS[False, token is not None]):
        # The wrapping half is read only for windows the upper half left short.
        short = [spec for spec in specs if len(rows_by_spec[spec]) < spec.limit]
        for start in range(0, len(short), _CHUNK):
            chunk = short[start:start + _CHUNK]
            params: dict[str, object] = {"token": token} if token is not None else {}
            for index in range(_CHUNK):
                spec = chunk[index] if index < len(chunk) else None
                params[f"s{index}"] = spec.subtopic_id if spec else -1  # -1: an empty padding window
                params[f"l{index}"] = spec.label if spec else _TRUE
                params[f"f{index}"] = (spec.variant_floor or 0) if spec else 0
                params[f"p{index}"] = spec.pivot if spec else 0
                params[f"n{index}"] = (spec.limit - len(rows_by_spec[spec])) if spec else 0
            for row in session.execute(statement, params).all():
                rows_by_spec[chunk[row[0]]].append(candidate(row[1:]))
    return rows_by_spec


def read_windows(specs: Sequence[WindowSpec], pools: dict[int, KeptPool]) -> dict[WindowSpec, list]:
    """Every window's assertions, as `fetch_windows` gives them, cut from the kept pools."""
    out = {}
    for spec in specs:
        run = pools[spec.subtopic_id].run(spec.label)
        out[spec] = run.rows(run.window(spec.pivot, spec.limit, spec.variant_floor or 0))
    return out


def kept_variants(pools: dict[int, KeptPool], candidates: Sequence[CandidateRow],
                  request: ExamRequest) -> dict[int, list[VariantRow]]:
    """`usable_variants` of these candidates, from the kept pools, in the same order."""
    wanted = APPROVED | TRUSTED if request.use_unreviewed else APPROVED
    operators = set(request.operators) if request.operators is not None else None
    by_assertion: dict[int, list] = {}
    for row in sorted(candidates):  # by id, as the SQL orders them
        kept = pools[row.subtopic_id].variants
        flags, names, operator_of = kept.flags, kept.names, kept.operators
        found = []
        for position in kept.of(row.id):
            flag = flags[position]
            # Approved; or, with unreviewed ones allowed, pending and trusted.
            if not (flag & APPROVED or (flag & wanted) == TRUSTED):
                continue
            rewrite = flag & REWRITE
            if rewrite and not request.cue_balance:
                continue
            if operators is not None and not rewrite and names[operator_of[position]] not in operators:
                continue
            found.append(position)
        if found:
            by_assertion[row.id] = kept.rows(found, row.id)
    return by_assertion


def _variants_statement(dialect: str, use_unreviewed: bool, operators: tuple[str, ...] | None,
                        cue_balance: bool) -> sa.Select:
    usable = Variant.status == VariantStatus.APPROVED.value
    if use_unreviewed:  # unreviewed variants only from operators precise enough to be trusted
        usable = sa.or_(usable, sa.and_(Variant.status == VariantStatus.PENDING.value, Variant.trusted.is_(True)))
    stmt = (sa.select(*_VARIANT_COLUMNS)
            .where(idlist.id_in(Variant.assertion_id, dialect), usable))
    if operators is not None:
        # The operator filter is about false variants; true rewrites are governed by cue_balance.
        stmt = stmt.where(sa.or_(Variant.operator.in_(operators), Variant.kind == _REWRITE_KIND))
    if not cue_balance:
        stmt = stmt.where(Variant.kind == _FALSE_KIND)
    return stmt.order_by(Variant.assertion_id, Variant.rank.is_(None), Variant.rank, Variant.id)


# (dialect, use_unreviewed, cue_balance) -> the statement without an operator filter, built once:
# building it took about 0.4 ms, an exam's every time.
_VARIANTS: dict[tuple[str, bool, bool], sa.Select] = {}


def usable_variants(
    session: Session, assertion_ids: Sequence[int], request: ExamRequest
) -> dict[int, list[VariantRow]]:
    if not assertion_ids:
        return {}
    dialect = idlist.dialect_of(session)
    if request.operators is None:
        key = (dialect, bool(request.use_unreviewed), bool(request.cue_balance))
        stmt = _VARIANTS.get(key)
        if stmt is None:
            stmt = _VARIANTS[key] = _variants_statement(dialect, key[1], None, key[2])
    else:
        stmt = _variants_statement(dialect, bool(request.use_unreviewed), tuple(request.operators),
                                   bool(request.cue_balance))
    by_assertion: dict[int, list] = {}
    for row in session.connection().execute(stmt, {idlist.PARAMETER: idlist.bind(assertion_ids, dialect)}).all():
        found = variant(row)
        by_assertion.setdefault(found.assertion_id, []).append(found)
    return by_assertion
