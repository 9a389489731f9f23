"""qbank: a question bank for CESPE/Cebraspe-style certo/errado exams."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app.config import Config, database_url

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | type | None = None, *, with_api: bool = True, **overrides: Any) -> Flask:
    """Build the app: settings (a class or mapping, then keyword overrides), database, API.

    `with_api=False` leaves out the HTTP API and its telemetry: what the command line needs to
    reach the database, at a fraction of the start-up time."""
    # Here, not at the top: `qbank --help` and friends never need Flask.
    from app.flask_app import QbankFlask
    from app.json_provider import OrjsonProvider

    app = QbankFlask(__name__, instance_relative_config=False)
    app.json = OrjsonProvider(app)
    app.config.from_object(Config)
    if isinstance(config, type):
        app.config.from_object(config)
    elif config:
        app.config.update(config)
    app.config.update(overrides)
    app.config.setdefault("DATABASE_URL", database_url())
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from app.db import db

    db.init_app(app)
    if with_api:
        from app.api import init_api
        from app.telemetry import init_telemetry

        init_telemetry(app)
        init_api(app)
        from app.author import init_author

        init_author(app)
    return app
