"""Abuse limits per API key (Flask-Limiter): in memory, or shared through Redis when configured."""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# Routes with a tighter limit than the default: endpoint -> (setting, methods).
ROUTE_LIMITS = {"exams.Exams": ("RATELIMIT_EXAMS", ["POST"])}


def _rate_key() -> str:
    """Limits count per key; unauthenticated calls (probes, docs) per client address."""
    viewer = g.get("viewer")
    return f"key:{viewer.prefix}" if viewer is not None else f"ip:{get_remote_address()}"


def _exempt() -> bool:
    return request.blueprint in ("health", "metrics", "docs_assets", "api-docs")


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
    app.config.setdefault("RATELIMIT_DEFAULT", app.config["RATE_LIMIT"])
    # Flask runs after-request hooks in reverse order of registration: this one runs after the
    # limiter's, and _remember_own_retry_after (registered after the limiter) before it.
    app.after_request(_retry_after_only_when_refused)
    limiter = Limiter(key_func=_rate_key, app=app, default_limits_exempt_when=_exempt)
    app.after_request(_remember_own_retry_after)
    app.extensions["qbank.limiter"] = limiter
    return limiter


def apply_route_limits(app: Flask) -> None:
    """Wrap the views of ROUTE_LIMITS with their own limits (after the blueprints are registered)."""
    limiter: Limiter = app.extensions["qbank.limiter"]
    for endpoint, (setting, methods) in ROUTE_LIMITS.items():
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(app.config[setting], methods=methods)(view)
