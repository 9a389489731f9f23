"""An issued exam's kept file (a PDF rendered before), read with SQLAlchemy Core alone.

`qbank exam --id N --format pdf` mostly hands out a file that is already kept (exam_files, see
services/issued.py). Finding it through the app took most of the command's second: Flask, the ORM
and every model class imported and configured for one SELECT. This module names the two tables'
columns it reads (tests hold them equal to the models) and asks the database directly; when there
is no kept file, or the database cannot answer (not migrated, no such file), the command takes its
usual path, which renders, keeps, and reports errors as before.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

EXAMS = sa.table("exams", sa.column("id"), sa.column("snapshot_token"))
EXAM_FILES = sa.table("exam_files", sa.column("exam_id"), sa.column("version"), sa.column("format"),
                      sa.column("key_mode"), sa.column("snapshot_token"), sa.column("content"))


def read_kept(url: str, *, exam_id: int, version: int, fmt: str, key: str) -> bytes | None:
    """The kept file of this exam, version, format and key mode, made from the exam as it is now
    (same snapshot token), or None."""
    if url.startswith("sqlite"):
        path = sa.make_url(url).database
        if not path or path == ":memory:" or not Path(path).is_file():
            return None  # connecting would create an empty database file
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    query = (sa.select(EXAM_FILES.c.content)
             .select_from(EXAM_FILES.join(EXAMS, EXAMS.c.id == EXAM_FILES.c.exam_id))
             .where(EXAM_FILES.c.exam_id == exam_id, EXAM_FILES.c.version == version,
                    EXAM_FILES.c.format == fmt, EXAM_FILES.c.key_mode == key,
                    EXAM_FILES.c.snapshot_token == EXAMS.c.snapshot_token))
    try:
        with engine.connect() as conn:
            content = conn.execute(query).scalar()
    except sa.exc.SQLAlchemyError:
        return None
    finally:
        engine.dispose()
    return bytes(content) if content is not None else None
