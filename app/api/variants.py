"""Variants: generation, review and hand-written false versions of true assertions."""

from __future__ import annotations

from flask import current_app, jsonify, url_for
from flask.views import MethodView

from app import jobs as runner
from app.api import ETAG_HEADER, IF_MATCH_PARAMETER, Blueprint, if_match, paginate
from app.api.auth import current_viewer
from app.db import db
from app.schemas import (
    BulkVariantRequestSchema,
    BulkVariantResultSchema,
    JobSchema,
    VariantListSchema,
    VariantPatchSchema,
    VariantQualityQuerySchema,
    VariantQualitySchema,
    VariantQuerySchema,
    VariantRequestSchema,
    VariantSchema,
    VariantStatusQuerySchema,
    page_of,
)
from app.services import bank, jobs, variant_quality
from app.services import variants as service
from app.telemetry import VARIANTS_GENERATED, count

blp = Blueprint("variants", __name__, description="False variants of true assertions, and their review")

VariantPageSchema = page_of(VariantSchema, "VariantPage")


def _lexicon_dir() -> str | None:
    return current_app.config.get("LEXICON_DIR")


# Generation has a default for everything (seed 0, the 5 best): a POST without a body generates.
OPTIONAL_BODY = {"required": False}


@blp.route("/assertions/<id:assertion_id>/variants")
class AssertionVariants(MethodView):
    @blp.arguments(VariantStatusQuerySchema(), location="query")
    @blp.response(200, VariantPageSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, args, assertion_id):
        """List an assertion's variants, best first."""
        bank.get_assertion(db.session, assertion_id=assertion_id)
        page, page_size = args.pop("page"), args.pop("page_size")
        stmt = service.variants_query(assertion_id=assertion_id, **args)
        return paginate(db.session, stmt, page=page, page_size=page_size)

    @blp.arguments(VariantRequestSchema, **OPTIONAL_BODY)
    @blp.response(201, VariantListSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, assertion_id):
        """Generate variants (seed, top; no body: seed 0, top 5) or add a hand-written one (text, explanation)."""
        if "text" in data:
            variant = service.add_manual_variant(db.session, assertion_id=assertion_id, **data)
            return {"seed": None, "items": [variant]}
        seed = data.get("seed", 0)
        items, created = service.generate_for_assertion(
            db.session, assertion_id=assertion_id, seed=seed, top=data.get("top", 5), lexicon_dir=_lexicon_dir()
        )
        count(VARIANTS_GENERATED, created)
        return {"seed": seed, "items": items}


@blp.route("/variants")
class Variants(MethodView):
    @blp.arguments(VariantQuerySchema(), location="query")
    @blp.response(200, VariantPageSchema)
    def get(self, args):
        """List variants across the bank: the review queue (status=pending), by topic or operator."""
        page, page_size = args.pop("page"), args.pop("page_size")
        return paginate(db.session, service.variants_query(**args), page=page, page_size=page_size)


@blp.route("/variants/quality")
class VariantQuality(MethodView):
    @blp.arguments(VariantQualityQuerySchema(), location="query")
    @blp.response(200, VariantQualitySchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, args):
        """Precision per operator, bank-wide and per topic: the corpus figure moved by this bank's reviews."""
        if "topic_id" in args:
            bank.get_topic(db.session, topic_id=args["topic_id"])
        return variant_quality.quality_report(db.session, topic_id=args.get("topic_id"))


@blp.route("/variants/<id:variant_id>")
class VariantById(MethodView):
    @blp.response(200, VariantSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, variant_id):
        """Get one variant, with its ETag."""
        variant = service.get_variant(db.session, variant_id=variant_id)
        return variant, 200, {"ETag": variant.etag}

    @blp.arguments(VariantPatchSchema)
    @blp.doc(parameters=[IF_MATCH_PARAMETER])
    @blp.response(200, VariantSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    @blp.alt_response(412, "PRECONDITION_FAILED")
    def patch(self, data, variant_id):
        """Approve, reject or edit a variant; with If-Match, only if nobody changed it meanwhile."""
        variant = service.update_variant(db.session, variant_id=variant_id, changes=data, if_match=if_match())
        return variant, 200, {"ETag": variant.etag}

    @blp.doc(parameters=[IF_MATCH_PARAMETER])
    @blp.response(204)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(412, "PRECONDITION_FAILED")
    def delete(self, variant_id):
        """Delete a variant."""
        service.delete_variant(db.session, variant_id=variant_id, if_match=if_match())


@blp.route("/topics/<id:topic_id>/variants")
class TopicVariants(MethodView):
    @blp.arguments(BulkVariantRequestSchema, **OPTIONAL_BODY)
    @blp.response(201, BulkVariantResultSchema)
    @blp.alt_response(202, schema=JobSchema, success=True,
                      description="A large topic: the work runs as a job; poll the Location (GET /api/v1/jobs/{id})")
    @blp.alt_response(404, "NOT_FOUND")
    def post(self, data, topic_id):
        """Generate variants for every true assertion of a topic (pending review; no body: seed 0, top 5).
        A topic with more true assertions than the server's threshold answers 202 with a job."""
        bank.get_topic(db.session, topic_id=topic_id)
        job = jobs.variant_job_if_large(db.session, topic_id=topic_id, seed=data.get("seed", 0),
                                        top=data.get("top", 5), threshold=current_app.config["VARIANT_JOB_THRESHOLD"],
                                        viewer=current_viewer())
        if job is not None:
            runner.dispatch(current_app._get_current_object(), job.id)
            # A Response of its own: the decorator would dump it with the 201's schema otherwise.
            response = jsonify(JobSchema().dump(job))
            response.status_code, response.headers["Location"] = 202, url_for("jobs.JobById", job_id=job.id)
            return response
        result = service.generate_for_topic(db.session, topic_id=topic_id, lexicon_dir=_lexicon_dir(), **data)
        count(VARIANTS_GENERATED, result.created)
        return result
