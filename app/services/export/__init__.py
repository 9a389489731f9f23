"""Exports of issued exams: printable (PDF, HTML) and for learning platforms (Moodle, GIFT, QTI, CSV, JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from app.errors import Invalid, NotFound
from app.services.export.document import KEY_MODES, ExamDocument, build_document, slug
from app.services.issued import check_version, exam_state, get_exam, keep_file, kept_file, require_answers_visible
from app.services.keys import Viewer


@dataclass(frozen=True)
class Format:
    render: Callable[[ExamDocument], bytes]
    media_type: str
    extension: str
    schema: str | None = None  # the published JSON Schema the file follows (GET /api/v1/schemas/<name>)


def _pdf(document: ExamDocument) -> bytes:
    from app.services.export.pdf import render_pdf

    return render_pdf(document)


def _html(document: ExamDocument) -> bytes:
    from app.services.export.html import render_html

    return render_html(document).encode("utf-8")


def _lms(name: str) -> Callable[[ExamDocument], bytes]:
    def render(document: ExamDocument) -> bytes:
        from app.services.export import lms

        return getattr(lms, name)(document)

    return render


FORMATS: dict[str, Format] = {
    "pdf": Format(_pdf, "application/pdf", "pdf"),
    "html": Format(_html, "text/html; charset=utf-8", "html"),
    "moodle": Format(_lms("moodle_xml"), "application/xml", "xml"),
    "gift": Format(_lms("gift"), "text/plain; charset=utf-8", "gift.txt"),
    "qti": Format(_lms("qti_package"), "application/zip", "qti.zip"),
    "csv": Format(_lms("csv_bytes"), "text/csv; charset=utf-8", "csv"),
    "json": Format(_lms("json_bytes"), "application/json", "json", schema="exam-export"),
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str
    answers: bool  # whether it reveals the labels (a key, or a format that carries them)
    schema: str | None = None


# Formats kept once rendered (services/issued.py: exam_files), because rendering them takes long.
KEPT_FORMATS = frozenset({"pdf"})

# Formats that carry the answers by their nature (a platform needs them to grade).
ANSWER_FORMATS = frozenset({"moodle", "gift", "qti", "csv", "json"})


def export_exam(session: Session, *, exam_id: int, fmt: str, version: int = 1, key: str = "none",
                viewer: Viewer | None = None) -> ExportFile:
    """Render one version of an issued exam in a format; the key only where asked (`key`)."""
    if fmt not in FORMATS:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}",
                      errors=[{"field": "format", "message": "unknown format"}])
    if key not in KEY_MODES:
        raise Invalid(f"key must be one of {', '.join(KEY_MODES)}", errors=[{"field": "key", "message": "unknown"}])
    state = exam_state(session, exam_id=exam_id, viewer=viewer)
    answers = fmt in ANSWER_FORMATS or key != "none"
    if answers:
        require_answers_visible(session, exam=state, viewer=viewer)
    spec = FORMATS[fmt]
    if fmt in KEPT_FORMATS:
        check_version(state.versions, version)
        content = kept_file(session, state=state, version=version, fmt=fmt, key=key)
        if content is not None:
            return ExportFile(content, spec.media_type, f"{slug(exam_id, version)}.{spec.extension}", answers,
                              spec.schema)
    document = build_document(get_exam(session, exam_id=exam_id), version=version, key=key)
    content = spec.render(document)
    if fmt in KEPT_FORMATS:
        keep_file(session, state=state, version=version, fmt=fmt, key=key, content=content)
    return ExportFile(content, spec.media_type, f"{document.slug}.{spec.extension}", answers, spec.schema)


def response_content() -> dict:
    """The OpenAPI `content` of an export: one entry per media type, each a file (binary string),
    except JSON, which clients parse as an object."""
    return {spec.media_type.split(";")[0]: {"schema": {"type": "object"} if spec.media_type == "application/json"
                                            else {"type": "string", "format": "binary"}}
            for spec in FORMATS.values()}


# --- published JSON Schemas ----------------------------------------------------------------------

SCHEMAS_DIR = Path(__file__).with_name("schemas")


@cache
def published_schemas() -> dict[str, bytes]:
    """The JSON Schemas of the JSON documents the API hands out, by name (schemas/<name>.json)."""
    return {path.stem: path.read_bytes() for path in sorted(SCHEMAS_DIR.glob("*.json"))}


def published_schema(name: str) -> bytes:
    """One published JSON Schema, as its file says it."""
    try:
        return published_schemas()[name]
    except KeyError:
        raise NotFound(f"no JSON Schema named {name!r}; GET /api/v1/schemas lists them",
                       code="unknown_schema") from None


def schema_summary(name: str) -> dict[str, str]:
    """Name, title and description of a published schema."""
    document = json.loads(published_schema(name))
    return {"name": name, "title": document.get("title", name), "description": document.get("description", ""),
            "id": document.get("$id", "")}
