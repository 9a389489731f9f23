"""Whole-topic export and import: a lossless JSON document, or the seed text format.

JSON keeps everything an author made: texts, labels, explanations, statuses, back-references
(`depends_on`, by item number) and variants with their review state. The seed format keeps
texts only (it has no labels): it is for people who edit banks in a text editor.
"""

from __future__ import annotations

import json
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from marshmallow import fields, validate
from sqlalchemy.orm import Session, selectinload

from app.errors import Invalid
from app.fields import Int, Number
from app.models import (
    ID_MAX,
    NUMBER_MAX,
    TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
    Assertion,
    Label,
    Status,
    Subtopic,
    Topic,
    Variant,
    VariantOrigin,
    VariantStatus,
    text_digest,
)
from app.services import pool
from app.services.bank import get_topic
from app.services.bank_import import CONCURRENT_IMPORT, Counts, ImportResult, all_or_nothing
from app.services.races import retry_lost_races

FORMAT_NAME = "qbank-bank"
FORMAT_VERSION = 1


# --- export ----------------------------------------------------------------------------------


def _load_topic(session: Session, topic_id: int) -> Topic:
    get_topic(session, topic_id=topic_id)
    return session.scalars(
        sa.select(Topic).where(Topic.id == topic_id).options(
            selectinload(Topic.subtopics).selectinload(Subtopic.assertions).selectinload(Assertion.variants)
        )
    ).one()


def export_json(session: Session, *, topic_id: int) -> bytes:
    """The topic as a qbank-bank JSON document (re-importable through POST /api/v1/imports)."""
    topic = _load_topic(session, topic_id)
    number_of = {a.id: a.number for s in topic.subtopics for a in s.assertions}
    document = {
        "format": FORMAT_NAME, "version": FORMAT_VERSION,
        "topics": [{
            "code": topic.code, "title": topic.title, "source_document": topic.source_document,
            "subtopics": [{
                "number": sub.number, "title": sub.title,
                "assertions": [{
                    "number": a.number, "text": a.text, "label": a.label, "explanation": a.explanation,
                    "status": a.status, "depends_on": number_of.get(a.depends_on_id),
                    "provenance": a.provenance,
                    "variants": [{
                        "text": v.text, "operator": v.operator, "category": v.category, "changes": v.changes,
                        "explanation": v.explanation, "risk": v.risk, "rank": v.rank, "status": v.status,
                        "origin": v.origin,
                    } for v in sorted(a.variants, key=lambda v: (v.rank is None, v.rank or 0, v.text))],
                } for a in sub.assertions],
            } for sub in topic.subtopics],
        }],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def export_seed(session: Session, *, topic_id: int) -> bytes:
    """The topic in the seed text format (texts only; labels and variants are not part of it)."""
    topic = _load_topic(session, topic_id)
    lines = [f"Pergunta Original: {topic.code} {topic.title}", ""]
    for sub in topic.subtopics:
        lines += [f"{sub.number}. Subtópico:", f"{sub.number}. {sub.title}", "Assertivas:"]
        lines += [f"{a.number}. {a.text}" for a in sub.assertions]
        lines.append("")
    return "\n".join(lines).encode("utf-8")


# --- import ----------------------------------------------------------------------------------


class _VariantDoc(ma.Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=TEXT_MAX_CHARS))
    operator = fields.String(load_default="manual", validate=validate.Length(max=40))
    category = fields.String(load_default="manual", validate=validate.Length(max=40))
    changes = fields.List(fields.Dict(), load_default=list)
    explanation = fields.String(required=True, validate=validate.Length(min=1, max=4 * TEXT_MAX_CHARS))
    risk = Number(load_default=0.0, validate=validate.Range(min=0, max=1))
    rank = Int(allow_none=True, load_default=None, validate=validate.Range(min=1, max=1000))
    status = fields.String(load_default=VariantStatus.PENDING.value,
                           validate=validate.OneOf([s.value for s in VariantStatus]))
    origin = fields.String(load_default=VariantOrigin.MANUAL.value,
                           validate=validate.OneOf([o.value for o in VariantOrigin]))


