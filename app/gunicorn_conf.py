"""gunicorn settings used by `qbank serve` and the Docker image (workers from WEB_CONCURRENCY)."""

import os

import gunicorn.http.wsgi
from prometheus_client import multiprocess

# gunicorn names itself in a Server header on every response and has no setting to change it; its
# responses read the name from this module global. Say "qbank": what serves is nobody's business.
gunicorn.http.wsgi.SERVER = "qbank"

bind = os.environ.get("QBANK_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
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
