"""API schemas: the strict base, errors (problem details) and pagination."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

# Request bodies use the JSON field types of app/fields.py (Int, Number, Bool); query strings,
# whose values are text, marshmallow's own.
CODE_PATTERN = r"^\d+(\.\d+)*$"

class StrictSchema(ma.Schema):
    """Unknown fields are rejected (marshmallow's default, stated here on purpose)."""

    class Meta:
        unknown = ma.RAISE


# --- errors ----------------------------------------------------------------------------------


class ProblemErrorSchema(ma.Schema):
    field = fields.String(metadata={"description": "Dotted path of the offending field"})
    location = fields.String(metadata={"description": "Where the field is: json, query, path, body"})
    line = fields.Integer(metadata={"description": "1-based line of the document, for imports"})
    document = fields.String(metadata={"description": "Document name, for imports"})
    page = fields.Integer(metadata={"description": "1-based page of an upload, for scanned sheets"})
    message = fields.String(required=True)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, the shape of every error response."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    code = fields.String(metadata={"description": "Stable machine-readable reason, where there is one"})
    errors = fields.List(fields.Nested(ProblemErrorSchema))
    available = fields.Dict(metadata={"description": "What the bank can offer, when a request asks for more"})


# --- pagination ------------------------------------------------------------------------------


class PageArgsSchema(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))


class PageSchema(ma.Schema):
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "Items matching, all pages"})
    pages = fields.Integer(required=True)


def page_of(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A page envelope schema holding `items` of `item_schema`."""
    return type(name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema), required=True)})
