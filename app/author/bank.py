"""The bank browser (filled in below)."""

from __future__ import annotations

from flask import render_template

from app.author import bp


@bp.route("/banco")
def bank():  # noqa: ANN201
    return render_template("author/error.html", title="Banco", section="bank", message="Em construção.")
