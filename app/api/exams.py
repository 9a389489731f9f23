"""Exams: generation, delivery without labels, the answer key, attempts scored CESPE-style."""

from __future__ import annotations

from flask import Response, current_app, request, url_for
from flask.views import MethodView
from flask_smorest import abort

from app.api import ETAG_HEADER, Blueprint, paginate
from app.api.auth import current_viewer
from app.api.headers import EXPORT_CSP, NO_STORE
from app.api.representations import (
    IF_NONE_MATCH_PARAMETER,
    NOT_MODIFIED,
    conditional_response,
    representation,
)
from app.db import db
from app.fields import TEXT_PATTERN
from app.schemas import (
    AttemptCreateSchema,
    AttemptResultSchema,
    AttemptSummarySchema,
    AuditQuerySchema,
    ExamAuditSchema,
    ExamCreateSchema,
    ExamKeySchema,
    ExamSchema,
    ExportQuerySchema,
    PageArgsSchema,
    VersionQuerySchema,
    exam_json,
    page_of,
)
from app.services import audit, export, generation, issued, keys, scoring
from app.telemetry import ATTEMPTS_SCORED, EXAMS_GENERATED, count

blp = Blueprint("exams", __name__, description="Certo/errado exams: generation, delivery, keys and scoring")

AttemptPageSchema = page_of(AttemptSummarySchema, "AttemptPage")
_SCHEMA_EXAM, _SCHEMA_KEY = ExamSchema(), ExamKeySchema()
PRIVATE = {"Cache-Control": "private"}
PRIVATE_HEADER = {"Cache-Control": {"description": "private: the exam belongs to the key that asked",
                                    "schema": {"type": "string"}}}
IDEMPOTENCY_HEADER = {
    "Idempotency-Key": {
        "description": "Repeat a submission safely: the same key returns the first attempt",
        "schema": {"type": "string", "maxLength": 200, "pattern": TEXT_PATTERN},
    }
}


@blp.route("/exams")
class Exams(MethodView):
    @blp.arguments(ExamCreateSchema)
    @blp.response(201, ExamSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(403, "FORBIDDEN", description="A consumer key asked for use_unreviewed without an admin's "
                                                    "permission (code unreviewed_not_allowed)")
    @blp.alt_response(409, "CONFLICT", description="Practice session exhausted (code session_exhausted)")
    def post(self, data):
        """Generate an exam; 422 saying what is available when the bank cannot satisfy it."""
        viewer = current_viewer()
        weights = data.pop("weights")
        use_unreviewed = keys.use_unreviewed_for(db.session, viewer=viewer, requested=data.pop("use_unreviewed"),
                                                 default=current_app.config["EXAMS_USE_UNREVIEWED"])
        operators = data.pop("operators")
        exam_request = generation.ExamRequest(
            items=data["items"], topic_ids=tuple(data["topic_ids"]), subtopic_ids=tuple(data["subtopic_ids"]),
            false_ratio=data["false_ratio"], distribution=data["distribution"], seed=data["seed"],
            versions=data["versions"], title=data["title"],
            operators=tuple(operators) if operators is not None else None, use_unreviewed=use_unreviewed,
            max_operator_share=data["max_operator_share"], cue_balance=data["cue_balance"],
            weight_right=weights["right"],
            weight_wrong=weights["wrong"], weight_blank=weights["blank"], session_token=data["session"],
            owner_key_id=viewer.key_id if viewer else None, owner_is_consumer=bool(viewer and viewer.is_consumer),
            lexicon_dir=current_app.config.get("LEXICON_DIR"),
        )
        new = generation.issue_exam(db.session, request=exam_request)
        count(EXAMS_GENERATED)
        # The candidate's view of version 1 from the items just written: the bytes a GET of it makes
        # (schemas/exams.py::exam_json). Not kept for the GETs: most new exams are read by another
        # worker or not at all, and kept ones would fill the workers' memory at the rate exams are made.
        response = current_app.json.response(exam_json(generation.describe_exam(new.exam, items=new.items)))
        response.status_code = 201
        return response


@blp.route("/exams/<id:exam_id>")
class ExamById(MethodView):
    @blp.arguments(VersionQuerySchema(), location="query")
    @blp.doc(parameters=[IF_NONE_MATCH_PARAMETER], responses={304: NOT_MODIFIED})
    @blp.response(200, ExamSchema, headers={**ETAG_HEADER, **PRIVATE_HEADER})
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, args, exam_id):
        """An issued exam as candidates see it (no labels); ?version= for another caderno.

        Issued exams do not change: the answer carries a strong ETag, and a request whose
        If-None-Match names it gets 304 without a body."""
        state = issued.exam_state(db.engine, exam_id=exam_id, viewer=current_viewer())
        version = args["version"]
        issued.check_version(state.versions, version)
        entry = representation(state, version, "exam", lambda: _SCHEMA_EXAM.dump(
            issued.describe_exam(issued.get_exam(db.session, exam_id=exam_id), version)))
        return conditional_response(entry, PRIVATE)


