"""Jobs: GET /api/v1/jobs/{id}, how far long work is (authors and admins)."""

from __future__ import annotations

from flask.views import MethodView

from app.api import Blueprint
from app.api.auth import current_viewer
from app.db import db
from app.schemas import JobSchema
from app.services import jobs

blp = Blueprint("jobs", __name__, description="Long work done outside the request, and its progress")


@blp.route("/jobs/<hex32:job_id>")
class JobById(MethodView):
    @blp.response(200, JobSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, job_id):
        """A job: queued, running (done of total), done (with its result) or failed (with its error)."""
        return jobs.get_job(db.session, job_id=job_id, viewer=current_viewer())
