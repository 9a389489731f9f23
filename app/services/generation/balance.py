"""Balancing an exam's surface so that a test-wise candidate cannot read the key off it.

After the items and their roles are drawn, two passes trade roles and variants:

- lengths: true and false items of similar mean length (the older pass, always on: lengths.py);
- cues (`cue_balance`, on by default): the share of items carrying a cue word ("não", "sempre",
  "apenas", ...), a word the variant engine writes ("garante", "obrigatoriamente", ...), an odd
  number of negative words, or a length above the exam's median, is made as equal as the pool
  allows between true and false items. Each of those shares is what one fixed guesser of the
  audit (services/audit) exploits: its net score is the false share minus the true share.

Moves, anywhere in the exam and within the operator caps: show a false item through another of its
usable variants; trade roles between a false item and a true one (A shown true, B through one of
its variants); show a true item through one of its usable true rewrites (the same claim restated,
"é irreversível" -> "não é reversível": app/perturb/rewrites/), or as itself again; replace a drawn
item by an assertion of its subtopic that was read but not drawn, in the same role (looked for
only when nothing else helps). An operator at its cap may still be taken when one of its false
items can be shown through another variant with the same features (the "relief", moved along).
A move is taken while it lowers the worst gap. What is left is reported with the
exam (`parameters.balance`), with the reason when the pool could not do better.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from app.models import Assertion, Label, Variant
from app.services.audit import surface
from app.services.generation.request import Pick

if TYPE_CHECKING:  # the picker and its picks live in sampling.py and request.py; assembly imports this module
    from app.services.generation.request import Unit
    from app.services.generation.sampling import Picker

# The share of cue-carrying items may differ by at most this between true and false items, and
# median lengths by at most LENGTH_TOLERANCE of the true items' median (the issue's bounds).
CUE_TOLERANCE = 0.10
LENGTH_TOLERANCE = 0.05
# The pass aims lower than the bounds where the pool allows, so that the mean over many exams stays
# well inside them; it stops once every gap is this small.
CUE_TARGET = 0.03
_MAX_MOVES = 80
FEATURES = ("cue_words", "engine_words", "negations", "length")
_TRUE = Label.C.value


def texts_by_label(blocks: list[list[Unit]]) -> tuple[list[str], list[str]]:
    picks = [p for block in blocks for unit in block for p in unit.picks]
    return ([p.text for p in picks if p.label == Label.C.value], [p.text for p in picks if p.label == Label.E.value])


Counts = tuple[int, int, int, int]
# What a subtopic's spares bring in, shown true and shown false, and the texts that was read from.
Sides = tuple[dict, dict, frozenset[str]]
_ZERO: Counts = (0, 0, 0, 0)


def _sub(a: Counts, b: Counts) -> Counts:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3])


class _Vectors(dict):
    """text -> its Counts: the three word features (kept for the whole pass) and whether the text is
    longer than the exam's median (recomputed when a move shifts the median). Read as `vectors[text]`:
    a dictionary hit, with no function call in the pass's inner loops."""

    def __init__(self, stored: dict[str, int | None]) -> None:
        super().__init__()
        self.stored = stored  # text -> its stored surface value, for the candidates read (the picker's)
        self.surfaces: dict[str, tuple[int, int, int]] = {}
        self.median: float | None = None
        self.by_length: dict[int, list[str]] = {}  # the texts held, by length
        # subtopic id -> what its spares could bring in (see _spare_sides) and the texts that was read
        # from: kept until one of those texts changes its vector.
        self.spare_sides: dict[int, Sides] = {}

    def at(self, median: float) -> _Vectors:
        """The vectors for this median: only the texts whose length lies between the old median and
        the new one change their last count."""
        if median != self.median:
            if self.median is not None:
                low, high = sorted((self.median, median))
                flipped = set()
                for length in range(math.floor(low) + 1, math.floor(high) + 1):
                    for text in self.by_length.get(length, ()):
                        self[text] = (*self.surfaces[text], int(length > median))
                        flipped.add(text)
                if flipped:
                    for subtopic_id in [k for k, (*_, texts) in self.spare_sides.items()
                                        if not texts.isdisjoint(flipped)]:
                        del self.spare_sides[subtopic_id]
            self.median = median
        return self

    def __missing__(self, text: str) -> Counts:
        words = self.surfaces.get(text)
        if words is None:
            cue, engine, negations = surface.read(self.stored.get(text), text)
            words = self.surfaces[text] = (int(cue), int(engine), int(negations))
        length = len(text)
        self.by_length.setdefault(length, []).append(text)
        found = self[text] = (*words, int(length > self.median))
        return found


