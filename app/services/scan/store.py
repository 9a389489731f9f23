"""Scanned sheets kept and scored: uploads by checksum, sheets read from them, attempts, reviews.

An upload is read whole before anything is stored: one page that is no readable sheet of the
right exam refuses the upload (Invalid, 422) and nothing is written. A sheet read confidently
becomes an attempt scored by app/services/scoring.py; a sheet with an ambiguous item (or an
unreadable candidate number) waits as `needs_review` until an author resolves it. The file is
kept until every sheet read from it is confirmed (an author's resolution confirms; a scored
sheet is confirmed on request); its checksum and the readings stay, so that sending the same
file again returns what was read the first time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.errors import Conflict, Invalid, NotFound
from app.models import Exam, ScanSheet, ScanStatus, ScanUpload, utcnow
from app.services import scoring
from app.services.export.sheet import sheet_pages
from app.services.issued import get_exam
from app.services.keys import Viewer

CANDIDATE_PROBLEMS = {
    "ambiguous_digit": "um algarismo da inscrição tem duas marcas ou uma marca fraca",
    "incomplete": "a inscrição tem colunas sem marca",
    "missing": "a inscrição não foi preenchida",
}


def checksum_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class UploadResult:
    upload: ScanUpload
    sheets: list[ScanSheet]
    created: bool


def _invalid(page: int | None, detail: str, code: str) -> Invalid:
    where = f"página {page}: " if page is not None else ""
    error: dict[str, Any] = {"location": "body", "message": detail}
    if page is not None:
        error["page"] = page
    return Invalid(where + detail, code=code, errors=[error])


@dataclass
class _Page:
    number: int  # 1-based, in the upload
    reading: Any  # reader.PageReading


def _read_pages(session: Session, pages: list, *, exam_id: int | None, viewer: Viewer | None,
                progress: Callable[[int, int], None] | None) -> tuple[list[_Page], dict[int, Exam]]:
    from app.services.scan import reader

    exams: dict[int, Exam] = {}

    def item_count_of(code: Any, page: int) -> int:
        if exam_id is not None and code.exam_id != exam_id:
            raise _invalid(page, f"esta folha é da prova {code.exam_id}, não da prova {exam_id}", "other_exam")
        if code.exam_id not in exams:
            try:
                exams[code.exam_id] = get_exam(session, exam_id=code.exam_id, viewer=viewer)
            except NotFound:
                raise _invalid(page, f"o código da folha aponta a prova {code.exam_id}, que não existe", "unknown_exam")
        exam = exams[code.exam_id]
        if code.version > exam.versions:
            raise _invalid(page, f"a folha é do caderno {code.version}; a prova {exam.id} tem {exam.versions}",
                           "unknown_version")
        if code.page > sheet_pages(exam.item_count):
            raise _invalid(page, f"a folha é a página {code.page}; a prova {exam.id} tem "
                                 f"{sheet_pages(exam.item_count)}", "unknown_sheet_page")
        return exam.item_count

    read = []
    for index, gray in enumerate(pages, start=1):
        try:
            canonical, code = reader.locate(gray)
        except reader.Unreadable as exc:
            raise _invalid(index, str(exc), exc.code)
        read.append(_Page(index, reader.read_marks(canonical, code, item_count_of(code, index))))
        if progress:
            progress(index, len(pages))
    return read, exams


def _group(read: list[_Page], exams: dict[int, Exam]) -> list[list[_Page]]:
    """Pages into sheets: a sheet of P pages is its pages 1..P, in order, of one exam and version."""
    sheets: list[list[_Page]] = []
    for page in read:
        code = page.reading.code
        if code.page == 1:
            sheets.append([page])
            continue
        previous = sheets[-1][-1].reading.code if sheets else None
        if previous is None or (previous.exam_id, previous.version, previous.page + 1) != \
                (code.exam_id, code.version, code.page):
            raise _invalid(page.number, f"é a página {code.page} de uma folha cuja página {code.page - 1} não a "
                                        "precede neste envio", "sheet_pages_out_of_order")
        sheets[-1].append(page)
    for sheet in sheets:
        code = sheet[0].reading.code
        needed = sheet_pages(exams[code.exam_id].item_count)
        if len(sheet) != needed:
            raise _invalid(sheet[-1].number, f"a folha tem {needed} páginas; envie todas, em ordem, no mesmo PDF",
                           "sheet_incomplete")
    return sheets


def _sheet_row(session: Session, pages: list[_Page], exam: Exam, viewer: Viewer | None) -> ScanSheet:
    first = pages[0].reading
    items = [item for page in pages for item in page.reading.items]
    ambiguous = [item.number for item in items if item.state == "ambiguous"]
    candidate, problem = first.candidate, first.candidate_problem
    for page in pages[1:]:  # later pages repeat the grid: blank there, or the same number
        if page.reading.candidate_problem != "missing" and page.reading.candidate != candidate:
            problem = problem or "ambiguous_digit"
    row = ScanSheet(first_page=pages[0].number, pages=len(pages), exam_id=exam.id, version=first.code.version,
                    candidate=candidate if problem is None else None, candidate_problem=problem,
                    readings=[item.as_dict() for item in items], ambiguous=ambiguous, confirmed=False)
    if ambiguous or problem:
        row.status = ScanStatus.NEEDS_REVIEW
    else:
        row.status = ScanStatus.SCORED
        answers = {item.number: item.answer for item in items}
        attempt = scoring.add_attempt(session, exam=exam, version=row.version, answers=answers,
                                      candidate=candidate, viewer=viewer)
        session.flush()
        row.attempt_id = attempt.id
    return row


def upload_scans(session: Session, *, data: bytes, exam_id: int | None = None, viewer: Viewer | None = None,
                 max_bytes: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> UploadResult:
    """Read an upload (PNG, JPEG or PDF) of answer sheets; store it with its sheets and their attempts.

    The same file again (same checksum) returns the first result, `created` False."""
    from app.services.scan import images

    if max_bytes is not None and len(data) > max_bytes:
        raise _invalid(None, f"o arquivo tem {len(data)} bytes, mais que os {max_bytes} aceitos", "upload_too_large")
    checksum = checksum_of(data)
    existing = _by_checksum(session, checksum)
    if existing is not None:
        return _replay(existing, exam_id)
    media_type, pages = images.page_images(data)
    read, exams = _read_pages(session, pages, exam_id=exam_id, viewer=viewer, progress=progress)
    sheets = _group(read, exams)
    upload = ScanUpload(checksum=checksum, media_type=media_type, size=len(data), pages=len(pages), content=data,
                        kept=True, api_key_id=viewer.key_id if viewer else None)
    session.add(upload)
    try:
        rows = [_sheet_row(session, sheet, exams[sheet[0].reading.code.exam_id], viewer) for sheet in sheets]
        upload.sheets.extend(rows)
        session.commit()
    except IntegrityError:  # the same file, stored by a concurrent request first
        session.rollback()
        existing = _by_checksum(session, checksum)
        if existing is None:
            raise
        return _replay(existing, exam_id)
    return UploadResult(upload, list(upload.sheets), True)


def _by_checksum(session: Session, checksum: str) -> ScanUpload | None:
    return session.scalar(sa.select(ScanUpload).where(ScanUpload.checksum == checksum)
                          .options(selectinload(ScanUpload.sheets)))


def _replay(upload: ScanUpload, exam_id: int | None) -> UploadResult:
    if exam_id is not None and any(sheet.exam_id != exam_id for sheet in upload.sheets):
        other = next(sheet.exam_id for sheet in upload.sheets if sheet.exam_id != exam_id)
        raise _invalid(None, f"este arquivo já foi lido como folhas da prova {other}, não da prova {exam_id}",
                       "other_exam")
    return UploadResult(upload, list(upload.sheets), False)


def get_sheet(session: Session, *, sheet_id: int, exam_id: int | None = None) -> ScanSheet:
    """A scanned sheet, or NotFound."""
    sheet = session.get(ScanSheet, sheet_id)
    if sheet is None or (exam_id is not None and sheet.exam_id != exam_id):
        raise NotFound(f"scanned sheet {sheet_id} does not exist")
    return sheet


def sheets_query(*, exam_id: int | None = None, status: str | None = None,
                 confirmed: bool | None = None) -> sa.Select:
    """Scanned sheets, oldest first, of an exam, in a status and (un)confirmed if given."""
    stmt = sa.select(ScanSheet)
    if exam_id is not None:
        stmt = stmt.where(ScanSheet.exam_id == exam_id)
    if status is not None:
        stmt = stmt.where(ScanSheet.status == status)
    if confirmed is not None:
        stmt = stmt.where(ScanSheet.confirmed == confirmed)
    return stmt.order_by(ScanSheet.id)


def exams_with_sheets_to_review(session: Session) -> list[tuple[int, str, int]]:
    """(exam id, title, sheets waiting) for every exam with a needs-review sheet, by exam id."""
    rows = session.execute(
        sa.select(Exam.id, Exam.title, sa.func.count(ScanSheet.id))
        .join(ScanSheet, ScanSheet.exam_id == Exam.id)
        .where(ScanSheet.status == ScanStatus.NEEDS_REVIEW)
        .group_by(Exam.id, Exam.title).order_by(Exam.id))
    return [(exam_id, title, count) for exam_id, title, count in rows]


def _release(session: Session, upload: ScanUpload) -> None:
    """Drop the kept file once every sheet read from it is confirmed."""
    if all(sheet.confirmed for sheet in upload.sheets):
        upload.content = None
        upload.kept = False


def resolve_sheet(session: Session, *, sheet_id: int, answers: Mapping[str, Any], candidate: str | None = None,
                  viewer: Viewer | None = None) -> ScanSheet:
    """An author's reading of a needs-review sheet: an answer ("C", "E" or null) for every ambiguous
    item (other items may be corrected too), and the candidate number if it could not be read.
    Scores the attempt with the same service as every attempt; confirms the sheet."""
    sheet = get_sheet(session, sheet_id=sheet_id)
    if sheet.status != ScanStatus.NEEDS_REVIEW:
        raise Conflict(f"scanned sheet {sheet_id} was already scored (attempt {sheet.attempt_id})",
                       code="sheet_already_scored")
    exam = get_exam(session, exam_id=sheet.exam_id)
    errors = []
    given: dict[int, str | None] = {}
    for key, value in answers.items():
        if not key.isdigit() or not 1 <= int(key) <= exam.item_count:
            errors.append({"field": f"answers.{key}", "message": f"não há item {key} nesta prova "
                                                                   f"(1 a {exam.item_count})"})
        elif value not in ("C", "E", None):
            errors.append({"field": f"answers.{key}", "message": 'deve ser "C", "E" ou null (em branco)'})
        else:
            given[int(key)] = value
    missing = [n for n in sheet.ambiguous if n not in given]
    if missing:
        errors.append({"field": "answers", "message": "faltam os itens ambíguos " + ", ".join(map(str, missing))})
    if sheet.candidate_problem and candidate is None:
        errors.append({"field": "candidate", "message": "a inscrição não pôde ser lida: informe-a (8 algarismos)"})
    if candidate is not None and (len(candidate) != 8 or not candidate.isdigit()):
        errors.append({"field": "candidate", "message": "deve ter 8 algarismos"})
    if errors:
        raise Invalid(f"{errors[0]['field']}: {errors[0]['message']}", errors=errors, code="resolution_invalid")
    read = {item["number"]: item["answer"] for item in sheet.readings}
    read.update(given)
    final_candidate = candidate if candidate is not None else sheet.candidate
    attempt = scoring.add_attempt(session, exam=exam, version=sheet.version, answers=read,
                                  candidate=final_candidate, viewer=viewer)
    session.flush()
    sheet.attempt_id = attempt.id
    sheet.candidate = final_candidate
    sheet.status = ScanStatus.SCORED
    sheet.confirmed = True
    sheet.resolved_at = utcnow()
    _release(session, sheet.upload)
    session.commit()
    return sheet


def confirm_sheet(session: Session, *, sheet_id: int) -> ScanSheet:
    """Confirm a scored sheet's attempt: its file is dropped once all its upload's sheets are confirmed."""
    sheet = get_sheet(session, sheet_id=sheet_id)
    if sheet.status != ScanStatus.SCORED:
        raise Conflict(f"scanned sheet {sheet_id} needs review: resolve it first", code="sheet_needs_review")
    sheet.confirmed = True
    _release(session, sheet.upload)
    session.commit()
    return sheet


def sheet_image(session: Session, *, sheet_id: int) -> tuple[bytes, str]:
    """The kept file a sheet was read from (for review), or NotFound once it was released."""
    sheet = get_sheet(session, sheet_id=sheet_id)
    if not sheet.upload.kept or sheet.upload.content is None:
        raise NotFound(f"the file of scanned sheet {sheet_id} was released when its attempt was confirmed",
                       code="scan_released")
    return sheet.upload.content, sheet.upload.media_type


def describe_sheet(sheet: ScanSheet) -> dict:
    """A sheet as the API shows it."""
    return {
        "id": sheet.id, "exam_id": sheet.exam_id, "version": sheet.version, "candidate": sheet.candidate,
        "candidate_problem": CANDIDATE_PROBLEMS.get(sheet.candidate_problem) if sheet.candidate_problem else None,
        "status": sheet.status, "ambiguous": list(sheet.ambiguous), "attempt_id": sheet.attempt_id,
        "confirmed": sheet.confirmed, "first_page": sheet.first_page, "pages": sheet.pages,
        "upload": {"id": sheet.upload.id, "checksum": sheet.upload.checksum, "media_type": sheet.upload.media_type,
                   "size": sheet.upload.size, "kept": sheet.upload.kept},
        "items": sheet.readings, "created_at": sheet.created_at,
    }
