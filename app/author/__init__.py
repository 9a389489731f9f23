"""The author workbench: server-rendered pages under /author/ (pt-BR) to review variants, browse the
bank and build exams, through the same services as the API. Views parse, call a service, render.

Signing in takes an admin or author API key and opens a server-side session (app/author/sessions.py);
every form and every script request carries a CSRF token (Flask-WTF's CSRFProtect). The pages load
their own style sheet and scripts from /author/static (no CDN, no inline script: the
Content-Security-Policy below forbids them)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from app.services.keys import Viewer

bp = Blueprint("author", __name__, url_prefix="/author", template_folder="templates", static_folder="static")
csrf = CSRFProtect()

AUTHOR_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
              "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# Endpoints open without signing in.
OPEN_ENDPOINTS = frozenset({"author.sign_in", "author.static"})


def viewer() -> Viewer:
    """The signed-in author of this request (the before-request hook made sure there is one)."""
    return g.author


def wants_fragment() -> bool:
    """A request made by the page's script (it asks for an HTML fragment, not a whole page)."""
    return request.headers.get("X-Requested-With") == "fetch"


@bp.before_request
def _require_session() -> Any:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    signed_in = getattr(session, "viewer", None)
    if signed_in is None:
        if wants_fragment():
            return Response("Sessão encerrada: entre de novo.", status=401, mimetype="text/plain")
        back = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("author.sign_in", next=back))
    g.author = signed_in
    return None


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = AUTHOR_CSP
    if request.endpoint != "author.static":
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(CSRFError)
def _csrf_refused(error: CSRFError) -> tuple[str, int]:
    if wants_fragment():
        return f"Pedido recusado: token CSRF ausente ou inválido ({error.description}). Recarregue a página.", 400
    return render_template("author/error.html", title="Pedido recusado",
                           message="O formulário chegou sem um token CSRF válido (página antiga ou enviada de "
                                   "fora da bancada). Recarregue a página e tente de novo."), 400


def _secret_key(app: Flask) -> str:
    """QBANK_SECRET_KEY, else a random key made once for this installation and kept in the instance
    folder (mode 0600): never a default shared by every installation. Replicas on several machines
    must share QBANK_SECRET_KEY."""
    from app.config import INSTANCE_DIR

    path = Path(app.config.get("SECRET_KEY_FILE") or INSTANCE_DIR / "secret_key")
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(path, "x", encoding="ascii", opener=lambda p, f: os.open(p, f, 0o600)) as out:
                    out.write(secrets.token_urlsafe(48))
            except FileExistsError:
                pass  # another worker wrote it first
        secret = path.read_text(encoding="ascii").strip()
    except OSError as error:
        raise RuntimeError(f"no QBANK_SECRET_KEY, and {path} cannot be written or read ({error.strerror}): set "
                           "QBANK_SECRET_KEY to a long random string") from None
    if len(secret) < 32:
        raise RuntimeError(f"{path} holds no usable secret (under 32 characters): delete it or set QBANK_SECRET_KEY")
    return secret


def init_author(app: Flask) -> None:
    """Register the workbench: its blueprint, the server-side session and CSRF protection."""
    from app.author import bank, exams, review, scans, signin  # noqa: F401 (their routes)
    from app.author.sessions import ServerSessionInterface

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # only the workbench's forms (the API has keys)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a token lives as long as its session
    app.session_interface = ServerSessionInterface()
    csrf.init_app(app)
    app.register_blueprint(bp)


def lifetime_hours() -> float:
    return float(current_app.config.get("AUTHOR_SESSION_HOURS", 8))
