"""gunicorn settings used by `qbank serve` and the Docker image (workers from WEB_CONCURRENCY)."""

import os

import gunicorn.http.wsgi
from prometheus_client import multiprocess

from app import gunicorn_worker as worker

# gunicorn names itself in a Server header on every response and has no setting to change it; its
# responses read the name from this module global. Say "qbank": what serves is nobody's business.
gunicorn.http.wsgi.SERVER = "qbank"

bind = os.environ.get("QBANK_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads, and a worker in which a slow client costs a file descriptor, not a thread: requests reach
# a thread only once they have arrived whole (app/gunicorn_worker.py; QBANK_CLIENT_TIMEOUT bounds
# how long a client may take). `make run` and the Docker image serve directly, without nginx.
worker_class = "app.gunicorn_worker.ThreadWorker"
threads = int(os.environ.get("QBANK_THREADS", "4"))
# The request line and headers the parser takes; beyond them gunicorn answers 414 or 431 itself, as
# problem details (app/gunicorn_worker.py), before the app sees the request.
limit_request_line = worker.LIMIT_REQUEST_LINE
limit_request_fields = worker.LIMIT_REQUEST_FIELDS
limit_request_field_size = worker.LIMIT_REQUEST_FIELD_SIZE
keepalive = 5  # seconds an idle kept-alive connection, or a stalled request between packets, is kept
graceful_timeout = 10
timeout = int(os.environ.get("QBANK_WORKER_TIMEOUT", "60"))
accesslog = None  # the app writes one structured JSON line per request instead
control_socket_disable = True  # no ~/.gunicorn control socket: nothing here uses it
# The app (and its warm-up: word lists, dictionary, fonts) is loaded once in the master and shared
# with the workers copy-on-write, instead of once per worker. QBANK_PRELOAD=0 loads it per worker.
preload_app = os.environ.get("QBANK_PRELOAD", "1") != "0"


def child_exit(server, worker):  # noqa: ANN001, ANN201
    """Drop a finished worker's live gauges from the shared Prometheus files."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
