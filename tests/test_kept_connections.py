"""The exam read of GET /exams/{id} runs on a connection its thread keeps checked out (app/engine.py,
PreparedRead): a database restart in between, threads that end and a busy pool must all behave as
when every read took a connection from the pool and gave it back."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from app.db import db
from tests.conftest import client_for

API = "/api/v1"


def _exam(client) -> int:
    response = client.post(f"{API}/exams", json={"items": 10, "false_ratio": 0, "seed": 3})
    assert response.status_code == 201, response.json
    return response.json["id"]


# PostgreSQL only: a server that ends the backend is what a restart does to the kept connection;
# SQLite has no server to drop it.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_kept_connection_the_server_dropped_is_replaced_and_the_read_answers(seeded, app, database_url):
    client = seeded
    exam_id = _exam(client)
    first = client.get(f"{API}/exams/{exam_id}")
    assert first.status_code == 200
    # End every other backend of this database, the kept one among them, as a restart would.
    killer = sa.create_engine(database_url)
    try:
        with killer.connect() as other:
            ended = other.execute(sa.text(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()) AS t")).scalar_one()
    finally:
        killer.dispose()
    assert ended >= 1
    again = client.get(f"{API}/exams/{exam_id}")
    assert again.status_code == 200 and again.data == first.data
    assert client.get(f"{API}/exams/{exam_id}").status_code == 200


def test_threads_keep_few_enough_connections_that_sessions_still_get_one(seeded, app, recwarn):
    """Sixteen threads (gunicorn's QBANK_THREADS may be that many) each read an exam, keeping a
    connection, and then, all at once, a listing that needs a session's connection. Kept without a
    bound, the kept connections would take all of the pool's 15 (5 and 10 of overflow), and the
    listings would wait for its timeout; and when the threads end, their connections go back."""
    client = seeded
    exam_id = _exam(client)
    token = client.environ_base["HTTP_AUTHORIZATION"].split(" ", 1)[1]
    with app.app_context():
        engine = db.engine
    before = engine.pool.checkedout()
    threads_n = 16
    barrier = threading.Barrier(threads_n, timeout=60)
    results: list[tuple[int, int]] = []
    lock = threading.Lock()

    def work() -> None:
        own = client_for(app, token)
        read = own.get(f"{API}/exams/{exam_id}").status_code
        barrier.wait()
        listed = own.get(f"{API}/topics").status_code
        with lock:
            results.append((read, listed))

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results == [(200, 200)] * threads_n
    assert engine.pool.checkedout() == before
    # Given back, not left to the garbage collector (SQLAlchemy warns when it has to end a connection).
    assert not [w for w in recwarn if "garbage collector" in str(w.message)]
    if engine.dialect.name == "postgresql":
        # Kept in autocommit, given back out of it: a session on any pooled connection has transactions.
        connections = [engine.connect() for _ in range(engine.pool.size())]
        try:
            assert [c.connection.dbapi_connection.autocommit for c in connections] == [False] * len(connections)
        finally:
            for connection in connections:
                connection.close()