def _total(vectors: Sequence[Counts]) -> Counts:
    if not vectors:
        return _ZERO
    cue, engine, negations, long = zip(*vectors, strict=True)
    return (sum(cue), sum(engine), sum(negations), sum(long))


def _median(values: list[int]) -> float:
    """statistics.median, on a list it may sort in place."""
    values.sort()
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def balance_cues(blocks: list[list[Unit]], picker: Picker) -> None:
    """Trade roles and variants while that lowers the worst cue or length gap.

    A gap is (share among false items) − (share among true items) of one feature. A move changes
    the feature counts of each side by what leaves and what joins it, so a move is its pair of
    count changes (false side, true side); with four yes/no features only a few dozen distinct
    changes exist, and each is scored once however many items produce it.
    """
    vectors = _Vectors(picker.surfaces)
    # The items others refer back to: moves never change them, and a replacement is always a lone item.
    antecedents = {p.follows for block in blocks for unit in block for p in unit.picks if p.follows is not None}
    for _ in range(_MAX_MOVES):
        if not _move(blocks, picker, vectors, antecedents):
            return


def _move(blocks: list[list[Unit]], picker: Picker, vectors: _Vectors, antecedents: set[int]) -> bool:
    """Make the best move that lowers the gaps; False when none does (or they are small enough).

    Moves are looked at in a fixed order (switches, trades, rewrites, then replacements) and the
    first of the best scores is taken, so the same draw always gives the same exam.
    """
    use, cap, options = picker.operator_use, picker.operator_cap, picker.options
    true_picks: list[tuple[Pick, str]] = []  # items shown true, with the text shown
    false_picks: list[Pick] = []
    false_texts: list[str] = []
    # Any true assertion that no other item refers back to may change roles, the last item of a
    # chain too ("a solução para o desafio anterior ..."): shown false now (a_side) or true (b_side).
    a_side: list[Pick] = []
    b_side: list[tuple[Pick, str]] = []
    for block in blocks:
        for unit in block:
            for p in unit.picks:
                assertion, variant = p.assertion, p.variant
                if variant is not None:
                    false_picks.append(p)
                    false_texts.append(variant.text)
                    if assertion.label == _TRUE and assertion.id not in antecedents:
                        a_side.append(p)
                    continue
                rewrite = p.rewrite
                text = rewrite.text if rewrite is not None else assertion.text
                if assertion.label == _TRUE:
                    true_picks.append((p, text))
                    if assertion.id not in antecedents:
                        b_side.append((p, text))
                else:
                    false_picks.append(p)
                    false_texts.append(text)
    n_t, n_f = len(true_picks), len(false_picks)
    if n_t < 2 or n_f < 2:
        return False
    vec = vectors.at(_median([len(t) for _, t in true_picks] + [len(t) for t in false_texts]))

    # An operator at its cap can still be taken if one of its false items can be shown through
    # another variant with the same features, of an operator with room: that item moves along.
    reliefs: dict[str, tuple[Pick, Variant]] = {}
    for p in false_picks:
        operator = p.variant.operator if p.variant is not None else None
        if operator is None or operator in reliefs or use[operator] < cap:
            continue
        same = vec[p.variant.text]
        other = next((v for v in options.get(p.assertion.id, ()) if v.operator != operator
                      and use[v.operator] < cap and vec[v.text] == same), None)
        if other is not None:
            reliefs[operator] = (p, other)

    def room(freed: str, taken: str) -> tuple | None:
        """() when `taken` has room, (the relief,) when it has through a relief, None when not."""
        if taken == freed or use[taken] < cap:
            return ()
        relief = reliefs.get(taken)
        return (relief,) if relief is not None else None

    f0, f1, f2, f3 = _total([vec[t] for t in false_texts])
    t0, t1, t2, t3 = _total([vec[t] for _, t in true_picks])

    def score(d_f: Counts, d_t: Counts) -> tuple[float, float]:
        # The four gaps written out: this runs for every distinct change of every move.
        g0 = (f0 + d_f[0]) / n_f - (t0 + d_t[0]) / n_t
        g1 = (f1 + d_f[1]) / n_f - (t1 + d_t[1]) / n_t
        g2 = (f2 + d_f[2]) / n_f - (t2 + d_t[2]) / n_t
        g3 = (f3 + d_f[3]) / n_f - (t3 + d_t[3]) / n_t
        return max(abs(g0), abs(g1), abs(g2), abs(g3)), g0 * g0 + g1 * g1 + g2 * g2 + g3 * g3

    current = score(_ZERO, _ZERO)
    if current[0] <= CUE_TARGET:
        return False
    # The best score so far and its move; a move is built only when it scores better.
    bound, move = current, None

    # Role trades: A (false) shown true, B (true) shown through one of its variants; the change
    # is A's part plus B's part, and one representative per distinct part is enough.
    a_parts: dict[tuple, Pick] = {}
    for a in a_side:
        shown = a.variant
        gone, freed = vec[shown.text], shown.operator
        key = ((-gone[0], -gone[1], -gone[2], -gone[3]), vec[a.assertion.text], freed)
        if key not in a_parts:
            a_parts[key] = a
        seen: set[Counts] = set()
        for variant in options.get(a.assertion.id, ()):  # or another of its own variants
            joins = vec[variant.text]
            change = (joins[0] - gone[0], joins[1] - gone[1], joins[2] - gone[2], joins[3] - gone[3])
            if variant.id != shown.id and change not in seen and \
                    (relief := room(freed, variant.operator)) is not None:
                seen.add(change)
                if (result := score(change, _ZERO)) < bound:
                    bound, move = result, ("switch", a, variant, relief)
    b_parts: dict[tuple, tuple] = {}
    for b, text in b_side:
        now = vec[text]
        left = (-now[0], -now[1], -now[2], -now[3])
        for variant in options.get(b.assertion.id, ()):
            key = (vec[variant.text], left, variant.operator)
            if key not in b_parts:
                b_parts[key] = (b, variant)
    b_list = [(b_f, b_t, taken, b, variant) for (b_f, b_t, taken), (b, variant) in b_parts.items()]
    scored: set[tuple[Counts, Counts]] = set()  # a later trade with the same change cannot score better
    for (a_f, a_t, freed), a in a_parts.items():
        for b_f, b_t, taken, b, variant in b_list:
            change = ((a_f[0] + b_f[0], a_f[1] + b_f[1], a_f[2] + b_f[2], a_f[3] + b_f[3]),
                      (a_t[0] + b_t[0], a_t[1] + b_t[1], a_t[2] + b_t[2], a_t[3] + b_t[3]))
            if change in scored:
                continue
            if taken == freed or use[taken] < cap:
                relief = ()
            else:
                found = reliefs.get(taken)
                if found is None or found[0] is a:
                    continue
                relief = (found,)
            scored.add(change)
            if (result := score(*change)) < bound:
                bound, move = result, ("trade", a, b, variant, relief)
    # A true item (of a chain too: a rewrite keeps the label and the words that refer back)
    # shown through a true rewrite, or as itself again.
    rewrites = picker.rewrites
    for b, text in true_picks:
        now = vec[text]
        current_rewrite = b.rewrite
        for rewrite in rewrites.get(b.assertion.id, ()):
            if current_rewrite is None or rewrite.id != current_rewrite.id:
                joins = vec[rewrite.text]
                change = (joins[0] - now[0], joins[1] - now[1], joins[2] - now[2], joins[3] - now[3])
                if (result := score(_ZERO, change)) < bound:
                    bound, move = result, ("rewrite", b, rewrite)
        if current_rewrite is not None:
            joins = vec[b.assertion.text]
            change = (joins[0] - now[0], joins[1] - now[1], joins[2] - now[2], joins[3] - now[3])
            if (result := score(_ZERO, change)) < bound:
                bound, move = result, ("rewrite", b, None)
    # Failing those, a drawn item replaced by an assertion of its subtopic that was read but not
    # drawn, in the same role: shown true (as itself or through a true rewrite) or through one of
    # its variants. Last, because it costs most to look for and moves the exam off its draw.
    if move is None:
        move = _best_substitute(blocks, picker, vec, vectors.spare_sides, score, room, bound)
    if move is None:
        return False
    if move[0] == "rewrite":
        move[1].rewrite = move[2]
        return True
    for relief, variant in move[-1]:  # first, so that the move finds its operator's room
        _switch(picker, relief, variant)
    if move[0] == "substitute":
        _substitute(blocks, picker, *move[1:-1])
        vectors.spare_sides.pop(move[2].subtopic_id, None)
    elif move[0] == "switch":
        _switch(picker, move[1], move[2])
    else:
        _, a, b, variant, _ = move
        use[a.variant.operator] -= 1
        use[variant.operator] += 1
        a.variant, b.variant, b.rewrite = None, variant, None
    return True


