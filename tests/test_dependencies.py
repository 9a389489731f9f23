"""What each dependency's outage does (issue 12, point 3): Redis down degrades, it does not fail.

The database's outage (503 with Retry-After, /readyz 503) is pinned in tests/test_database_faults.py."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from prometheus_client import REGISTRY

from app import create_app
from app.config import TestConfig
from tests.conftest import client_for, make_key, require

API = "/api/v1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int) -> None:
    subprocess.run(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--daemonize", "yes"], check=True, capture_output=True)
    deadline = time.monotonic() + 10
    ping = ["redis-cli", "-p", str(port), "ping"]
    while subprocess.run(ping, capture_output=True, text=True).stdout.strip() != "PONG":
        assert time.monotonic() < deadline, "redis-server did not start in 10 s"
        time.sleep(0.05)


def _stop_redis(port: int) -> None:
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return
        assert time.monotonic() < deadline, "redis-server did not stop in 10 s"
        time.sleep(0.05)


@pytest.fixture
def own_redis():
    """A redis-server of this test's own, on a free port: the test may stop it (never the shared one)."""
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        require("redis-server", "redis-server and redis-cli are not on PATH (the Redis outage test starts its own)")
    port = _free_port()
    _start_redis(port)
    try:
        yield port
    finally:
        _stop_redis(port)


def _fallbacks() -> float:
    return REGISTRY.get_sample_value("qbank_rate_limit_store_fallbacks_total") or 0.0


def test_redis_down_degrades_to_in_memory_limits_and_readyz_says_so(app, database_url, own_redis):
    limited = create_app(TestConfig, DATABASE_URL=database_url, RATE_LIMIT="6 per minute",
                         RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{own_redis}/0")
    author = client_for(limited, make_key(limited, "author"))
    probe = limited.test_client()
    assert author.get(f"{API}/topics").status_code == 200
    ready = probe.get("/readyz")
    assert ready.status_code == 200 and ready.json["status"] == "ok" and ready.json["redis"] == "ok"

    _stop_redis(own_redis)
    before = _fallbacks()
    started = time.monotonic()
    statuses = [author.get(f"{API}/topics").status_code for _ in range(8)]
    # Served, not 500; and the limits still hold, counted in this process's memory meanwhile.
    assert statuses == [200] * 6 + [429, 429], statuses
    assert time.monotonic() - started < 5
    assert _fallbacks() == before + 1  # one switch to the in-memory store, counted once
    ready = probe.get("/readyz")
    assert ready.status_code == 200, ready.json  # still serving: kept in the load balancer
    assert ready.json["status"] == "degraded" and ready.json["redis"].startswith("down")
    assert ready.json["database"] == "ok"

    _start_redis(own_redis)  # back: the probe sees it at once, the limiter at its next check
    ready = probe.get("/readyz")
    assert ready.status_code == 200 and ready.json["status"] == "ok" and ready.json["redis"] == "ok"


def test_readyz_reports_no_redis_when_limits_are_in_memory(client):
    body = client.get("/readyz").json
    assert body["status"] == "ok" and body["rate_limits"] == "memory (per process)" and "redis" not in body
