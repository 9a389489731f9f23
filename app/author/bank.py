"""The bank browser: topics, subtopics, assertions with their variants and statistics; editing an
assertion (If-Match honoured); uploading a seed document, dry run first, its bad lines shown in place;
the variants flagged by item statistics."""

from __future__ import annotations

import marshmallow as ma
from flask import current_app, render_template, request

from app.author import bp
from app.db import db
from app.errors import PreconditionFailed, ServiceError
from app.schemas import AssertionPatchSchema
from app.services import bank as service
from app.services import bank_import, browse, importer, statistics

EDITABLE = ("text", "label", "explanation", "status")
_PATCH = AssertionPatchSchema(only=EDITABLE)


def _min_attempts() -> int:
    return current_app.config["STATS_MIN_ATTEMPTS"]


@bp.route("/banco", endpoint="bank")
def bank_home():  # noqa: ANN201
    return render_template("author/bank.html", title="Banco de assertivas", section="bank",
                           topics=browse.topics_overview(db.session))


@bp.route("/banco/topicos/<id:topic_id>")
def topic(topic_id: int):  # noqa: ANN201
    found = service.get_topic(db.session, topic_id=topic_id)
    return render_template("author/topic.html", title=f"{found.code} — {found.title}", section="bank", topic=found)


@bp.route("/banco/subtopicos/<id:subtopic_id>")
def subtopic(subtopic_id: int):  # noqa: ANN201
    found = service.get_subtopic(db.session, subtopic_id=subtopic_id)
    rows = browse.subtopic_assertions(db.session, subtopic_id=found.id, min_attempts=_min_attempts())
    return render_template("author/subtopic.html", title=f"{found.topic.code}.{found.number} — {found.title}",
                           section="bank", subtopic=found, rows=rows)


@bp.route("/banco/assertivas/<id:assertion_id>", methods=["GET", "POST"])
def assertion(assertion_id: int):  # noqa: ANN201
    found = service.get_assertion(db.session, assertion_id=assertion_id)
    if request.method == "GET":
        return render_template("author/assertion.html", title=f"Assertiva {found.id}", section="bank",
                               assertion=found, values={k: getattr(found, k) or "" for k in EDITABLE})
    values = {k: request.form.get(k, "") for k in EDITABLE}
    etag = request.form.get("etag", "").strip() or '"none"'
    try:
        changes = _PATCH.load({**values, "explanation": values["explanation"].strip() or None})
        service.update_assertion(db.session, assertion_id=found.id, changes=changes, if_match={etag})
    except ma.ValidationError as error:
        problems = [f"{field}: {'; '.join(map(str, messages))}" for field, messages in error.messages.items()]
        return _assertion_page(found, values, f"Não gravado: {' · '.join(problems)}", "error", 422)
    except PreconditionFailed:
        db.session.rollback()
        db.session.refresh(found)
        return _assertion_page(found, values, "Outro autor mudou esta assertiva depois que você a abriu: nada foi "
                               "gravado. Os valores atuais estão abaixo; o seu texto ficou no quadro ao lado.",
                               "conflict", 412, mine=values)
    except ServiceError as error:
        db.session.rollback()
        return _assertion_page(found, values, f"Não gravado: {error.detail}", "error", error.status)
    return _assertion_page(found, {k: getattr(found, k) or "" for k in EDITABLE}, "Assertiva gravada.", "info", 200)


def _assertion_page(found, values, message, kind, status, mine=None):  # noqa: ANN001, ANN202
    shown = {k: getattr(found, k) or "" for k in EDITABLE} if mine is not None else values
    return render_template("author/assertion.html", title=f"Assertiva {found.id}", section="bank", assertion=found,
                           values=shown, message=message, kind=kind, mine=mine), status


@bp.route("/banco/importar", methods=["GET", "POST"])
def upload():  # noqa: ANN201
    if request.method == "GET":
        return render_template("author/upload.html", title="Importar documento-semente", section="bank")
    name = (request.form.get("name") or "").strip()
    if request.form.get("document") is not None:  # the import after a dry run: the text it checked
        data: bytes | str = request.form["document"]
    else:
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return render_template("author/upload.html", title="Importar documento-semente", section="bank",
                                   error="Escolha um arquivo .txt para enviar."), 422
        data, name = upload.read(), name or upload.filename
    name = name or "upload.txt"
    dry_run = request.form.get("action") != "import"
    try:
        encoding = importer.normalize_encoding(request.form.get("encoding") or None)
        document = importer.parse_seed(data, name=name, encoding=encoding)
        result = bank_import.import_documents(db.session, documents=[document], dry_run=dry_run)
    except importer.DocumentError as error:
        text = data if isinstance(data, str) else _readable(data)
        return render_template("author/upload.html", title="Importar documento-semente", section="bank", name=name,
                               failed=browse.annotated_lines(text, [(e.line, e.message_pt) for e in error.line_errors]),
                               errors=error.line_errors), 422
    except (ValueError, ServiceError) as error:
        db.session.rollback()
        return render_template("author/upload.html", title="Importar documento-semente", section="bank",
                               error=str(getattr(error, "detail", error))), 422
    text = data if isinstance(data, str) else importer.decode_document(data, name=name, encoding=encoding)
    return render_template("author/upload.html", title="Importar documento-semente", section="bank", name=name,
                           result=result, warnings=document.warnings, document=text if dry_run else None)


def _readable(data: bytes) -> str:
    """An upload shown beside its errors: as UTF-8, undecodable bytes replaced."""
    return data.decode("utf-8", errors="replace")


@bp.route("/banco/sinalizadas")
def flagged():  # noqa: ANN201
    found = statistics.flagged_variants(db.session, min_attempts=_min_attempts())
    return render_template("author/flagged.html", title="Variantes sinalizadas pelas estatísticas", section="bank",
                           flagged=found, min_attempts=_min_attempts())
