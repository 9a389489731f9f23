"""Liveness and readiness probes, outside the versioned API."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify

from app.db import db
from app.services import migrations

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    """Alive: the process answers."""
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz():
    """Ready: the database answers and its schema is at the newest migration."""
    head = migrations.head_revision()
    try:
        revision = migrations.current_revision(db.engine)
    except sa.exc.SQLAlchemyError as exc:
        body = {"status": "unavailable", "database": f"unreachable: {type(exc).__name__}", "head": head}
        return jsonify(body), 503
    ready = revision == head
    body = {
        "status": "ok" if ready else "unavailable",
        "database": "ok" if ready else "schema is not at head: run `qbank db upgrade`",
        "revision": revision,
        "head": head,
    }
    return jsonify(body), 200 if ready else 503
