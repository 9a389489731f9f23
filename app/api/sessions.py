"""Practice sessions: tokens under which exam-prep sites never serve an assertion twice."""

from __future__ import annotations

from flask.views import MethodView

from app.api import Blueprint
from app.api.auth import current_viewer
from app.db import db
from app.schemas import PracticeSessionSchema
from app.services import sessions

blp = Blueprint("sessions", __name__, description="Practice sessions: no repeated items until the pool runs out")


@blp.route("/sessions")
class Sessions(MethodView):
    @blp.response(201, PracticeSessionSchema)
    def post(self):
        """Open a practice session; pass its token as `session` when generating exams."""
        return sessions.create_session(db.session, viewer=current_viewer())


@blp.route("/sessions/<string(length=43):token>")
class SessionByToken(MethodView):
    @blp.response(200, PracticeSessionSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, token):
        """How much of the pool a session has been served."""
        return sessions.session_state(db.session, token=token, viewer=current_viewer())


@blp.route("/sessions/<string(length=43):token>/reset")
class SessionReset(MethodView):
    @blp.response(200, PracticeSessionSchema)
    @blp.alt_response(404, "NOT_FOUND")
    def post(self, token):
        """Forget what the session was served, making its whole pool available again."""
        return sessions.reset_session(db.session, token=token, viewer=current_viewer())
