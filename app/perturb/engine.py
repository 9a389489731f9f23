"""The engine loop: run every operator, keep what passes the guards, rank, explain."""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.perturb.lexicon import Lexicon, default_lexicon
from app.perturb.operators import OPERATORS, Candidate, Context
from app.perturb.precision import below_floor, corpus_precision, is_trusted
from app.perturb.text import TOKEN, Sentence, apply_edits
from app.search import fold

# When one assertion of a batch has several good candidates, the first place goes to the
# operator used least so far among those within this much risk of the best one: an exam should
# not be all antonyms or all negations.
DIVERSITY_SLACK = 0.3
# ... and whose operator's measured precision is within this much of the best one's.
PRECISION_SLACK = 0.05
# An item with fewer variants than this gets spare ones (Candidate.spare) up to this many.
SPARE_UNTIL = 2
_STACKED_NEGATION = re.compile(r"\bnão\s+(?:\w+\s+)?não\b", re.IGNORECASE)


@dataclass(frozen=True)
class Variant:
    """A false variant of a true assertion, with what changed and why it is false."""

    text: str
    operator: str
    category: str
    changes: tuple[dict, ...]
    explanation: str
    risk: float
    precision: float = 0.0  # the operator's measured precision (corpus, or adjusted by a bank's reviews)
    trusted: bool = False  # whether that precision lets the variant enter an exam unreviewed

    def as_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "text": self.text,
            "operator": self.operator,
            "category": self.category,
            "changes": [dict(c) for c in self.changes],
            "explanation": self.explanation,
            "risk": self.risk,
            "precision": self.precision,
            "trusted": self.trusted,
        }


def _edit_size(candidate: Candidate, original: str) -> int:
    """Words removed plus words added."""
    size = 0
    for edit in candidate.edits:
        size += len(TOKEN.findall(original[edit.start:edit.end])) + len(TOKEN.findall(edit.new))
    return size


def _new_words(candidate: Candidate, original: str) -> list[str]:
    present = {w.lower() for w in TOKEN.findall(original)}
    return [
        w for edit in candidate.edits for w in TOKEN.findall(edit.new)
        if w[0].isalpha() and w.lower() not in present
    ]


def _passes_guards(candidate: Candidate, sentence: Sentence, text: str, forbidden: frozenset[str]) -> bool:
    folded = fold(text)
    if folded == sentence.folded or folded in forbidden:
        return False
    original = sentence.text
    for edit in candidate.edits:
        if not 0 <= edit.start <= edit.end <= len(original):
            return False
        if sentence.touches_protected(edit.start, edit.end):
            return False
    lexicon = sentence.lexicon
    for word in _new_words(candidate, original):
        if word.lower() in candidate.terms or word.isupper():
            continue
        if not lexicon.is_word(word):
            return False
    return not _STACKED_NEGATION.search(text)


class _LazyRandom:
    """A random.Random seeded on first use: most operators never draw, and seeding costs."""

    __slots__ = ("_seed", "_rng")

    def __init__(self, seed: int) -> None:
        self._seed, self._rng = seed, None

    def __getattr__(self, name: str):  # noqa: ANN204
        if self._rng is None:
            self._rng = random.Random(self._seed)
        return getattr(self._rng, name)


# A fixed number per operator, from its name (not hash(), which changes between processes).
_OPERATOR_SALT = {operator.__name__: zlib.crc32(operator.__name__.encode()) << 32 for operator in OPERATORS}


def generate(
    text: str,
    *,
    rng: random.Random,
    lexicon: Lexicon | None = None,
    context: Context | None = None,
    forbidden: Iterable[str] = (),
    precision: Mapping[str, float] | None = None,
    floor: bool = True,
) -> list[Variant]:
    """Every false variant of `text` that passes the guards, best first: trusted operators first,
    then by the operator's measured precision, then lowest risk and smallest edit.

    `forbidden` holds the other texts of the bank: a variant equal to one of them is dropped (a
    frozenset is taken as already folded, so that a batch folds the bank once).
    `precision` maps operators to their measured precision (default: the corpus's figures).
    With `floor`, operators the corpus measured as more often wrong than right are not run.
    The same text, lexicon, context and rng state give the same list.
    """
    precision = corpus_precision() if precision is None else precision
    lexicon = lexicon or default_lexicon()
    context = context or Context()
    forbidden_folded = forbidden if isinstance(forbidden, frozenset) else frozenset(fold(t) for t in forbidden)
    sentence = Sentence(text, lexicon)
    scored: list[tuple[tuple, Variant]] = []
    pending: list[tuple[int, Candidate]] = []
    seen: set[str] = set()
    skipped = below_floor() if floor else frozenset()
    # Each operator draws from its own generator, seeded by one draw of `rng` and its name: adding,
    # removing or skipping an operator leaves the others' choices (and the judged corpus) as they were.
    base = rng.getrandbits(64)
    for order, operator in enumerate(OPERATORS):
        if operator.__name__ in skipped:
            continue
        operator_rng = _LazyRandom(base ^ _OPERATOR_SALT[operator.__name__])
        for candidate in operator(sentence, operator_rng, context):
            if candidate.spare:
                pending.append((order, candidate))
                continue
            scored_pair = _scored(candidate, order, sentence, seen, forbidden_folded, precision)
            if scored_pair is not None:
                scored.append(scored_pair)
    scored.sort(key=lambda pair: pair[0])
    # Spares (see Candidate.spare) fill up an item that has fewer than SPARE_UNTIL variants, after
    # the others: they never take a place an item's own variants would have.
    if len(scored) >= SPARE_UNTIL or not pending:
        return [variant for _, variant in scored]
    spares = [pair for order, candidate in pending
              if (pair := _scored(candidate, order, sentence, seen, forbidden_folded, precision)) is not None]
    spares.sort(key=lambda pair: pair[0])
    return [variant for _, variant in scored] + [variant for _, variant in spares[:SPARE_UNTIL - len(scored)]]


