"""Exam generation: plan per subtopic, sample by key windows, assemble blocks, snapshot.

Reproducible: the same bank content, parameters and seed give the same exam (texts, order,
labels), because every choice comes from one seeded random.Random and every query has a total
order. Fast on large banks: planning reads one row per subtopic (the pool counts kept by
services.pool), and sampling reads a window of the (subtopic, status, label, sample_key) index
per subtopic instead of scanning or sorting the table.
"""

from __future__ import annotations

import math
import random
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import Conflict, Invalid, NotFound, ServiceError
from app.models import (
    SAMPLE_KEY_BITS,
    Assertion,
    Exam,
    ExamItem,
    Label,
    PracticeSession,
    SessionDraw,
    Status,
    Subtopic,
    Topic,
    Variant,
    VariantKind,
    VariantStatus,
)
from app.services.audit import audit_rows
from app.services.balance import balance_cues, balance_lengths
from app.services.balance import report as balance_report
from app.services.headings import block_heading
from app.services.issued import (  # reading issued exams lives there; importable from here too
    answer_key,
    describe_exam,
    get_exam,
    require_answers_visible,
    version_items,
)
from app.services.pool import REVIEW_APPROVED, REVIEW_TRUSTED, REVIEW_UNTRUSTED

__all__ = ["ExamRequest", "answer_key", "block_heading", "describe_exam", "generate_exam", "get_exam",
           "require_answers_visible", "version_items"]

MAX_ITEMS = 500
MAX_VERSIONS = 10
# Window pivots are drawn from the range the sample keys actually take. (It was 2**62 against
# 58-bit keys: 15 pivots in 16 fell above every key, and the windows wrapped round to the lowest
# keys, so exams of different seeds kept drawing the same items.)
KEY_SPACE = 1 << SAMPLE_KEY_BITS


@dataclass(frozen=True)
class ExamRequest:
    """What a client asks for; see the POST /api/v1/exams schema for each field's meaning."""

    items: int
    topic_ids: tuple[int, ...] = ()
    subtopic_ids: tuple[int, ...] = ()
    false_ratio: float = 0.5
    distribution: str = "proportional"
    seed: int | None = None
    versions: int = 1
    title: str | None = None
    operators: tuple[str, ...] | None = None
    use_unreviewed: bool = False
    max_operator_share: float = 0.4
    cue_balance: bool = True  # trade roles and variants so that cue words and length give no answer away
    weight_right: float = 1.0
    weight_wrong: float = -1.0
    weight_blank: float = 0.0
    session_token: str | None = None
    owner_key_id: int | None = None  # the API key generating it
    owner_is_consumer: bool = False  # a consumer may use only its own practice sessions
    lexicon_dir: str | None = None  # QBANK_LEXICON_DIR: a topic's own cue words for the audit


@dataclass
class _Pool:
    """What one subtopic can give: true items, variant-capable true items, false (E) items."""

    subtopic: Subtopic
    topic_code: str
    topic_title: str
    true: int
    variants: int
    false: int
    items: int = 0  # allocated
    false_items: int = 0  # allocated

    @property
    def total(self) -> int:
        return self.true + self.false

    @property
    def false_cap(self) -> int:
        return self.variants + self.false

    def false_bounds(self, n: int) -> tuple[int, int]:
        """Fewest and most false items a subtopic given n items can hold."""
        return max(0, n - self.true), min(n, self.false_cap)


_FALSE = Label.E.value  # read once: an enum member's value is a descriptor lookup on every access


@dataclass
class _Pick:
    """One chosen item before numbering: an assertion as itself, or one of its variants."""

    assertion: Assertion
    variant: Variant | None = None
    follows: int | None = None  # assertion id this one must come right after
    rewrite: Variant | None = None  # a true item shown through an approved (or trusted) true rewrite

    @property
    def label(self) -> str:
        return _FALSE if self.variant is not None else self.assertion.label

    @property
    def text(self) -> str:
        if self.variant is not None:
            return self.variant.text
        return self.rewrite.text if self.rewrite is not None else self.assertion.text

    @property
    def shown(self) -> Variant | None:
        """The variant or rewrite the item is shown through, if any."""
        return self.variant if self.variant is not None else self.rewrite


