"""Accent- and case-insensitive text search that works the same on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents: "Implantação" -> "implantacao"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def contains(column: sa.ColumnElement[str], query: str) -> sa.ColumnElement[bool]:
    """A LIKE filter matching `query` anywhere in an already folded column."""
    needle = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{needle}%", escape="\\")
