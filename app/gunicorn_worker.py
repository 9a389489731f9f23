"""gunicorn's threaded worker, made so that slow clients cannot hold its threads (issue 12, point 5).

gunicorn's gthread worker waits for a connection's first bytes in its poller, but once any byte has
arrived it gives the connection to a thread, which then blocks until the rest of the request
comes: a few clients that send half a request hold every thread, and /healthz waits behind them.

This worker hands a connection to a thread only when its whole request head (and its body, when
that is small enough to be buffered by the kernel) has arrived; until then the connection waits
in the poller, costing a file descriptor and no thread. A request that is still incomplete
READ_TIMEOUT seconds after it began is dropped. Bodies larger than that buffer are read by the
thread, each read (and each write of the answer) bounded by the same timeout at the socket; a body
that stops arriving is answered by the app with 408 and the connection closed (app/api: ClientDisconnected).

Kept-alive connections stay with the worker that accepted them, and the workers race for new ones:
eight clients that connect at once could all land in one worker (with the POST of an exam, one
worker's throughput, about half of two) and stay there. A worker holding more connections than it
has threads answers its next requests with `Connection: close` until it holds no more than that; the
clients connect again and the kernel hands those connections to whichever worker accepts first,
usually one that is not busy. At or below that many connections per worker nothing changes.

Requests gunicorn refuses before the app sees them (a request line or headers beyond the limits
below, a control character in a header, a malformed request line) are answered as problem details,
like every other error of the service, instead of gunicorn's HTML page: see write_problem.
"""

from __future__ import annotations

import json
import os
import re
import socket
import struct
import time

import gunicorn.http.wsgi
import gunicorn.util
from gunicorn.http.errors import ParseException
from gunicorn.workers import gthread
from werkzeug.exceptions import BadRequest

# Seconds a client has to send its request head and a small body (total), and the longest a thread
# waits on any one read or write of a larger body or answer.
READ_TIMEOUT = float(os.environ.get("QBANK_CLIENT_TIMEOUT", "15"))
# The HTTP parser's limits (gunicorn's defaults, stated here so that the answers can name them):
# the request line, the number of header fields, and each header field's size, in bytes.
LIMIT_REQUEST_LINE = 4094
LIMIT_REQUEST_FIELDS = 100
LIMIT_REQUEST_FIELD_SIZE = 8190
# What is looked at, without being consumed, to tell whether a request has arrived whole.
PEEK_BYTES = 64 * 1024
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length[ \t]*:[ \t]*(\d{1,12})[ \t]*\r\n", re.IGNORECASE)