@blp.route("/exams/<id:exam_id>/key")
class ExamKey(MethodView):
    @blp.arguments(VersionQuerySchema(), location="query")
    @blp.doc(parameters=[IF_NONE_MATCH_PARAMETER], responses={304: NOT_MODIFIED})
    @blp.response(200, ExamKeySchema, headers=ETAG_HEADER)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, args, exam_id):
        """The answer key with explanations (gabarito comentado); consumers: after an attempt.
        Not stored by caches; a strong ETag, and 304 to an If-None-Match that names it."""
        viewer = current_viewer()
        state = issued.exam_state(db.engine, exam_id=exam_id, viewer=viewer)
        issued.require_answers_visible(db.session, exam=state, viewer=viewer)
        version = args["version"]
        issued.check_version(state.versions, version)
        entry = representation(state, version, "key", lambda: _SCHEMA_KEY.dump(
            issued.answer_key(issued.get_exam(db.session, exam_id=exam_id), version)))
        return conditional_response(entry, NO_STORE)


@blp.route("/exams/<id:exam_id>/audit")
class ExamAudit(MethodView):
    @blp.arguments(AuditQuerySchema(), location="query")
    @blp.response(200, ExamAuditSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY", description="Too few bank items to train the learned guesser")
    def get(self, args, exam_id):
        """Guesser audit (authors and admins): what test-wise strategies score on the exam, as a share
        of the maximum; ?learned=true adds a classifier trained on the other exams' items (or, with
        ?practice=bank, on every item and variant of the bank outside this exam)."""
        return audit.exam_audit(db.session, exam_id=exam_id, viewer=current_viewer(), learned=args["learned"],
                                lexicon_dir=current_app.config.get("LEXICON_DIR"), practice=args["practice"])


@blp.route("/exams/<id:exam_id>/attempts")
class ExamAttempts(MethodView):
    @blp.arguments(PageArgsSchema(), location="query")
    @blp.response(200, AttemptPageSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, args, exam_id):
        """Attempts submitted for an exam, with their scores (a consumer's own only)."""
        viewer = current_viewer()
        generation.get_exam(db.session, exam_id=exam_id, viewer=viewer)
        return paginate(db.session, scoring.attempts_query(exam_id=exam_id, viewer=viewer), **args)

    @blp.arguments(AttemptCreateSchema)
    @blp.doc(parameters=[{"in": "header", "name": k, **v} for k, v in IDEMPOTENCY_HEADER.items()])
    @blp.response(201, AttemptResultSchema)
    @blp.alt_response(200, schema=AttemptResultSchema, description="Replay of an Idempotency-Key", success=True)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT", description="Idempotency-Key reused for other answers")
    def post(self, data, exam_id):
        """Score answers by the CESPE rule (+1 right, −1 wrong, 0 blank, or the exam's weights)."""
        key = request.headers.get("Idempotency-Key")
        if key is not None and not 1 <= len(key) <= 200:
            abort(422, message="Idempotency-Key must be 1 to 200 characters",
                  errors=[{"location": "headers", "field": "Idempotency-Key", "message": "1 to 200 characters"}])
        result, created = scoring.submit_attempt(db.session, exam_id=exam_id, idempotency_key=key,
                                                 viewer=current_viewer(), **data)
        if created:
            count(ATTEMPTS_SCORED)
        return result, 201 if created else 200, NO_STORE


@blp.route("/exams/<id:exam_id>/export")
class ExamExport(MethodView):
    @blp.arguments(ExportQuerySchema(), location="query")
    @blp.response(200, description="The file: PDF, HTML, Moodle XML, GIFT, QTI zip, CSV or JSON",
                  content_type="application/octet-stream")
    @blp.doc(responses={200: {"content": export.response_content()}})
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, args, exam_id):
        """Export a version of an exam for printing or for a learning platform."""
        exported = export.export_exam(db.session, exam_id=exam_id, fmt=args["format"], version=args["version"],
                                      key=args["key"], viewer=current_viewer())
        disposition = "inline" if args["format"] in ("html", "pdf") else "attachment"
        headers = {"Content-Disposition": f'{disposition}; filename="{exported.filename}"'}
        if exported.schema:  # where a consumer finds the JSON Schema to validate the file with
            headers["Link"] = f'<{url_for("schemas.SchemaByName", name=exported.schema)}>; rel="describedby"'
        if exported.answers:
            headers.update(NO_STORE)
        if args["format"] == "html":
            headers["Content-Security-Policy"] = EXPORT_CSP
        return Response(exported.content, mimetype=exported.media_type.split(";")[0],
                        content_type=exported.media_type, headers=headers)


@blp.route("/exams/<id:exam_id>/attempts/<id:attempt_id>")
class AttemptById(MethodView):
    @blp.response(200, AttemptResultSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, exam_id, attempt_id):
        """A scored attempt with its per-block breakdown and per-item explanations."""
        attempt = scoring.get_attempt(db.session, exam_id=exam_id, attempt_id=attempt_id, viewer=current_viewer())
        return attempt, 200, NO_STORE
