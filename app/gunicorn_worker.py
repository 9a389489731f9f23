"""gunicorn's threaded worker, made so that slow clients cannot hold its threads (issue 12, point 5).

gunicorn's gthread worker waits for a connection's first bytes in its poller, but once any byte has
arrived it gives the connection to a thread, which then blocks until the rest of the request
comes: a few clients that send half a request hold every thread, and /healthz waits behind them.

This worker hands a connection to a thread only when its whole request head (and its body, when
that is small enough to be buffered by the kernel) has arrived; until then the connection waits
in the poller, costing a file descriptor and no thread. A request that is still incomplete
READ_TIMEOUT seconds after it began is dropped. Bodies larger than that buffer are read by the
thread, each read (and each write of the answer) bounded by the same timeout at the socket.
"""

from __future__ import annotations

import os
import re
import socket
import struct
import time

from gunicorn.workers import gthread

# Seconds a client has to send its request head and a small body (total), and the longest a thread
# waits on any one read or write of a larger body or answer.
READ_TIMEOUT = float(os.environ.get("QBANK_CLIENT_TIMEOUT", "15"))
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
