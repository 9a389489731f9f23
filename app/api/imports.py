"""Imports: POST /api/v1/imports with a seed document as the body (text/plain or octet-stream), or a bank
as JSON."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import abort

from app.api import Blueprint
from app.db import db
from app.schemas import ImportArgsSchema, ImportResultSchema
from app.services import bank_import, importer, transfer

blp = Blueprint("imports", __name__, description="Seed documents in, topics and assertions out")

SEED_BODY = {
    "required": True,
    "description": (
        "A seed document (README, section The seed format) as text/plain: UTF-8 with or without BOM; declare "
        "`charset=windows-1252` in Content-Type for Windows-1252 text. The same file may come as "
        "application/octet-stream (what generated clients send), its encoding given by ?encoding= "
        "(utf-8 by default, or windows-1252). Or a qbank-bank JSON document "
        "(GET /api/v1/topics/{id}/export?format=json) as application/json, which also carries labels, "
        "statuses, explanations and variants."
    ),
    "content": {"text/plain": {"schema": {"type": "string"}},
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                "application/json": {"schema": {"type": "object"}}},
}
# The seed document comes as text/plain (curl, people) or application/octet-stream (clients generated
# from the OpenAPI document, which cannot send text/plain): the file as it is.


@blp.route("/imports")
class Imports(MethodView):
    @blp.arguments(ImportArgsSchema(), location="query")
    @blp.doc(requestBody=SEED_BODY)
    @blp.response(201, ImportResultSchema, description="Imported; counts of what changed")
    @blp.alt_response(200, schema=ImportResultSchema, description="Dry run: what would change", success=True)
    @blp.alt_response(413, "REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, "UNSUPPORTED_MEDIA_TYPE")
    def post(self, args):
        """Import a seed document or a JSON bank document, all or nothing; ?dry_run=true only counts."""
        if request.mimetype == "application/json":
            document = transfer.parse_bank_json(request.get_data())
            result = transfer.import_bank(db.session, document=document, dry_run=args["dry_run"])
            return result, 200 if args["dry_run"] else 201
        # Any other media type got its 415 from app/api/guard.py (SEED_BODY lists the three).
        declared = request.mimetype_params.get("charset") if request.mimetype == "text/plain" else args["encoding"]
        try:
            encoding = importer.normalize_encoding(declared)
        except ValueError as exc:
            abort(415 if request.mimetype == "text/plain" else 422, message=str(exc))
        document = importer.parse_seed(request.get_data(), name=args["name"], encoding=encoding)
        result = bank_import.import_documents(db.session, documents=[document], dry_run=args["dry_run"])
        return result, 200 if args["dry_run"] else 201
