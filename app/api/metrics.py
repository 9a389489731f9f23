"""GET /metrics: Prometheus text format (public unless METRICS_PUBLIC is off)."""

from __future__ import annotations

from flask import Blueprint

from app.telemetry import metrics_response

blp = Blueprint("metrics", __name__)


@blp.get("/metrics")
def metrics():
    """Request counts and latencies by route, exams generated, attempts scored, variants generated."""
    return metrics_response()