def _switch(picker: Picker, pick: Pick, variant: Variant) -> None:
    """Show a false item through another of its variants."""
    picker.operator_use[pick.variant.operator] -= 1
    picker.operator_use[variant.operator] += 1
    pick.variant = variant


def _spare_sides(picker: Picker, subtopic_id: int, vec: _Vectors) -> Sides:
    """What a subtopic's spares bring in: shown true (Counts -> the first spare and rewrite giving
    them) and shown false ((Counts, operator) -> the first spare and variant); and the texts read."""
    as_true: dict[Counts, tuple] = {}
    as_false: dict[tuple[Counts, str], tuple] = {}
    texts: set[str] = set()
    for spare in picker.spares.get(subtopic_id, ()):
        for rewrite in (None, *picker.rewrites.get(spare.id, ())):
            text = rewrite.text if rewrite else spare.text
            texts.add(text)
            as_true.setdefault(vec[text], (spare, None, rewrite))
        for variant in picker.options.get(spare.id, ()):
            texts.add(variant.text)
            as_false.setdefault((vec[variant.text], variant.operator), (spare, variant, None))
    return as_true, as_false, frozenset(texts)


def _best_substitute(blocks: list[list[Unit]], picker: Picker, vec: _Vectors,
                     sides: dict[int, Sides], score: Callable[[Counts, Counts], tuple[float, float]],
                     room: Callable[[str, str], tuple | None], bound: tuple[float, float]) -> tuple | None:
    """The first best replacement of a lone drawn true assertion that scores below `bound`."""
    by_subtopic: dict[int, list[Pick]] = {}
    for block in blocks:
        for unit in block:
            if len(unit.picks) == 1 and unit.picks[0].assertion.label == _TRUE:
                p = unit.picks[0]
                by_subtopic.setdefault(p.assertion.subtopic_id, []).append(p)
    move = None
    seen: set[tuple] = set()  # one representative per distinct change, over all subtopics
    for subtopic_id, drawn in by_subtopic.items():
        if not picker.spares.get(subtopic_id):
            continue
        found = sides.get(subtopic_id)
        if found is None:
            found = sides[subtopic_id] = _spare_sides(picker, subtopic_id, vec)
        as_true, as_false, _ = found
        for p in drawn:
            if p.variant is None:
                gone = vec[p.text]
                for joins, shown in as_true.items():
                    if (key := (True, gone, joins)) not in seen:
                        seen.add(key)
                        if (result := score(_ZERO, _sub(joins, gone))) < bound:
                            bound, move = result, ("substitute", p, *shown, ())
            else:
                gone, freed = vec[p.variant.text], p.variant.operator
                for (joins, taken), shown in as_false.items():
                    if (key := (False, gone, joins, freed, taken)) in seen:
                        continue
                    relief = room(freed, taken)
                    if relief is not None and all(r[0] is not p for r in relief):
                        seen.add(key)
                        if (result := score(_sub(joins, gone), _ZERO)) < bound:
                            bound, move = result, ("substitute", p, *shown, relief)
    return move


