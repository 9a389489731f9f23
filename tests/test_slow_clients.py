"""Slow clients cannot stall a directly served instance (issue 12, point 5).

`make run` and the Docker image serve with gunicorn and no nginx in front: 20 clients that send
half a request and then nothing must not keep /healthz (or anyone else) waiting."""

from __future__ import annotations

import contextlib
import socket
import time
import urllib.parse

from tests.conftest import make_key
from tests.test_operations import _call, running_server


def _slow_connections(base: str, count: int, token: str) -> contextlib.ExitStack:
    """`count` connections that each send part of a request and then wait: half a request head,
    or a whole head and half of the JSON body it announces."""
    url = urllib.parse.urlsplit(base)
    stack = contextlib.ExitStack()
    for i in range(count):
        sock = stack.enter_context(socket.create_connection((url.hostname, url.port), timeout=5))
        if i % 2:
            sock.sendall(b"GET /api/v1/topics HTTP/1.1\r\nHost: qbank\r\nAuthoriz")
        else:
            body = b'{"items": 5, "false_ratio": 0.5}'
            sock.sendall(b"POST /api/v1/exams HTTP/1.1\r\nHost: qbank\r\nContent-Type: application/json\r\n"
                         b"Authorization: Bearer " + token.encode() + b"\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
    return stack


def test_twenty_slow_clients_do_not_stall_healthz(app, database_url):
    token = make_key(app, "consumer")
    with running_server(database_url, workers=2) as base, _slow_connections(base, 20, token):
        time.sleep(0.5)  # let every half request reach a worker
        for _ in range(10):  # new connections, so that both workers are asked
            started = time.monotonic()
            status, body, _ = _call(f"{base}/healthz")
            elapsed = time.monotonic() - started
            assert status == 200 and body == {"status": "ok"}
            assert elapsed <= 1.0, f"/healthz took {elapsed:.2f} s behind 20 slow clients"
        status, _, _ = _call(f"{base}/api/v1/schemas", token)
        assert status == 200  # an API call too
