"""Sign-in with an admin or author API key, and sign-out."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import redirect, render_template, request, session, url_for

from app.author import bp, lifetime_hours
from app.db import db
from app.services import web_sessions


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path inside the workbench, never another site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/author/"):
            return target
    return url_for("author.review")


@bp.route("/entrar", methods=["GET", "POST"])
def sign_in():  # noqa: ANN201
    if request.method == "GET":
        if getattr(session, "viewer", None) is not None:
            return redirect(url_for("author.review"))
        return render_template("author/signin.html", next=request.args.get("next", ""))
    key = request.form.get("api_key", "")
    target = request.form.get("next", "")
    if not key.strip():
        return render_template("author/signin.html", error="Informe a sua chave de API.", next=target), 422
    try:
        token, row, who = web_sessions.sign_in(db.session, api_key=key, previous=session.row, data={},
                                               lifetime=timedelta(hours=lifetime_hours()))
    except web_sessions.SignInRefused as refused:
        return render_template("author/signin.html", error=f"Entrada recusada: {refused}.", next=target), 403
    session.rotate(token, row, who)
    return redirect(_safe_next(target))


@bp.route("/sair", methods=["POST"])
def sign_out():  # noqa: ANN201
    web_sessions.end(db.session, row=session.row)
    session.end()
    return redirect(url_for("author.sign_in"))


@bp.route("/")
def home():  # noqa: ANN201
    return redirect(url_for("author.review"))