def _substitute(blocks: list[list[Unit]], picker: Picker, gone: Pick, spare: Assertion, variant: Variant | None,
                rewrite: Variant | None) -> None:
    """Put `spare` where `gone` stood, shown through `variant` (false) or `rewrite` (true) or as itself."""
    unit = next(u for block in blocks for u in block if u.picks[0] is gone)
    unit.picks[0] = Pick(spare, variant=variant, rewrite=rewrite)
    if variant is not None:
        picker.operator_use[gone.variant.operator] -= 1
        picker.operator_use[variant.operator] += 1
    spares = picker.spares[spare.subtopic_id]
    spares.remove(spare)
    spares.append(gone.assertion)
    picker.used.discard(gone.assertion.id)
    picker.used.add(spare.id)


def has_room(picker: Picker, freed: str, taken: str) -> bool:
    return taken == freed or picker.operator_use[taken] < picker.operator_cap


Entry = tuple[int, tuple[bool, bool, bool]]  # a text's length and its word features


def entries(texts: Sequence[str], stored: Mapping[str, int | None]) -> list[Entry]:
    """Each text's length and features, read off its stored surface value (`stored`: text -> value,
    the picker's `surfaces`) when that is current, else computed from the words."""
    return [(len(text), surface.read(stored.get(text), text)) for text in texts]


