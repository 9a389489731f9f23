"""Exports of issued exams: printable (PDF, HTML) and for learning platforms (Moodle, GIFT, QTI, CSV, JSON)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.errors import Invalid
from app.services.export.document import KEY_MODES, ExamDocument, build_document
from app.services.generation import get_exam, require_answers_visible
from app.services.keys import Viewer


@dataclass(frozen=True)
class Format:
    render: Callable[[ExamDocument], bytes]
    media_type: str
    extension: str


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
    "json": Format(_lms("json_bytes"), "application/json", "json"),
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str
    answers: bool  # whether it reveals the labels (a key, or a format that carries them)


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
    exam = get_exam(session, exam_id=exam_id, viewer=viewer)
    answers = fmt in ANSWER_FORMATS or key != "none"
    if answers:
        require_answers_visible(session, exam=exam, viewer=viewer)
    document = build_document(exam, version=version, key=key)
    spec = FORMATS[fmt]
    return ExportFile(spec.render(document), spec.media_type, f"{document.slug}.{spec.extension}", answers)


def response_content() -> dict:
    """The OpenAPI `content` of an export: one entry per media type, each a file (binary string),
    except JSON, which clients parse as an object."""
    return {spec.media_type.split(";")[0]: {"schema": {"type": "object"} if spec.media_type == "application/json"
                                            else {"type": "string", "format": "binary"}}
            for spec in FORMATS.values()}
