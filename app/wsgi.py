"""WSGI entry point for gunicorn: `gunicorn app.wsgi:app`. Each worker warms up before serving."""

import logging
import os

from app import create_app
from app.warmup import warm_up

app = create_app()
if os.environ.get("QBANK_WARM_UP", "1") != "0":
    logging.getLogger("qbank").info("worker warmed up in %.2f s", warm_up())
