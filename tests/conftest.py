"""Fixtures `app`, `client`, `runner`, each on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import settings

from app import create_app
from app.cli import main
from app.config import TestConfig
from app.db import Base
from app.services import migrations

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt"))
REQUIRE_ALL = os.environ.get("QBANK_REQUIRE_ALL") == "1"

# Property tests explore new random examples on every local run; CI (HYPOTHESIS_PROFILE=ci) replays
# a fixed derivation of them, so a submission is judged on the same examples each time it runs.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def require(component: str, missing: str) -> None:
    """Skip for lack of a system component, or fail when QBANK_REQUIRE_ALL=1 (CI)."""
    message = f"{component} is not available: {missing}"
    if REQUIRE_ALL:
        pytest.fail(f"{message} (QBANK_REQUIRE_ALL=1 forbids skipping)", pytrace=False)
    pytest.skip(message)


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    except sa.exc.OperationalError as exc:
        require("PostgreSQL", f"cannot connect to TEST_DATABASE_URL ({exc.orig})")
    finally:
        engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    """A migrated, empty database of each backend, shared by the session's tests."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        url = os.environ.get("TEST_DATABASE_URL", "")
        if not url:
            require("PostgreSQL", "TEST_DATABASE_URL is not set")
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        _reset_postgres(url)
    migrations.upgrade(database_url=url)
    return url


@pytest.fixture(scope="session")
def _session_app(database_url):
    return create_app(TestConfig, DATABASE_URL=database_url)


def _empty_tables(app) -> None:
    from app.db import db

    with app.app_context():
        engine = db.engine
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(sa.text(f"DELETE FROM {table}"))


@pytest.fixture
def app(_session_app):
    """The app on an empty, migrated database; emptied again after the test."""
    _empty_tables(_session_app)
    yield _session_app
    _empty_tables(_session_app)


def make_key(app, role: str, name: str = "test") -> str:
    """A new API key of `role`, created the way `qbank keys create` does."""
    from app.db import db
    from app.services.keys import create_key

    with app.app_context():
        session = db.new_session()
        try:
            return create_key(session, role=role, name=name).token
        finally:
            session.close()


def client_for(app, token: str | None):
    """A test client that sends `token` as its bearer key on every request."""
    client = app.test_client()
    if token is not None:
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def client(app):
    """A client with an admin key: the whole API."""
    return client_for(app, make_key(app, "admin", "test admin"))


@pytest.fixture
def as_role(app):
    """as_role("consumer") -> a client with a fresh key of that role."""
    return lambda role: client_for(app, make_key(app, role, f"test {role}"))


class Runner:
    """Invokes `qbank` commands against the test database, as a shell user would."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.cli = CliRunner()

    def invoke(self, *args: str, input: str | None = None):
        return self.cli.invoke(main, list(args), env={"DATABASE_URL": self.url}, input=input,
                               catch_exceptions=False)


@pytest.fixture
def runner(app, database_url) -> Runner:
    return Runner(database_url)


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture
def seeded(client, seed_bytes):
    """The app with the user's seed document imported through the API."""
    response = client.post("/api/v1/imports?name=seed.txt", data=seed_bytes, content_type="text/plain")
    assert response.status_code == 201, response.json
    return client


def approve_all_variants(client) -> int:
    """Approve every pending variant through the API, as an author reviewing the queue would.

    Unreviewed exams take only variants of operators trusted by their measured precision; tests
    that need every operator in their exams review the queue first."""
    approved = 0
    while True:
        page = client.get("/api/v1/variants", query_string={"status": "pending", "page_size": 100}).json
        if not page["items"]:
            return approved
        for variant in page["items"]:
            response = client.patch(f"/api/v1/variants/{variant['id']}", json={"status": "approved"})
            assert response.status_code == 200, response.json
            approved += 1


@pytest.fixture
def bank(seeded):
    """The seed with three generated variants per assertion and its true rewrites, reviewed and
    approved by an author."""
    topic = seeded.get("/api/v1/topics").json["items"][0]
    response = seeded.post(f"/api/v1/topics/{topic['id']}/variants", json={"seed": 1, "top": 3})
    assert response.status_code == 201
    assert approve_all_variants(seeded) == response.json["variants"] + response.json["rewrites"]
    return seeded
