"""Hyphenation for printed exams: pt-BR patterns (pyphen), with English technical terms split the
English way and names such as DevOps or GitHub never split. ReportLab takes it as `hyphenationLang`.
"""

from __future__ import annotations

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
