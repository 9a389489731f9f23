"""Folhas: scanned answer sheets that need an author (an ambiguous item or an unclear candidate
number). The list, filterable by exam; one sheet with its kept scan, each ambiguous item with what
was read and a C / E / em branco choice, the candidate number when unclear; resolving it and
confirming a scored sheet go through app/services/scan/store.py, as the API's /scans routes do."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, render_template, request, url_for

from app.api import paginate
from app.author import bp, viewer
from app.db import db
from app.errors import ServiceError
from app.models import ScanStatus
from app.services.scan import store

PAGE_SIZE = 50
# What the form sends for each choice, as the service's answers ("C", "E" or None for blank).
CHOICES = {"C": "C", "E": "E", "branco": None}
REASONS = {"two_marks": "duas marcas", "faint_mark": "marca fraca ou apagada"}
# Service errors the author can cause here, in pt-BR (Invalid's own messages already are).
ERROR_TEXTS = {
    "sheet_already_scored": "Esta folha já foi resolvida e pontuada: nada foi gravado de novo.",
    "sheet_needs_review": "Esta folha ainda precisa de revisão: resolva-a antes de confirmar.",
    "scan_released": "O arquivo desta folha já foi liberado.",
}
FIELD_NAMES = {"answers": "itens", "candidate": "inscrição"}


def _positive(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise ValueError(raw[:40])
    return int(raw)


@bp.route("/folhas", endpoint="scans")
def sheets_to_review():  # noqa: ANN201
    try:
        exam_id = _positive(request.args.get("prova"))
        page = _positive(request.args.get("pagina")) or 1
    except ValueError:
        return render_template("author/error.html", title="Filtro inválido",
                               message="A prova e a página devem ser números inteiros positivos."), 400
    found = paginate(db.session, store.sheets_query(exam_id=exam_id, status=ScanStatus.NEEDS_REVIEW),
                     page=page, page_size=PAGE_SIZE)
    unconfirmed = paginate(db.session, store.sheets_query(exam_id=exam_id, status=ScanStatus.SCORED,
                                                          confirmed=False), page=1, page_size=PAGE_SIZE)
    exams = store.exams_with_sheets_to_review(db.session)
    titles = {exam: title for exam, title, _ in exams}
    return render_template("author/scans.html", title="Folhas a revisar", section="scans", found=found,
                           sheets=[store.describe_sheet(sheet) for sheet in found["items"]], exams=exams,
                           titles=titles, exam_id=exam_id, page=page, unconfirmed=unconfirmed)


def _error_text(error: ServiceError) -> str:
    if error.code in ERROR_TEXTS:
        return ERROR_TEXTS[error.code]
    if error.errors:
        parts = []
        for problem in error.errors:
            field = str(problem.get("field", ""))
            where = f"item {field.split('.', 1)[1]}" if field.startswith("answers.") else FIELD_NAMES.get(field, "")
            parts.append(f"{where}: {problem['message']}" if where else str(problem["message"]))
        return "Não resolvida — " + "; ".join(parts) + "."
    return f"Não foi possível: {error.detail}"


def _sheet_page(sheet_id: int, *, message: str | None = None, kind: str = "info", status: int = 200,
                chosen: dict[str, str] | None = None, candidate: str = "") -> Any:
    try:
        sheet = store.get_sheet(db.session, sheet_id=sheet_id)
    except ServiceError:
        return render_template("author/error.html", title="Folha inexistente",
                               message=f"Não há folha digitalizada {sheet_id}."), 404
    shown = store.describe_sheet(sheet)
    readings = {item["number"]: item for item in shown["items"]}
    ambiguous = [readings[n] for n in shown["ambiguous"] if n in readings]
    return render_template("author/scan.html", title=f"Folha {sheet.id}", section="scans", sheet=shown,
                           ambiguous=ambiguous, reasons=REASONS, message=message, kind=kind,
                           chosen=chosen or {}, candidate=candidate,
                           needs_review=sheet.status == ScanStatus.NEEDS_REVIEW), status


@bp.route("/folhas/<id:sheet_id>", endpoint="scan_sheet")
def sheet_page(sheet_id: int):  # noqa: ANN201
    done = request.args.get("feito")
    message = {"resolvida": "Folha resolvida: a tentativa foi pontuada.",
               "confirmada": "Tentativa confirmada."}.get(done or "")
    return _sheet_page(sheet_id, message=message)


@bp.route("/folhas/<id:sheet_id>/imagem", endpoint="scan_image")
def sheet_image(sheet_id: int):  # noqa: ANN201
    try:
        content, media_type = store.sheet_image(db.session, sheet_id=sheet_id)
    except ServiceError as error:
        return Response(ERROR_TEXTS.get(error.code or "", "Folha inexistente."), status=error.status,
                        mimetype="text/plain")
    return Response(content, mimetype=media_type, headers={"X-Content-Type-Options": "nosniff"})


@bp.route("/folhas/<id:sheet_id>/resolver", methods=["POST"], endpoint="scan_resolve")
def resolve(sheet_id: int):  # noqa: ANN201
    form = request.form
    chosen = {key[len("item-"):]: value for key, value in form.items() if key.startswith("item-")}
    # A value outside the choices goes to the service as sent: it names the item and refuses it.
    answers = {number: CHOICES.get(value, value) for number, value in chosen.items()}
    candidate = form.get("candidate", "").strip()
    try:
        store.resolve_sheet(db.session, sheet_id=sheet_id, answers=answers, candidate=candidate or None,
                            viewer=viewer())
    except ServiceError as error:
        db.session.rollback()
        return _sheet_page(sheet_id, message=_error_text(error), kind="error", status=error.status,
                           chosen=chosen, candidate=candidate)
    return redirect(url_for("author.scan_sheet", sheet_id=sheet_id, feito="resolvida"))


@bp.route("/folhas/<id:sheet_id>/confirmar", methods=["POST"], endpoint="scan_confirm")
def confirm(sheet_id: int):  # noqa: ANN201
    try:
        store.confirm_sheet(db.session, sheet_id=sheet_id)
    except ServiceError as error:
        db.session.rollback()
        return _sheet_page(sheet_id, message=_error_text(error), kind="error", status=error.status)
    return redirect(url_for("author.scan_sheet", sheet_id=sheet_id, feito="confirmada"))
