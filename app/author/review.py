"""The review queue: filters, one card per variant, decisions by keyboard (the page's script posts
them and swaps the card), undo, edit in place, and approving one operator's variants of a subtopic."""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, render_template, request, session, url_for

from app.author import bp, wants_fragment
from app.db import db
from app.errors import Invalid, NotFound, PreconditionFailed, ServiceError
from app.services import bank, review

UNDO_DEPTH = 50
CONFLICT = ("Outro autor mudou esta variante depois que você a abriu: nada foi gravado. Veja abaixo como ela está "
            "agora e decida de novo.")
DECISION_WORDS = {"approved": "aprovada", "rejected": "rejeitada", "pending": "devolvida à fila"}


def _int_arg(source: Any, name: str) -> int | None:
    raw = (source.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise Invalid(f"{name} deve ser um número inteiro positivo", errors=[{"field": name, "message": raw[:40]}])
    return int(raw)


def _filter() -> review.QueueFilter:
    status = request.args.get("status", "pending")
    return review.QueueFilter(
        topic_id=_int_arg(request.args, "topic"), subtopic_id=_int_arg(request.args, "subtopic"),
        operator=request.args.get("operator") or None, status=None if status == "all" else status,
        risk=request.args.get("risk") or None)


def _min_attempts() -> int:
    return current_app.config["STATS_MIN_ATTEMPTS"]


@bp.route("/revisao", endpoint="review")
def review_queue():  # noqa: ANN201
    try:
        f = _filter()
        page = _int_arg(request.args, "page") or 1
    except Invalid as error:
        return render_template("author/error.html", title="Filtro inválido", message=error.detail), 400
    found = review.queue(db.session, f=f, page=page, min_attempts=_min_attempts())
    options = review.filter_options(db.session, topic_id=f.topic_id)
    return render_template("author/review.html", title="Revisão de variantes", section="review", queue=found,
                           f=f, options=options, page=page, page_size=review.PAGE_SIZE,
                           risk_bands=review.RISK_BANDS, done=request.args.get("aprovadas"))



def _card_response(card: review.Card, *, status: int = 200, message: str | None = None, editing: bool = False,
                   kind: str = "info") -> Any:
    if not wants_fragment():
        return redirect(request.form.get("next") or url_for("author.review"))
    html = render_template("author/_card.html", card=card, message=message, editing=editing, kind=kind)
    return html, status


def _etag() -> set[str]:
    etag = request.form.get("etag", "").strip()
    return {etag} if etag else {'"none"'}  # a missing ETag can match nothing: the author must have read it


def _remember(variant_id: int, before: str, etag_after: str) -> None:
    undo = list(session.get("undo", []))[-(UNDO_DEPTH - 1):]
    undo.append({"id": variant_id, "before": before, "etag": etag_after})
    session["undo"] = undo


@bp.route("/revisao/<id:variant_id>/decisao", methods=["POST"])
def decide(variant_id: int):  # noqa: ANN201
    status = request.form.get("status", "")
    try:
        variant, before = review.decide(db.session, variant_id=variant_id, status=status, if_match=_etag())
    except ServiceError as error:
        return _refused(variant_id, error)
    _remember(variant.id, before, variant.etag)
    return _card_response(review.card(variant), message=f"Variante {DECISION_WORDS[variant.status]}.")


@bp.route("/revisao/<id:variant_id>/edicao", methods=["POST"])
def edit(variant_id: int):  # noqa: ANN201
    try:
        review.edit(db.session, variant_id=variant_id, text=request.form.get("text", ""),
                    explanation=request.form.get("explanation", ""), if_match=_etag())
    except ServiceError as error:
        return _refused(variant_id, error, editing=True)
    return _card_response(review.card_of(db.session, variant_id=variant_id, min_attempts=_min_attempts()),
                          message="Texto e explicação gravados.")


def _refused(variant_id: int, error: ServiceError, *, editing: bool = False):  # noqa: ANN202
    """The card again, as the variant is now, saying why a decision or an edit was not written: a
    conflict (another author changed it: 412), or the service's reason; a gone variant is a 404."""
    if isinstance(error, NotFound):
        return "Esta variante não existe mais.", 404
    db.session.rollback()
    card = review.card_of(db.session, variant_id=variant_id, min_attempts=_min_attempts())
    if isinstance(error, PreconditionFailed):
        return _card_response(card, status=412, message=CONFLICT, kind="conflict")
    message = f"Não gravado: {error.detail}" if editing else error.detail
    return _card_response(card, status=error.status, message=message, editing=editing, kind="error")


@bp.route("/revisao/desfazer", methods=["POST"])
def undo():  # noqa: ANN201
    stack = list(session.get("undo", []))
    if not stack:
        return ("Nada a desfazer.", 204) if wants_fragment() else redirect(url_for("author.review"))
    last = stack.pop()
    session["undo"] = stack
    try:
        variant, _ = review.decide(db.session, variant_id=last["id"], status=last["before"], if_match={last["etag"]})
    except PreconditionFailed:
        db.session.rollback()
        return _card_response(review.card_of(db.session, variant_id=last["id"], min_attempts=_min_attempts()),
                              status=412, kind="conflict",
                              message="Não desfeito: outro autor mudou esta variante depois da sua decisão.")
    except NotFound:
        return "Esta variante não existe mais.", 404
    return _card_response(review.card(variant), message=f"Decisão desfeita: variante {DECISION_WORDS[variant.status]}.")


@bp.route("/revisao/aprovar-operador", methods=["GET", "POST"])
def approve_operator():  # noqa: ANN201
    source = request.form if request.method == "POST" else request.args
    operator = (source.get("operator") or "").strip()
    try:
        subtopic_id = _int_arg(source, "subtopic")
        if subtopic_id is None or not operator:
            raise Invalid("escolha um subtópico e um operador no filtro antes de aprovar em bloco")
        subtopic = bank.get_subtopic(db.session, subtopic_id=subtopic_id)
    except ServiceError as error:
        return render_template("author/error.html", title="Aprovação em bloco", message=error.detail), 400
    if request.method == "GET":
        count = review.pending_of_operator(db.session, subtopic_id=subtopic.id, operator=operator)
        return render_template("author/approve_operator.html", title="Aprovar em bloco", section="review",
                               subtopic=subtopic, operator=operator, count=count)
    approved = review.approve_operator(db.session, subtopic_id=subtopic.id, operator=operator)
    return redirect(url_for("author.review", topic=subtopic.topic_id, subtopic=subtopic.id, operator=operator,
                            status="all", aprovadas=approved))
