"""`column IN (ids)` with the ids bound as one parameter, whatever their number.

A plain `IN` with an expanding parameter renders one placeholder per id and converts each id on every
execution: about a millisecond for the several hundred ids of a practice session's candidates
(other exams draw from the pools kept in memory, pools.py). Bound as one
value instead, the statement is the same text every time: a JSON array read by `json_each` on
SQLite, an integer array compared with `= ANY` on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

PARAMETER = "ids"


def id_in(column: sa.ColumnElement[int], dialect: str, name: str = PARAMETER) -> sa.ColumnElement[bool]:
    """The condition `column` is one of the ids bound as `name` (see `bind`), for `dialect`."""
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam(name, type_=postgresql.ARRAY(sa.Integer)))
    if dialect == "sqlite":
        listed = sa.select(sa.column("value", sa.Integer)).select_from(
            sa.func.json_each(sa.bindparam(name, type_=sa.String)))
        return column.in_(listed)
    return column.in_(sa.bindparam(name, expanding=True))


def bind(ids: Sequence[int], dialect: str) -> object:
    """The value of PARAMETER for these ids."""
    if dialect == "sqlite":
        return json.dumps([int(i) for i in ids])
    return [int(i) for i in ids]


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name
