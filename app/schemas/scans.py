"""API schemas: scanned answer sheets."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from app.schemas.common import PageArgsSchema, StrictSchema

SHEET_STATES = ("scored", "needs_review")


class ScanItemSchema(ma.Schema):
    number = fields.Integer()
    state = fields.String(metadata={"description": "answer, blank or ambiguous"})
    answer = fields.String(allow_none=True, metadata={"description": '"C", "E" or null'})
    confidence = fields.Float(metadata={"description": "0 (at the edge of ambiguity, or ambiguous) to 1"})
    fill = fields.List(fields.Float(), metadata={"description": "How full the C and E bubbles are, 0 to 1"})
    reason = fields.String(allow_none=True, metadata={"description": "For ambiguous items: two_marks or faint_mark"})


class ScanUploadInfoSchema(ma.Schema):
    id = fields.Integer()
    checksum = fields.String(metadata={"description": "SHA-256 of the file: the same file again is a replay"})
    media_type = fields.String()
    size = fields.Integer()
    kept = fields.Boolean(metadata={"description": "Whether the file is still kept (until every sheet read from it "
                                                   "is confirmed)"})


class ScanSheetSchema(ma.Schema):
    id = fields.Integer()
    exam_id = fields.Integer()
    version = fields.Integer()
    candidate = fields.String(allow_none=True, metadata={"description": "Candidate number (8 digits)"})
    candidate_problem = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "scored, or needs_review (an ambiguous item or candidate)"})
    ambiguous = fields.List(fields.Integer(), metadata={"description": "Item numbers an author must resolve"})
    attempt_id = fields.Integer(allow_none=True)
    confirmed = fields.Boolean()
    first_page = fields.Integer()
    pages = fields.Integer()
    upload = fields.Nested(ScanUploadInfoSchema)
    items = fields.List(fields.Nested(ScanItemSchema))
    created_at = fields.DateTime()


class ScanUploadResultSchema(ma.Schema):
    sheets = fields.List(fields.Nested(ScanSheetSchema), required=True)
    scored = fields.Integer(metadata={"description": "Sheets scored into attempts"})
    needs_review = fields.Integer(metadata={"description": "Sheets waiting for an author"})


class ScanListArgsSchema(PageArgsSchema):
    status = fields.String(load_default=None, validate=validate.OneOf(SHEET_STATES))


class ScanResolveSchema(StrictSchema):
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True,
                          metadata={"description": 'Item number -> "C", "E" or null, for every ambiguous item '
                                                   "(others may be corrected too)", "example": {"12": "C", "40": None}})
    candidate = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^\d{8}$"),
                              metadata={"description": "The candidate number, when it could not be read"})
