"""The fixed guessers of the exam audit: test-wise strategies that answer from surface cues only.

Each guesser reads the items of one exam (text and position, never the label) and answers C, E or
leaves an item blank; it is then scored against the key by the CESPE rule, +1 right, −1 wrong,
0 blank, and its *net* is (right − wrong) / number of items: its score as a share of the maximum.
A good exam leaves every guesser near 0.

No guesser depends on the order of the items, so an exam's versions (cadernos: the same items in
another order) share one audit.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources

from app.perturb.lexicon import PhraseTable
from app.search import fold

C, E = "C", "E"
# Two items whose word sets overlap at least this much (Jaccard) are a pair: nearly the same sentence,
# most likely a true item and an edit of it. 0.6 keeps sentences that differ by a negation, an absolute
# word or a swapped term (one or two words in ten), and leaves out sentences that merely share a subject.
PAIR_JACCARD = 0.6

_WORD = re.compile(r"\w+(?:-\w+)*")


@dataclass(frozen=True)
class AuditItem:
    """One item as the audit sees it: number, text, key label, and the assertion it came from
    (so that the learned guesser never trains on the exam it is tested on)."""

    number: int
    text: str
    label: str
    assertion_id: int | None = None


@dataclass(frozen=True)
class GuesserResult:
    """How one guesser did: items right, wrong and blank, and net = (right − wrong) / items."""

    name: str
    description: str
    right: int
    wrong: int
    blank: int
    net: float
    training_items: int | None = None  # the learned guesser: how many items it practised on
    practice: str | None = None  # the learned guesser: "exams" (other issued exams) or "bank"

    def as_dict(self) -> dict:
        out = asdict(self)
        for optional in ("training_items", "practice"):
            if out[optional] is None:
                del out[optional]
        return out


Phrase = tuple[str, ...]


@dataclass(frozen=True)
class CueLists:
    """The word lists the guessers look for, as folded word sequences."""

    cue_words: tuple[Phrase, ...]
    engine_words: tuple[Phrase, ...]
    negative_words: tuple[Phrase, ...]

    @cached_property
    def _counter(self) -> PhraseCounter:
        every = tuple(set(self.cue_words) | set(self.engine_words) | set(self.negative_words))
        return PhraseCounter((self.cue_words, self.engine_words, self.negative_words, every))

    @cached_property
    def _counted(self) -> dict[str, tuple[int, ...]]:
        return {}

    def counts(self, text: str) -> tuple[int, ...]:
        """How many times the text has a cue word, an engine word, a negative word, and any of them
        (a phrase in two lists counted once): `count_phrases` of each list, the texts of an exam
        counted once for all its guessers."""
        found = self._counted.get(text)
        if found is None:
            if len(self._counted) >= _COUNTED_TEXTS:
                self._counted.clear()
            found = self._counted[text] = self._counter.counts(words(text))
        return found


_COUNTED_TEXTS = 4096  # texts whose counts a CueLists keeps (a few exams' worth)
# Texts whose surface features (audit/surface.py) are kept per process. An exam reads a few
# hundred texts, the cue balance a few thousand; 8,192 holds several exams' worth. A larger cache
# filled with the whole bank over hours of traffic and cost each worker tens of MB (Pss) for no speed.
TEXTS_CACHED = 8192
# Texts whose folded words are kept per process: what one exam's audit reads, each text several
# times (its counts, its pairs, its learned features). The features keep their own answers and
# fold their texts without this cache: through it, the cue balance's thousands of texts kept
# 8,192 word tuples, about 6 MB per worker, for answers the features had already kept.
WORDS_CACHED = 1024


def split_words(text: str) -> tuple[str, ...]:
    """The folded words of a text: lower case, no accents ("Não é" -> ("nao", "e"))."""
    return tuple(_WORD.findall(fold(text)))


@lru_cache(maxsize=WORDS_CACHED)
def words(text: str) -> tuple[str, ...]:
    """`split_words`, kept for the texts read last."""
    return split_words(text)


@lru_cache(maxsize=256)
def _by_length(phrases: tuple[Phrase, ...]) -> tuple[tuple[int, frozenset[Phrase]], ...]:
    lengths: dict[int, set[Phrase]] = {}
    for phrase in phrases:
        lengths.setdefault(len(phrase), set()).add(phrase)
    return tuple((size, frozenset(group)) for size, group in sorted(lengths.items()))


def count_phrases(tokens: Sequence[str], phrases: Iterable[Phrase]) -> int:
    """How many times any of the phrases occurs in `tokens` as whole words."""
    tokens = tuple(tokens)
    total = 0
    for size, group in _by_length(tuple(phrases)):
        total += sum(1 for i in range(len(tokens) - size + 1) if tokens[i:i + size] in group)
    return total


class PhraseCounter:
    """Counts of several phrase lists in one pass over a text's words: what `count_phrases` gives
    for each list, with the lists indexed once by their phrases' first word."""

    def __init__(self, lists: Sequence[Iterable[Phrase]]) -> None:
        self.size = len(lists)
        self._by_first: dict[str, list[tuple[Phrase, int]]] = {}
        for index, phrases in enumerate(lists):
            for phrase in set(phrases):
                if phrase:
                    self._by_first.setdefault(phrase[0], []).append((phrase, index))

    def counts(self, tokens: Sequence[str]) -> tuple[int, ...]:
        found = [0] * self.size
        tokens = tuple(tokens)
        for i, token in enumerate(tokens):
            for phrase, index in self._by_first.get(token, ()):
                if len(phrase) == 1 or tokens[i:i + len(phrase)] == phrase:
                    found[index] += 1
        return tuple(found)


