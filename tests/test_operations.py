"""Health probes, API documentation, migrations, and the qbank CLI (fake, openapi, serve)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

from tests.conftest import ROOT, SEED, client_for, make_key


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["status"] == "ok" and ready.json["revision"] == ready.json["head"]


def test_migrations_go_down_and_up_and_match_the_models(runner, client, app):
    """upgrade head -> downgrade base -> upgrade head on this backend, then `alembic check`."""
    assert runner.invoke("db", "upgrade").exit_code == 0
    down = runner.invoke("db", "downgrade", "base")
    assert down.exit_code == 0, down.output
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503 and "qbank db upgrade" in not_ready.json["database"]
    up = runner.invoke("db", "upgrade")
    assert up.exit_code == 0, up.output
    assert client.get("/readyz").status_code == 200
    check = runner.invoke("db", "check")
    assert check.exit_code == 0 and "agree" in check.output
    # The schema works after the round trip (the keys went with it: a new one is needed).
    fresh = client_for(app, make_key(app, "author"))
    assert fresh.post("/api/v1/topics", json={"code": "7", "title": "Depois"}).status_code == 201


def test_the_key_permission_migration_goes_down_and_up_keeping_what_keys_own(runner, seeded, app):
    """0010 (api_keys.allow_unreviewed) down to 0009 and up again: keys and the exams they own stay
    (on SQLite a rebuilt api_keys table would have set every owner to NULL); the permission is gone."""
    made = seeded.post("/api/v1/keys", json={"role": "consumer", "name": "site", "allow_unreviewed": True}).json
    site = client_for(app, made["key"])
    exam = site.post("/api/v1/exams", json={"items": 4, "false_ratio": 0, "seed": 1})
    assert exam.status_code == 201
    down = runner.invoke("db", "downgrade", "0009")
    assert down.exit_code == 0, down.output
    up = runner.invoke("db", "upgrade")
    assert up.exit_code == 0, up.output
    assert site.get(f"/api/v1/exams/{exam.json['id']}").status_code == 200  # still this key's own exam
    assert seeded.get(f"/api/v1/keys/{made['id']}").json["allow_unreviewed"] is False


def test_committed_openapi_yaml_matches_the_code(client):
    committed = (ROOT / "openapi.yaml").read_text(encoding="utf-8")
    served = client.get("/openapi.yaml")
    assert served.status_code == 200
    assert served.get_data(as_text=True) == committed, "openapi.yaml is stale: run `make openapi`"
    spec = yaml.safe_load(committed)
    paths = spec["paths"]
    for path in ("/api/v1/topics", "/api/v1/topics/{topic_id}", "/api/v1/topics/{topic_id}/subtopics",
                 "/api/v1/subtopics/{subtopic_id}", "/api/v1/subtopics/{subtopic_id}/assertions",
                 "/api/v1/assertions", "/api/v1/assertions/{assertion_id}", "/api/v1/imports"):
        assert path in paths, path
    assert "text/plain" in paths["/api/v1/imports"]["post"]["requestBody"]["content"]
    assert client.get("/openapi.json").json == spec


def test_docs_page_uses_only_local_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    init = client.get("/docs/init.js").get_data(as_text=True)
    assert "/docs/assets/swagger-ui-bundle.js" in html and "/docs/init.js" in html and "/openapi.json" in init
    assert not [text for text in (html, init) if "https://" in text or "http://" in text]
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"):
        response = client.get(f"/docs/assets/{asset}")
        assert response.status_code == 200 and len(response.data) > 1000, asset


def test_openapi_command_writes_the_same_document(runner, tmp_path):
    out = tmp_path / "spec.yaml"
    result = runner.invoke("openapi", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (ROOT / "openapi.yaml").read_text(encoding="utf-8")


def test_fake_fills_the_database_reproducibly(runner, client):
    result = runner.invoke("fake", "--topics", "2", "--subtopics", "3", "--assertions", "4", "--seed", "5")
    assert result.exit_code == 0, result.output
    assert "added 2 topics, 6 subtopics, 24 assertions" in result.output
    items = client.get("/api/v1/assertions?page_size=200").json
    assert items["total"] == 24
    assert all(a["status"] == "published" and a["label"] == "C" for a in items["items"])
    texts = [a["text"] for a in items["items"]]
    # Portuguese sentences, not lorem ipsum.
    assert any(" de " in t or " da " in t or " do " in t for t in texts)
    again = runner.invoke("fake", "--topics", "2", "--subtopics", "3", "--assertions", "4", "--seed", "5")
    assert again.exit_code == 0
    all_items = client.get("/api/v1/assertions?page_size=200").json["items"]
    assert [a["text"] for a in all_items[24:]] == texts
    assert client.get("/api/v1/topics").json["total"] == 4


def test_fake_document_is_a_valid_seed(runner, client, tmp_path):
    doc = tmp_path / "fake.txt"
    result = runner.invoke("fake", "--topics", "2", "--subtopics", "2", "--assertions", "3", "-o", str(doc))
    assert result.exit_code == 0 and "wrote 12 assertions" in result.output
    imported = runner.invoke("import", str(doc))
    assert imported.exit_code == 0, imported.output
    assert client.get("/api/v1/assertions").json["total"] == 12


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(url: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict, dict]:
    """(status, JSON body, headers) of a loopback HTTP call; error statuses included."""
    import json

    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
            return response.status, json.loads(response.read() or b"null"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null"), dict(exc.headers)


@contextlib.contextmanager
def running_server(database_url: str, *, workers: int = 2, extra_env: dict | None = None):
    """`qbank serve` (gunicorn) on a free loopback port; yields its base URL, stops it after."""
    port = _free_port()
    qbank = Path(sys.executable).with_name("qbank")
    env = {**os.environ, "DATABASE_URL": database_url, **(extra_env or {})}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    # A file, not a pipe: a pipe nobody reads fills up and blocks the workers' log writes.
    log = tempfile.TemporaryFile(mode="w+")
    server = subprocess.Popen(
        [str(qbank), "serve", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _call(f"{base}/readyz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn did not start in 30 s"
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.seek(0)
        running_server.output = log.read()
        log.close()


def test_serve_runs_gunicorn_on_the_migrated_seeded_database(runner, database_url):
    """What `make run` does: migrate, import seeds/, serve with gunicorn; then call it over HTTP."""
    assert runner.invoke("import", str(SEED)).exit_code == 0
    token = runner.invoke("keys", "create", "--role", "consumer", "--name", "site").stdout.strip().splitlines()[0]
    with running_server(database_url) as base:
        status, body, headers = _call(f"{base}/api/v1/exams", body={"items": 5, "false_ratio": 0})
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        status, body, headers = _call(f"{base}/api/v1/exams", token, {"items": 5, "false_ratio": 0, "seed": 3})
        assert status == 201 and len(body["items"]) == 5 and headers["X-Request-ID"]
        with urllib.request.urlopen(f"{base}/metrics", timeout=10) as response:  # noqa: S310
            text = response.read().decode()
        assert "qbank_exams_generated_total" in text and 'route="/api/v1/exams"' in text
    output = running_server.output
    assert f"{base}/docs" in output
    assert token not in output  # keys never reach the logs


def test_the_probes_and_metrics_are_in_the_document(client):
    """/healthz, /readyz and /metrics live outside /api/v1 and need no key; the document lists them."""
    paths = client.get("/openapi.json").json["paths"]
    for path in ("/healthz", "/readyz", "/metrics"):
        assert paths[path]["get"]["security"] == [], path
    assert "503" in paths["/readyz"]["get"]["responses"]
    assert "text/plain" in paths["/metrics"]["get"]["responses"]["200"]["content"]


def test_the_served_document_is_valid_openapi(client):
    """What client generators read must be a valid OpenAPI document (openapi-spec-validator)."""
    from openapi_spec_validator import validate

    document = client.get("/openapi.json").json
    validate(document)
    assert document["openapi"].startswith("3.")


def test_exports_declare_their_media_types(client):
    """Generated clients parse what the document declares: every export format's media type."""
    paths = client.get("/openapi.json").json["paths"]
    exam = paths["/api/v1/exams/{exam_id}/export"]["get"]["responses"]["200"]["content"]
    assert {"application/pdf", "text/html", "application/xml", "text/plain", "application/zip", "text/csv",
            "application/json"} <= set(exam)
    topic = paths["/api/v1/topics/{topic_id}/export"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/plain"} <= set(topic)
