"""WSGI entry point for gunicorn: `gunicorn app.wsgi:app`.

The app warms up before it serves (app/warmup.py). Under gunicorn's preload (the default in
app/gunicorn_conf.py) this module is imported once, in the master, and the workers inherit the
loaded data; gc.freeze() keeps the collector from touching, and so copying, those pages.
"""

import gc
import logging
import os

from app import create_app
from app.warmup import warm_up

app = create_app()
if os.environ.get("QBANK_WARM_UP", "1") != "0":
    logging.getLogger("qbank").info("warmed up in %.2f s", warm_up())
    gc.freeze()
