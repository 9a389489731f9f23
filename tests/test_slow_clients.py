"""Slow clients cannot stall a directly served instance (issue 12, point 5).

`make run` and the Docker image serve with gunicorn and no nginx in front: 20 clients that send
half a request and then nothing must not keep /healthz (or anyone else) waiting."""

from __future__ import annotations

import contextlib
import json
import socket
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

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


def _raw_exchange(base: str, request: bytes, *, timeout: float = 20) -> tuple[int, dict[str, str], bytes, float]:
    """Send `request` as is on a new connection and read until the server closes it: (status,
    headers with lower-case names, body, seconds until the answer was complete)."""
    url = urllib.parse.urlsplit(base)
    started = time.monotonic()
    with socket.create_connection((url.hostname, url.port), timeout=timeout) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):  # the server must close the connection: a timeout fails the test
            received += chunk
    elapsed = time.monotonic() - started
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body, elapsed


def _problem(headers: dict[str, str], body: bytes) -> dict:
    assert headers["content-type"] == "application/problem+json", headers
    assert headers["connection"] == "close"
    return json.loads(body)


def test_what_gunicorn_refuses_itself_is_answered_as_problem_details(app, database_url):
    """A request line or headers beyond the parser's limits, a control character in a header, a
    malformed request line or chunked body: answered before (or while) the app reads them, in the
    API's one error shape, never as an HTML page, and never as a 500."""
    token = make_key(app, "author")
    head = b"Host: qbank\r\nAuthorization: Bearer " + token.encode() + b"\r\n"
    cases = [
        (b"GET /healthz?" + b"a" * 5000 + b" HTTP/1.1\r\n" + head + b"\r\n", 414, "request_line_too_long", "4094"),
        (b"GET /healthz HTTP/1.1\r\n" + head + b"X-Big: " + b"a" * 9000 + b"\r\n\r\n", 431, "headers_too_large",
         "8190"),
        (b"GET /healthz HTTP/1.1\r\n" + head + b"".join(b"X-%d: a\r\n" % i for i in range(120)) + b"\r\n", 431,
         "headers_too_large", "100 campos"),
        (b"GET /api/v1/topics HTTP/1.1\r\n" + head + b"X-Note: a\x01b\r\n\r\n", 400, "malformed_request", "X-NOTE"),
        (b"GARBAGE\r\n\r\n", 400, "malformed_request", "GARBAGE"),
    ]
    with running_server(database_url, workers=1) as base:
        for request, status, code, named in cases:
            answered, headers, body, _ = _raw_exchange(base, request)
            problem = _problem(headers, body)
            assert (answered, problem["status"], problem["code"]) == (status, status, code), problem
            assert named in problem["detail"] and problem["title"], problem
            assert headers["server"] == "qbank" and headers["x-content-type-options"] == "nosniff"
        # A malformed chunked body is found while the app reads it: a 400 from the app, connection closed.
        answered, headers, body, _ = _raw_exchange(base, b"POST /api/v1/topics HTTP/1.1\r\n" + head +
                                                   b"Content-Type: application/json\r\nTransfer-Encoding: chunked"
                                                   b"\r\n\r\n5\r\n" + b"a" * 30)
        assert answered == 400 and "malformado" in _problem(headers, body)["detail"]
        assert _call(f"{base}/healthz")[0] == 200
    log = running_server.output
    assert " 500" not in log and '"status": 500' not in log and "Traceback" not in log, log[-3000:]


def test_a_body_that_stops_arriving_gets_408_and_stalls_nobody(app, database_url):
    """A client announces a body of 200 KB (more than the worker buffers before giving the request to
    a thread) and stops after 70 KB; another sends a chunked body and stops. Both get 408 as problem
    details once the client timeout passes, and their connections are closed; meanwhile /healthz
    answers within a second, and nothing is logged as a server error."""
    token = make_key(app, "author")
    head = (b"POST /api/v1/topics HTTP/1.1\r\nHost: qbank\r\nAuthorization: Bearer " + token.encode() +
            b"\r\nContent-Type: application/json\r\n")
    stalled = [head + b"Content-Length: 200000\r\n\r\n" + b'{"code": "' + b"a" * 70_000,
               head + b"Transfer-Encoding: chunked\r\n\r\n10000\r\n" + b"a" * 30_000]
    with running_server(database_url, workers=2, extra_env={"QBANK_CLIENT_TIMEOUT": "2"}) as base:
        with ThreadPoolExecutor(max_workers=len(stalled)) as pool:
            answers = [pool.submit(_raw_exchange, base, request) for request in stalled]
            time.sleep(0.3)
            while not all(answer.done() for answer in answers):
                started = time.monotonic()
                assert _call(f"{base}/healthz")[0] == 200
                assert time.monotonic() - started <= 1.0, "/healthz waited behind a stalled body"
                time.sleep(0.2)
            for answer in answers:
                status, headers, body, elapsed = answer.result()
                problem = _problem(headers, body)
                assert (status, problem["status"], problem["code"]) == (408, 408, "body_timeout"), problem
                assert "parou de chegar" in problem["detail"]
                assert 2 <= elapsed < 10
        assert _call(f"{base}/api/v1/topics", token)[0] == 200
    log = running_server.output
    assert '"status": 408' in log
    assert '"status": 500' not in log and "Traceback" not in log and "ERROR" not in log, log[-3000:]
