"""Tokens with offsets, and the little sentence analysis the operators share (main verb, ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import simplemma

from app.perturb.lexicon import Lexicon

TOKEN = re.compile(r"\w+(?:[-'/.]\w+)*|[^\w\s]")
DETERMINERS = frozenset(
    "o a os as um uma uns umas do da dos das no na nos nas ao à aos às pelo pela pelos pelas "
    "de em este esta esse essa seu sua deste desta desse dessa neste nesta nesse nessa".split()
)
RELATIVES = frozenset("que quem onde quando qual quais cujo cuja cujos cujas como se caso".split())
NEGATIONS = frozenset({"não"})
ARTICLE_BY_GENDER = {"m": "o", "f": "a"}
CONTRACTION_DE = {"m": "do", "f": "da"}


COPULAS = frozenset("é são ser seja sejam era eram foi foram será serão está estão estar torna-se tornam-se".split())


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end or s_start < start == end < s_end for s_start, s_end in spans)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_"


@dataclass(frozen=True)
class Edit:
    """Replace original[start:end] with `new` (an insertion when start == end)."""

    start: int
    end: int
    new: str


def apply_edits(text: str, edits: tuple[Edit, ...]) -> str:
    """The text with non-overlapping edits applied."""
    out, pos = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos:edit.start])
        out.append(edit.new)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def match_case(new: str, old: str) -> str:
    """`new` with the capitalisation of `old`'s first letter (sentence starts stay capitalised)."""
    if new and old[:1].isupper() and (len(old) == 1 or not old.isupper()):
        return new[0].upper() + new[1:]
    return new


