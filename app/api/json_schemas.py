"""JSON Schemas of the JSON documents the API hands out, published for consumers to validate them."""

from __future__ import annotations

import marshmallow as ma
from flask import Response, url_for
from flask.views import MethodView
from marshmallow import fields

from app.api import Blueprint
from app.services import export

blp = Blueprint("schemas", __name__, description="JSON Schemas of the JSON documents the API hands out")

SCHEMA_MEDIA_TYPE = "application/schema+json"


class PublishedSchemaSchema(ma.Schema):
    name = fields.String(metadata={"description": "Name in GET /api/v1/schemas/{name}"})
    title = fields.String()
    description = fields.String()
    id = fields.String(metadata={"description": "The schema's $id"})
    url = fields.String(metadata={"description": "Where to read it"})


class PublishedSchemaListSchema(ma.Schema):
    items = fields.List(fields.Nested(PublishedSchemaSchema))


@blp.route("/schemas")
class Schemas(MethodView):
    @blp.response(200, PublishedSchemaListSchema)
    def get(self):
        """The published JSON Schemas (e.g. `exam-export`, the JSON export of an exam)."""
        return {"items": [{**export.schema_summary(name), "url": url_for("schemas.SchemaByName", name=name)}
                          for name in export.published_schemas()]}


@blp.route("/schemas/<string:name>")
class SchemaByName(MethodView):
    @blp.response(200, description="A JSON Schema (draft 2020-12)", content_type=SCHEMA_MEDIA_TYPE)
    @blp.doc(responses={200: {"content": {SCHEMA_MEDIA_TYPE: {"schema": {"type": "object"}}}}})
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, name):
        """One JSON Schema; the JSON export of an exam links to its own (Link: rel="describedby")."""
        return Response(export.published_schema(name), mimetype=SCHEMA_MEDIA_TYPE)
