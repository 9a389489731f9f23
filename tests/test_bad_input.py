"""Hand-made bad input across the API (issue 12): every case gets a 4xx problem-details answer and
none a 500, on SQLite and PostgreSQL alike.

Bad JSON, wrong types, huge and negative numbers, control characters, lone surrogates, deep nesting,
wrong media types, bad query parameters and path values. Each case names the status it must get:
the suite pins the contract, not only the absence of crashes."""

from __future__ import annotations

import json

import pytest

API = "/api/v1"
TOKEN = "a" * 43
DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def raw(text: str | bytes, content_type: str | None = "application/json") -> dict:
    """A body sent byte for byte (json.dumps escapes lone surrogates, which the test client's json= cannot send)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    kwargs: dict = {"data": data}
    if content_type is None:
        kwargs["environ_overrides"] = {"CONTENT_TYPE": ""}
    else:
        kwargs["content_type"] = content_type
    return kwargs


def body(document) -> dict:  # noqa: ANN001
    return raw(json.dumps(document))


def bank_document(**assertion) -> dict:
    """A qbank-bank import document of one item, with `assertion`'s fields over the valid ones."""
    item = {"number": 1, "text": "Uma assertiva.", **assertion}
    return body({"format": "qbank-bank", "version": 1, "topics": [
        {"code": "8.1", "title": "Tópico", "subtopics": [{"number": 1, "title": "Bloco", "assertions": [item]}]}]})


def case(status: int, method: str, path: str, case_id: str, **kwargs):  # noqa: ANN003
    return pytest.param(status, method, path, kwargs, id=case_id)


