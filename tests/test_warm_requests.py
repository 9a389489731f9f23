"""The server's warm-up (app/warmup.py), in the master before the workers fork: the real bank's exam
pools read, and requests served on a throwaway bank of their own, with nothing of them left in the
real database, the metrics or the logs."""

from __future__ import annotations

import json
import re
import urllib.request

from tests.conftest import SEED
from tests.test_operations import _call, running_server

ROUNDS = 12  # warm_requests' default: an import, then an exam, its JSON and its key per round, then two reads


def _metrics(base: str) -> str:
    with urllib.request.urlopen(f"{base}/metrics", timeout=10) as response:  # noqa: S310 (loopback only)
        return response.read().decode()


def test_the_warm_up_answers_its_requests_and_leaves_nothing_behind(runner, database_url):
    assert runner.invoke("import", str(SEED)).exit_code == 0
    token = runner.invoke("keys", "create", "--role", "admin", "--name", "ops").stdout.strip().splitlines()[0]
    with running_server(database_url, extra_env={"QBANK_LOG_LEVEL": "INFO", "QBANK_LOG_FORMAT": "json"}) as base:
        metrics = _metrics(base)
        # None of the warm-up's requests or exams is counted.
        assert re.search(r"^qbank_exams_generated_total 0\.0$", metrics, re.MULTILINE), metrics
        assert 'route="/api/v1/exams"' not in metrics and 'route="/api/v1/imports"' not in metrics
        # The real bank holds only what was imported here: no warm-up topic, no warm-up key.
        status, topics, _ = _call(f"{base}/api/v1/topics", token)
        assert status == 200
        titles = [t["title"] for t in topics["items"]]
        assert titles and "Aquecimento" not in titles
        status, published, _ = _call(f"{base}/api/v1/assertions?status=published&page_size=1", token)
        assert status == 200 and published["total"] > 0
        status, keys, _ = _call(f"{base}/api/v1/keys", token)
        names = [k["name"] for k in keys["items"]]
        assert status == 200 and names == ["ops"]
        # What the workers serve afterwards is counted as before.
        status, exam, _ = _call(f"{base}/api/v1/exams", token, {"items": 5, "false_ratio": 0, "seed": 3})
        assert status == 201 and len(exam["items"]) == 5
        assert re.search(r"^qbank_exams_generated_total 1\.0$", _metrics(base), re.MULTILINE)
    lines = [json.loads(line) for line in running_server.output.splitlines() if line.startswith("{")]
    warmed = [line for line in lines if line.get("message", "").startswith("warmed up")]
    # Once, in the master (preloaded), and every request answered 2xx.
    assert len(warmed) == 1, warmed
    assert f", {3 + 3 * ROUNDS} requests " in warmed[0]["message"]
    # The master read the real bank's pools, every published assertion, before the workers forked.
    assert f"pools of {published['total']} assertions" in warmed[0]["message"]
    # Its requests were not logged: the only access lines are the ones this test made.
    routes = [line.get("route") for line in lines if line.get("message") == "request"]
    assert "/api/v1/imports" not in routes and routes.count("/api/v1/exams") == 1
