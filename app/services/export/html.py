"""The caderno as one HTML page (Jinja): the same document as the PDF, for screens and browsers' print."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from app.services.export.document import AUDIT_INTRO, AUDIT_TITLE, SHEET_PER_PAGE, ExamDocument
from app.services.export.hyphenation import soft_hyphenate


@cache
def _environment() -> Environment:
    environment = Environment(loader=PackageLoader("app", "templates"), autoescape=select_autoescape(["html"]),
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters["hyphenate"] = soft_hyphenate
    return environment


def render_html(document: ExamDocument) -> str:
    """The print view of an exam: cover, two-column items, answer sheet(s), optional key."""
    numbers = [item.number for item in document.items]
    sheet_pages = [numbers[i:i + SHEET_PER_PAGE] for i in range(0, len(numbers), SHEET_PER_PAGE)] or [[]]
    return _environment().get_template("exam.html").render(doc=document, sheet_pages=sheet_pages,
                                                            audit_title=AUDIT_TITLE, audit_intro=AUDIT_INTRO)
