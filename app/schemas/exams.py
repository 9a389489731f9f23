"""API schemas: exams, their keys, audits, attempts, practice sessions, statistics and exports."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from app.fields import Bool, CleanString, Int, Number, id_field
from app.models import TITLE_MAX_CHARS as TITLE_MAX
from app.perturb.names import OPERATOR_NAMES
from app.schemas.common import (
    StrictSchema,
)
from app.schemas.variants import (
    VariantSchema,
)

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


_BLOCK_KEYS = ("number", "subtopic_id", "subtopic", "heading", "first", "last")


def _int(value: object) -> int | None:
    return None if value is None else int(value)


def exam_json(shown: dict) -> dict:
    """What `ExamSchema().dump(shown)` gives, written out for the exam a POST has just issued: the
    response of the busiest write is not put through marshmallow field by field. Blocks and items
    keep only the schema's fields. tests/test_exams.py checks that a new exam's POST answer and a
    GET of it serialized by the schema in another instance are the same bytes."""
    weights = shown["weights"]
    created_at = shown["created_at"]
    return {
        "id": _int(shown["id"]), "title": shown["title"], "seed": _int(shown["seed"]),
        "version": _int(shown["version"]), "versions": _int(shown["versions"]),
        "item_count": _int(shown["item_count"]),
        "weights": {name: None if weights[name] is None else float(weights[name])
                    for name in ("right", "wrong", "blank")},
        "created_at": None if created_at is None else created_at.isoformat(),
        "blocks": [{key: (block[key] if key in ("subtopic", "heading") else _int(block[key])) for key in _BLOCK_KEYS}
                   for block in shown["blocks"]],
        "items": [{"number": int(item["number"]), "text": item["text"], "block": int(item["block"]),
                   "subtopic_id": _int(item["subtopic_id"]), "subtopic": item["subtopic"]}
                  for item in shown["items"]],
        "balance": None if shown["balance"] is None else dict(shown["balance"]),
    }


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
    candidate = fields.String(allow_none=True, metadata={"description": "Candidate number, from a scanned sheet"})
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
    candidate = fields.String(allow_none=True)
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
