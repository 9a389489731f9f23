"""The OpenAPI document serves the people who generate clients from it: openapi-python-client
builds a client from the committed openapi.yaml, and that client, unchanged, drives one whole
workflow against a live server: import the seed, generate variants, issue an exam, submit an
attempt, export the exam."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import ROOT, SEED, make_key, require


@pytest.fixture(scope="module")
def qbank_client(tmp_path_factory):
    """The package openapi-python-client generates from openapi.yaml, imported."""
    executable = shutil.which("openapi-python-client") or str(Path(sys.executable).with_name("openapi-python-client"))
    if not Path(executable).exists():
        require("openapi-python-client", "the dev dependency openapi-python-client is not installed")
    out = tmp_path_factory.mktemp("generated")
    made = subprocess.run([executable, "generate", "--path", str(ROOT / "openapi.yaml"), "--meta", "none",
                           "--output-path", str(out / "qbank_client")], capture_output=True, text=True, timeout=300)
    # It warns that it cannot send text/plain; the seed goes as application/octet-stream instead.
    assert made.returncode == 0, made.stdout + made.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("qbank_client")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == "qbank_client" or m.startswith("qbank_client.")]:
            del sys.modules[name]


@pytest.fixture
def live_server(app):
    """The app served over HTTP on a free port, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_a_generated_client_drives_the_whole_workflow(qbank_client, live_server, app):
    from qbank_client import AuthenticatedClient
    from qbank_client.api.exams import (
        get_api_v1_exams_exam_id_export,
        post_api_v1_exams,
        post_api_v1_exams_exam_id_attempts,
    )
    from qbank_client.api.imports import post_api_v1_imports
    from qbank_client.api.topics import get_api_v1_topics
    from qbank_client.api.variants import post_api_v1_topics_topic_id_variants
    from qbank_client.models import (
        AttemptCreate,
        AttemptCreateAnswers,
        BulkVariantRequest,
        ExamCreate,
        GetApiV1ExamsExamIdExportFormat,
    )
    from qbank_client.types import File

    client = AuthenticatedClient(base_url=live_server, token=make_key(app, "admin", "generated client"))
    with client as http:
        imported = post_api_v1_imports.sync_detailed(
            client=http, body=File(payload=SEED.open("rb"), file_name=SEED.name), name="mlops.txt")
        assert imported.status_code == 201, imported.content
        assert imported.parsed.assertions.created == 80
        topics = get_api_v1_topics.sync(client=http)
        topic = topics.items[0]
        generated = post_api_v1_topics_topic_id_variants.sync_detailed(
            topic.id, client=http, body=BulkVariantRequest(seed=1, top=2))
        assert generated.status_code == 201, generated.content
        exam = post_api_v1_exams.sync(client=http, body=ExamCreate(items=20, seed=3, use_unreviewed=True))
        assert exam is not None and len(exam.items) == 20, exam
        answers = AttemptCreateAnswers.from_dict({str(item.number): "C" for item in exam.items})
        attempt = post_api_v1_exams_exam_id_attempts.sync_detailed(exam.id, client=http,
                                                                     body=AttemptCreate(answers=answers))
        assert attempt.status_code == 201, attempt.content
        assert attempt.parsed.right + attempt.parsed.wrong == 20
        # The JSON export: a generated client parses a 200 by its first declared media type (the
        # binary formats come through `content`, which this client parses as JSON).
        exported = get_api_v1_exams_exam_id_export.sync_detailed(exam.id, client=http,
                                                                 format_=GetApiV1ExamsExamIdExportFormat.JSON)
        assert exported.status_code == 200, exported.content
        exported_exam = exported.parsed.to_dict()
        assert exported_exam["exam_id"] == exam.id and sum(len(b["items"]) for b in exported_exam["blocks"]) == 20, \
            sorted(exported_exam)
