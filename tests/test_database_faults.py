"""A database connection that drops mid-request: the client gets the answer, or the 503 problem, and
the end of the request never raises (issue 12, point 6)."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from app import create_app
from app.config import TestConfig
from app.db import db
from tests.conftest import client_for, make_key

API = "/api/v1"


def _drop(connection: sa.Connection, database_url: str) -> None:
    """Drop the connection under the request's session as a network or a database restart would:
    on PostgreSQL the server ends the backend; SQLite has no server, so the driver connection closes."""
    if connection.dialect.name == "postgresql":
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        killer = sa.create_engine(database_url)
        try:
            with killer.connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        finally:
            killer.dispose()
    else:
        connection.connection.dbapi_connection.close()


@pytest.fixture
def faulty_app(app, database_url):
    """A second app on the test database, whose hooks can drop the request's connection."""
    return create_app(TestConfig, DATABASE_URL=database_url)


def test_a_connection_dropped_after_the_view_still_answers_and_teardown_does_not_raise(
        faulty_app, database_url, caplog):
    @faulty_app.after_request
    def drop_connection(response):
        _drop(db.session.connection(), database_url)  # the session is mid-transaction: it read the topics
        return response

    client = client_for(faulty_app, make_key(faulty_app, "author"))
    with caplog.at_level(logging.WARNING):
        response = client.get(f"{API}/topics")  # the test client raises what the teardown raises
    assert response.status_code == 200 and response.json["total"] == 0
    assert any("closing the database session" in r.getMessage() for r in caplog.records)
    # The dropped connection is not handed out again: the next request is served.
    assert client.get(f"{API}/topics").status_code == 200


# PostgreSQL only: SQLite has no server to drop a connection (the view would meet a closed handle,
# not a 503), so this runs on the one backend where the fault exists rather than skipping on the other.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_connection_dropped_before_the_view_is_a_503_and_teardown_does_not_raise(faulty_app, database_url):
    client = client_for(faulty_app, make_key(faulty_app, "author"))

    dropped = []

    @faulty_app.before_request
    def drop_connection_once():
        if not dropped:
            dropped.append(True)
            _drop(db.session.connection(), database_url)

    response = client.get(f"{API}/topics")
    assert response.status_code == 503 and response.headers["Content-Type"] == "application/problem+json"
    assert client.get(f"{API}/topics").status_code == 200


def test_a_503_tells_to_retry_after_its_own_5_seconds_not_the_rate_window(faulty_app):
    """Flask-Limiter sets Retry-After to the end of the rate window (up to 60 s) on every answer;
    a database outage says 5 s."""
    client = client_for(faulty_app, make_key(faulty_app, "author"))

    @faulty_app.before_request
    def database_down():
        raise sa.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    response = client.get(f"{API}/topics")
    assert response.status_code == 503 and response.json["status"] == 503
    assert response.headers["Retry-After"] == "5"
    assert "X-RateLimit-Remaining" in response.headers


def test_a_database_error_on_the_exam_read_that_skips_the_session_is_still_a_503(client, app, monkeypatch):
    """GET /exams/{id} reads the exam's state on a raw pooled connection (app/engine.py, PreparedRead): a
    driver error there is SQLAlchemy's OperationalError all the same, so the answer is the 503
    problem, not a 500. The thread keeps the connection it read on; after the engine's pool is
    replaced (dispose) it checks out from the new pool, which here refuses."""
    from app.services.keys import KeyMemo

    assert client.get(f"{API}/exams/999").status_code == 404  # the key is now known to the memo
    monkeypatch.setattr(KeyMemo, "CHECK_EVERY", 1e9)  # so the exam read is this request's only query
    with app.app_context():
        engine = db.engine
    engine.dispose()
    driver_error = engine.dialect.loaded_dbapi.OperationalError

    def refuse():
        raise driver_error("could not connect to server: Connection refused")

    monkeypatch.setattr(engine.pool, "connect", refuse)
    response = client.get(f"{API}/exams/999")
    assert response.status_code == 503 and response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    monkeypatch.undo()
    assert client.get(f"{API}/exams/999").status_code == 404


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_connection_dropped_while_the_items_are_copied_is_a_503_with_nothing_written(seeded, database_url):
    """On PostgreSQL an exam's items go in by COPY on the session's driver connection (app/engine.py,
    insert_rows): a connection the server ends there is the 503 problem, the exam is not half-written,
    and the next exam is made. A trigger on the items ends its own backend on the first COPY only (a
    sequence, which a rollback does not undo, counts the firings)."""
    setup = sa.create_engine(database_url)
    statements = (
        "CREATE SEQUENCE drop_items_once",
        "CREATE FUNCTION drop_items_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF nextval('drop_items_once') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER drop_items_once BEFORE INSERT ON exam_items FOR EACH STATEMENT "
        "EXECUTE FUNCTION drop_items_once()",
    )
    try:
        with setup.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
        response = seeded.post(f"{API}/exams", json={"items": 10, "seed": 1, "false_ratio": 0})
        assert response.status_code == 503, response.json
        assert response.headers["Content-Type"] == "application/problem+json"
        with setup.connect() as connection:  # the exam's row went with its items: no exam, no items
            assert connection.exec_driver_sql("SELECT count(*) FROM exams").scalar_one() == 0
            assert connection.exec_driver_sql("SELECT count(*) FROM exam_items").scalar_one() == 0
        made = seeded.post(f"{API}/exams", json={"items": 10, "seed": 1, "false_ratio": 0})
        assert made.status_code == 201, made.json
        assert len(seeded.get(f"{API}/exams/{made.json['id']}").json["items"]) == 10
    finally:
        with setup.begin() as connection:
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS drop_items_once ON exam_items")
            connection.exec_driver_sql("DROP FUNCTION IF EXISTS drop_items_once()")
            connection.exec_driver_sql("DROP SEQUENCE IF EXISTS drop_items_once")
        setup.dispose()
