"""/docs (Swagger UI), its assets and the OpenAPI document as YAML, served by the app itself (no CDN).

The page is this app's own rather than flask-smorest's, whose inline script a Content-Security-Policy
would have to allow: here every script is a file of this origin (DOCS_CSP, app/api/headers.py)."""

from __future__ import annotations

import swagger_ui_bundle
from flask import Blueprint, Response, current_app, render_template, send_from_directory

from app.api.headers import DOCS_CSP

blp = Blueprint("docs_assets", __name__)

# Swagger UI on /openapi.json; no validator badge, which would send the document's address to
# validator.swagger.io (and which the Content-Security-Policy blocks anyway).
_INIT_JS = """window.onload = function () {
  window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui-container", validatorUrl: null});
};
"""


@blp.get("/docs")
def docs():
    """Swagger UI: read the API and try it with a key (Authorize)."""
    page = render_template("docs.html", title=current_app.config["API_TITLE"])
    return Response(page, mimetype="text/html", headers={"Content-Security-Policy": DOCS_CSP})


@blp.get("/docs/init.js")
def docs_init():
    """The script that starts Swagger UI on this API's document."""
    return Response(_INIT_JS, mimetype="text/javascript")


@blp.get("/docs/assets/<path:filename>")
def swagger_asset(filename: str):
    """A file of the bundled Swagger UI."""
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)


@blp.get("/openapi.yaml")
def openapi_yaml():
    """The OpenAPI document, generated from the schemas (the same text as openapi.yaml)."""
    from app.api import spec_yaml

    return Response(spec_yaml(), mimetype="application/yaml")
