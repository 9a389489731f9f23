"""Security headers (issue 12, point 7): nosniff everywhere, no framing, a Content-Security-Policy on
the HTML pages narrow enough to run nothing they do not need, no-store on answers, no Server brand."""

from __future__ import annotations

import shutil
import subprocess
import urllib.request

import pytest

from app.api.headers import API_CSP, DOCS_CSP, EXPORT_CSP
from tests.conftest import SEED, require
from tests.test_operations import running_server

API = "/api/v1"


def _frame_protected(response) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/openapi.json", "/openapi.yaml",
                                  "/docs/assets/swagger-ui-bundle.js", "/api/v1/topics", "/api/v1/nothing"])
def test_every_response_is_nosniff_and_unframeable(client, path):
    response = client.get(path)
    _frame_protected(response)
    if response.mimetype != "text/html":
        assert response.headers["Content-Security-Policy"] == API_CSP


def test_errors_carry_the_headers_too(app):
    unauthenticated = app.test_client().get(f"{API}/topics")
    assert unauthenticated.status_code == 401
    _frame_protected(unauthenticated)


def test_the_docs_page_has_a_policy_and_no_inline_script(client):
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    _frame_protected(page)
    assert page.headers["Content-Security-Policy"] == DOCS_CSP and "script-src 'self';" in DOCS_CSP
    html = page.get_data(as_text=True)
    assert "<script>" not in html and '<script src="/docs/init.js">' in html
    init = client.get("/docs/init.js")
    assert init.status_code == 200 and init.mimetype == "text/javascript"
    assert '"/openapi.json"' in init.get_data(as_text=True) and "validatorUrl: null" in init.get_data(as_text=True)


@pytest.fixture
def exam(bank):
    response = bank.post(f"{API}/exams", json={"items": 6, "seed": 3, "use_unreviewed": True})
    assert response.status_code == 201, response.json
    return response.json


def test_the_html_export_has_a_policy_that_allows_its_style_sheet_only(bank, exam):
    html = bank.get(f"{API}/exams/{exam['id']}/export?format=html")
    assert html.status_code == 200 and html.mimetype == "text/html"
    _frame_protected(html)
    assert html.headers["Content-Security-Policy"] == EXPORT_CSP
    assert "script-src" not in EXPORT_CSP and "default-src 'none'" in EXPORT_CSP
    assert "<script" not in html.get_data(as_text=True)
    assert "no-store" not in html.headers.get("Cache-Control", "")  # no key in it: caching it reveals nothing


def test_answers_are_never_stored_by_caches(bank, exam):
    exam_id = exam["id"]
    answer_bearing = [
        bank.get(f"{API}/exams/{exam_id}/key"),
        bank.get(f"{API}/exams/{exam_id}/export?format=html&key=true"),
        bank.get(f"{API}/exams/{exam_id}/export?format=pdf&key=commented"),
        bank.get(f"{API}/exams/{exam_id}/export?format=moodle"),
        bank.get(f"{API}/exams/{exam_id}/export?format=csv"),
        bank.post(f"{API}/exams/{exam_id}/attempts", json={"answers": {"1": "C"}}),
        bank.get(f"{API}/topics/{bank.get(f'{API}/topics').json['items'][0]['id']}/export?format=json"),
    ]
    attempt = answer_bearing[5].json
    answer_bearing.append(bank.get(f"{API}/exams/{exam_id}/attempts/{attempt['id']}"))
    for response in answer_bearing:
        assert response.status_code in (200, 201), response.get_data(as_text=True)[:200]
        assert response.headers["Cache-Control"] == "no-store", response.request.url
    # The exam as candidates see it: only the key that made it reads it, so only private caches keep it.
    assert bank.get(f"{API}/exams/{exam_id}").headers["Cache-Control"] == "private"


def test_a_served_instance_does_not_name_its_server_and_its_docs_render_under_the_policy(runner, database_url,
                                                                                           tmp_path):
    """Over HTTP, through gunicorn: no `Server: gunicorn`; Swagger UI renders the operations with the
    policy /docs is served with (scripts of this origin only), in a real browser when there is one."""
    assert runner.invoke("import", str(SEED)).exit_code == 0
    with running_server(database_url, workers=1) as base:
        with urllib.request.urlopen(f"{base}/docs", timeout=10) as response:  # noqa: S310 (loopback only)
            assert "gunicorn" not in response.headers.get("Server", "").lower()
            assert response.headers["Content-Security-Policy"] == DOCS_CSP
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium is None:
            require("Chromium", "no chromium on PATH (Debian package `chromium`)")
        done = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--no-first-run", "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path}",
             "--virtual-time-budget=10000", "--dump-dom", f"{base}/docs"],
            capture_output=True, text=True, timeout=120)
    dom = done.stdout
    assert 'id="operations-tag-topics"' in dom, dom[-2000:]
    assert 'id="operations-imports-post_api_v1_imports"' in dom