def strip_comments(lines: Iterable[str]) -> list[str]:
    """Lines of a word-list file without comments and blank lines."""
    out = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def _data_lines(package: str, name: str) -> list[str]:
    text = resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
    return strip_comments(text.splitlines())


def _phrases(lines: Iterable[str]) -> tuple[Phrase, ...]:
    return tuple(sorted({p for p in (words(line) for line in lines) if p}))


@cache
def _engine_words() -> tuple[Phrase, ...]:
    """What the variant engine writes into a true sentence to make it false: the target forms of its
    extrapolation and modality tables, its absolute words and the replacements of its connective
    operators (app/perturb/data/)."""
    lines: list[str] = []
    for name in ("extrapolations.txt", "modals.txt"):
        rules = PhraseTable.parse(_data_lines("app.perturb", name), both_ways=False, name=name)
        lines += [rule.target for rule in rules]
    lines += _data_lines("app.perturb", "absolutes.txt")
    # The phrases the connective operators write: "em todos os casos", "a menos que", "não precisa",
    # "assim como" (the replacement columns of their tables).
    for name, columns in (("exception_denials.tsv", (1, 2, 3, 4)), ("concessions.tsv", (1, 2)),
                          ("duty_waivers.tsv", (1,)), ("likeness.tsv", (1,))):
        for line in _data_lines("app.perturb", name):
            parts = line.split("\t")
            lines += [parts[k] for k in columns if k < len(parts)]
    return _phrases(lines)


@cache
def default_cue_lists() -> CueLists:
    """The lists shipped with qbank (services/audit/data/ and the engine's perturb/data/)."""
    return CueLists(
        cue_words=_phrases(_data_lines("app.services.audit", "cue_words.txt")),
        engine_words=_engine_words(),
        negative_words=_phrases(_data_lines("app.services.audit", "negative_words.txt")),
    )


def cue_lists(extra_cue_words: Iterable[str] = ()) -> CueLists:
    """The shipped lists with a topic's own cue words added."""
    base = default_cue_lists()
    extra = _phrases(extra_cue_words)
    if not extra:
        return base
    return CueLists(tuple(sorted(set(base.cue_words) | set(extra))), base.engine_words, base.negative_words)


def score(name: str, description: str, items: Sequence[AuditItem], answers: Sequence[str | None],
          training_items: int | None = None) -> GuesserResult:
    """Score answers (C, E or None for blank) against the key, +1 / −1 / 0."""
    right = sum(1 for item, answer in zip(items, answers, strict=True) if answer is not None and answer == item.label)
    blank = sum(1 for answer in answers if answer is None)
    wrong = len(items) - right - blank
    net = round((right - wrong) / len(items), 4) if items else 0.0
    return GuesserResult(name, description, right, wrong, blank, net, training_items)


# --- the strategies: items and lists in, one answer per item out ------------------------------


def by_cue_words(items: Sequence[AuditItem], lists: CueLists) -> list[str | None]:
    """E where a cue word occurs, C elsewhere."""
    return [E if lists.counts(i.text)[0] else C for i in items]


def by_length(items: Sequence[AuditItem], lists: CueLists) -> list[str | None]:
    """E for items longer (in characters) than the exam's median item, C for the rest."""
    if not items:
        return []
    median = statistics.median(len(i.text) for i in items)
    return [E if len(i.text) > median else C for i in items]


def by_shortness(items: Sequence[AuditItem], lists: CueLists) -> list[str | None]:
    """E for items shorter than the exam's median item, C for the rest: the length cue read the other
    way, for an engine whose false items lose a clause more often than they gain words."""
    if not items:
        return []
    median = statistics.median(len(i.text) for i in items)
    return [E if len(i.text) < median else C for i in items]


