"""Sampling: the picker that chooses an exam's items and which of them are shown false (the windows
it draws from are read by windows.py)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.errors import Conflict, Invalid
from app.models import Assertion, Label, SessionDraw, Status, VariantKind
from app.services.generation.packed import KeptPool
from app.services.generation.pools import index_for
from app.services.generation.request import KEY_SPACE, ExamRequest, Pick, Pool, Unit
from app.services.generation.windows import (
    CandidateRow,
    VariantRow,
    WindowSpec,
    fetch_windows,
    kept_variants,
    read_windows,
    usable_variants,
)

# Enum values read once: an enum member's value is a descriptor lookup on every access, and these
# are compared for every candidate of every exam.
_TRUE, _FALSE, _PUBLISHED = Label.C.value, Label.E.value, Status.PUBLISHED.value
_FALSE_KIND, _REWRITE_KIND = VariantKind.FALSE.value, VariantKind.TRUE_REWRITE.value




# A subtopic this small is read whole, and its items drawn uniformly. A larger one is read through
# windows of its key order from a random pivot; the window is shuffled before items are taken
# from it, because taking the first keys after the pivot favours items that follow wide gaps
# between keys (in the seed's 10-item subtopics one item came up in 19 exams out of 30).
SMALL_POOL = 64


def _first_limit(pool: Pool) -> int:
    """How many candidates the first window reads: enough for the slots, plus some slack; a small
    subtopic whole."""
    if pool.total <= SMALL_POOL:
        return max(pool.total, 1)
    return pool.items + max(2, pool.items // 2)


class Picker:
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
        self.options: dict[int, list[VariantRow]] = {}  # usable variants seen, for roles and length balancing
        self.rewrites: dict[int, list[VariantRow]] = {}  # usable true rewrites seen, for cue balancing
        self.pivots: dict[int, int] = {}
        self.first_round: dict[int, list[CandidateRow]] = {}
        self.followers: dict[int, list[Assertion]] = {}  # published items that refer back to an id
        self.served_ids: set[int] | None = None  # what the practice session has already drawn
        # Per subtopic, true assertions read but not drawn, outside any chain (the windows already
        # leave out what a practice session has served): what the cue balance may bring in, in place
        # of a drawn item of the same subtopic, when that evens the cues out.
        self.spares: dict[int, list[CandidateRow]] = {}
        # text -> its stored cue features (the `surface` column), for every candidate and variant read:
        # what the cue balance reads instead of computing them again from the words.
        self.surfaces: dict[str, int | None] = {}
        # Each subtopic's pool kept in memory (pools.py), outside practice sessions: a session's
        # windows leave out what it has served, which only SQL knows.
        self.kept: dict[int, KeptPool] | None = None

    def prepare(self, pools: Sequence[Pool]) -> None:
        """Draw each subtopic's pivot and cut every first window: from the kept pools (read again for
        subtopics written since they were kept), or, in a practice session, with SQL."""
        specs_of: dict[int, list[WindowSpec]] = {}
        if self.request.session_token is None:
            self.kept = index_for(self.session).pools(self.session, [pool.subtopic for pool in pools])
        for pool in pools:
            pivot = self.pivots[pool.subtopic.id] = self.rng.randrange(KEY_SPACE)
            specs_of[pool.subtopic.id] = self._specs(pool, pivot, _first_limit(pool))
        windows = self._windows([s for specs in specs_of.values() for s in specs])
        for subtopic_id, specs in specs_of.items():
            self.first_round[subtopic_id] = self._merge(specs, windows, self.pivots[subtopic_id], set())
        first = [a for rows in self.first_round.values() for a in rows]
        self._load_options(first)
        if self.request.session_token:  # a session draws dependents along with their antecedents
            self._load_followers([a.id for a in first])

    def pick(self, pool: Pool) -> list[Unit]:
        """The assertions of one subtopic, in units; roles are assigned for the whole exam later."""
        return self._select(pool)

    # phase 1: which assertions

    def _select(self, pool: Pool) -> list[Unit]:
        # In a practice session an antecedent drawn alone would strand the items that refer to
        # it (they could never be served without repeating it), so they are drawn with it when
        # the slots allow; only if that cannot fill the subtopic are antecedents drawn alone.
        for pull_dependents in ((True, False) if self.request.session_token else (False,)):
            units = self._try_select(pool, pull_dependents)
            if units is not None:
                return units
        raise self._shortfall(pool)

    def _try_select(self, pool: Pool, pull_dependents: bool) -> list[Unit] | None:
        wanted, false_wanted = pool.items, pool.false_items
        units: list[Unit] = []
        chosen: dict[int, Pick] = {}
        locked: set[int] = set()  # antecedents of chosen items: shown true
        pivot = self.pivots[pool.subtopic.id]
        limit = _first_limit(pool)
        seen: set[int] = set()
        read: dict[int, Assertion] = {}
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
            read.update((a.id, a) for a in candidates)
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
                    units.append(Unit(new))
            if len(chosen) == wanted:
                self.used.update(chosen)
                if self.request.session_token:
                    # A practice session is drawn to serve its whole pool without repeats: replacing
                    # drawn items by ones with cue-free variants would leave the others to its last
                    # exams, which could then not be made. The balance keeps to the drawn items there.
                    return units
                self.spares[pool.subtopic.id] = [
                    a for a in read.values() if a.id not in chosen and a.id not in self.used
                    and a.label == _TRUE and a.depends_on_id is None and not self.followers.get(a.id)]
                return units
            limit *= 4
        return None

    def _dependents_of(self, assertion: Assertion, chosen: dict[int, Pick]) -> list[Pick]:
        """The chain of not-yet-served items that refer back to `assertion`, each right after the last."""
        out: list[Pick] = []
        current = assertion
        while True:
            self._load_followers([current.id])
            nxt = next((a for a in self.followers[current.id] if a.subtopic_id == current.subtopic_id
                        and a.id not in chosen and a.id not in self.used and not self._served(a.id)), None)
            if nxt is None:
                return out
            out.append(Pick(nxt, follows=current.id))
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
            if follower.status == _PUBLISHED:
                self.followers[follower.depends_on_id].append(follower)

    def _unit_for(self, assertion: Assertion, chosen: dict[int, Pick],
                  units: list[Unit]) -> tuple[list[Pick], Unit | None] | None:
        """The picks an assertion brings (its antecedent chain first), and the unit to join, if any."""
        chain: list[Assertion] = []
        current = assertion
        while current.depends_on_id is not None:
            if current.depends_on_id in chosen:
                break
            antecedent = self.session.get(Assertion, current.depends_on_id)
            if antecedent is None or antecedent.status != _PUBLISHED or \
                    antecedent.label != _TRUE or antecedent.subtopic_id != assertion.subtopic_id or \
                    antecedent.id in self.used or self._served(antecedent.id):
                return None
            chain.append(antecedent)
            current = antecedent
        picks = [Pick(a, follows=a.depends_on_id) for a in reversed(chain)]
        picks.append(Pick(assertion, follows=assertion.depends_on_id))
        if picks[0].follows is None:
            return picks, None
        # Joins the unit whose last item is its antecedent; anywhere else it would not come right after it.
        anchor = next((u for u in units if u.picks[-1].assertion.id == picks[0].follows), None)
        return (picks, anchor) if anchor is not None else None

    def _fits(self, new: list[Pick], chosen: dict[int, Pick], locked: set[int], wanted: int,
              false_wanted: int) -> bool:
        """Whether adding `new` keeps room for exactly `false_wanted` false items."""
        if len(chosen) + len(new) > wanted:
            return False
        after = {**chosen, **{p.assertion.id: p for p in new}}
        now_locked = locked | {p.follows for p in new if p.follows is not None}
        forced = sum(1 for p in after.values() if p.assertion.label == _FALSE)
        if forced > false_wanted:
            return False
        capable = sum(1 for p in after.values() if self._false_capable(p, now_locked))
        remaining = wanted - len(after)
        must_be_true = len(after) - capable
        return capable + remaining >= false_wanted and must_be_true <= wanted - false_wanted

    def _false_capable(self, pick: Pick, locked: set[int]) -> bool:
        if pick.assertion.label == _FALSE:
            return True
        return pick.assertion.id not in locked and bool(self.options.get(pick.assertion.id))

    # phase 2: which are shown false, over the whole exam

    def assign_roles(self, blocks: list[list[Unit]], pools: list[Pool], false_items: int) -> None:
        """Show exactly `false_items` items false: E assertions always, then variants.

        Each block aims at its planned share; a block that cannot (operator caps) leaves its
        share to others. The least-used operator goes first, so no operator passes its cap.
        """
        quota = {}
        eligible: list[tuple[int, Pick]] = []
        for index, (units, pool) in enumerate(zip(blocks, pools, strict=True)):
            picks = [p for u in units for p in u.picks]
            locked = {p.follows for p in picks if p.follows is not None}
            quota[index] = pool.false_items - sum(1 for p in picks if p.assertion.label == _FALSE)
            eligible += [(index, p) for p in picks
                         if p.assertion.label == _TRUE and self._false_capable(p, locked)]
        self.rng.shuffle(eligible)
        left = false_items - sum(1 for units in blocks for u in units for p in u.picks
                                 if p.assertion.label == _FALSE)
        operators = {v.operator for _, p in eligible for v in self.options[p.assertion.id]}
        while left > 0:
            best = None
            # No item can do better than a block short of its share taking the least-used operator
            # with room: the first item that does is the best, and the scan stops there.
            floor = min((self.operator_use[o] for o in operators if self.operator_use[o] < self.operator_cap),
                        default=None)
            use, cap, options = self.operator_use, self.operator_cap, self.options
            for position, (index, pick) in enumerate(eligible):
                # The first of the item's variants whose operator is least used, among those with room.
                variant, used = None, cap
                for v in options[pick.assertion.id]:
                    if (n := use[v.operator]) < used:
                        variant, used = v, n
                if variant is None:
                    continue
                rank = (quota[index] <= 0, used, position)
                if best is None or rank < best[0]:
                    best = (rank, position, index, pick, variant)
                    if rank[:2] == (False, floor):
                        break
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

    def _specs(self, pool: Pool, pivot: int, limit: int) -> list[WindowSpec]:
        subtopic_id = pool.subtopic.id
        specs = [WindowSpec(subtopic_id, _TRUE, pivot, limit)]
        if pool.false_items > 0 and pool.false > 0:
            specs.append(WindowSpec(subtopic_id, _FALSE, pivot, limit))
        if pool.false_items > 0 and pool.variants > 0:
            specs.append(WindowSpec(subtopic_id, _TRUE, pivot, limit, self.variant_floor))
        return specs

    def _merge(self, specs: list[WindowSpec], windows: dict[WindowSpec, list[CandidateRow]], pivot: int,
               seen: set[int]) -> list[CandidateRow]:
        """The windows' assertions not seen before, in key order from the pivot, then shuffled."""
        merged = {a.id: a for spec in specs for a in windows[spec] if a.id not in seen}
        self.surfaces.update((a.text, a.surface) for a in merged.values())
        ordered = sorted(merged.values(), key=lambda a: ((a.sample_key - pivot) % KEY_SPACE, a.id))
        self.rng.shuffle(ordered)
        return ordered

    def _candidates(self, pool: Pool, pivot: int, limit: int, seen: set[int]) -> list[CandidateRow]:
        specs = self._specs(pool, pivot, limit)
        return self._merge(specs, self._windows(specs), pivot, seen)

    def _windows(self, specs: Sequence[WindowSpec]) -> dict[WindowSpec, list]:
        """The windows, cut from the kept pools; with SQL in a practice session and for subtopics
        whose pools are not kept (pools.PoolIndex.pools says when)."""
        if self.kept is None:
            return fetch_windows(self.session, specs, self.request.session_token)
        found = read_windows([s for s in specs if s.subtopic_id in self.kept], self.kept)
        cold = [s for s in specs if s.subtopic_id not in self.kept]
        if cold:
            found.update(fetch_windows(self.session, cold, None))
        return found

    def _load_options(self, candidates: Sequence[Assertion]) -> None:
        wanted = [a for a in candidates if a.label == _TRUE and a.id not in self.options]
        if self.kept is None:
            found = usable_variants(self.session, [a.id for a in wanted], self.request)
        else:
            found = kept_variants(self.kept, [a for a in wanted if a.subtopic_id in self.kept], self.request)
            cold = [a.id for a in wanted if a.subtopic_id not in self.kept]
            if cold:  # in assertion order, as either source gives them
                found = dict(sorted({**found, **usable_variants(self.session, cold, self.request)}.items()))
        for assertion_id, rows in found.items():
            self.surfaces.update((v.text, v.surface) for v in rows)
            false = [v for v in rows if v.kind == _FALSE_KIND]
            if false:
                self.options[assertion_id] = false
            rewrites = [v for v in rows if v.kind == _REWRITE_KIND]
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

    def _shortfall(self, pool: Pool) -> Invalid | Conflict:
        what = (f"subtopic {pool.subtopic.number} of topic {pool.topic_code} cannot give "
                f"{pool.items - pool.false_items} true and {pool.false_items} false items with these settings "
                "(items that refer back need their antecedent, shown true, right before them)")
        available = {"available": {"subtopic_id": pool.subtopic.id, "true": pool.true, "false": pool.false_cap}}
        if self.request.session_token:
            return Conflict(f"this practice session has used up what it can be served without repeats: {what}; "
                            "reset the session to start over", code="session_exhausted", extra=available)
        return Invalid(what, code="insufficient_items", extra=available)