CASES = [
    # --- malformed JSON ------------------------------------------------------------------------
    case(400, "POST", "/topics", "json-unclosed-object", **raw("{")),
    case(400, "POST", "/topics", "json-missing-value", **raw('{"code":}')),
    case(400, "POST", "/topics", "json-trailing-comma", **raw('{"code": "1", "title": "x",}')),
    case(400, "POST", "/topics", "json-missing-comma", **raw('{"code": "1" "title": "x"}')),
    case(400, "POST", "/topics", "json-trailing-garbage", **raw('{"code": "1", "title": "x"} x')),
    case(400, "POST", "/exams", "json-invalid-utf8", **raw(b'{"items": "\xff\xfe"}')),
    case(400, "POST", "/exams", "json-single-quotes", **raw("{'items': 1}")),
    case(422, "PATCH", "/topics/{topic}", "json-empty-with-type", **raw("")),
    case(400, "PATCH", "/topics/{topic}", "json-whitespace-only", **raw("   \n")),
    case(400, "POST", "/keys", "json-bare-word", **raw("admin")),
    case(422, "POST", "/imports", "import-json-malformed", **raw('{"format": ')),
    case(422, "POST", "/exams", "json-nan", **raw('{"items": NaN}')),
    case(422, "POST", "/exams", "json-infinity-ratio", **raw('{"items": 2, "false_ratio": Infinity}')),
    # --- JSON of the wrong shape ---------------------------------------------------------------
    case(422, "POST", "/topics", "top-level-array", **body([])),
    case(422, "POST", "/topics", "top-level-string", **body("topic")),
    case(422, "POST", "/topics", "top-level-number", **body(1)),
    case(422, "POST", "/topics", "top-level-null", **body(None)),
    case(422, "POST", "/exams", "top-level-true", **body(True)),
    case(422, "POST", "/imports", "import-json-array", **body([1, 2])),
    # --- wrong types ---------------------------------------------------------------------------
    case(422, "POST", "/topics", "topic-code-number", **body({"code": 1, "title": "x"})),
    case(422, "POST", "/topics", "topic-title-list", **body({"code": "1", "title": ["x"]})),
    case(422, "POST", "/topics/{topic}/subtopics", "subtopic-number-string", **body({"title": "x", "number": "2"})),
    case(422, "POST", "/subtopics/{sub}/assertions", "assertion-text-object", **body({"text": {"a": 1}})),
    case(422, "POST", "/subtopics/{sub}/assertions", "assertion-number-fraction", **body({"text": "x", "number": 2.5})),
    case(422, "PATCH", "/assertions/{item}", "assertion-label-bool", **body({"label": True})),
    case(422, "PATCH", "/variants/{variant}", "variant-status-number", **body({"status": 7})),
    case(422, "POST", "/exams", "exam-items-fraction", **body({"items": 1.5})),
    case(422, "POST", "/exams", "exam-items-string", **body({"items": "3"})),
    case(422, "POST", "/exams", "exam-items-bool", **body({"items": True})),
    case(422, "POST", "/exams", "exam-operators-string", **body({"items": 2, "operators": "negation"})),
    case(422, "POST", "/exams", "exam-operators-numbers", **body({"items": 2, "operators": [1]})),
    case(422, "POST", "/exams", "exam-weights-string", **body({"items": 2, "weights": "heavy"})),
    case(422, "POST", "/exams", "exam-unreviewed-string", **body({"items": 2, "use_unreviewed": "yes"})),
    case(422, "POST", "/exams", "exam-session-number", **body({"items": 2, "session": 12345678901})),
    case(422, "POST", "/exams/{exam}/attempts", "attempt-answers-list", **body({"answers": ["C"]})),
    case(422, "POST", "/exams/{exam}/attempts", "attempt-answer-number", **body({"answers": {"1": 5}})),
    case(422, "POST", "/exams/{exam}/attempts", "attempt-answer-unknown-item", **body({"answers": {"x": "C"}})),
    case(422, "POST", "/exams/{exam}/attempts", "attempt-version-string", **body({"answers": {}, "version": "1"})),
    case(422, "POST", "/keys", "key-role-number", **body({"role": 5, "name": "x"})),
    case(422, "POST", "/keys", "key-name-null", **body({"role": "consumer", "name": None})),
    case(422, "POST", "/assertions/{item}/variants", "variant-seed-string", **body({"seed": "1"})),
    case(422, "POST", "/topics/{topic}/variants", "bulk-top-list", **body({"top": [3]})),
    case(422, "POST", "/imports", "import-bank-risk-string", **bank_document(variants=[
        {"text": "Outra.", "explanation": "Porque.", "risk": "x"}])),
    case(422, "POST", "/imports", "import-bank-number-fraction", **bank_document(number=1.5)),
    # --- huge numbers --------------------------------------------------------------------------
    case(422, "POST", "/exams", "exam-items-huge", **body({"items": 10**30})),
    case(422, "POST", "/exams", "exam-items-overflowing-float", **raw('{"items": 1e400}')),
    case(422, "POST", "/exams", "exam-seed-beyond-2-53", **body({"items": 2, "seed": 2**64})),
    case(422, "POST", "/exams", "exam-integer-of-5000-digits", **raw('{"items": ' + "7" * 5000 + "}")),
    case(422, "POST", "/exams", "exam-ratio-huge", **body({"items": 2, "false_ratio": 1e308})),
    case(422, "POST", "/subtopics/{sub}/assertions", "assertion-number-huge", **body({"text": "x", "number": 10**12})),
    case(422, "POST", "/subtopics/{sub}/assertions", "depends-on-huge", **body({"text": "x", "depends_on_id": 2**63})),
    case(422, "POST", "/assertions/{item}/variants", "variant-seed-2-64", **body({"seed": 2**64})),
    case(422, "POST", "/imports", "import-bank-line-huge", **bank_document(provenance={"file": "a", "line": 10**12})),
    case(422, "POST", "/imports", "import-bank-rank-huge", **bank_document(variants=[
        {"text": "Outra.", "explanation": "Porque.", "rank": 2**40}])),
    case(422, "GET", "/topics?page=1000000000000000000000000000000", "query-page-huge"),
    case(422, "GET", "/assertions?topic_id=99999999999999999999", "query-id-huge"),
    case(422, "GET", "/exams/{exam}?version=100000000000000000000", "query-version-huge"),
    case(404, "GET", "/topics/2147483648", "path-id-beyond-int32"),
    case(404, "GET", "/assertions/99999999999999999999999", "path-id-huge"),
    # --- negative and zero ids -----------------------------------------------------------------
    case(404, "GET", "/topics/-1", "path-topic-negative"),
    case(404, "GET", "/assertions/0", "path-assertion-zero"),
    case(404, "GET", "/exams/-5/key", "path-exam-negative"),
    case(404, "DELETE", "/keys/-1", "path-key-negative"),
    case(404, "GET", "/exams/{exam}/attempts/-1", "path-attempt-negative"),
    case(422, "GET", "/assertions?topic_id=-1", "query-id-negative"),
    case(422, "POST", "/subtopics/{sub}/assertions", "depends-on-negative", **body({"text": "x", "depends_on_id": -1})),
    case(422, "POST", "/exams", "exam-topic-ids-negative", **body({"items": 2, "topic_ids": [-1]})),
    case(422, "POST", "/exams", "exam-items-negative", **body({"items": -3})),
    case(422, "POST", "/exams", "exam-seed-negative", **body({"items": 2, "seed": -1})),
    # --- control characters --------------------------------------------------------------------
    case(422, "POST", "/topics", "json-nul-in-title", **body({"code": "1", "title": "a\u0000b"})),
    case(422, "POST", "/topics", "json-bell-in-key", **body({"code": "1", "title": "x", "a\u0007": 1})),
    case(422, "POST", "/exams", "json-nul-in-session", **body({"items": 2, "session": "abcdefghij\u0000"})),
    case(422, "POST", "/exams", "json-nul-in-operators", **body({"items": 2, "operators": ["\u0000"]})),
    case(422, "POST", "/assertions/{item}/variants", "json-escape-in-explanation",
         **body({"text": "Outra assertiva.", "explanation": "\u001b[31m"})),
    case(422, "POST", "/exams/{exam}/attempts", "json-nul-in-answer-key", **body({"answers": {"1\u0000": "C"}})),
    case(422, "GET", "/assertions?q=a%00b", "query-nul-in-q"),
    case(422, "GET", "/variants?operator=neg%00", "query-nul-in-operator"),
    case(422, "GET", "/topics?page%00=1", "query-nul-in-name"),
    case(422, "POST", "/imports?name=a%1Bb.txt", "query-escape-in-name", data=b"x", content_type="text/plain"),
    case(422, "GET", "/sessions/" + TOKEN[:-1] + "%00", "path-nul-in-token"),
    case(422, "POST", "/exams/{exam}/attempts", "header-nul-in-idempotency-key",
         json={"answers": {}}, headers={"Idempotency-Key": "k\x00"}),
    case(422, "POST", "/imports", "seed-document-with-nul", data=b"Pergunta Original: 1 T\n\x00\n",
         content_type="text/plain"),
    case(422, "POST", "/imports", "import-bank-nul-in-text", **bank_document(text="a\u0000b")),
    # --- lone surrogates -----------------------------------------------------------------------
    case(422, "POST", "/topics", "surrogate-in-title", **body({"code": "1", "title": "\ud800"})),
    case(422, "POST", "/topics", "surrogate-in-key", **body({"code": "1", "title": "x", "\udc00": 1})),
    case(422, "POST", "/exams", "surrogate-in-operators", **body({"items": 2, "operators": ["\ud83d"]})),
    case(422, "POST", "/exams/{exam}/attempts", "surrogate-as-answer", **body({"answers": {"1": "\udfff"}})),
    case(422, "POST", "/keys", "surrogate-in-key-name", **body({"role": "consumer", "name": "site\ud800"})),
    case(422, "POST", "/assertions/{item}/variants", "surrogate-in-variant",
         **body({"text": "\ud800 falsa", "explanation": "x"})),
    case(422, "POST", "/imports", "import-bank-surrogate", **bank_document(text="\ud800")),
    # --- deep nesting --------------------------------------------------------------------------
    case(422, "POST", "/topics", "deep-array-topics", **raw(DEEP_ARRAY)),
    case(422, "POST", "/exams", "deep-object-exams", **raw(DEEP_OBJECT)),
    case(422, "POST", "/imports", "deep-array-import", **raw("[" * 5000 + "]" * 5000)),
    case(422, "POST", "/exams/{exam}/attempts", "deep-inside-answers",
         **raw('{"answers": {"1": ' + DEEP_ARRAY + "}}")),
    case(422, "PATCH", "/variants/{variant}", "deep-33-levels", **raw("[" * 33 + "]" * 33)),
    case(422, "POST", "/keys", "deep-unclosed", **raw("[" * 2000)),
    # --- media types ---------------------------------------------------------------------------
    case(415, "POST", "/topics", "text-plain-on-json", data='{"code": "1", "title": "x"}', content_type="text/plain"),
    case(415, "POST", "/exams", "xml-on-json", data="<items>1</items>", content_type="application/xml"),
    case(415, "POST", "/keys", "form-on-json", data="role=admin&name=x",
         content_type="application/x-www-form-urlencoded"),
    case(415, "POST", "/exams/{exam}/attempts", "multipart-on-json", data=b"--x--",
         content_type="multipart/form-data; boundary=x"),
    case(415, "PATCH", "/topics/{topic}", "no-content-type-with-body", **raw('{"title": "x"}', content_type=None)),
    case(415, "POST", "/topics", "html-on-json", data="<p>x</p>", content_type="text/html"),
    case(415, "POST", "/imports", "csv-on-import", data="a,b", content_type="text/csv"),
    case(415, "POST", "/imports", "unknown-charset-on-import", data=b"x", content_type="text/plain; charset=klingon"),
    case(422, "POST", "/imports", "seed-text-sent-as-json", **raw("Pergunta Original: 1 T")),
    # --- missing bodies and headers ------------------------------------------------------------
    case(422, "PATCH", "/topics/{topic}", "patch-without-body"),
    case(422, "PATCH", "/assertions/{item}", "patch-assertion-without-body"),
    case(422, "POST", "/exams", "exam-without-body"),
    case(422, "POST", "/keys", "key-without-body"),
    case(400, "PATCH", "/assertions/{item}", "if-match-empty", json={"status": "published"}, headers={"If-Match": ""}),
    case(400, "DELETE", "/variants/{variant}", "if-match-commas", headers={"If-Match": " , "}),
    case(412, "PATCH", "/assertions/{item}", "if-match-stale", json={}, headers={"If-Match": '"no"'}),
    case(422, "POST", "/exams/{exam}/attempts", "idempotency-key-too-long",
         json={"answers": {}}, headers={"Idempotency-Key": "k" * 201}),
    # --- bad query parameters ------------------------------------------------------------------
    case(422, "GET", "/topics?foo=1", "query-unknown-parameter"),
    case(422, "GET", "/topics?page=abc", "query-page-text"),
    case(422, "GET", "/topics?page_size=0", "query-page-size-zero"),
    case(422, "GET", "/topics?page_size=1000", "query-page-size-too-big"),
    case(422, "GET", "/topics?page=1.5", "query-page-fraction"),
    case(422, "GET", "/assertions?label=X", "query-label-unknown"),
    case(422, "GET", "/assertions?status=bogus", "query-status-unknown"),
    case(422, "GET", "/assertions?q=" + "a" * 201, "query-q-too-long"),
    case(422, "GET", "/assertions?q=", "query-q-empty"),
    case(422, "GET", "/variants?kind=bogus", "query-kind-unknown"),
    case(422, "GET", "/variants?operator=" + "x" * 41, "query-operator-too-long"),
    case(422, "DELETE", "/topics/{topic}?cascade=maybe", "query-cascade-not-boolean"),
    case(422, "POST", "/imports?dry_run=perhaps", "query-dry-run-not-boolean", data=b"x", content_type="text/plain"),
    case(422, "GET", "/exams/{exam}/export?format=docx", "query-format-unknown"),
    case(422, "GET", "/exams/{exam}/export?format=pdf&key=maybe", "query-key-unknown"),
    case(422, "GET", "/exams/{exam}/export", "query-format-missing"),
    case(422, "GET", "/exams/{exam}/key?version=0", "query-version-zero"),
    case(422, "GET", "/exams/{exam}/key?version=3", "query-version-beyond-exam"),
    case(422, "GET", "/exams/{exam}/audit?learned=2", "query-learned-not-boolean"),
    case(422, "GET", "/topics/{topic}/export?format=xml", "query-bank-format-unknown"),
    # --- bad paths and methods -----------------------------------------------------------------
    case(404, "GET", "/sessions/short", "path-token-too-short"),
    case(404, "GET", "/topics/abc", "path-id-text"),
    case(404, "GET", "/exams/{exam}/attempts/1.5", "path-id-fraction"),
    case(404, "GET", "/nowhere", "path-unknown"),
    case(405, "PUT", "/topics/{topic}", "method-not-allowed"),
    case(405, "DELETE", "/exams", "method-not-allowed-on-collection"),
    case(413, "POST", "/imports", "body-too-large", data=b"x" * (4 * 1024 * 1024 + 1), content_type="text/plain"),
]


