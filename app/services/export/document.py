"""What every export renders: an issued exam in one version's order, with its key if wanted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.models import Exam
from app.services.issued import version_items

KEY_NONE, KEY_PLAIN, KEY_COMMENTED = "none", "true", "commented"
KEY_MODES = (KEY_NONE, KEY_PLAIN, KEY_COMMENTED)

# The answer sheet (folha de respostas) of both print formats: 4 columns of 30 bubbles per page.
SHEET_COLUMNS, SHEET_ROWS = 4, 30
SHEET_PER_PAGE = SHEET_COLUMNS * SHEET_ROWS


@dataclass(frozen=True)
class DocItem:
    number: int
    text: str
    block: int
    subtopic: str
    label: str
    explanation: str | None
    original: str | None


@dataclass(frozen=True)
class AuditLine:
    """One guesser of the exam's audit, as the commented key prints it."""

    name: str
    description: str
    right: int
    wrong: int
    blank: int
    net: float

    @property
    def text(self) -> str:
        """ "… 26 certos, 4 errados, 0 em branco; líquido +36,7 % da nota máxima." """
        net = f"{self.net * 100:+.1f}".replace(".", ",").replace("-", "−") if round(self.net, 3) else "0,0"
        return (f"{self.description} {self.right} certos, {self.wrong} errados, {self.blank} em branco; "
                f"líquido {net} % da nota máxima.")


AUDIT_TITLE = "Auditoria de chutes"
AUDIT_INTRO = ("Quanto marcaria quem chuta por pistas de superfície, sem ler o conteúdo, com a regra certo +1, "
               "errado −1, em branco 0, em proporção da nota máxima; 0 % é o que nenhuma pista dá.")


@dataclass(frozen=True)
class DocBlock:
    number: int
    subtopic: str
    heading: str
    items: tuple[DocItem, ...]


@dataclass(frozen=True)
class ExamDocument:
    """An exam ready to print or to hand to a learning platform."""

    exam_id: int
    title: str
    version: int
    versions: int
    created_at: datetime
    weights: tuple[float, float, float]  # right, wrong, blank
    blocks: tuple[DocBlock, ...]
    key: str = KEY_NONE
    items: tuple[DocItem, ...] = field(default=())
    audit: tuple[AuditLine, ...] = field(default=())  # the commented key's guesser audit

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def rule_text(self) -> str:
        """The scoring rule in words: "+1 por item certo, −1 por item errado, 0 em branco"."""
        right, wrong, blank = (_points(w) for w in self.weights)
        return (f"cada item julgado corretamente vale {right}; cada item julgado incorretamente vale "
                f"{wrong}; item deixado em branco vale {blank}")

    @property
    def slug(self) -> str:
        return slug(self.exam_id, self.version)


def slug(exam_id: int, version: int) -> str:
    """The stem of an export's file name."""
    return f"prova-{exam_id}-caderno-{version}"


def _points(value: float) -> str:
    number = f"{value:+g}".replace("-", "−").replace(".", ",")
    if value == 0:
        number = "0"
    word = "ponto" if abs(value) in (0, 1) else "pontos"
    return f"{number} {word}"


def build_document(exam: Exam, *, version: int = 1, key: str = KEY_NONE) -> ExamDocument:
    """The document of one version of an exam (items in that version's printed order)."""
    subtopic_of = {b["number"]: b for b in exam.blocks}
    items = tuple(
        DocItem(printed, item.text, item.block, item.subtopic_title, item.label, item.explanation,
                item.original_text)
        for printed, item in version_items(exam, version)
    )
    blocks = tuple(
        DocBlock(number, subtopic_of[number]["subtopic"], subtopic_of[number]["heading"],
                 tuple(i for i in items if i.block == number))
        for number in sorted(subtopic_of)
    )
    return ExamDocument(
        exam_id=exam.id, title=exam.title, version=version, versions=exam.versions, created_at=exam.created_at,
        weights=(exam.weight_right, exam.weight_wrong, exam.weight_blank), blocks=blocks, key=key, items=items,
        audit=_audit(exam) if key == KEY_COMMENTED else (),
    )


def _audit(exam: Exam) -> tuple[AuditLine, ...]:
    """The fixed guessers stored when the exam was issued (computed now for an older exam)."""
    stored = (exam.parameters or {}).get("audit")
    if stored is not None:
        guessers = stored["guessers"]
    else:
        from app.services.audit.guessers import AuditItem, run_fixed

        guessers = [g.as_dict() for g in run_fixed([AuditItem(i.number, i.text, i.label) for i in exam.items])]
    return tuple(AuditLine(g["name"], g["description"], g["right"], g["wrong"], g["blank"], g["net"])
                 for g in guessers)
