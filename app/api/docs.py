"""Swagger UI assets and the OpenAPI document as YAML, served by the app itself (no CDN)."""

from __future__ import annotations

import swagger_ui_bundle
from flask import Blueprint, Response, send_from_directory

blp = Blueprint("docs_assets", __name__)


@blp.get("/docs/assets/<path:filename>")
def swagger_asset(filename: str):
    """A file of the bundled Swagger UI."""
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)


@blp.get("/openapi.yaml")
def openapi_yaml():
    """The OpenAPI document, generated from the schemas (the same text as openapi.yaml)."""
    from app.api import spec_yaml

    return Response(spec_yaml(), mimetype="application/yaml")
