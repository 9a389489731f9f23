"""Accent- and case-insensitive text search that works the same on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa

# Each non-ASCII character's folded form, filled as characters are met: NFKD maps one code point
# at a time, so folding a text character by character gives what folding it whole gives.
_FOLDED: dict[int, str] = {}


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents: "Implantação" -> "implantacao"."""
    text = text.casefold()
    if text.isascii():
        return text
    for ch in set(text):
        if ord(ch) > 127 and ord(ch) not in _FOLDED:
            decomposed = unicodedata.normalize("NFKD", ch)
            _FOLDED[ord(ch)] = "".join(c for c in decomposed if not unicodedata.combining(c))
    return text.translate(_FOLDED)


def contains(column: sa.ColumnElement[str], query: str) -> sa.ColumnElement[bool]:
    """A LIKE filter matching `query` anywhere in an already folded column."""
    needle = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{needle}%", escape="\\")
