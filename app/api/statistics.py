"""Item statistics for authors: how assertions and variants fared in scored attempts."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from app.api import Blueprint
from app.db import db
from app.schemas import FlaggedListSchema, ItemStatsSchema
from app.services import statistics

blp = Blueprint("statistics", __name__, description="Item statistics and variants flagged for review")


def _min_attempts() -> int:
    return current_app.config["STATS_MIN_ATTEMPTS"]


@blp.route("/assertions/<id:assertion_id>/stats")
class AssertionStats(MethodView):
    @blp.response(200, ItemStatsSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, assertion_id):
        """Attempts, shares right/wrong/blank and discrimination of an assertion shown as itself."""
        return statistics.assertion_stats(db.session, assertion_id=assertion_id, min_attempts=_min_attempts())


@blp.route("/variants/<id:variant_id>/stats")
class VariantStats(MethodView):
    @blp.response(200, ItemStatsSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, variant_id):
        """The same statistics for one false variant."""
        return statistics.variant_stats(db.session, variant_id=variant_id, min_attempts=_min_attempts())


@blp.route("/variants/flagged")
class FlaggedVariants(MethodView):
    @blp.response(200, FlaggedListSchema)
    def get(self):
        """False variants most top scorers judged "C": they may be accidentally true."""
        flagged = statistics.flagged_variants(db.session, min_attempts=_min_attempts())
        return {"items": [{"variant": v, "stats": s} for v, s in flagged]}