@dataclass
class _Unit:
    """Items that travel together: an antecedent (true) and the items that refer to it."""

    picks: list[_Pick] = field(default_factory=list)


def false_count(items: int, false_ratio: float) -> int:
    """round(items × false_ratio), halves rounded up (10 × 0.25 -> 3), without float artifacts."""
    exact = Decimal(items) * Decimal(str(false_ratio))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- planning --------------------------------------------------------------------------------


def _subtopics(session: Session, request: ExamRequest) -> list[tuple[Subtopic, str, str]]:
    stmt = sa.select(Subtopic, Topic.code, Topic.title).join(Topic, Subtopic.topic_id == Topic.id)
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
    # Topic codes sort as version numbers: 9.3 before 10.1.
    return sorted((tuple(row) for row in rows), key=lambda r: (_code_key(r[1]), r[0].number))


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


def _served_counts(session: Session, token: str | None, variant_floor: int) -> dict[int, Counter]:
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


def _allocate(pools: list[_Pool], items: int, distribution: str, rng: random.Random) -> None:
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


def _allocate_false(pools: list[_Pool], false_items: int, rng: random.Random) -> bool:
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


def _rebalance_for_false(pools: list[_Pool], false_items: int) -> None:
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


# --- sampling --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _WindowSpec:
    """A run of one subtopic's pool in sample-key order: from `pivot` on, wrapping around."""

    subtopic_id: int
    label: str
    pivot: int
    limit: int
    variant_floor: int | None = None


_POOL_COLUMNS = (
    Assertion.id, Assertion.subtopic_id, Assertion.number, Assertion.text, Assertion.label, Assertion.status,
    Assertion.explanation, Assertion.depends_on_id, Assertion.sample_key, Assertion.variant_review,
)
# Windows are fetched CHUNK at a time with one statement of a fixed shape (padded with empty
# windows), so that SQLAlchemy compiles it once and every exam reuses the compiled form. Rows
# come back as plain column tuples: no ORM identity map or attribute instrumentation to pay for.
_CHUNK = 16
_NO_SESSION = ""


def _window_statement(upper: bool) -> sa.CompoundSelect:
    """From each window's pivot up (`upper`), or from the start of the key space to it (wrapping)."""
    parts = []
    for index in range(_CHUNK):
        conditions = [
            Assertion.subtopic_id == sa.bindparam(f"s{index}"),
            Assertion.status == Status.PUBLISHED.value,
            Assertion.label == sa.bindparam(f"l{index}"),
            Assertion.variant_review >= sa.bindparam(f"f{index}"),
            ~sa.exists().where(SessionDraw.session_id == sa.bindparam("token"),
                               SessionDraw.assertion_id == Assertion.id),
        ]
        pivot = sa.bindparam(f"p{index}")
        half = Assertion.sample_key >= pivot if upper else Assertion.sample_key < pivot
        inner = (sa.select(sa.literal(index).label("spec"), *_POOL_COLUMNS).where(*conditions, half)
                 .order_by(Assertion.sample_key, Assertion.number).limit(sa.bindparam(f"n{index}"))
                 .subquery())
        parts.append(sa.select(inner))
    return sa.union_all(*parts)


_WINDOWS_UP = _window_statement(upper=True)
_WINDOWS_WRAP = _window_statement(upper=False)