class Sentence:
    """An assertion as the operators see it: tokens, main verb, negation, parentheses."""

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        self.text = text
        self.lexicon = lexicon
        self.tokens = [Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]
        self.lowers = [t.lower for t in self.tokens]
        self.positions: dict[str, list[int]] = {}
        for i, lower in enumerate(self.lowers):
            self.positions.setdefault(lower, []).append(i)
        self.in_parens = self._parenthesised()
        self.protected = self._spans(lexicon.back_references)
        self.fixed = self._spans(lexicon.fixed_expressions)
        self.main_verb = self._main_verb()

    def _parenthesised(self) -> list[bool]:
        depth, flags = 0, []
        for token in self.tokens:
            if token.text == "(":
                depth += 1
            flags.append(depth > 0)
            if token.text == ")" and depth:
                depth -= 1
        return flags

    def _spans(self, phrases: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]]:
        spans = []
        for phrase in phrases:
            for i in self.find(phrase):
                spans.append((self.tokens[i].start, self.tokens[i + len(phrase) - 1].end))
        return spans

    def find(self, words: tuple[str, ...], start: int = 0) -> list[int]:
        """Token indexes where the lower-cased word sequence `words` begins."""
        n = len(words)
        return [
            i for i in self.positions.get(words[0], ())
            if i >= start and tuple(self.lowers[i:i + n]) == words
        ]

    def is_verb(self, i: int) -> bool:
        """Whether token i is a finite verb form of the lexicon (clitic "-se" allowed)."""
        lower = self.lowers[i]
        if lower.endswith("-se"):
            lower = lower[:-3]
        return lower in self.lexicon.verbs and not self.in_parens[i]

    def _looks_finite(self, i: int) -> bool:
        """A verb the lexicon lacks: 3rd-person ending and a verb lemma in the dictionary."""
        lower = self.lowers[i].removesuffix("-se")  # "aplica-se": the verb with its clitic
        if self.in_parens[i] or not lower.isalpha() or (i > 0 and self.tokens[i].text[:1].isupper()):
            return False
        if lower in DETERMINERS:
            return False  # "Uma VPN ...": simplemma reads "uma" as a form of "umar"
        if not lower.endswith(("a", "e", "am", "em", "z", "ai", "ui", "á", "ão")):
            return False  # "ai"/"ui": decai, constitui; "á"/"ão": the future, prejudicará, perderão
        lemma = simplemma.lemmatize(lower, lang="pt")
        if lemma == lower or not lemma.endswith(("ar", "er", "ir", "or")):
            return False
        if lower.endswith(("á", "ão")) and lower not in (lemma + "á", lemma + "ão"):
            return False  # "ação", "irmão": only the future of the verb itself
        if lower == lemma[:-2] + ("ada" if lemma.endswith("ar") else "ida"):
            return False  # a participle used as an adjective: "salvo comprovada má-fé"
        return simplemma.is_known(lower, lang="pt")

    def _main_verb(self) -> int | None:
        """The first finite verb not opening a relative clause and not used as a noun.

        Verbs of the lexicon come first; a verb the lexicon lacks is preferred to a lexicon verb
        that only occurs in a relative clause ("A matriz RACI indica quem é responsável").
        """
        found, relative = self._scan(self.is_verb)
        if found is not None and not relative:
            return found
        other, other_relative = self._scan(self._looks_finite)
        if other is not None and not other_relative:
            return other
        return found if found is not None else other

    def _scan(self, is_verb) -> tuple[int | None, bool]:  # noqa: ANN001
        """(the first verb outside a relative clause, False), else (the first inside one, True)."""
        fallback = None
        for i, token in enumerate(self.tokens):
            if not token.is_word or not is_verb(i):
                continue
            previous = self.previous_word(i)
            if previous is not None and self.lowers[previous] in NEGATIONS:
                previous = self.previous_word(previous)
            if previous is not None and self.lowers[previous] == "se":
                previous = self.previous_word(previous)
            prev_lower = self.lowers[previous] if previous is not None else ""
            if prev_lower in DETERMINERS and prev_lower not in ("a", "o"):
                continue  # "a ajuda", "do uso": a noun here
            if prev_lower in ("a", "o", "as", "os") and self.lowers[i] not in ("é", "são", "pode", "podem", "deve"):
                continue
            if prev_lower in RELATIVES:
                fallback = fallback if fallback is not None else i
                continue
            return i, False
        return fallback, fallback is not None

    def previous_word(self, i: int) -> int | None:
        j = i - 1
        while j >= 0 and not self.tokens[j].is_word:
            if self.tokens[j].text in ",;:(":
                return None
            j -= 1
        return j if j >= 0 else None

    def next_word(self, i: int) -> int | None:
        """The word after token i, across commas; None at other punctuation or the end."""
        j = i + 1
        while j < len(self.tokens) and not self.tokens[j].is_word:
            if self.tokens[j].text != ",":
                return None
            j += 1
        return j if j < len(self.tokens) else None

    def touches_protected(self, start: int, end: int) -> bool:
        """Whether a span overlaps a back-reference marker, which must stay as it is."""
        return _overlaps(start, end, self.protected)

    def inside_fixed(self, start: int, end: int) -> bool:
        """Whether a span overlaps a fixed expression or a concept term ("tempo real")."""
        return _overlaps(start, end, self.fixed)

    @cached_property
    def negated(self) -> bool:
        """Whether the main verb is negated ("não é", "não se pode")."""
        verb = self.main_verb
        if verb is None:
            return False
        window = self.lowers[max(0, verb - 2):verb]
        return "não" in window

    @cached_property
    def has_negative_words(self) -> bool:
        return any(w in ("não", "nunca", "jamais", "nenhum", "nenhuma", "nem", "sem") for w in self.lowers)

    @cached_property
    def has_absolute(self) -> bool:
        return any(self.find(words) for words in self.lexicon.absolutes)

    @cached_property
    def is_definition(self) -> bool:
        """Whether the main verb opens a definition ("é um", "consiste em", ...)."""
        verb = self.main_verb
        if verb is None:
            return False
        return any(tuple(self.lowers[verb:verb + len(d)]) == d for d in self.lexicon.definitions)