class _ProvenanceDoc(ma.Schema):
    file = fields.String(allow_none=True, validate=validate.Length(max=255))
    line = Int(allow_none=True, validate=validate.Range(min=1, max=ID_MAX))


class _AssertionDoc(ma.Schema):
    number = Int(required=True, validate=validate.Range(min=1, max=NUMBER_MAX))
    text = fields.String(required=True, validate=validate.Length(min=1, max=TEXT_MAX_CHARS))
    label = fields.String(load_default=Label.C.value, validate=validate.OneOf([v.value for v in Label]))
    explanation = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4 * TEXT_MAX_CHARS))
    status = fields.String(load_default=Status.PUBLISHED.value, validate=validate.OneOf([s.value for s in Status]))
    depends_on = Int(allow_none=True, load_default=None, validate=validate.Range(min=1, max=NUMBER_MAX))
    provenance = fields.Nested(_ProvenanceDoc, allow_none=True, load_default=None)
    variants = fields.List(fields.Nested(_VariantDoc), load_default=list)


class _SubtopicDoc(ma.Schema):
    number = Int(required=True, validate=validate.Range(min=1, max=NUMBER_MAX))
    title = fields.String(required=True, validate=validate.Length(min=1, max=TITLE_MAX_CHARS))
    assertions = fields.List(fields.Nested(_AssertionDoc), required=True)


class _TopicDoc(ma.Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^\d+(\.\d+)*$"))
    title = fields.String(required=True, validate=validate.Length(min=1, max=TITLE_MAX_CHARS))
    source_document = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=255))
    subtopics = fields.List(fields.Nested(_SubtopicDoc), required=True)


class _BankDoc(ma.Schema):
    format = fields.String(required=True, validate=validate.Equal(FORMAT_NAME))
    version = Int(required=True, validate=validate.Equal(FORMAT_VERSION))
    topics = fields.List(fields.Nested(_TopicDoc), required=True, validate=validate.Length(min=1))


def parse_bank_json(data: bytes) -> dict[str, Any]:
    """Decode and validate a qbank-bank document; 422 naming each bad field (topics.0.subtopics...)."""
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid(f"not a JSON document: {exc}", errors=[{"location": "body", "message": str(exc)}]) from None
    try:
        document = _BankDoc().load(raw)
    except ma.ValidationError as exc:
        errors = _flatten(exc.messages)
        raise Invalid(f"{errors[0]['field']}: {errors[0]['message']}", errors=errors) from None
    for t, topic in enumerate(document["topics"]):
        for s, sub in enumerate(topic["subtopics"]):
            numbers = [a["number"] for a in sub["assertions"]]
            if len(numbers) != len(set(numbers)):
                where = f"topics.{t}.subtopics.{s}.assertions"
                raise Invalid("duplicate assertion numbers", errors=[{"field": where, "message": "duplicate numbers"}])
            for a, assertion in enumerate(sub["assertions"]):
                ref = assertion["depends_on"]
                if ref is not None and (ref not in numbers or ref >= assertion["number"]):
                    raise Invalid("depends_on must name an earlier item of the same subtopic", errors=[{
                        "field": f"topics.{t}.subtopics.{s}.assertions.{a}.depends_on",
                        "message": "must name an earlier item of the same subtopic"}])
    return document


def _flatten(messages: Any, path: str = "") -> list[dict[str, str]]:
    if isinstance(messages, dict):
        return [e for key, value in messages.items() for e in _flatten(value, f"{path}.{key}" if path else str(key))]
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [{"field": path or "_schema", "message": m} for m in messages]
    return [{"field": path or "_schema", "message": str(messages)}]


def import_bank(session: Session, *, document: dict[str, Any], dry_run: bool = False) -> ImportResult:
    """Upsert a qbank-bank document in one transaction (matched by code, subtopic and item numbers);
    run again when it loses a race for new rows to a concurrent import (races.py)."""
    return retry_lost_races(session, lambda: _import_bank_once(session, document, dry_run),
                            conflict=CONCURRENT_IMPORT)


