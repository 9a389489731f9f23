"""Topics: /api/v1/topics, and the subtopics under each topic."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from app.api import Blueprint, paginate
from app.api.headers import NO_STORE
from app.db import db
from app.schemas import (
    BankExportQuerySchema,
    DeleteArgsSchema,
    PageArgsSchema,
    SubtopicSchema,
    TopicSchema,
    page_of,
)
from app.services import bank, transfer

blp = Blueprint("topics", __name__, description="Topics (disciplinas) of the bank")

TopicPageSchema = page_of(TopicSchema, "TopicPage")
SubtopicPageSchema = page_of(SubtopicSchema, "SubtopicPage")


@blp.route("/topics")
class Topics(MethodView):
    @blp.arguments(PageArgsSchema(), location="query")
    @blp.response(200, TopicPageSchema)
    def get(self, args):
        """List topics, by code."""
        return paginate(db.session, bank.topics_query(), **args)

    @blp.arguments(TopicSchema)
    @blp.response(201, TopicSchema)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data):
        """Create a topic."""
        return bank.create_topic(db.session, **data)


@blp.route("/topics/<id:topic_id>")
class TopicById(MethodView):
    @blp.response(200, TopicSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, topic_id):
        """Get one topic."""
        return bank.get_topic(db.session, topic_id=topic_id)

    @blp.arguments(TopicSchema(partial=True))
    @blp.response(200, TopicSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def patch(self, data, topic_id):
        """Change some fields of a topic."""
        return bank.update_topic(db.session, topic_id=topic_id, changes=data)

    @blp.arguments(DeleteArgsSchema(), location="query")
    @blp.response(204)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def delete(self, args, topic_id):
        """Delete a topic; one with subtopics needs ?cascade=true."""
        bank.delete_topic(db.session, topic_id=topic_id, **args)


@blp.route("/topics/<id:topic_id>/export")
class TopicExport(MethodView):
    @blp.arguments(BankExportQuerySchema(), location="query")
    @blp.response(200, description="qbank-bank JSON (lossless) or the seed text format",
                  content_type="application/json")
    @blp.doc(responses={200: {"content": {"application/json": {"schema": {"type": "object"}},
                                            "text/plain": {"schema": {"type": "string"}}}}})
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, args, topic_id):
        """Export a topic whole: JSON keeps labels, statuses, explanations and variants; seed keeps texts."""
        if args["format"] == "seed":
            content = transfer.export_seed(db.session, topic_id=topic_id)
            media, extension = "text/plain; charset=utf-8", "txt"
        else:
            content = transfer.export_json(db.session, topic_id=topic_id)
            media, extension = "application/json", "json"
        return Response(content, content_type=media,  # JSON carries the labels: the answers
                        headers={"Content-Disposition": f'attachment; filename="topico-{topic_id}.{extension}"',
                                 **NO_STORE})


@blp.route("/topics/<id:topic_id>/subtopics")
class TopicSubtopics(MethodView):
    @blp.arguments(PageArgsSchema(), location="query")
    @blp.response(200, SubtopicPageSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, args, topic_id):
        """List the subtopics of a topic, by number."""
        return paginate(db.session, bank.subtopics_query(db.session, topic_id=topic_id), **args)

    @blp.arguments(SubtopicSchema)
    @blp.response(201, SubtopicSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, topic_id):
        """Add a subtopic to a topic (number defaults to the next free one)."""
        return bank.create_subtopic(db.session, topic_id=topic_id, **data)
