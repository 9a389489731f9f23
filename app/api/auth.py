"""Who may call what: bearer API keys, roles per route family, 401 and 403 as problem details."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from werkzeug.wrappers import Response

from app.db import db
from app.models import Role
from app.services.keys import Viewer, authenticate_with

ADMINS = frozenset({Role.ADMIN.value})
AUTHORS = frozenset({Role.ADMIN.value, Role.AUTHOR.value})
EVERYONE = frozenset({Role.ADMIN.value, Role.AUTHOR.value, Role.CONSUMER.value})

# Route families (blueprints) and the roles that may use them. Consumers reach exams, sessions
# and attempts only, and inside those only what their own key made (see the services).
ROLES_BY_BLUEPRINT = {
    "topics": AUTHORS,
    "subtopics": AUTHORS,
    "assertions": AUTHORS,
    "variants": AUTHORS,
    "statistics": AUTHORS,
    "imports": AUTHORS,
    "jobs": AUTHORS,
    "scans": AUTHORS,
    "exams": EVERYONE,
    "sessions": EVERYONE,
    "schemas": EVERYONE,
    "keys": ADMINS,
}
# The author workbench (/author/) takes no bearer key: it has its own sign-in and session (app/author).
PUBLIC_BLUEPRINTS = frozenset({"health", "docs_assets", "api-docs", "author"})


def current_viewer() -> Viewer | None:
    """The authenticated caller of this request (None on public routes)."""
    return g.get("viewer")


def _problem(status: int, detail: str, *, code: str) -> Response:
    from app.api import problem

    headers = {"WWW-Authenticate": 'Bearer realm="qbank"'} if status == 401 else None
    return problem(status, detail, code=code, headers=headers)


def authorize() -> Response | None:
    """before_request: let public routes through, else require a valid key with the right role."""
    incoming = request._get_current_object()  # one context lookup for the attributes read below
    endpoint = incoming.endpoint
    if endpoint is None or incoming.method == "OPTIONS":
        return None  # no route: the 404/405 handlers answer
    blueprint = endpoint.split(".", 1)[0]
    if blueprint in PUBLIC_BLUEPRINTS or endpoint == "static":
        return None
    if blueprint == "metrics" and current_app.config.get("METRICS_PUBLIC", True):
        return None
    header = incoming.environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _problem(401, "send an API key: Authorization: Bearer <key>", code="missing_api_key")
    # The request's session is made only if the key must be read or its use written (rarely).
    viewer = authenticate_with(db.engine, lambda: db.session, token=token.strip())
    if viewer is None:
        return _problem(401, "unknown or revoked API key", code="invalid_api_key")
    g.viewer = viewer
    allowed = ROLES_BY_BLUEPRINT.get(blueprint, ADMINS)
    if viewer.role not in allowed:
        return _problem(403, f"a {viewer.role} key may not use this route (it needs: {', '.join(sorted(allowed))})",
                        code="forbidden_for_role")
    return None


def init_auth(app: Flask) -> None:
    """Register the authorization hook; it must run before the rate limiter (which keys on it)."""
    app.before_request(authorize)
