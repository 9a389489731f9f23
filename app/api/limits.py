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


def _retry_after_only_when_refused(response: Response) -> Response:
    """Retry-After tells a client to wait: only on 429 and 503. Flask-Limiter adds it to every
    response along with the X-RateLimit-* counters, which stay."""
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
    return response


def init_limits(app: Flask) -> Limiter:
    """A limiter for this app (apps do not share storage); it runs after the authorization hook."""
    app.config.setdefault("RATELIMIT_DEFAULT", app.config["RATE_LIMIT"])
    # Registered before the limiter's own hook, so that it runs after it (Flask runs them in reverse).
    app.after_request(_retry_after_only_when_refused)
    limiter = Limiter(key_func=_rate_key, app=app, default_limits_exempt_when=_exempt)
    app.extensions["qbank.limiter"] = limiter
    return limiter


def apply_route_limits(app: Flask) -> None:
    """Wrap the views of ROUTE_LIMITS with their own limits (after the blueprints are registered)."""
    limiter: Limiter = app.extensions["qbank.limiter"]
    for endpoint, (setting, methods) in ROUTE_LIMITS.items():
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(app.config[setting], methods=methods)(view)
