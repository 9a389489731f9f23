"""Scanned answer sheets: uploads read into attempts, sheets that need review, their resolution."""

from __future__ import annotations

from flask import Response, current_app, request
from flask.views import MethodView

from app.api import Blueprint, paginate
from app.api.auth import current_viewer
from app.api.headers import NO_STORE
from app.db import db
from app.schemas import ScanListArgsSchema, ScanResolveSchema, ScanSheetSchema, ScanUploadResultSchema, page_of
from app.services import issued
from app.services.scan import store

blp = Blueprint("scans", __name__, description="Scanned answer sheets read back into scored attempts")

ScanSheetPageSchema = page_of(ScanSheetSchema, "ScanSheetPage")
SCAN_BODY = {
    "required": True,
    "description": ("Answer sheets as printed by GET /exams/{id}/export?format=pdf, filled in and scanned or "
                    "photographed: one PNG or JPEG picture, or a PDF of one page per sheet page (a stack of "
                    "candidates, of any versions). At most the API's request size."),
    "content": {"image/png": {"schema": {"type": "string", "format": "binary"}},
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}
UPLOAD_422 = ("Not a PNG, JPEG or PDF, a corrupt file, a page without the sheet's corner marks or QR code, a "
              "sheet of another exam: the problem names the page; nothing is stored")


def _upload(exam_id: int | None):  # noqa: ANN202
    result = store.upload_scans(db.session, data=request.get_data(cache=False), exam_id=exam_id,
                                viewer=current_viewer(), max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    sheets = [store.describe_sheet(sheet) for sheet in result.sheets]
    body = {"sheets": sheets, "scored": sum(s["status"] == "scored" for s in sheets),
            "needs_review": sum(s["status"] == "needs_review" for s in sheets)}
    return body, 201 if result.created else 200, NO_STORE


@blp.route("/exams/<id:exam_id>/scans")
class ExamScans(MethodView):
    @blp.doc(requestBody=SCAN_BODY)
    @blp.response(201, ScanUploadResultSchema, description="Read and stored: attempts scored, or sheets to review")
    @blp.alt_response(200, schema=ScanUploadResultSchema, description="The same file again: what was read then",
                      success=True)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(413, "REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, "UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY", description=UPLOAD_422)
    def post(self, exam_id):
        """Read scanned answer sheets of this exam into attempts (or sheets to review)."""
        issued.exam_state(db.session, exam_id=exam_id, viewer=current_viewer())
        return _upload(exam_id)

    @blp.arguments(ScanListArgsSchema, location="query")
    @blp.response(200, ScanSheetPageSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, args, exam_id):
        """Scanned sheets of an exam, oldest first; ?status=needs_review for those waiting for an author."""
        issued.exam_state(db.session, exam_id=exam_id, viewer=current_viewer())
        page = paginate(db.session, store.sheets_query(exam_id=exam_id, status=args.pop("status")), **args)
        page["items"] = [store.describe_sheet(sheet) for sheet in page["items"]]
        return page


@blp.route("/scans")
class Scans(MethodView):
    @blp.doc(requestBody=SCAN_BODY)
    @blp.response(201, ScanUploadResultSchema, description="Read and stored: attempts scored, or sheets to review")
    @blp.alt_response(200, schema=ScanUploadResultSchema, description="The same file again: what was read then",
                      success=True)
    @blp.alt_response(413, "REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, "UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY", description=UPLOAD_422)
    def post(self):
        """Read scanned answer sheets of any exams, each found from its sheet's QR code."""
        return _upload(None)


@blp.route("/scans/<id:sheet_id>")
class ScanById(MethodView):
    @blp.response(200, ScanSheetSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, sheet_id):
        """A scanned sheet: every item's reading and confidence, its status, its attempt."""
        return store.describe_sheet(store.get_sheet(db.session, sheet_id=sheet_id)), 200, NO_STORE


@blp.route("/scans/<id:sheet_id>/resolve")
class ScanResolve(MethodView):
    @blp.arguments(ScanResolveSchema)
    @blp.response(200, ScanSheetSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT", description="The sheet was already scored (code sheet_already_scored)")
    def post(self, data, sheet_id):
        """Resolve a needs-review sheet: answers for its ambiguous items (and the candidate number if
        unreadable); scores the attempt and confirms the sheet."""
        sheet = store.resolve_sheet(db.session, sheet_id=sheet_id, answers=data["answers"],
                                    candidate=data["candidate"], viewer=current_viewer())
        return store.describe_sheet(sheet), 200, NO_STORE


@blp.route("/scans/<id:sheet_id>/confirm")
class ScanConfirm(MethodView):
    @blp.response(200, ScanSheetSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT", description="The sheet needs review first (code sheet_needs_review)")
    def post(self, sheet_id):
        """Confirm a scored sheet's attempt; the file is released once all its upload's sheets are confirmed."""
        return store.describe_sheet(store.confirm_sheet(db.session, sheet_id=sheet_id)), 200, NO_STORE


@blp.route("/scans/<id:sheet_id>/image")
class ScanImage(MethodView):
    @blp.response(200, description="The kept file the sheet was read from", content_type="application/octet-stream")
    @blp.doc(responses={200: {"content": {k: v for k, v in SCAN_BODY["content"].items()}}})
    @blp.alt_response(404, "NOT_FOUND", description="No such sheet, or its file was released (code scan_released)")
    def get(self, sheet_id):
        """The file a sheet was read from, while it is kept (for reviewing it)."""
        content, media_type = store.sheet_image(db.session, sheet_id=sheet_id)
        return Response(content, mimetype=media_type, headers=NO_STORE)