def request_arrived(data: bytes) -> bool:
    """Whether `data` (the start of what a client sent) holds a whole request, or as much of one
    as the buffer can show: the head up to its blank line, and a Content-Length body after it."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return len(data) >= PEEK_BYTES  # a head this large: the parser will refuse it
    length = _CONTENT_LENGTH.search(data, 0, end + 2)
    if length is None:
        return True  # no body, or a chunked one (read by the thread, under the socket timeout)
    return len(data) - (end + 4) >= int(length.group(1)) or len(data) >= PEEK_BYTES


class _ClosingReader:
    """A request body's reader that, when a read fails (the client stopped sending: the socket read
    timed out; or a chunked body is malformed, which becomes a 400 for the app to answer), marks the
    request so that its answer says `Connection: close` and the connection is closed after it: where
    the next request would start on it is unknown."""

    def __init__(self, reader, req) -> None:  # noqa: ANN001
        self._reader = reader
        self._req = req

    def read(self, size):  # noqa: ANN001, ANN201
        try:
            return self._reader.read(size)
        except ParseException as exc:  # a malformed chunked body: the client's mistake, a 400
            self._req.must_close = True
            raise BadRequest(f"corpo da requisição malformado: {exc}") from exc
        except Exception:
            self._req.must_close = True
            raise

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._reader, name)


class ThreadWorker(gthread.ThreadWorker):
    """gthread whose threads only take connections whose request has arrived."""

    def enqueue_req(self, conn) -> None:  # noqa: ANN001
        if not hasattr(conn, "qbank_since"):  # a new connection: bound its reads and writes
            conn.qbank_since = None
            timeout = struct.pack("ll", int(READ_TIMEOUT), int(READ_TIMEOUT % 1 * 1_000_000))
            try:
                conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeout)
                conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeout)
            except OSError:
                pass  # closed meanwhile: the thread will find out
        super().enqueue_req(conn)

    def handle(self, conn):  # noqa: ANN001, ANN201
        if self.cfg.is_ssl or conn.is_http2:
            return super().handle(conn)  # encrypted or framed bytes: nothing to peek at
        now = time.monotonic()
        if conn.qbank_since is None:
            conn.qbank_since = now
        if not self._request_arrived(conn):
            if now - conn.qbank_since > READ_TIMEOUT:
                self.log.debug("Closing a connection whose request did not arrive in %s s", READ_TIMEOUT)
                return False
            # Back to the poller until more arrives (gunicorn's own marker for "no data yet"); it
            # closes the connection if nothing comes within `keepalive` seconds.
            return gthread._DEFER
        conn.qbank_since = None  # the next request on a kept-alive connection has its own time
        return super().handle(conn)

    def handle_request(self, req, conn):  # noqa: ANN001, ANN201
        if self.nr_conns > self.cfg.threads:
            # More connections than threads: this one is answered with `Connection: close`, and its
            # client connects again, to whichever worker accepts first (see the module docstring).
            req.must_close = True
        if getattr(req, "body", None) is not None:
            req.body.reader = _ClosingReader(req.body.reader, req)
        keep_alive = super().handle_request(req, conn)
        if keep_alive and getattr(getattr(req.body, "reader", None), "length", 0):
            # The app did not read the body to its end (it stopped arriving, or was not needed): gunicorn
            # would read the rest before the next request, in this thread, however slowly it came.
            return False
        return keep_alive

    @staticmethod
    def _request_arrived(conn) -> bool:  # noqa: ANN001
        if conn.parser is not None and conn.parser.unreader.buf.getvalue():
            return True  # a pipelined request already read from the socket
        try:
            data = conn.sock.recv(PEEK_BYTES, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            return True  # let gunicorn meet the error and close the connection
        return not data or request_arrived(data)  # b"": closed by the client, gunicorn closes it


# What each status gunicorn answers by itself means for the client, in the API's words.
_PROBLEMS = {
    400: ("malformed_request", "requisição HTTP malformada: {mesg}"),
    414: ("request_line_too_long", "a linha de requisição (método, caminho e query) passa de "
                                   f"{LIMIT_REQUEST_LINE} bytes: encurte a URL"),
    431: ("headers_too_large", f"os cabeçalhos passam do limite: até {LIMIT_REQUEST_FIELDS} campos, de até "
                               f"{LIMIT_REQUEST_FIELD_SIZE} bytes cada"),
}


def write_problem(sock, status_int: int, reason: str, mesg: str) -> None:  # noqa: ANN001
    """gunicorn's own error answer (gunicorn.util.write_error), as problem details (RFC 9457): the
    same shape, media type and headers as the app's errors. `mesg` is gunicorn's description of what
    it refused (which header, which line); it goes into the detail of a 400."""
    code, template = _PROBLEMS.get(status_int, (None, None))
    body = {"type": "about:blank", "title": reason, "status": status_int}
    if template:
        body["detail"] = template.format(mesg=mesg)
        body["code"] = code
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    head = (f"HTTP/1.1 {status_int} {reason}\r\nServer: {gunicorn.http.wsgi.SERVER}\r\nConnection: close\r\n"
            f"Content-Type: application/problem+json\r\nContent-Length: {len(payload)}\r\n"
            "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n\r\n")
    gunicorn.util.write_nonblock(sock, head.encode("latin-1") + payload)


# gunicorn's workers answer through this module function and offer no setting to change it.
gunicorn.util.write_error = write_problem
