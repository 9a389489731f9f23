"""Liveness and readiness probes, outside the versioned API."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from app.api.limits import redis_state
from app.db import db

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    """Alive: the process answers."""
    return jsonify(status="ok")


def _rate_limits() -> dict[str, str]:
    """Where the rate limits are counted, and whether Redis answers when that is where."""
    redis = redis_state(current_app)
    if redis is None:
        return {"rate_limits": "memory (per process)"}
    return {"rate_limits": "redis" if redis == "ok" else "memory (per process) while redis is down",
            "redis": redis}


@blp.get("/readyz")
def readyz():
    """Ready: the database answers and its schema is at the newest migration (else 503).

    Redis, when the rate limits are kept there, is reported but does not make the instance unready:
    without it requests are still served, with limits counted per process (status "degraded", 200).
    Taking every replica out of the load balancer because their shared Redis is down would turn a
    degradation into an outage."""
    from app.services import migrations  # Alembic: loaded by the first probe, not by every process

    head = migrations.head_revision()
    limits = _rate_limits()
    try:
        revision = migrations.current_revision(db.engine)
    except sa.exc.SQLAlchemyError as exc:
        body = {"status": "unavailable", "database": f"unreachable: {type(exc).__name__}", "head": head, **limits}
        return jsonify(body), 503
    ready = revision == head
    status = "unavailable" if not ready else "degraded" if limits.get("redis", "ok") != "ok" else "ok"
    body = {
        "status": status,
        "database": "ok" if ready else "schema is not at head: run `qbank db upgrade`",
        "revision": revision,
        "head": head,
        **limits,
    }
    return jsonify(body), 200 if ready else 503