def worst_gap(true_entries: Sequence[Entry], false_entries: Sequence[Entry]) -> float:
    """The largest gap, over the four features, between false and true items' shares."""
    if not true_entries or not false_entries:
        return 0.0
    median = statistics.median([n for n, _ in true_entries] + [n for n, _ in false_entries])
    t, f = _shares(true_entries, median), _shares(false_entries, median)
    return max(abs(f[k] - t[k]) for k in range(len(FEATURES)))


def _shares(entries: Sequence[Entry], median: float) -> list[float]:
    """The share of entries with each feature (FEATURES' order), a length above `median` last."""
    counts = [0, 0, 0, 0]
    for length, (cue, engine, negations) in entries:
        counts[0] += cue
        counts[1] += engine
        counts[2] += negations
        counts[3] += length > median
    return [c / len(entries) for c in counts]


def report(blocks: list[list[Unit]], enabled: bool, stored: Mapping[str, int | None]) -> dict:
    """The balance an exam reached: shares per feature for true and false items, median lengths,
    whether the bounds hold, and why not when they do not. `stored`: as for `entries`."""
    true_texts, false_texts = texts_by_label(blocks)
    out: dict = {"cue_balance": enabled}
    if not true_texts or not false_texts:
        out.update(balanced=True, note="o simulado não tem itens certos e errados para comparar")
        return out
    median = statistics.median(len(x) for x in true_texts + false_texts)
    t, f = _shares(entries(true_texts, stored), median), _shares(entries(false_texts, stored), median)
    out["shares"] = {name: {"true": round(t[k], 4), "false": round(f[k], 4)}
                     for k, name in enumerate(FEATURES)}
    median_true = statistics.median(len(x) for x in true_texts)
    median_false = statistics.median(len(x) for x in false_texts)
    out["median_length"] = {"true": median_true, "false": median_false}
    cue_gap = abs(f[0] - t[0])
    length_gap = abs(median_false - median_true) / median_true if median_true else 0.0
    out["balanced"] = cue_gap <= CUE_TOLERANCE + 1e-9 and length_gap <= LENGTH_TOLERANCE + 1e-9
    if not out["balanced"]:
        reasons = []
        if cue_gap > CUE_TOLERANCE + 1e-9:
            reasons.append(
                f"palavras-pista em {f[0]:.0%} dos itens errados e {t[0]:.0%} dos certos: "
                + ("o banco não oferece variantes sem essas palavras para os itens sorteados"
                   if f[0] > t[0] else "poucos itens certos sem essas palavras no sorteio"))
        if length_gap > LENGTH_TOLERANCE + 1e-9:
            reasons.append(f"medianas de tamanho {median_false} (errados) e {median_true} (certos) caracteres")
        out["note"] = ("equilíbrio não alcançado: " if enabled else "equilíbrio desligado: ") + "; ".join(reasons)
    return out
