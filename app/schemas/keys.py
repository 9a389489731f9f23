"""API schemas: API keys."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from app.fields import Bool, CleanString
from app.schemas.common import (
    StrictSchema,
)

# --- API keys --------------------------------------------------------------------------------


ALLOW_UNREVIEWED = ("A consumer key may ask for exams with variants no author approved (use_unreviewed); without "
                    "it such a request is refused with 403. Admin and author keys always may")


class ApiKeySchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()
    prefix = fields.String(metadata={"description": "Visible part of the key: qbk_<prefix>_..."})
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True, metadata={
        "description": "When the key last authenticated a request (recorded at most once a minute)"})
    revoked_at = fields.DateTime(allow_none=True)
    active = fields.Boolean()
    allow_unreviewed = fields.Boolean(metadata={"description": ALLOW_UNREVIEWED})


class NewApiKeySchema(ApiKeySchema):
    key = fields.String(metadata={"description": "The full key: shown only in this response"})


class ApiKeyCreateSchema(StrictSchema):
    role = fields.String(required=True, validate=validate.OneOf(["admin", "author", "consumer"]))
    name = CleanString(required=True, validate=validate.Length(min=1, max=100))
    allow_unreviewed = Bool(load_default=False, metadata={"description": ALLOW_UNREVIEWED})


class ApiKeyUpdateSchema(StrictSchema):
    allow_unreviewed = Bool(required=True, metadata={"description": ALLOW_UNREVIEWED})