def _fetch_windows(session: Session, specs: Sequence[_WindowSpec], token: str | None) -> dict[_WindowSpec, list]:
    """Every window's assertions: CHUNK windows per execution of one cached UNION ALL statement."""
    rows_by_spec: dict[_WindowSpec, list] = {spec: [] for spec in specs}
    for statement in (_WINDOWS_UP, _WINDOWS_WRAP):
        # The wrapping half is read only for windows the upper half left short.
        short = [spec for spec in specs if len(rows_by_spec[spec]) < spec.limit]
        for start in range(0, len(short), _CHUNK):
            chunk = short[start:start + _CHUNK]
            params: dict[str, object] = {"token": token or _NO_SESSION}
            for index in range(_CHUNK):
                spec = chunk[index] if index < len(chunk) else None
                params[f"s{index}"] = spec.subtopic_id if spec else -1  # -1: an empty padding window
                params[f"l{index}"] = spec.label if spec else Label.C.value
                params[f"f{index}"] = (spec.variant_floor or 0) if spec else 0
                params[f"p{index}"] = spec.pivot if spec else 0
                params[f"n{index}"] = (spec.limit - len(rows_by_spec[spec])) if spec else 0
            for row in session.execute(statement, params):
                rows_by_spec[chunk[row.spec]].append(row)
    return rows_by_spec


def _usable_variants(
    session: Session, assertion_ids: Sequence[int], request: ExamRequest
) -> dict[int, list[Variant]]:
    if not assertion_ids:
        return {}
    usable = Variant.status == VariantStatus.APPROVED.value
    if request.use_unreviewed:  # unreviewed variants only from operators precise enough to be trusted
        usable = sa.or_(usable, sa.and_(Variant.status == VariantStatus.PENDING.value, Variant.trusted.is_(True)))
    stmt = (sa.select(Variant.id, Variant.assertion_id, Variant.text, Variant.operator, Variant.explanation,
                      Variant.kind)
            .where(Variant.assertion_id.in_(assertion_ids), usable))
    if request.operators is not None:
        # The operator filter is about false variants; true rewrites are governed by cue_balance.
        stmt = stmt.where(sa.or_(Variant.operator.in_(request.operators),
                                 Variant.kind == VariantKind.TRUE_REWRITE.value))
    if not request.cue_balance:
        stmt = stmt.where(Variant.kind == VariantKind.FALSE.value)
    by_assertion: dict[int, list] = {}
    for variant in session.execute(stmt.order_by(Variant.assertion_id, Variant.rank.is_(None), Variant.rank,
                                                 Variant.id)):
        by_assertion.setdefault(variant.assertion_id, []).append(variant)
    return by_assertion


# A subtopic this small is read whole, and its items drawn uniformly. A larger one is read through
# windows of its key order from a random pivot; the window is shuffled before items are taken
# from it, because taking the first keys after the pivot favours items that follow wide gaps
# between keys (in the seed's 10-item subtopics one item came up in 19 exams out of 30).
SMALL_POOL = 64