@pytest.fixture
def world(client):
    """One of everything, for the cases to aim at: ids by placeholder name."""
    topic = client.post(f"{API}/topics", json={"code": "5.1", "title": "Direito administrativo"}).json
    sub = client.post(f"{API}/topics/{topic['id']}/subtopics", json={"title": "Atos"}).json
    item = client.post(f"{API}/subtopics/{sub['id']}/assertions",
                       json={"text": "O ato administrativo goza de presunção de legitimidade.",
                             "status": "published"}).json
    variant = client.post(f"{API}/assertions/{item['id']}/variants",
                          json={"text": "O ato administrativo não goza de presunção de legitimidade.",
                                "explanation": "Goza, sim."}).json["items"][0]
    exam = client.post(f"{API}/exams", json={"items": 1, "false_ratio": 0}).json
    assert "id" in exam, exam
    return {"topic": topic["id"], "sub": sub["id"], "item": item["id"], "variant": variant["id"], "exam": exam["id"]}


@pytest.mark.parametrize(("status", "method", "path", "kwargs"), CASES)
def test_bad_input_gets_its_4xx_as_problem_details(client, world, status, method, path, kwargs):
    response = client.open(API + path.format(**world), method=method, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.json
    assert problem["status"] == status and problem["type"] == "about:blank" and problem["title"]
    assert problem.get("detail"), problem


def test_there_are_at_least_a_hundred_cases():
    assert len(CASES) >= 100
    assert len({c.id for c in CASES}) == len(CASES)