def _scored(candidate: Candidate, order: int, sentence: Sentence, seen: set[str], forbidden: frozenset[str],
            precision: Mapping[str, float]) -> tuple[tuple, Variant] | None:
    """The candidate's variant with its ranking key, or None where its text was already made or
    fails the guards; a kept text is added to `seen`."""
    text = sentence.text
    new_text = apply_edits(text, candidate.edits)
    if new_text in seen or not _passes_guards(candidate, sentence, new_text, forbidden):
        return None
    seen.add(new_text)
    size = candidate.size if candidate.size is not None else _edit_size(candidate, text)
    risk = round(min(1.0, candidate.risk + 0.03 * max(0, size - 2)), 3)
    changes = tuple(
        {"from": text[e.start:e.end], "to": e.new, "start": e.start, "end": e.end}
        for e in sorted(candidate.edits, key=lambda e: e.start)
    )
    measured = round(precision.get(candidate.operator, 0.0), 4)
    trusted = is_trusted(measured)
    variant = Variant(new_text, candidate.operator, candidate.category, changes, candidate.explanation, risk,
                      measured, trusted)
    return (not trusted, -round(measured, 2), risk, size, order, new_text), variant


def _near(variant: Variant, best: Variant) -> bool:
    """Whether `variant` may take the first place from `best` for the sake of diversity."""
    return variant.trusted == best.trusted and variant.precision >= best.precision - PRECISION_SLACK \
        and variant.risk <= best.risk + DIVERSITY_SLACK


def generate_many(
    texts: Sequence[str],
    *,
    rng: random.Random,
    lexicon: Lexicon | None = None,
    contexts: Sequence[Context] | None = None,
    forbidden: Iterable[str] = (),
    max_share: float = 0.3,
    precision: Mapping[str, float] | None = None,
    floor: bool = True,
    progress: Callable[[int], None] | None = None,
) -> list[list[Variant]]:
    """Variants for a batch of assertions, with operators spread across the first places.

    Each list is ranked as by `generate`; then the first place of an assertion may go to a
    candidate as trusted as its best, within PRECISION_SLACK of its precision and DIVERSITY_SLACK
    of its risk, so that no operator holds more than
    `max_share` of the batch's first places where the candidates allow it. `progress`, when
    given, is called with 1 after each assertion.
    """
    forbidden = frozenset(fold(t) for t in (tuple(forbidden) or tuple(texts)))
    results = []
    for i, text in enumerate(texts):
        results.append(generate(text, rng=rng, lexicon=lexicon, context=contexts[i] if contexts else None,
                                forbidden=forbidden, precision=precision, floor=floor))
        if progress is not None:
            progress(1)
    near = [[v for v in variants if _near(v, variants[0])] if variants else [] for variants in results]
    used: Counter[str] = Counter()
    picks: list[Variant | None] = []
    for options in near:  # greedy: the least used operator among the near candidates
        pick = min(options, key=lambda v: (used[v.operator], options.index(v))) if options else None
        if pick is not None:
            used[pick.operator] += 1
        picks.append(pick)
    cap = max(1, int(max_share * sum(1 for p in picks if p is not None)))
    for _ in range(len(picks)):  # repair: move first places away from operators over the cap
        over = [op for op, n in sorted(used.items()) if n > cap]
        if not over:
            break
        moved = False
        for i, pick in enumerate(picks):
            if pick is None or pick.operator not in over:
                continue
            alternatives = [v for v in near[i] if used[v.operator] < cap]
            if alternatives:
                best = min(alternatives, key=lambda v: (used[v.operator], near[i].index(v)))
                used[pick.operator] -= 1
                used[best.operator] += 1
                picks[i] = best
                moved = True
                if used[pick.operator] <= cap:
                    break
        if not moved:
            break
    for variants, pick in zip(results, picks, strict=True):
        if pick is not None:
            variants.remove(pick)
            variants.insert(0, pick)
    return results
