"""SQLite's write-ahead log is copied into the database file by a background thread shortly after a
commit, not by whichever request's commit crosses SQLite's threshold (app/engine.py, Checkpointer).

SQLite only: PostgreSQL has no such log to copy, so these run on the one backend where the behaviour
exists rather than skipping on the other."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from app.db import db
from app.engine import WAL_AUTOCHECKPOINT_PAGES

API = "/api/v1"


def _in_database_file(database_url: str, tmp_path, code: str) -> bool:
    """Whether the topic is in the database file itself, reading a copy of the file without its log.

    The copy is made by another process: closing a descriptor of the database file in this one would
    drop the POSIX locks this process's SQLite connections hold on it (sqlite.org/howtocorrupt.html)."""
    copy = tmp_path / "file-only.sqlite3"
    subprocess.run([sys.executable, "-c", "import shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2])",
                    sa.make_url(database_url).database, str(copy)], check=True)
    try:
        with sqlite3.connect(copy) as connection:
            return connection.execute("SELECT count(*) FROM topics WHERE code = ?", (code,)).fetchone()[0] == 1
    except sqlite3.DatabaseError:  # copied while the checkpoint was writing: look again
        return False
    finally:
        copy.unlink()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_commit_reaches_the_database_file_soon_without_waiting_for_the_log_to_fill(client, app, database_url,
                                                                                      tmp_path):
    with app.app_context(), db.engine.connect() as connection:
        # The commit-time checkpoint is only a bound on the log: this one small write would stay in it.
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one() == WAL_AUTOCHECKPOINT_PAGES
    response = client.post(f"{API}/topics", json={"code": "91", "title": "Checkpoints"})
    assert response.status_code == 201, response.json
    deadline = time.monotonic() + 10
    while not _in_database_file(database_url, tmp_path, "91"):
        assert time.monotonic() < deadline, "the committed topic never left the write-ahead log"
        time.sleep(0.1)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_commits_keep_coming_after_the_checkpoint_thread_went_idle(client, app, database_url, tmp_path,
                                                                     monkeypatch):
    from app.engine import Checkpointer

    monkeypatch.setattr(Checkpointer, "IDLE_SECONDS", 0.2)
    monkeypatch.setattr(Checkpointer, "DELAY_SECONDS", 0.05)
    for number in range(3):
        code = f"9{number}"
        assert client.post(f"{API}/topics", json={"code": code, "title": "Depois de uma pausa"}).status_code == 201
        deadline = time.monotonic() + 10
        while not _in_database_file(database_url, tmp_path, code):
            assert time.monotonic() < deadline, f"topic {code} never left the write-ahead log"
            time.sleep(0.1)
        time.sleep(0.5)  # longer than IDLE_SECONDS: the thread ends, and the next commit starts another
