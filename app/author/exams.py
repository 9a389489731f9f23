"""The exam builder: items, false ratio, topics and subtopics, distribution, seed, versions, use of
unreviewed variants → the exam generated through services.generation, previewed with its key, and a
download link for every export format."""

from __future__ import annotations

import marshmallow as ma
from flask import Response, current_app, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload

from app.author import bp, viewer
from app.db import db
from app.errors import ServiceError
from app.models import Topic
from app.schemas import ExamCreateSchema, ExportQuerySchema
from app.services import export, generation, issued, keys
from app.services.bank import topics_query

_CREATE = ExamCreateSchema()
_EXPORT = ExportQuerySchema()
FORMAT_NAMES = {"pdf": "PDF", "html": "HTML (impressão)", "moodle": "Moodle XML", "gift": "GIFT",
                "qti": "QTI 2.1 (zip)", "csv": "CSV", "json": "JSON"}
KEY_NAMES = {"none": "sem gabarito", "true": "com gabarito", "commented": "com gabarito comentado"}


def _form_values() -> dict:
    form = request.form
    return {"items": form.get("items", ""), "false_ratio": form.get("false_ratio", ""),
            "topic_ids": form.getlist("topic_ids"), "subtopic_ids": form.getlist("subtopic_ids"),
            "distribution": form.get("distribution", "proportional"), "seed": form.get("seed", ""),
            "versions": form.get("versions", "1"), "title": form.get("title", ""),
            "use_unreviewed": form.get("use_unreviewed") == "1"}


def _number(text: str, kind: type) -> int | float | str:
    """A form field as the number the API's JSON would carry; what is no number stays text, for the
    schema to name."""
    try:
        return kind(text.strip().replace(",", ".") if kind is float else text.strip())
    except ValueError:
        return text


def _payload(values: dict) -> dict:
    """The form as the API's exam request body; the schema checks it as it checks the API's."""
    body = {"items": _number(values["items"], int), "false_ratio": _number(values["false_ratio"], float),
            "versions": _number(values["versions"], int), "distribution": values["distribution"],
            "topic_ids": [_number(v, int) for v in values["topic_ids"]],
            "subtopic_ids": [_number(v, int) for v in values["subtopic_ids"]],
            "use_unreviewed": values["use_unreviewed"]}
    if values["seed"].strip():
        body["seed"] = _number(values["seed"], int)
    if values["title"].strip():
        body["title"] = values["title"].strip()
    return body


def _builder(values: dict, *, error: str | None = None, status: int = 200):  # noqa: ANN202
    topics = db.session.scalars(topics_query().options(selectinload(Topic.subtopics))).all()
    return render_template("author/exams.html", title="Montar prova", section="exams", topics=topics, values=values,
                           error=error), status


@bp.route("/provas", methods=["GET", "POST"], endpoint="exams")
def builder():  # noqa: ANN201
    if request.method == "GET":
        return _builder({"items": "20", "false_ratio": "0.5", "topic_ids": [], "subtopic_ids": [],
                         "distribution": "proportional", "seed": "", "versions": "1", "title": "",
                         "use_unreviewed": False})
    values = _form_values()
    try:
        data = _CREATE.load(_payload(values))
    except ma.ValidationError as error:
        problems = [f"{field}: {'; '.join(map(str, messages if isinstance(messages, list) else [messages]))}"
                    for field, messages in error.messages.items()]
        return _builder(values, error="Pedido inválido — " + " · ".join(problems), status=422)
    who = viewer()
    use_unreviewed = keys.use_unreviewed_for(db.session, viewer=who, requested=data["use_unreviewed"],
                                             default=current_app.config["EXAMS_USE_UNREVIEWED"])
    exam_request = generation.ExamRequest(
        items=data["items"], topic_ids=tuple(data["topic_ids"]), subtopic_ids=tuple(data["subtopic_ids"]),
        false_ratio=data["false_ratio"], distribution=data["distribution"], seed=data["seed"],
        versions=data["versions"], title=data["title"], use_unreviewed=use_unreviewed,
        owner_key_id=who.key_id, lexicon_dir=current_app.config.get("LEXICON_DIR"))
    try:
        exam = generation.generate_exam(db.session, request=exam_request)
    except ServiceError as error:
        db.session.rollback()
        return _builder(values, error=f"A prova não pôde ser montada: {error.detail}", status=error.status)
    return redirect(url_for("author.exam_preview", exam_id=exam.id))


@bp.route("/provas/<id:exam_id>")
def exam_preview(exam_id: int):  # noqa: ANN201
    version = request.args.get("versao", "1")
    exam = issued.get_exam(db.session, exam_id=exam_id, viewer=viewer())
    if not version.isdigit() or not 1 <= int(version) <= exam.versions:
        return render_template("author/error.html", title="Versão inexistente",
                               message=f"Esta prova tem as versões 1 a {exam.versions}."), 400
    version_number = int(version)
    shown = issued.describe_exam(exam, version_number)
    key = {item["number"]: item for item in issued.answer_key(exam, version_number)["items"]}
    return render_template("author/exam.html", title=f"Prova {exam.id}: {exam.title}", section="exams", exam=shown,
                           key=key, formats=FORMAT_NAMES, key_names=KEY_NAMES)


@bp.route("/provas/<id:exam_id>/exportar")
def exam_export(exam_id: int):  # noqa: ANN201
    try:
        args = _EXPORT.load({"format": request.args.get("formato", ""), "version": request.args.get("versao", "1"),
                             "key": request.args.get("gabarito", "none")})
    except ma.ValidationError as error:
        return render_template("author/error.html", title="Exportação inválida", message=str(error.messages)), 400
    exported = export.export_exam(db.session, exam_id=exam_id, fmt=args["format"], version=args["version"],
                                  key=args["key"], viewer=viewer())
    disposition = "inline" if args["format"] in ("html", "pdf") else "attachment"
    response = Response(exported.content, content_type=exported.media_type,
                        headers={"Content-Disposition": f'{disposition}; filename="{exported.filename}"'})
    if args["format"] == "html":
        from app.api.headers import EXPORT_CSP

        response.headers["Content-Security-Policy"] = EXPORT_CSP
    return response
