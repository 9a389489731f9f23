"""Abuse limits per API key (Flask-Limiter): in memory, or shared through Redis when configured.

- One budget per key across the whole API (RATE_LIMIT, Flask-Limiter's application limit, scope
  "global"): a call to any route counts against it. Exam generation has a tighter limit of its own
  on top (RATELIMIT_EXAMS). Unauthenticated calls are refused (401) before they count; the probes,
  /metrics and the docs are not limited.
- The store is RATELIMIT_STORAGE_URI: `memory://` counts in each process (each gunicorn worker and
  each replica has its own budget), `redis://...` shares the counters across workers and replicas.
- Redis down is a degradation, not an outage (issue 12, point 3): Flask-Limiter's in-memory
  fallback counts the same limits in each process's memory until Redis answers again (it retries
  after 1, 2, 4, ... 32 s). Each switch is logged as a warning by `flask-limiter` and counted in
  `qbank_rate_limit_store_fallbacks_total`; /readyz reports `"redis": "down ..."` meanwhile.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from prometheus_client import Counter

STORE_FALLBACKS = Counter("qbank_rate_limit_store_fallbacks_total",
                          "Times a process found the rate-limit store (Redis) unreachable and counted in memory")
# Redis that does not answer must not hold requests: give up on a connection or a reply quickly.
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
# What Flask-Limiter logs when it switches to its in-memory fallback (flask_limiter/_extension.py).
_FALLBACK_MESSAGE = "falling back to in-memory storage"

# Routes with a tighter limit than the default: endpoint -> (setting, methods).
ROUTE_LIMITS = {"exams.Exams": ("RATELIMIT_EXAMS", ["POST"])}


def _rate_key() -> str:
    """Limits count per key; unauthenticated calls (probes, docs) per client address."""
    viewer = g.get("viewer")
    return f"key:{viewer.prefix}" if viewer is not None else f"ip:{get_remote_address()}"


def _exempt() -> bool:
    return request.blueprint in ("health", "metrics", "docs_assets", "api-docs")


class _CountFallbacks(logging.Handler):
    """Counts Flask-Limiter's switches to the in-memory store (it exposes them only as log records)."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING and _FALLBACK_MESSAGE in record.getMessage():
            STORE_FALLBACKS.inc()


_fallback_counter = _CountFallbacks()


def uses_redis(app: Flask) -> bool:
    return str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith(("redis", "rediss", "valkey"))


def redis_state(app: Flask) -> str | None:
    """For /readyz: "ok" or "down ..." when the limits are kept in Redis, None otherwise."""
    limiter: Limiter | None = app.extensions.get("qbank.limiter")
    if limiter is None or not limiter.enabled or not uses_redis(app):
        return None
    if limiter.storage.check():  # a PING, bounded by REDIS_OPTIONS; False on any error
        return "ok"
    return "down: rate limits are counted in each process's memory until it answers"


def _remember_own_retry_after(response: Response) -> Response:
    """Runs before the limiter's hook: the Retry-After the app itself set (503: the database)."""
    g.own_retry_after = response.headers.get("Retry-After")
    return response


def _retry_after_only_when_refused(response: Response) -> Response:
    """Retry-After tells a client to wait: only on 429 (the limiter's) and 503 (the app's own).
    Flask-Limiter sets it on every response, to the end of the rate window (up to a minute) or the
    app's value if later, along with the X-RateLimit-* counters, which stay."""
    own = g.pop("own_retry_after", None)
    if response.status_code == 503 and own is not None:
        response.headers["Retry-After"] = own
    elif response.status_code != 429:
        response.headers.pop("Retry-After", None)
    return response


def init_limits(app: Flask) -> Limiter:
    """A limiter for this app (apps do not share storage); it runs after the authorization hook."""
    app.config.setdefault("RATELIMIT_APPLICATION", app.config["RATE_LIMIT"])
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    if uses_redis(app):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", REDIS_OPTIONS)
    limiter_log = logging.getLogger("flask-limiter")
    if _fallback_counter not in limiter_log.handlers:
        limiter_log.addHandler(_fallback_counter)
    if limiter_log.getEffectiveLevel() > logging.WARNING:
        limiter_log.setLevel(logging.WARNING)  # the switch is counted (and logged) whatever LOG_LEVEL
    # Flask runs after-request hooks in reverse order of registration: this one runs after the
    # limiter's, and _remember_own_retry_after (registered after the limiter) before it.
    enabled = app.config.get("RATELIMIT_ENABLED", True)
    if enabled:  # with limits off nothing adds a Retry-After to take away: two hooks fewer per request
        app.after_request(_retry_after_only_when_refused)
    limiter = Limiter(key_func=_rate_key, app=app, application_limits_exempt_when=_exempt)
    if enabled:
        app.after_request(_remember_own_retry_after)
    app.extensions["qbank.limiter"] = limiter
    return limiter


def apply_route_limits(app: Flask) -> None:
    """Wrap the views of ROUTE_LIMITS with their own limits (after the blueprints are registered)."""
    limiter: Limiter = app.extensions["qbank.limiter"]
    for endpoint, (setting, methods) in ROUTE_LIMITS.items():
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(app.config[setting], methods=methods)(view)
