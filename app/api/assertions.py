"""Assertions: /api/v1/assertions with filters, and /api/v1/assertions/{id}."""

from __future__ import annotations

from flask.views import MethodView

from app.api import ETAG_HEADER, IF_MATCH_PARAMETER, Blueprint, if_match, paginate
from app.api.subtopics import AssertionPageSchema
from app.db import db
from app.schemas import AssertionPatchSchema, AssertionQuerySchema, AssertionSchema
from app.services import bank

blp = Blueprint("assertions", __name__, description="Assertions (itens) to judge certo or errado")


@blp.route("/assertions")
class Assertions(MethodView):
    @blp.arguments(AssertionQuerySchema(), location="query")
    @blp.response(200, AssertionPageSchema)
    def get(self, args):
        """List assertions, filtered by topic, subtopic, label, status and text (q)."""
        page, page_size = args.pop("page"), args.pop("page_size")
        return paginate(db.session, bank.assertions_query(**args), page=page, page_size=page_size)


@blp.route("/assertions/<id:assertion_id>")
class AssertionById(MethodView):
    @blp.response(200, AssertionSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, assertion_id):
        """Get one assertion, with its ETag."""
        assertion = bank.get_assertion(db.session, assertion_id=assertion_id)
        return assertion, 200, {"ETag": assertion.etag}

    @blp.arguments(AssertionPatchSchema(partial=True))
    @blp.doc(parameters=[IF_MATCH_PARAMETER])
    @blp.response(200, AssertionSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    @blp.alt_response(412, "PRECONDITION_FAILED")
    def patch(self, data, assertion_id):
        """Change some fields of an assertion (its version goes up); with If-Match, only if unchanged since."""
        assertion = bank.update_assertion(db.session, assertion_id=assertion_id, changes=data, if_match=if_match())
        return assertion, 200, {"ETag": assertion.etag}

    @blp.doc(parameters=[IF_MATCH_PARAMETER])
    @blp.response(204)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(412, "PRECONDITION_FAILED")
    def delete(self, assertion_id):
        """Delete an assertion."""
        bank.delete_assertion(db.session, assertion_id=assertion_id, if_match=if_match())
