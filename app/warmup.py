"""Load, once per server process, what the first requests would otherwise wait for.

The variant engine's word lists, simplemma's Portuguese dictionary (low-memory backend; variants
check words against it), the PDF fonts and hyphenation patterns, the HTML template and the export
modules are all loaded lazily; without this, each gunicorn worker's first exam or PDF took about
half a second longer than the next ones.

`warm_requests` then serves a throwaway bank's requests through a second app of the same code. Under
gunicorn's preload both run in the master, before the workers fork; see its docstring for why.
"""

from __future__ import annotations

import json
import logging
import random
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

# The throwaway bank of `warm_requests`: subtopics, items per subtopic, and the exam asked for.
_SUBTOPICS = 4
_ITEMS = 12
_EXAM = {"items": 24, "false_ratio": 0.5}


def warm_up() -> float:
    """Exercise the engine, the audit, the block headings and every export format on a one-item exam;
    seconds spent."""
    from app import perturb
    from app.services.audit import AuditItem, run_fixed
    from app.services.export import FORMATS
    from app.services.export.document import KEY_COMMENTED, AuditLine, DocBlock, DocItem, ExamDocument
    from app.services.generation import block_heading

    started = time.perf_counter()
    sentence = "A automação reduz o tempo necessário para implantar um modelo de machine learning."
    perturb.generate(sentence, rng=random.Random(0))
    item = DocItem(number=1, text=sentence, block=1, subtopic="Implantação", label="C", explanation=None,
                   original=None)
    block = DocBlock(number=1, subtopic="Implantação", heading=block_heading("Implantação de modelos"),
                     items=(item,))
    audit = tuple(AuditLine(g.name, g.description, g.right, g.wrong, g.blank, g.net)
                  for g in run_fixed([AuditItem(1, sentence, "C")]))  # the audit's word lists
    document = ExamDocument(exam_id=0, title="Aquecimento", version=1, versions=1, created_at=datetime.now(UTC),
                            weights=(1.0, -1.0, 0.0), blocks=(block,), key=KEY_COMMENTED, items=(item,),
                            audit=audit)
    for spec in FORMATS.values():
        spec.render(document)
    return time.perf_counter() - started


def warm_pools(app: Flask) -> int:
    """Read every subtopic's pool into the app's pool index (services/generation/pools.py); how many
    assertions.

    Under gunicorn's preload this runs in the master: the workers inherit the packed pools and only
    read their buffers (the reference counts they write are those of a few hundred objects' headers,
    and the collector walks none of them), so the bank is held once for all of them instead of once
    per worker, and no worker's first exams wait for the read. A pool written afterwards is read
    again by the worker that next draws from it. The connections used are closed before the workers
    fork.
    """
    import sqlalchemy as sa

    from app.db import db
    from app.models import Subtopic
    from app.services.generation.pools import CREATED_AT, index_for

    with app.app_context():
        session = db.new_session()
        try:
            subtopics = session.execute(sa.select(Subtopic.id, Subtopic.pool_stamp, CREATED_AT)).all()
            kept = index_for(session).pools(session, subtopics, read_all=True)
        finally:
            session.close()
            db.engine.dispose()
    return sum(len(run.ids) for pool in kept.values() for run in pool.runs.values())


def warm_requests(rounds: int = 12) -> int:
    """Serve a throwaway bank's requests through a second app, in this process; how many answered
    2xx (all of them, 3 + 3 × `rounds`, unless something is broken).

    Python 3.11 rewrites a function's bytecode in place as it warms up, and counts its first calls in
    the code object itself. A gunicorn worker forked from a master that never served a request
    therefore wrote into the pages of every function its first requests ran, and each page it wrote
    became its own copy: a worker's share of memory grew by about 20 MB under its first GETs alone.
    Run once here, before the fork, the request paths (keys, the API's hooks, import, generation,
    the audit, the exam's JSON and key) are warmed where the workers share them.

    The second app has its own in-memory SQLite database (nothing is written anywhere else), no rate
    limits, and quiet telemetry: its requests are neither counted in the metrics nor logged. The
    per-process caches it fills are kept per engine (pools, key memos), so they go with it.
    """
    from werkzeug.test import EnvironBuilder

    from app import create_app
    from app.db import Base, db
    from app.models import Counter
    from app.services.keys import create_key

    app = create_app(DATABASE_URL="sqlite://", RATELIMIT_ENABLED=False, QUIET_TELEMETRY=True, SQLITE_MMAP_MB=0)
    answered = 0
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        with app.app_context():
            engine = db.engine
            Base.metadata.create_all(engine)
            session = db.new_session()
            try:
                session.add(Counter(name="api_keys", value=0))  # as migration 0009 writes it
                token = create_key(session, role="admin", name="warm-up").token
            finally:
                session.close()
        headers = {"Authorization": f"Bearer {token}"}

        def call(method: str, path: str, body: object = None) -> bytes:
            nonlocal answered
            environ = EnvironBuilder(path=path, method=method, headers=headers, json=body).get_environ()
            status: list[str] = []
            chunks = app(environ, lambda s, _h, _e=None: status.append(s))
            try:
                data = b"".join(chunks)
            finally:
                getattr(chunks, "close", lambda: None)()
            answered += status[0].startswith("2")
            return data

        call("POST", "/api/v1/imports", _warm_bank())
        for _ in range(rounds):
            exam = json.loads(call("POST", "/api/v1/exams", _EXAM))
            call("GET", f"/api/v1/exams/{exam.get('id')}")
            call("GET", f"/api/v1/exams/{exam.get('id')}/key")
        call("GET", "/api/v1/topics")
        call("GET", "/healthz")
    finally:
        logging.disable(previous)
        with app.app_context():
            db.engine.dispose()
    return answered


def _warm_bank() -> dict:
    """A qbank-bank document: a few subtopics of true items, some with an approved false variant,
    and false items with their explanations."""
    subtopics = []
    for s in range(1, _SUBTOPICS + 1):
        assertions = []
        for n in range(1, _ITEMS + 1):
            text = f"O procedimento {n} da etapa {s} registra cada versão do modelo antes da implantação."
            if n % 3 == 0:
                assertions.append({"number": n, "text": text.replace("registra", "dispensa o registro de"),
                                   "label": "E", "explanation": "O procedimento registra cada versão."})
                continue
            variants = [] if n % 3 == 1 else [{
                "text": text.replace("antes da", "somente depois da"), "operator": "manual",
                "explanation": "O registro vem antes da implantação.", "status": "approved"}]
            assertions.append({"number": n, "text": text, "label": "C", "variants": variants})
        subtopics.append({"number": s, "title": f"Etapa {s} da implantação de modelos", "assertions": assertions})
    from app.services.transfer import FORMAT_NAME, FORMAT_VERSION

    return {"format": FORMAT_NAME, "version": FORMAT_VERSION,
            "topics": [{"code": "1", "title": "Aquecimento", "subtopics": subtopics}]}
