"""API schemas: variants, their review, quality and bulk jobs."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from app.fields import CleanString, Int, query_id_field
from app.models import TEXT_MAX_CHARS as TEXT_MAX
from app.models import VariantKind, VariantStatus
from app.schemas.common import (
    PageArgsSchema,
    StrictSchema,
)

# --- variants --------------------------------------------------------------------------------


class ChangeSchema(ma.Schema):
    from_ = fields.String(data_key="from", attribute="from", metadata={"description": "Original words"})
    to = fields.String(metadata={"description": "Words in the variant"})
    start = fields.Integer(metadata={"description": "Offset in the original text"})
    end = fields.Integer()


class VariantSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    assertion_id = fields.Integer(dump_only=True)
    text = CleanString(required=True, validate=validate.Length(min=1, max=TEXT_MAX))
    operator = fields.String(dump_only=True, metadata={"description": "Engine operator, or manual"})
    category = fields.String(dump_only=True, metadata={"description": "contradição, extrapolação or redução"})
    changes = fields.List(fields.Nested(ChangeSchema), dump_only=True)
    explanation = CleanString(required=True, validate=validate.Length(min=1, max=4 * TEXT_MAX))
    risk = fields.Float(dump_only=True, metadata={"description": "0 (safe) to 1: chance it is not clearly false"})
    rank = fields.Integer(dump_only=True, allow_none=True)
    status = fields.String(dump_only=True, validate=validate.OneOf([s.value for s in VariantStatus]))
    origin = fields.String(dump_only=True)
    trusted = fields.Boolean(dump_only=True, metadata={
        "description": "Whether its operator's measured precision lets it enter exams unreviewed "
                       "(use_unreviewed); an untrusted variant needs an author's approval"})
    kind = fields.String(dump_only=True, validate=validate.OneOf([k.value for k in VariantKind]), metadata={
        "description": "false: a false variant, shown E; true_rewrite: the same true claim restated (e.g. through "
                       "a negated complement), shown C, and explained with CERTO"})
    edited = fields.Boolean(dump_only=True, metadata={"description": "Whether an author changed its text"})
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class VariantPatchSchema(StrictSchema):
    """Review (status) or edit (text, explanation) a variant."""

    status = fields.String(validate=validate.OneOf([s.value for s in VariantStatus]))
    text = CleanString(validate=validate.Length(min=1, max=TEXT_MAX))
    explanation = CleanString(validate=validate.Length(min=1, max=4 * TEXT_MAX))


class VariantRequestSchema(StrictSchema):
    """Either a hand-written variant (text and explanation) or a generation request (seed, top)."""

    # The rule _one_kind enforces, as the document states it (app/api: SchemaExtrasPlugin).
    openapi_extra = {"oneOf": [
        {"required": ["text", "explanation"], "not": {"anyOf": [{"required": ["seed"]}, {"required": ["top"]}]}},
        {"not": {"anyOf": [{"required": ["text"]}, {"required": ["explanation"]}]}},
    ]}

    text = CleanString(validate=validate.Length(min=1, max=TEXT_MAX),
                       metadata={"description": "A hand-written false variant; omit to generate"})
    explanation = CleanString(validate=validate.Length(min=1, max=4 * TEXT_MAX),
                              metadata={"description": "Why the hand-written variant is false"})
    seed = Int(validate=validate.Range(min=0, max=2**63 - 1),
               metadata={"description": "Generation seed (default 0): same seed, same variants"})
    top = Int(validate=validate.Range(min=1, max=50),
              metadata={"description": "How many of the best generated variants to keep (default 5)"})

    @ma.validates_schema
    def _one_kind(self, data, **_kwargs):  # noqa: ANN001, ANN003
        manual = "text" in data or "explanation" in data
        if manual and ("seed" in data or "top" in data):
            raise ma.ValidationError("send text and explanation, or seed and top, not both")
        if manual and not ("text" in data and "explanation" in data):
            missing = "explanation" if "text" in data else "text"
            raise ma.ValidationError({missing: ["required with a hand-written variant"]})


class VariantListSchema(ma.Schema):
    seed = fields.Integer(allow_none=True)
    items = fields.List(fields.Nested(VariantSchema))


class VariantQuerySchema(PageArgsSchema):
    topic_id = query_id_field()
    assertion_id = query_id_field()
    status = fields.String(validate=validate.OneOf([s.value for s in VariantStatus]))
    operator = fields.String(validate=validate.Length(max=40))
    kind = fields.String(validate=validate.OneOf([k.value for k in VariantKind]))


class VariantStatusQuerySchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf([s.value for s in VariantStatus]))
    kind = fields.String(validate=validate.OneOf([k.value for k in VariantKind]))


class VariantQualityQuerySchema(StrictSchema):
    topic_id = query_id_field()


class OperatorQualitySchema(ma.Schema):
    operator = fields.String()
    corpus_precision = fields.Float(allow_none=True, metadata={
        "description": "Share of its variants judged good on the evaluation corpus (null: not measured)"})
    approved = fields.Integer(metadata={"description": "Generated variants approved in this bank"})
    rejected = fields.Integer(metadata={"description": "Generated variants rejected in this bank"})
    edited = fields.Integer(metadata={"description": "Of the approved, how many only after an edit"})
    pending = fields.Integer(metadata={"description": "Generated variants awaiting review"})
    acceptance = fields.Float(allow_none=True, metadata={
        "description": "Approved without an edit over reviewed (null before any review)"})
    precision = fields.Float(metadata={
        "description": "Corpus precision moved towards this bank's acceptance (beta prior worth prior_weight reviews)"})
    trusted = fields.Boolean(metadata={"description": "precision >= threshold: may enter exams unreviewed"})


class TopicQualitySchema(ma.Schema):
    topic_id = fields.Integer()
    code = fields.String()
    operators = fields.List(fields.Nested(OperatorQualitySchema))


class VariantQualitySchema(ma.Schema):
    threshold = fields.Float(metadata={"description": "Precision an operator needs to be used unreviewed"})
    prior_weight = fields.Float(metadata={"description": "How many reviews the corpus figure weighs as"})
    operators = fields.List(fields.Nested(OperatorQualitySchema), metadata={"description": "Bank-wide"})
    topics = fields.List(fields.Nested(TopicQualitySchema))


class BulkVariantRequestSchema(StrictSchema):
    seed = Int(load_default=0, validate=validate.Range(min=0, max=2**63 - 1))
    top = Int(load_default=5, validate=validate.Range(min=1, max=50))


class JobSchema(ma.Schema):
    id = fields.String(metadata={"description": "Poll GET /api/v1/jobs/{id}"})
    kind = fields.String(metadata={"description": "variant_generation"})
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    done = fields.Integer(metadata={"description": "Units of work done (true assertions, for variant generation)"})
    total = fields.Integer()
    params = fields.Dict(metadata={"description": "What the job was asked to do"})
    result = fields.Dict(allow_none=True, metadata={"description": "When done: what the synchronous call "
                                                                   "would have answered (BulkVariantResult)"})
    error = fields.String(allow_none=True, metadata={"description": "When failed: why"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class BulkVariantResultSchema(ma.Schema):
    topic_id = fields.Integer()
    seed = fields.Integer()
    assertions = fields.Integer(metadata={"description": "True assertions of the topic"})
    with_variants = fields.Integer(metadata={"description": "Of those, how many got at least one variant"})
    variants = fields.Integer(metadata={"description": "Variants kept (top per assertion)"})
    created = fields.Integer(metadata={"description": "Variants new to the bank"})
    rewrites = fields.Integer(metadata={"description": "True rewrites new to the bank (kind true_rewrite, pending "
                                                       "review; not counted in variants or created)"})
    operators_first = fields.Dict(keys=fields.String(), values=fields.Integer(),
                                  metadata={"description": "Operator of each assertion's first variant"})
