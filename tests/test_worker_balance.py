"""A gunicorn worker holding more kept-alive connections than it has threads lets some go, so that
clients that connected at once do not all stay with one worker (app/gunicorn_worker.py)."""

from __future__ import annotations

import contextlib
import socket
import time
import urllib.parse

from tests.test_operations import running_server


def _answer(sock: socket.socket) -> dict[str, str]:
    """Read one answer to GET /healthz on a kept-alive connection: its headers, lower-case names."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection before answering"
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    length = int(headers["content-length"])
    while len(body) < length:
        body += sock.recv(65536)
    assert status_line.split()[1] == "200", status_line
    return headers


def _connections(base: str, count: int) -> tuple[contextlib.ExitStack, list[socket.socket]]:
    url = urllib.parse.urlsplit(base)
    stack = contextlib.ExitStack()
    socks = [stack.enter_context(socket.create_connection((url.hostname, url.port), timeout=10))
             for _ in range(count)]
    return stack, socks


def test_a_worker_with_more_connections_than_threads_closes_the_extra_ones(app, database_url):
    request = b"GET /healthz HTTP/1.1\r\nHost: qbank\r\n\r\n"
    with running_server(database_url, workers=1, extra_env={"QBANK_THREADS": "2"}) as base:
        stack, socks = _connections(base, 3)
        with stack:
            time.sleep(0.5)  # all three accepted by the one worker: more connections than its 2 threads
            answers = []
            for sock in socks:
                sock.sendall(request)
                answers.append(_answer(sock).get("connection", "").lower())
            assert "close" in answers
        # As many connections as threads: kept alive, request after request.
        stack, socks = _connections(base, 2)
        with stack:
            time.sleep(0.5)
            for _ in range(3):
                for sock in socks:
                    sock.sendall(request)
                    assert _answer(sock).get("connection", "").lower() != "close"
