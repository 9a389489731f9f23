"""API schemas: topics, subtopics, assertions and imports."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from app.fields import CleanString, Int, id_field, query_id_field
from app.models import NUMBER_MAX, Label, Status
from app.models import TEXT_MAX_CHARS as TEXT_MAX
from app.models import TITLE_MAX_CHARS as TITLE_MAX
from app.schemas.common import (
    CODE_PATTERN,
    PageArgsSchema,
    StrictSchema,
)

# --- topics ----------------------------------------------------------------------------------


class TopicSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    code = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=40), validate.Regexp(CODE_PATTERN, error="must look like 9.3")],
        metadata={"example": "9.3"},
    )
    title = CleanString(
        required=True, validate=validate.Length(min=1, max=TITLE_MAX),
        metadata={"example": "MLOps - implantação"},
    )
    source_document = CleanString(allow_none=True, validate=validate.Length(max=255))
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class DeleteArgsSchema(StrictSchema):
    cascade = fields.Boolean(
        load_default=False,
        metadata={"description": "Also delete the topic's subtopics and assertions"},
    )


# --- subtopics -------------------------------------------------------------------------------


class SubtopicSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    topic_id = fields.Integer(dump_only=True)
    number = Int(validate=validate.Range(min=1, max=NUMBER_MAX))
    title = CleanString(required=True, validate=validate.Length(min=1, max=TITLE_MAX))
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


# --- assertions ------------------------------------------------------------------------------


class ProvenanceSchema(ma.Schema):
    file = fields.String(allow_none=True)
    line = fields.Integer(allow_none=True)


class AssertionSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    topic_id = fields.Integer(dump_only=True)
    subtopic_id = fields.Integer(dump_only=True)
    number = Int(validate=validate.Range(min=1, max=NUMBER_MAX))
    text = CleanString(required=True, validate=validate.Length(min=1, max=TEXT_MAX))
    label = fields.String(
        load_default=Label.C.value,
        validate=validate.OneOf([label.value for label in Label]),
        metadata={"description": "C (certo) or E (errado)"},
    )
    explanation = CleanString(allow_none=True, validate=validate.Length(max=4 * TEXT_MAX))
    status = fields.String(
        load_default=Status.DRAFT.value, validate=validate.OneOf([s.value for s in Status])
    )
    depends_on_id = id_field(
        allow_none=True,
        metadata={"description": "The earlier assertion of the same subtopic this one refers to"},
    )
    provenance = fields.Nested(
        ProvenanceSchema, dump_only=True, allow_none=True,
        metadata={"description": "Where an imported item came from: document and line"},
    )
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class AssertionPatchSchema(AssertionSchema):
    """PATCH body: any subset of the writable fields, without create-time defaults."""

    label = fields.String(validate=validate.OneOf([label.value for label in Label]))
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))


class AssertionQuerySchema(PageArgsSchema):
    topic_id = query_id_field()
    subtopic_id = query_id_field()
    label = fields.String(validate=validate.OneOf([label.value for label in Label]))
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))
    q = CleanString(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Text to find, ignoring case and accents"},
    )


# --- imports ---------------------------------------------------------------------------------


class ImportArgsSchema(StrictSchema):
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Only validate and count"})
    name = CleanString(
        load_default="upload.txt",
        validate=validate.Length(min=1, max=255),
        metadata={"description": "Document name recorded as each item's provenance"},
    )
    encoding = fields.String(load_default=None, validate=validate.OneOf(["utf-8", "windows-1252", "cp1252"]),
                             metadata={"description": "Encoding of an application/octet-stream seed document "
                                                      "(text/plain declares it as charset)"})


class CountsSchema(ma.Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()


class ImportWarningSchema(ma.Schema):
    document = fields.String()
    line = fields.Integer()
    message = fields.String()


class ImportResultSchema(ma.Schema):
    documents = fields.List(fields.String())
    dry_run = fields.Boolean()
    topics = fields.Nested(CountsSchema)
    subtopics = fields.Nested(CountsSchema)
    assertions = fields.Nested(CountsSchema)
    variants = fields.Nested(CountsSchema, allow_none=True, metadata={"description": "JSON bank documents only"})
    warnings = fields.List(fields.Nested(ImportWarningSchema))
