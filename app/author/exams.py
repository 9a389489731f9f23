"""The exam builder (filled in below)."""

from __future__ import annotations

from flask import render_template

from app.author import bp


@bp.route("/provas")
def exams():  # noqa: ANN201
    return render_template("author/error.html", title="Provas", section="exams", message="Em construção.")