def _first_limit(pool: _Pool) -> int:
    """How many candidates the first window reads: enough for the slots, plus some slack; a small
    subtopic whole."""
    if pool.total <= SMALL_POOL:
        return max(pool.total, 1)
    return pool.items + max(2, pool.items // 2)


class _Picker:
    """Fills one subtopic: first which assertions (dependencies travel with their antecedents),
    then which of them are shown false, so that exact counts hold whenever the pool allows."""

    def __init__(self, session: Session, request: ExamRequest, rng: random.Random, operator_cap: int,
                 operator_use: Counter[str], variant_floor: int) -> None:
        self.session = session
        self.request = request
        self.rng = rng
        self.operator_cap = operator_cap
        self.operator_use = operator_use
        self.variant_floor = variant_floor
        self.used: set[int] = set()
        self.options: dict[int, list[Variant]] = {}  # usable variants seen, for roles and length balancing
        self.rewrites: dict[int, list[Variant]] = {}  # usable true rewrites seen, for cue balancing
        self.pivots: dict[int, int] = {}
        self.first_round: dict[int, list[Assertion]] = {}
        self.followers: dict[int, list[Assertion]] = {}  # published items that refer back to an id
        self.served_ids: set[int] | None = None  # what the practice session has already drawn

    def prepare(self, pools: Sequence[_Pool]) -> None:
        """Draw each subtopic's pivot and fetch every first window at once (two queries in all, three
        in a practice session)."""
        specs_of: dict[int, list[_WindowSpec]] = {}
        for pool in pools:
            pivot = self.pivots[pool.subtopic.id] = self.rng.randrange(KEY_SPACE)
            specs_of[pool.subtopic.id] = self._specs(pool, pivot, _first_limit(pool))
        windows = _fetch_windows(self.session, [s for specs in specs_of.values() for s in specs],
                                 self.request.session_token)
        for subtopic_id, specs in specs_of.items():
            self.first_round[subtopic_id] = self._merge(specs, windows, self.pivots[subtopic_id], set())
        first = [a for rows in self.first_round.values() for a in rows]
        self._load_options(first)
        if self.request.session_token:  # a session draws dependents along with their antecedents
            self._load_followers([a.id for a in first])

    def pick(self, pool: _Pool) -> list[_Unit]:
        """The assertions of one subtopic, in units; roles are assigned for the whole exam later."""
        return self._select(pool)

    # phase 1: which assertions

    def _select(self, pool: _Pool) -> list[_Unit]:
        # In a practice session an antecedent drawn alone would strand the items that refer to
        # it (they could never be served without repeating it), so they are drawn with it when
        # the slots allow; only if that cannot fill the subtopic are antecedents drawn alone.
        for pull_dependents in ((True, False) if self.request.session_token else (False,)):
            units = self._try_select(pool, pull_dependents)
            if units is not None:
                return units
        raise self._shortfall(pool)

    def _try_select(self, pool: _Pool, pull_dependents: bool) -> list[_Unit] | None:
        wanted, false_wanted = pool.items, pool.false_items
        units: list[_Unit] = []
        chosen: dict[int, _Pick] = {}
        locked: set[int] = set()  # antecedents of chosen items: shown true
        pivot = self.pivots[pool.subtopic.id]
        limit = _first_limit(pool)
        seen: set[int] = set()
        for round_number in range(8):
            candidates = self.first_round.pop(pool.subtopic.id, None) if round_number == 0 else None
            if candidates is None:
                candidates = self._candidates(pool, pivot, limit, seen)
                self._load_options(candidates)
            if not candidates and round_number > 0:
                break
            if pull_dependents:
                self._load_followers([a.id for a in candidates])
                # Chains first (an item that refers back, or one referred to), singles after: a
                # session serves chains whole, and the singles it keeps are what fills an odd number
                # of slots in its last exams. Taking singles first left chains that no longer fit.
                candidates = sorted(candidates, key=lambda a: a.depends_on_id is None and not self.followers[a.id])
            for assertion in candidates:
                seen.add(assertion.id)
                if len(chosen) == wanted:
                    break
                if assertion.id in chosen or assertion.id in self.used:
                    continue
                unit = self._unit_for(assertion, chosen, units)
                if unit is None:
                    continue
                new, anchor = unit
                if pull_dependents:
                    new = new + self._dependents_of(new[-1].assertion, chosen)
                if not self._fits(new, chosen, locked, wanted, false_wanted):
                    continue
                for pick in new:
                    chosen[pick.assertion.id] = pick
                    if pick.follows is not None:
                        locked.add(pick.follows)
                if anchor is not None:
                    anchor.picks.extend(new)
                else:
                    units.append(_Unit(new))
            if len(chosen) == wanted:
                self.used.update(chosen)
                return units
            limit *= 4
        return None

    def _dependents_of(self, assertion: Assertion, chosen: dict[int, _Pick]) -> list[_Pick]:
        """The chain of not-yet-served items that refer back to `assertion`, each right after the last."""
        out: list[_Pick] = []
        current = assertion
        while True:
            self._load_followers([current.id])
            nxt = next((a for a in self.followers[current.id] if a.subtopic_id == current.subtopic_id
                        and a.id not in chosen and a.id not in self.used and not self._served(a.id)), None)
            if nxt is None:
                return out
            out.append(_Pick(nxt, follows=current.id))
            current = nxt

    def _load_followers(self, ids: Sequence[int]) -> None:
        """Fetch, in one query, the published items referring back to each id not fetched before."""
        missing = [i for i in dict.fromkeys(ids) if i not in self.followers]
        if not missing:
            return
        for assertion_id in missing:
            self.followers[assertion_id] = []
        # Status is checked here, not in SQL: on a table without statistics a status filter can lead
        # the planner to the status index instead of the one on depends_on_id.
        rows = self.session.scalars(
            sa.select(Assertion).where(Assertion.depends_on_id.in_(missing)).order_by(Assertion.number)
        ).all()
        for follower in rows:
            if follower.status == Status.PUBLISHED.value:
                self.followers[follower.depends_on_id].append(follower)

    def _unit_for(self, assertion: Assertion, chosen: dict[int, _Pick],
                  units: list[_Unit]) -> tuple[list[_Pick], _Unit | None] | None:
        """The picks an assertion brings (its antecedent chain first), and the unit to join, if any."""
        chain: list[Assertion] = []
        current = assertion
        while current.depends_on_id is not None:
            if current.depends_on_id in chosen:
                break
            antecedent = self.session.get(Assertion, current.depends_on_id)
            if antecedent is None or antecedent.status != Status.PUBLISHED.value or \
                    antecedent.label != Label.C.value or antecedent.subtopic_id != assertion.subtopic_id or \
                    antecedent.id in self.used or self._served(antecedent.id):
                return None
            chain.append(antecedent)
            current = antecedent
        picks = [_Pick(a, follows=a.depends_on_id) for a in reversed(chain)]
        picks.append(_Pick(assertion, follows=assertion.depends_on_id))
        if picks[0].follows is None:
            return picks, None
        # Joins the unit whose last item is its antecedent; anywhere else it would not come right after it.
        anchor = next((u for u in units if u.picks[-1].assertion.id == picks[0].follows), None)
        return (picks, anchor) if anchor is not None else None

    def _fits(self, new: list[_Pick], chosen: dict[int, _Pick], locked: set[int], wanted: int,
              false_wanted: int) -> bool:
        """Whether adding `new` keeps room for exactly `false_wanted` false items."""
        if len(chosen) + len(new) > wanted:
            return False
        after = {**chosen, **{p.assertion.id: p for p in new}}
        now_locked = locked | {p.follows for p in new if p.follows is not None}
        forced = sum(1 for p in after.values() if p.assertion.label == Label.E.value)
        if forced > false_wanted:
            return False
        capable = sum(1 for p in after.values() if self._false_capable(p, now_locked))
        remaining = wanted - len(after)
        must_be_true = len(after) - capable
        return capable + remaining >= false_wanted and must_be_true <= wanted - false_wanted

    def _false_capable(self, pick: _Pick, locked: set[int]) -> bool:
        if pick.assertion.label == Label.E.value:
            return True
        return pick.assertion.id not in locked and bool(self.options.get(pick.assertion.id))

    # phase 2: which are shown false, over the whole exam

    def assign_roles(self, blocks: list[list[_Unit]], pools: list[_Pool], false_items: int) -> None:
        """Show exactly `false_items` items false: E assertions always, then variants.

        Each block aims at its planned share; a block that cannot (operator caps) leaves its
        share to others. The least-used operator goes first, so no operator passes its cap.
        """
        quota = {}
        eligible: list[tuple[int, _Pick]] = []
        for index, (units, pool) in enumerate(zip(blocks, pools, strict=True)):
            picks = [p for u in units for p in u.picks]
            locked = {p.follows for p in picks if p.follows is not None}
            quota[index] = pool.false_items - sum(1 for p in picks if p.assertion.label == Label.E.value)
            eligible += [(index, p) for p in picks
                         if p.assertion.label == Label.C.value and self._false_capable(p, locked)]
        self.rng.shuffle(eligible)
        left = false_items - sum(1 for units in blocks for u in units for p in u.picks
                                 if p.assertion.label == Label.E.value)
        while left > 0:
            best = None
            for position, (index, pick) in enumerate(eligible):
                variant = min((v for v in self.options[pick.assertion.id]
                               if self.operator_use[v.operator] < self.operator_cap),
                              key=lambda v: self.operator_use[v.operator], default=None)
                if variant is None:
                    continue
                rank = (quota[index] <= 0, self.operator_use[variant.operator], position)
                if best is None or rank < best[0]:
                    best = (rank, position, index, pick, variant)
            if best is None:
                raise Invalid(
                    f"{left} more false items would need an operator past its share "
                    f"(max_operator_share allows {self.operator_cap} each); raise it or ask for fewer false items",
                    code="operator_share", extra={"available": {"operators": dict(sorted(self.operator_use.items()))}},
                )
            _, position, index, pick, variant = best
            pick.variant = variant
            self.operator_use[variant.operator] += 1
            quota[index] -= 1
            left -= 1
            eligible.pop(position)

    # helpers

    def _specs(self, pool: _Pool, pivot: int, limit: int) -> list[_WindowSpec]:
        subtopic_id = pool.subtopic.id
        specs = [_WindowSpec(subtopic_id, Label.C.value, pivot, limit)]
        if pool.false_items > 0 and pool.false > 0:
            specs.append(_WindowSpec(subtopic_id, Label.E.value, pivot, limit))
        if pool.false_items > 0 and pool.variants > 0:
            specs.append(_WindowSpec(subtopic_id, Label.C.value, pivot, limit, self.variant_floor))
        return specs

    def _merge(self, specs: list[_WindowSpec], windows: dict[_WindowSpec, list[Assertion]], pivot: int,
               seen: set[int]) -> list[Assertion]:
        """The windows' assertions not seen before, in key order from the pivot, then shuffled."""
        merged = {a.id: a for spec in specs for a in windows[spec] if a.id not in seen}
        ordered = sorted(merged.values(), key=lambda a: ((a.sample_key - pivot) % KEY_SPACE, a.number))
        self.rng.shuffle(ordered)
        return ordered

    def _candidates(self, pool: _Pool, pivot: int, limit: int, seen: set[int]) -> list[Assertion]:
        specs = self._specs(pool, pivot, limit)
        return self._merge(specs, _fetch_windows(self.session, specs, self.request.session_token), pivot, seen)

    def _load_options(self, candidates: Sequence[Assertion]) -> None:
        ids = [a.id for a in candidates if a.label == Label.C.value and a.id not in self.options]
        for assertion_id, rows in _usable_variants(self.session, ids, self.request).items():
            false = [v for v in rows if v.kind == VariantKind.FALSE.value]
            if false:
                self.options[assertion_id] = false
            rewrites = [v for v in rows if v.kind == VariantKind.TRUE_REWRITE.value]
            if rewrites:
                self.rewrites[assertion_id] = rewrites

    def _served(self, assertion_id: int) -> bool:
        token = self.request.session_token
        if token is None:
            return False
        if self.served_ids is None:  # one query the first time it is asked, not one per item
            self.served_ids = set(self.session.scalars(
                sa.select(SessionDraw.assertion_id).where(SessionDraw.session_id == token)))
        return assertion_id in self.served_ids

    def _shortfall(self, pool: _Pool) -> Invalid | Conflict:
        what = (f"subtopic {pool.subtopic.number} of topic {pool.topic_code} cannot give "
                f"{pool.items - pool.false_items} true and {pool.false_items} false items with these settings "
                "(items that refer back need their antecedent, shown true, right before them)")
        available = {"available": {"subtopic_id": pool.subtopic.id, "true": pool.true, "false": pool.false_cap}}
        if self.request.session_token:
            return Conflict(f"this practice session has used up what it can be served without repeats: {what}; "
                            "reset the session to start over", code="session_exhausted", extra=available)
        return Invalid(what, code="insufficient_items", extra=available)


# --- assembly --------------------------------------------------------------------------------


def _number(blocks: list[list[_Unit]]) -> list[tuple[int, _Pick]]:
    numbered, n = [], 0
    for block_index, block in enumerate(blocks, start=1):
        for unit in block:
            for pick in unit.picks:
                n += 1
                numbered.append((block_index, pick))
    return numbered


def generate_exam(session: Session, *, request: ExamRequest) -> Exam:
    """Choose, order and snapshot an exam; 422 with what is available when the bank falls short."""
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
    served = _served_counts(session, token, variant_floor)
    pools = []
    for subtopic, code, topic_title in _subtopics(session, request):
        s = served.get(subtopic.id, Counter())
        variants = subtopic.pool_variants if request.use_unreviewed else subtopic.pool_variants_approved
        pools.append(_Pool(subtopic, code, topic_title, true=subtopic.pool_true - s["true"],
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
    _allocate(pools, request.items, request.distribution, rng)
    _rebalance_for_false(pools, false_items)
    if not _allocate_false(pools, false_items, rng):
        raise Invalid(_shortfall(request.items, false_items, available, False), code="insufficient_items",
                      extra={"available": available})
    operator_cap = max(1, math.floor(request.max_operator_share * false_items + 1e-9))
    picker, blocks, block_pools = _draw(session, request, rng, pools, false_items, operator_cap, variant_floor)
    balance_lengths(blocks, picker)
    if request.cue_balance:
        balance_cues(blocks, picker)
        balance_lengths(blocks, picker, keep_cues=True)  # the cue moves may have moved the mean lengths
    numbered = _number(blocks)
    exam, item_rows = _snapshot(request, seed, blocks, block_pools, numbered)
    exam.parameters = {**exam.parameters, "balance": balance_report(blocks, request.cue_balance)}
    # The fixed guessers' audit travels with the snapshot (the items never change afterwards).
    exam.parameters = {**exam.parameters, "audit": audit_rows(
        item_rows, topic_codes=[p.topic_code for p in block_pools], lexicon_dir=request.lexicon_dir)}
    session.add(exam)
    session.flush()
    # One executemany for the items instead of the unit of work's per-object bookkeeping.
    session.execute(sa.insert(ExamItem), [{**row, "exam_id": exam.id} for row in item_rows])
    if token is not None:
        session.add_all(SessionDraw(session_id=token, assertion_id=pick.assertion.id, exam_id=exam.id)
                        for _, pick in numbered)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("another request drew from this practice session at the same time; try again",
                       code="session_busy") from None
    return exam


# How many times the items are drawn before answering that no operator mix fits the cap. A small
# exam (4 false items allow each operator once) can draw items whose variants share operators;
# drawing again, from the same seeded generator, keeps the result reproducible.
_DRAWS = 8


def _draw(session: Session, request: ExamRequest, rng: random.Random, pools: list[_Pool], false_items: int,
          operator_cap: int, variant_floor: int) -> tuple[_Picker, list[list[_Unit]], list[_Pool]]:
    """Choose the items of every subtopic and which are shown false; draw again if the operator
    cap cannot be met with the items drawn."""
    first_error: ServiceError | None = None
    for _ in range(_DRAWS):
        picker = _Picker(session, request, rng, operator_cap, Counter(), variant_floor)
        try:
            picker.prepare([pool for pool in pools if pool.items > 0])
            blocks: list[list[_Unit]] = []
            block_pools: list[_Pool] = []
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


def _snapshot(request: ExamRequest, seed: int, blocks: list[list[_Unit]], pools: list[_Pool],
              numbered: list[tuple[int, _Pick]]) -> tuple[Exam, list[dict]]:
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
            explanation=(pick.shown.explanation if pick.shown else
                         (pick.assertion.explanation if pick.assertion.label == Label.E.value else None)),
            original_text=pick.assertion.text if pick.shown else None,
            depends_on_number=number_of.get(pick.follows) if pick.follows else None,
        ))
    return exam, rows


def _version_order(blocks: list[list[_Unit]], number_of: dict[int, int], seed: int, version: int) -> list[int]:
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
