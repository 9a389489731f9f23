"""Request ids, structured JSON logs and Prometheus metrics, in one place."""

from __future__ import annotations

import itertools
import logging
import os
import re
import time

from flask import Flask, Response, current_app, g, has_request_context, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

HTTP_REQUESTS = Counter("http_requests_total", "HTTP requests answered", ["method", "route", "status"])
HTTP_LATENCY = Histogram("http_request_duration_seconds", "Time to answer HTTP requests", ["method", "route"],
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
EXAMS_GENERATED = Counter("qbank_exams_generated_total", "Exams generated")
ATTEMPTS_SCORED = Counter("qbank_attempts_scored_total", "Attempts scored (replays of an Idempotency-Key excluded)")
VARIANTS_GENERATED = Counter("qbank_variants_generated_total", "False variants the engine stored")

log = logging.getLogger("qbank.access")


class _RequestIdFilter(logging.Filter):
    """Adds the current request id (or "-") to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """One handler on the root logger, JSON lines by default (QBANK_LOG_FORMAT=text for people)."""
    root = logging.getLogger()
    if any(getattr(h, "_qbank", False) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler._qbank = True  # type: ignore[attr-defined]
    handler.addFilter(_RequestIdFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter("{asctime}{levelname}{name}{message}{request_id}", style="{",
                                           rename_fields={"asctime": "time", "levelname": "level"}))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    if level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)  # its INFO lines are for people


# Made-up request ids: 16 random hex digits drawn once per process, then a counter. They only need
# to be unique (they tie a response to its log line); a random draw per request cost 1-2 µs.
_ID_PREFIX: list = [0, ""]  # [pid, prefix]: redrawn in a forked worker
_ID_COUNTER = itertools.count()


def _new_request_id() -> str:
    pid = os.getpid()
    if _ID_PREFIX[0] != pid:
        _ID_PREFIX[:] = [pid, os.urandom(8).hex()]
    return f"{_ID_PREFIX[1]}{next(_ID_COUNTER) & 0xFFFFFFFFFFFFFFFF:016x}"


def _start() -> None:
    incoming = request.environ.get("HTTP_X_REQUEST_ID")
    context = g._get_current_object()
    context.request_id = incoming if incoming and _VALID_REQUEST_ID.match(incoming) else _new_request_id()
    context.started = time.perf_counter()


# The labelled series of each (method, route, status), looked up once per process: `labels()` takes
# a lock and builds its key on every call. Routes and statuses are finitely many, so this stays small.
_SERIES: dict[tuple[str, str, int], tuple[object, object]] = {}


def _series(method: str, route: str, status: int) -> tuple:
    found = _SERIES.get((method, route, status))
    if found is None:
        found = _SERIES[(method, route, status)] = (HTTP_REQUESTS.labels(method, route, str(status)),
                                                    HTTP_LATENCY.labels(method, route))
    return found


def _finish(response: Response) -> Response:
    context = g._get_current_object()
    incoming = request._get_current_object()
    response.headers[REQUEST_ID_HEADER] = context.get("request_id", "-")
    route = incoming.url_rule.rule if incoming.url_rule is not None else "unmatched"
    elapsed = time.perf_counter() - context.get("started", time.perf_counter())
    requests, latency = _series(incoming.method, route, response.status_code)
    requests.inc()
    latency.observe(elapsed)
    if log.isEnabledFor(logging.INFO):
        viewer = context.get("viewer")
        # Never the Authorization header or the query string: keys and answers stay out of logs.
        log.info("request", extra={
            "method": incoming.method, "route": route, "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 2), "key_prefix": viewer.prefix if viewer else None,
        })
    return response


def metrics_response() -> Response:
    """Prometheus text exposition; across gunicorn workers when PROMETHEUS_MULTIPROC_DIR is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return Response(body, mimetype=CONTENT_TYPE_LATEST.split(";")[0], content_type=CONTENT_TYPE_LATEST)


def _finish_quietly(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "-")
    return response


def count(counter: Counter, amount: float = 1) -> None:
    """Add to one of the counters above, unless the app's telemetry is quiet (`QUIET_TELEMETRY`)."""
    if not current_app.config.get("QUIET_TELEMETRY"):
        counter.inc(amount)


def init_telemetry(app: Flask) -> None:
    """Request id first and last; access logging and metrics on every response. An app configured
    with `QUIET_TELEMETRY` (app/warmup.py's, which serves only its own warm-up) neither logs nor
    counts its requests."""
    configure_logging(app.config.get("LOG_LEVEL", "INFO"), app.config.get("LOG_FORMAT", "json"))
    app.before_request(_start)
    app.after_request(_finish_quietly if app.config.get("QUIET_TELEMETRY") else _finish)
