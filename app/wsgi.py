"""WSGI entry point for gunicorn: `gunicorn app.wsgi:app`.

The app warms up before it serves (app/warmup.py): its data is loaded, the bank's exam pools are
read, then a throwaway bank's requests are served through a second app. Under gunicorn's preload
(the default in app/gunicorn_conf.py) this module is imported once, in the master, and the workers
inherit the loaded data and the warmed code; gc.freeze() keeps the collector from touching, and so
copying, those pages.
"""

import gc
import logging
import os
import time

from app import create_app
from app.warmup import warm_pools, warm_requests, warm_up

app = create_app()
if os.environ.get("QBANK_WARM_UP", "1") != "0":
    log = logging.getLogger("qbank")
    loaded = warm_up()
    started = time.perf_counter()
    try:
        assertions = warm_pools(app)
    except Exception:  # noqa: BLE001 - an optimisation that failed must not keep the server from serving
        log.exception("reading the exam pools failed; the workers will read them as exams ask for them")
        assertions = 0
    pooled = time.perf_counter() - started
    started = time.perf_counter()
    try:
        answered = warm_requests()
    except Exception:  # noqa: BLE001 - the same
        log.exception("the warm-up requests failed; serving without them")
        answered = 0
    served = time.perf_counter() - started
    log.info("warmed up in %.2f s: data %.2f s, pools of %d assertions %.2f s, %d requests %.2f s",
             loaded + pooled + served, loaded, assertions, pooled, answered, served)
    gc.freeze()
