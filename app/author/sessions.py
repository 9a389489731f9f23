"""Flask's `session` for the workbench, kept on the server (app/services/web_sessions.py).

Only requests under /author/ have one: the cookie's path is /author, and API requests never open
nor write a session (no cookie, no query). The cookie carries a random identifier, nothing else:
HttpOnly, SameSite=Strict, Secure over HTTPS (or always, with AUTHOR_COOKIE_SECURE), and it lives
as long as the row it names."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from app.db import db
from app.models import WebSession, utcnow
from app.services import web_sessions
from app.services.keys import Viewer

COOKIE = "qbank_author"
PREFIX = "/author"


class ServerSession(CallbackDict, SessionMixin):
    """The session's data, the row it came from, who is signed in; `rotate` and `end` for views."""

    def __init__(self, initial: dict[str, Any] | None = None, *, row: WebSession | None = None,
                 viewer: Viewer | None = None) -> None:
        def changed(_self: Any) -> None:
            self.modified = True

        super().__init__(initial or {}, changed)
        self.row = row
        self.viewer = viewer
        self.token: str | None = None  # a new identifier to send (a new or rotated session)
        self.ended = False
        self.modified = False

    def rotate(self, token: str, row: WebSession, viewer: Viewer) -> None:
        """The session now is `row` (just signed in): its identifier goes out in the cookie."""
        self.clear()
        self.update(row.data)
        self.row, self.viewer, self.token, self.modified = row, viewer, token, False

    def end(self) -> None:
        self.clear()
        self.ended, self.modified, self.viewer = True, False, None


def _in_workbench(request: Request) -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


class ServerSessionInterface(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(COOKIE) if _in_workbench(request) else None
        if not token:
            return ServerSession()
        loaded = web_sessions.load(db.session, token=token)
        if loaded is None:
            return ServerSession()
        return ServerSession(loaded.row.data, row=loaded.row, viewer=loaded.viewer)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:  # type: ignore[override]
        if not isinstance(session, ServerSession) or not _in_workbench(request):
            return
        secure = bool(app.config.get("AUTHOR_COOKIE_SECURE")) or request.is_secure
        if session.ended:
            response.delete_cookie(COOKIE, path=PREFIX, secure=secure, httponly=True, samesite="Strict")
            return
        if session.row is None:
            if not session:
                return
            session.token, session.row = web_sessions.create(db.session, data=dict(session))
        elif session.modified:
            web_sessions.save(db.session, row=session.row, data=dict(session))
        if session.token is not None:
            remaining = max(timedelta(0), session.row.expires_at - utcnow())
            response.set_cookie(COOKIE, session.token, max_age=int(remaining.total_seconds()), path=PREFIX,
                                secure=secure, httponly=True, samesite="Strict")
        response.vary.add("Cookie")

