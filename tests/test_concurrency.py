"""Two gunicorn instances on one database, hit concurrently (loopback only, bounded).

Runs on PostgreSQL (production) and on the embedded SQLite (`make run` also has two workers)."""

from __future__ import annotations

import contextlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import SEED, approve_all_variants, client_for, make_key
from tests.test_operations import _call, running_server

API = "/api/v1"


def test_two_instances_serve_sessions_and_attempts_without_loss_or_repeats(runner, app, database_url):
    assert runner.invoke("import", str(SEED)).exit_code == 0
    author = client_for(app, make_key(app, "author"))
    topic = author.get(f"{API}/topics").json["items"][0]
    assert author.post(f"{API}/topics/{topic['id']}/variants", json={"seed": 1, "top": 2}).status_code == 201
    approve_all_variants(author)
    author_token = author.environ_base["HTTP_AUTHORIZATION"].split()[1]
    consumer = make_key(app, "consumer")
    statuses: Counter[int] = Counter()

    with contextlib.ExitStack() as stack:
        bases = [stack.enter_context(running_server(database_url, workers=2)) for _ in range(2)]

        # 1. One practice session drawn from both instances at once: never the same assertion twice.
        session = _call(f"{bases[0]}{API}/sessions", consumer, {})[1]["token"]

        def draw(i: int) -> int | None:
            for _ in range(20):
                status, body, _ = _call(f"{bases[i % 2]}{API}/exams", consumer,
                                        {"items": 4, "false_ratio": 0.5, "session": session})
                statuses[status] += 1
                if status == 201:
                    return body["id"]
                if status == 409 and body.get("code") == "session_busy":
                    continue  # lost a race for the same items: draw again
                return None
            return None

        with ThreadPoolExecutor(max_workers=8) as pool:
            exam_ids = [e for e in pool.map(draw, range(24)) if e is not None]
        served: list[int] = []
        for exam_id in exam_ids:
            key = _call(f"{bases[0]}{API}/exams/{exam_id}/key", author_token)[1]
            served += [k["assertion_id"] for k in key["items"]]
        assert len(served) == len(set(served)), "an assertion was served twice in one session"
        state = _call(f"{bases[1]}{API}/sessions/{session}", consumer)[1]
        assert state["served"] == len(served) and len(exam_ids) >= 10

        # 2. Attempts from both instances: every distinct Idempotency-Key stored once, none lost.
        exam = _call(f"{bases[0]}{API}/exams", consumer, {"items": 6, "false_ratio": 0.5, "seed": 9})[1]

        def submit(i: int) -> tuple[int, int]:
            import json
            import urllib.request

            request = urllib.request.Request(
                f"{bases[i % 2]}{API}/exams/{exam['id']}/attempts",
                data=json.dumps({"answers": {"1": "C", "2": "E"}}).encode(),
                headers={"Authorization": f"Bearer {consumer}", "Content-Type": "application/json",
                         "Idempotency-Key": f"attempt-{i % 15}"}, method="POST")
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
                return response.status, json.loads(response.read())["id"]

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(submit, range(45)))
        for status, _ in results:
            statuses[status] += 1
        ids_by_key: dict[int, set[int]] = {}
        for i, (_, attempt_id) in enumerate(results):
            ids_by_key.setdefault(i % 15, set()).add(attempt_id)
        assert all(len(ids) == 1 for ids in ids_by_key.values()), "one Idempotency-Key gave two attempts"
        listed = _call(f"{bases[1]}{API}/exams/{exam['id']}/attempts?page_size=100", author_token)[1]
        assert listed["total"] == 15
        assert Counter(status for status, _ in results) == Counter({201: 15, 200: 30})

    assert not [s for s in statuses if s >= 500], statuses


def test_replicas_bootstrapping_together_make_one_admin_key(app, database_url):
    """Replicas start together and each runs `qbank keys bootstrap` (docker-entrypoint.sh): one key, printed once."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import sqlalchemy as sa

    from app.db import db
    from tests.conftest import _empty_tables

    _empty_tables(app)
    qbank = str(Path(sys.executable).with_name("qbank"))
    env = {**os.environ, "DATABASE_URL": database_url}
    replicas = [subprocess.Popen([qbank, "keys", "bootstrap"], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(6)]
    outputs = [replica.communicate(timeout=120) for replica in replicas]
    assert [r.returncode for r in replicas] == [0] * 6, [err for _, err in outputs]
    printed = [out for out, _ in outputs if "qbk_" in out]
    assert len(printed) == 1, printed
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM api_keys")).scalar_one() == 1


def test_twenty_concurrent_imports_of_one_new_document_on_two_instances_answer_201(app, database_url):
    """Issue 12, point 2, as it was found: 20 × the same new document over HTTP, two instances of two
    workers each; the writers that lose the race for the new rows retry and find them."""
    import urllib.request

    token = make_key(app, "author")
    document = SEED.read_bytes()

    def post(base: str) -> int:
        request = urllib.request.Request(f"{base}{API}/imports?name=seed.txt", data=document, method="POST",
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback only)
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    with contextlib.ExitStack() as stack:
        bases = [stack.enter_context(running_server(database_url, workers=2,
                                                    extra_env={"QBANK_RATE_LIMITS": "0"})) for _ in range(2)]
        with ThreadPoolExecutor(max_workers=20) as pool:
            statuses = Counter(pool.map(post, [bases[i % 2] for i in range(20)]))
        assert statuses == Counter({201: 20}), statuses
        assert _call(f"{bases[0]}{API}/assertions", token)[1]["total"] == 80