def by_engine_words(items: Sequence[AuditItem], lists: CueLists) -> list[str | None]:
    """E where a word or phrase the variant engine writes occurs, C elsewhere."""
    return [E if lists.counts(i.text)[1] else C for i in items]


def by_negations(items: Sequence[AuditItem], lists: CueLists) -> list[str | None]:
    """E when an item has an odd number of negative words, C when even (none, or a double negation)."""
    return [E if lists.counts(i.text)[2] % 2 else C for i in items]


def _cue_weight(item: AuditItem, lists: CueLists) -> int:
    return lists.counts(item.text)[3]


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """|A ∩ B| / |A ∪ B| of two word sets (0 for two empty ones)."""
    first, second = set(a), set(b)
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def pairs(items: Sequence[AuditItem], threshold: float = PAIR_JACCARD) -> list[tuple[int, int]]:
    """Pairs of item positions whose word sets overlap at least `threshold`; each item in at most
    one pair, the closest pairs first (ties by position)."""
    sets = [frozenset(words(i.text)) for i in items]
    sizes = [len(s) for s in sets]
    # Prefix filtering: with each set's words in one global order (rarest first), two sets whose
    # Jaccard reaches the threshold share a word among the first |A| - ceil(t·|A|) + 1 of each, so
    # only sets sharing such a word are compared (an exam has thousands of pairs, few candidates).
    frequency = Counter(word for s in sets for word in s)
    rank = {word: r for r, word in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    postings: dict[str, list[int]] = {}
    candidates: set[tuple[int, int]] = set()
    for index, words_of_item in enumerate(sets):
        ordered = sorted(words_of_item, key=rank.__getitem__)
        prefix = len(ordered) - math.ceil(threshold * len(ordered) - 1e-9) + 1
        for word in ordered[:max(prefix, 0)]:
            for other in postings.get(word, ()):
                candidates.add((other, index))
            postings.setdefault(word, []).append(index)
    scored = []
    for a, b in candidates:
        common = len(sets[a] & sets[b])
        union = sizes[a] + sizes[b] - common
        similarity = common / union if union else 0.0
        if similarity >= threshold:
            scored.append((-similarity, a, b))
    taken: set[int] = set()
    out = []
    for _, a, b in sorted(scored):
        if a not in taken and b not in taken:
            taken |= {a, b}
            out.append((a, b))
    return out


def by_pairs(items: Sequence[AuditItem], lists: CueLists) -> list[str | None]:
    """In each pair of near-identical items, E to the one with more cue words (cue, engine and
    negative words together) or, if equal, to the longer one, C to the other; blank if both tie
    and everywhere outside pairs."""
    answers: list[str | None] = [None] * len(items)
    for a, b in pairs(items):
        key_a = (_cue_weight(items[a], lists), len(items[a].text))
        key_b = (_cue_weight(items[b], lists), len(items[b].text))
        if key_a == key_b:
            continue
        false, true = (a, b) if key_a > key_b else (b, a)
        answers[false], answers[true] = E, C
    return answers


Strategy = Callable[[Sequence[AuditItem], CueLists], list[str | None]]

# name, description (pt-BR, shown to authors and on the commented key), strategy
FIXED_GUESSERS: tuple[tuple[str, str, Strategy], ...] = (
    ("cue_words", "Palavras-chave: marca E nos itens com “não”, “nunca”, “sempre”, “somente”, “apenas” e "
                  "semelhantes; C nos demais.", by_cue_words),
    ("length", "Tamanho: marca E nos itens mais longos que a mediana da prova; C nos demais.", by_length),
    ("shortness", "Tamanho (inverso): marca E nos itens mais curtos que a mediana da prova; C nos demais.",
     by_shortness),
    ("engine_words", "Marcas do gerador: marca E nos itens com palavras típicas das edições do gerador "
                     "(extrapolação e modalidade, como “necessariamente”, “deve obrigatoriamente”, “elimina "
                     "completamente”); C nos demais.", by_engine_words),
    ("negations", "Negações: marca E nos itens com número ímpar de palavras negativas; C nos demais.",
     by_negations),
    ("pairs", "Pares: em dois itens quase iguais, marca E no que tem mais palavras-chave (ou, empatados, no "
              "mais longo) e C no outro; deixa os demais em branco.", by_pairs),
)


def run_fixed(items: Sequence[AuditItem], *, extra_cue_words: Iterable[str] = ()) -> list[GuesserResult]:
    """Every fixed guesser scored on one exam (its items with their key labels)."""
    lists = cue_lists(extra_cue_words)
    return [score(name, description, items, strategy(items, lists))
            for name, description, strategy in FIXED_GUESSERS]
