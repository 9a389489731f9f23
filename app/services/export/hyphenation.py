"""Hyphenation for printed exams: pt-BR patterns (pyphen), with English technical terms split the
English way and names such as DevOps or GitHub never split. ReportLab takes it as `hyphenationLang`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pyphen

EXCEPTIONS_FILE = Path(__file__).with_name("hyphenation.txt")


@cache
def exceptions() -> dict[str, tuple[int, ...]]:
    """Lower-cased word -> the offsets where it may break (none: never break it)."""
    table: dict[str, tuple[int, ...]] = {}
    for line in EXCEPTIONS_FILE.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        parts = entry.split("-")
        offsets, at = [], 0
        for part in parts[:-1]:
            at += len(part)
            offsets.append(at)
        table["".join(parts).lower()] = tuple(offsets)
    return table


class Hyphenator:
    """Callable word -> (head, tail) pairs, longest head first, as ReportLab expects of a hyphenator."""

    def __init__(self, lang: str = "pt_BR") -> None:
        self._patterns = pyphen.Pyphen(lang=lang)

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        if any(c.isupper() or c.isdigit() for c in word[1:]):
            return iter(())  # an acronym or a product name: DevOps, GitHub, MLOps, SHA256
        offsets = exceptions().get(word.lower())
        if offsets is None:
            return self._patterns.iterate(word)
        return ((word[:at], word[at:]) for at in reversed(offsets))


@cache
def pt_br() -> Hyphenator:
    return Hyphenator("pt_BR")


class KeepWhole:
    """A hyphenator that never splits `word` (a paragraph's last word: a last line holding only
    "na." is worse than a looser one) and asks `inner` for every other word."""

    def __init__(self, inner: Hyphenator, word: str) -> None:
        self.inner, self.word = inner, word.lower()

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        return iter(()) if word.lower() == self.word else self.inner(word)


def last_word(text: str) -> str:
    """The last run of letters of `text` ("" when it has none)."""
    found = _WORD_ANY.findall(text)
    return found[-1] if found else ""


_WORD_ANY = re.compile(r"[^\W\d_]+")


_WORD = re.compile(r"[^\W\d_]{7,}")
SOFT_HYPHEN = "\u00ad"


def soft_hyphenate(text: str, hyphenator: Hyphenator | None = None) -> str:
    """`text` with soft hyphens where its longer words may break, for browsers that hyphenate
    nothing themselves (Chromium on Linux ships no pt-BR patterns). The paragraph's last word is
    left whole: a last line holding only "na." is worse than a looser one."""
    hyphenator = hyphenator or pt_br()
    matches = list(_WORD.finditer(text))
    if not matches:
        return text
    out, at = [], 0
    for match in matches[:-1]:
        word = match.group()
        breaks = sorted({len(head) for head, _tail in hyphenator(word) if 2 <= len(head) <= len(word) - 2})
        pieces = [word[i:j] for i, j in zip([0, *breaks], [*breaks, len(word)], strict=True)]
        out.append(text[at:match.start()])
        out.append(SOFT_HYPHEN.join(pieces))
        at = match.end()
    out.append(text[at:])
    return "".join(out)