def _import_bank_once(session: Session, document: dict[str, Any], dry_run: bool) -> ImportResult:
    result = ImportResult(documents=[f"{FORMAT_NAME} v{FORMAT_VERSION}"], dry_run=dry_run)
    result.variants = Counts()
    touched_subtopics: list[Subtopic] = []
    touched_assertions: list[Assertion] = []
    with all_or_nothing(session, dry_run=dry_run):
        for topic_doc in document["topics"]:
            topic = session.scalars(sa.select(Topic).where(Topic.code == topic_doc["code"]).options(
                selectinload(Topic.subtopics).selectinload(Subtopic.assertions).selectinload(Assertion.variants)
            )).one_or_none()
            wanted = (topic_doc["title"], topic_doc["source_document"])
            if topic is None:
                topic = Topic(code=topic_doc["code"], title=wanted[0], source_document=wanted[1])
                session.add(topic)
                result.topics.created += 1
            elif (topic.title, topic.source_document) != wanted:
                topic.title, topic.source_document = wanted
                result.topics.updated += 1
            else:
                result.topics.unchanged += 1
            subs = {s.number: s for s in topic.subtopics}
            for sub_doc in topic_doc["subtopics"]:
                sub = subs.get(sub_doc["number"])
                if sub is None:
                    sub = Subtopic(number=sub_doc["number"], title=sub_doc["title"])
                    topic.subtopics.append(sub)
                    result.subtopics.created += 1
                elif sub.title != sub_doc["title"]:
                    sub.title = sub_doc["title"]
                    result.subtopics.updated += 1
                else:
                    result.subtopics.unchanged += 1
                touched_subtopics.append(sub)
                touched_assertions += _upsert_assertions(sub, sub_doc["assertions"], result)
        session.flush()
        pool.refresh(session, assertion_ids=[a.id for a in touched_assertions],
                     subtopic_ids=[s.id for s in touched_subtopics])
    if not dry_run and result.assertions.created >= pool.BULK_ROWS:
        pool.analyze(session)
        session.commit()
    return result


def _upsert_assertions(sub: Subtopic, docs: list[dict[str, Any]], result: ImportResult) -> list[Assertion]:
    by_number = {a.number: a for a in sub.assertions}
    touched = []
    for doc in docs:
        assertion = by_number.get(doc["number"])
        provenance = doc["provenance"] or {}
        fields_wanted = {
            "text": doc["text"], "label": doc["label"], "explanation": doc["explanation"], "status": doc["status"],
            "source_file": provenance.get("file"), "source_line": provenance.get("line"),
        }
        if assertion is None:
            assertion = Assertion(number=doc["number"], **fields_wanted)
            sub.assertions.append(assertion)
            by_number[doc["number"]] = assertion
            result.assertions.created += 1
        elif any(getattr(assertion, k) != v for k, v in fields_wanted.items()):
            for key, value in fields_wanted.items():
                setattr(assertion, key, value)
            result.assertions.updated += 1
        else:
            result.assertions.unchanged += 1
        touched.append(assertion)
    for doc in docs:
        assertion = by_number[doc["number"]]
        antecedent = by_number.get(doc["depends_on"]) if doc["depends_on"] is not None else None
        if assertion.depends_on is not antecedent:
            assertion.depends_on = antecedent
        _upsert_variants(assertion, doc["variants"], result)
    return touched


def _upsert_variants(assertion: Assertion, docs: list[dict[str, Any]], result: ImportResult) -> None:
    existing = {v.text_digest: v for v in assertion.variants}
    for doc in docs:
        variant = existing.get(text_digest(doc["text"]))
        if variant is None:
            assertion.variants.append(Variant(**doc))
            result.variants.created += 1
        elif any(getattr(variant, k) != v for k, v in doc.items()):
            for key, value in doc.items():
                setattr(variant, key, value)
            result.variants.updated += 1
        else:
            result.variants.unchanged += 1
