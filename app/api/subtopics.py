"""Subtopics: /api/v1/subtopics/{id}, and the assertions under each subtopic."""

from __future__ import annotations

from flask.views import MethodView

from app.api import Blueprint, paginate
from app.db import db
from app.schemas import AssertionSchema, DeleteArgsSchema, PageArgsSchema, SubtopicSchema, page_of
from app.services import bank

blp = Blueprint("subtopics", __name__, description="Subtopics: the blocks of a topic")

AssertionPageSchema = page_of(AssertionSchema, "AssertionPage")


@blp.route("/subtopics/<id:subtopic_id>")
class SubtopicById(MethodView):
    @blp.response(200, SubtopicSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, subtopic_id):
        """Get one subtopic."""
        return bank.get_subtopic(db.session, subtopic_id=subtopic_id)

    @blp.arguments(SubtopicSchema(partial=True))
    @blp.response(200, SubtopicSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def patch(self, data, subtopic_id):
        """Change some fields of a subtopic."""
        return bank.update_subtopic(db.session, subtopic_id=subtopic_id, changes=data)

    @blp.arguments(DeleteArgsSchema(), location="query")
    @blp.response(204)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def delete(self, args, subtopic_id):
        """Delete a subtopic; one with assertions needs ?cascade=true."""
        bank.delete_subtopic(db.session, subtopic_id=subtopic_id, **args)


@blp.route("/subtopics/<id:subtopic_id>/assertions")
class SubtopicAssertions(MethodView):
    @blp.arguments(PageArgsSchema(), location="query")
    @blp.response(200, AssertionPageSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, args, subtopic_id):
        """List the assertions of a subtopic, by number."""
        bank.get_subtopic(db.session, subtopic_id=subtopic_id)
        return paginate(db.session, bank.assertions_query(subtopic_id=subtopic_id), **args)

    @blp.arguments(AssertionSchema)
    @blp.response(201, AssertionSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, subtopic_id):
        """Add an assertion to a subtopic (number defaults to the next free one)."""
        return bank.create_assertion(db.session, subtopic_id=subtopic_id, **data)
