"""Marshmallow schemas: the API's contract, and the source of openapi.yaml."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from app.fields import Bool, CleanString, Int, Number, id_field, query_id_field
from app.models import NUMBER_MAX, Label, Status, VariantKind, VariantStatus
from app.models import TEXT_MAX_CHARS as TEXT_MAX
from app.models import TITLE_MAX_CHARS as TITLE_MAX
from app.perturb.names import OPERATOR_NAMES

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


# --- health ----------------------------------------------------------------------------------


class HealthSchema(ma.Schema):
    status = fields.String(required=True)
    database = fields.String()
    revision = fields.String(allow_none=True)
    head = fields.String(allow_none=True)


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


# --- exams -----------------------------------------------------------------------------------



class WeightsSchema(StrictSchema):
    right = Number(load_default=1.0, validate=validate.Range(min=0, max=100, min_inclusive=False))
    wrong = Number(load_default=-1.0, validate=validate.Range(min=-100, max=0))
    blank = Number(load_default=0.0, validate=validate.Range(min=-100, max=100))


class ExamCreateSchema(StrictSchema):
    items = Int(required=True, validate=validate.Range(min=1, max=500),
                metadata={"description": "Number of items, 1 to 500"})
    topic_ids = fields.List(id_field(), load_default=list, validate=validate.Length(max=200),
                            metadata={"description": "Topics to draw from (default: all published items)"})
    subtopic_ids = fields.List(id_field(), load_default=list, validate=validate.Length(max=1000))
    false_ratio = Number(load_default=0.5, validate=validate.Range(min=0, max=1),
                               metadata={"description": "Share of false items: exactly round(items × false_ratio), "
                                                        "halves rounded up"})
    distribution = fields.String(load_default="proportional", validate=validate.OneOf(["proportional", "equal"]),
                                 metadata={"description": "Items per subtopic: proportional to its size, or equal"})
    seed = Int(allow_none=True, load_default=None, validate=validate.Range(min=0, max=2**53),
                          metadata={"description": "Same bank, parameters and seed: same exam. Drawn if absent"})
    versions = Int(load_default=1, validate=validate.Range(min=1, max=10),
                              metadata={"description": "Cadernos: same items, another order inside blocks"})
    title = CleanString(allow_none=True, load_default=None, validate=validate.Length(min=1, max=TITLE_MAX))
    operators = fields.List(fields.String(validate=validate.OneOf(OPERATOR_NAMES)), allow_none=True,
                            load_default=None, metadata={"description": "Variant operators allowed (default: all)"})
    use_unreviewed = Bool(allow_none=True, load_default=None, metadata={
        "description": "Use variants no author approved yet (default: the server's setting). A consumer key needs "
                       "an admin's permission (allow_unreviewed on the key): without it, true is refused with 403 "
                       "and the default is false"})
    max_operator_share = Number(load_default=0.4, validate=validate.Range(min=0.05, max=1),
                                      metadata={"description": "Most false items one operator may make, as a share"})
    cue_balance = Bool(load_default=True, metadata={
        "description": "Trade roles and variants so that cue words (não, sempre, apenas, ...), the engine's words, "
                       "negations and length are as frequent in true items as in false ones; the result is in "
                       "`balance`"})
    weights = fields.Nested(WeightsSchema, load_default=lambda: {"right": 1.0, "wrong": -1.0, "blank": 0.0},
                            metadata={"description": "Points per item judged right, wrong, or left blank"})
    session = fields.String(allow_none=True, load_default=None, validate=validate.Length(min=10, max=64),
                            metadata={"description": "Practice session token: no assertion served twice"})


class ExamBlockSchema(ma.Schema):
    number = fields.Integer()
    subtopic_id = fields.Integer(allow_none=True)
    subtopic = fields.String()
    heading = fields.String(metadata={"description": "The CESPE command line opening the block"})
    first = fields.Integer(metadata={"description": "First item number of the block"})
    last = fields.Integer()


class ExamItemSchema(ma.Schema):
    number = fields.Integer()
    text = fields.String()
    block = fields.Integer()
    subtopic_id = fields.Integer(allow_none=True)
    subtopic = fields.String()


class ExamSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    seed = fields.Integer()
    version = fields.Integer()
    versions = fields.Integer()
    item_count = fields.Integer()
    weights = fields.Nested(WeightsSchema)
    created_at = fields.DateTime()
    blocks = fields.List(fields.Nested(ExamBlockSchema))
    items = fields.List(fields.Nested(ExamItemSchema))
    balance = fields.Dict(metadata={
        "description": "Surface balance reached (cue_balance): share of items with cue words, engine words, an odd "
                       "number of negations and above-median length among true and false items; median lengths; "
                       "balanced (cue shares within 10 points, median lengths within 5%); note saying why not"})


class VersionQuerySchema(StrictSchema):
    version = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10))


class KeyItemSchema(ma.Schema):
    number = fields.Integer()
    label = fields.String(metadata={"description": "C (certo) or E (errado)"})
    block = fields.Integer()
    assertion_id = fields.Integer(allow_none=True)
    variant_id = fields.Integer(allow_none=True)
    operator = fields.String(allow_none=True)
    explanation = fields.String(allow_none=True, metadata={"description": "Why a false item is false"})
    original = fields.String(allow_none=True, metadata={"description": "The true sentence a false item came from"})


class ExamKeySchema(ma.Schema):
    exam_id = fields.Integer()
    version = fields.Integer()
    items = fields.List(fields.Nested(KeyItemSchema))


class AuditQuerySchema(StrictSchema):
    learned = fields.Boolean(load_default=False, metadata={
        "description": "Also train and run the learned guesser (slower: seconds on a large bank)"})
    practice = fields.String(load_default="exams", validate=validate.OneOf(["exams", "bank"]), metadata={
        "description": "What the learned guesser practises on: the items of the other exams issued from the bank "
                       "(exams, the default: a candidate who practised on the site's exams; the bank is used when "
                       "they are too few), or every item and usable variant of the bank (bank: a stronger "
                       "adversary than any candidate)"})


class GuesserSchema(ma.Schema):
    name = fields.String(metadata={"description": "cue_words, length, engine_words, negations, pairs or learned"})
    description = fields.String(metadata={"description": "What the guesser does (pt-BR)"})
    right = fields.Integer()
    wrong = fields.Integer()
    blank = fields.Integer()
    net = fields.Float(metadata={"description": "(right − wrong) / items: the score as a share of the maximum "
                                                "under +1/−1 scoring; 0 is what no cue gives"})
    training_items = fields.Integer(metadata={"description": "Learned guesser: items it trained on"})
    practice = fields.String(metadata={"description": "Learned guesser: what it trained on, exams or bank"})


class ExamAuditSchema(ma.Schema):
    exam_id = fields.Integer()
    item_count = fields.Integer()
    false_items = fields.Integer()
    versions = fields.Integer(metadata={"description": "Versions share the items, and so the audit"})
    guessers = fields.List(fields.Nested(GuesserSchema))


class AttemptCreateSchema(StrictSchema):
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True,
                          metadata={"description": 'Item number -> "C", "E" or null (blank)',
                                    "example": {"1": "C", "2": "E", "3": None}})
    version = Int(load_default=1, validate=validate.Range(min=1, max=10))


class BlockResultSchema(ma.Schema):
    block = fields.Integer()
    subtopic = fields.String()
    right = fields.Integer()
    wrong = fields.Integer()
    blank = fields.Integer()
    score = fields.Float()


class ItemResultSchema(ma.Schema):
    number = fields.Integer()
    answer = fields.String(allow_none=True)
    label = fields.String()
    outcome = fields.String(metadata={"description": "right, wrong or blank"})
    points = fields.Float()
    block = fields.Integer()
    explanation = fields.String(allow_none=True)
    original = fields.String(allow_none=True)


class AttemptResultSchema(ma.Schema):
    id = fields.Integer()
    exam_id = fields.Integer()
    version = fields.Integer()
    score = fields.Float(metadata={"description": "Net score: right × weight + wrong × weight + blank × weight"})
    max_score = fields.Float()
    right = fields.Integer()
    wrong = fields.Integer()
    blank = fields.Integer()
    created_at = fields.DateTime()
    blocks = fields.List(fields.Nested(BlockResultSchema))
    items = fields.List(fields.Nested(ItemResultSchema))


class AttemptSummarySchema(ma.Schema):
    id = fields.Integer()
    version = fields.Integer()
    score = fields.Float()
    right = fields.Integer()
    wrong = fields.Integer()
    blank = fields.Integer()
    created_at = fields.DateTime()


class PracticeSessionSchema(ma.Schema):
    token = fields.String(metadata={"description": "Pass it as `session` when generating exams"})
    created_at = fields.DateTime()
    served = fields.Integer(metadata={"description": "Assertions served so far"})
    resets = fields.Integer()


class ItemStatsSchema(ma.Schema):
    attempts = fields.Integer()
    share_right = fields.Float(allow_none=True)
    share_wrong = fields.Float(allow_none=True)
    share_blank = fields.Float(allow_none=True)
    discrimination = fields.Float(allow_none=True,
                                  metadata={"description": "Point-biserial; null below min_attempts"})
    upper_share_certo = fields.Float(allow_none=True,
                                     metadata={"description": "Share of the top 27% who judged it C"})
    flagged = fields.Boolean(metadata={"description": "A false item most top scorers judged C: review it"})
    min_attempts = fields.Integer()


class FlaggedVariantSchema(ma.Schema):
    variant = fields.Nested(VariantSchema)
    stats = fields.Nested(ItemStatsSchema)


class FlaggedListSchema(ma.Schema):
    items = fields.List(fields.Nested(FlaggedVariantSchema))


class ExportQuerySchema(StrictSchema):
    format = fields.String(required=True,
                           validate=validate.OneOf(["pdf", "html", "moodle", "gift", "qti", "csv", "json"]))
    version = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10))
    key = fields.String(load_default="none", validate=validate.OneOf(["none", "true", "commented"]),
                        metadata={"description": "Add the answer key (true) or the commented key (commented)"})


class BankExportQuerySchema(StrictSchema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "seed"]))


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
