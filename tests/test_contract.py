"""The behaviour and the OpenAPI document agree on bodies, media types, If-Match and JSON types
(issue 12, point 8)."""

from __future__ import annotations

import json

import pytest

from tests.test_bank_api import assert_problem, make_assertion, make_subtopic, make_topic

API = "/api/v1"


def _operations(client):
    """(method, path template, operation) of every API operation in the served document."""
    for path, item in client.get("/openapi.json").json["paths"].items():
        if path.startswith("/api/"):
            for method, operation in item.items():
                if method != "parameters":
                    yield method.upper(), path, operation


@pytest.fixture
def ids(client):
    """One of each resource, for operations that need an existing one."""
    topic = make_topic(client)
    sub = make_subtopic(client, topic["id"])
    item = make_assertion(client, sub["id"], "A lei não retroagirá, salvo para beneficiar o réu.")
    return {"topic_id": topic["id"], "subtopic_id": sub["id"], "assertion_id": item["id"], "variant_id": 1,
            "exam_id": 1, "key_id": 1, "attempt_id": 1, "sheet_id": 1, "token": "a" * 43}


def test_every_required_body_is_required_and_every_optional_one_optional(client, ids):
    """No body, no Content-Type: 422 body_required exactly where the document says required: true."""
    checked = 0
    for method, path, operation in _operations(client):
        body = operation.get("requestBody")
        if body is None:
            continue
        response = client.open(API + path.removeprefix(API).format(**ids), method=method)
        if body.get("required"):
            problem = assert_problem(response, 422)
            assert problem["code"] == "body_required", (method, path, problem)
        else:
            assert response.status_code != 422 or response.json.get("code") != "body_required", (method, path)
        checked += 1
    assert checked >= 12


def test_patch_without_a_body_is_refused_not_a_silent_200(client, ids):
    for path in (f"/topics/{ids['topic_id']}", f"/subtopics/{ids['subtopic_id']}",
                 f"/assertions/{ids['assertion_id']}"):
        body = assert_problem(client.patch(API + path), 422)
        assert body["code"] == "body_required" and "application/json" in body["detail"]
        empty = assert_problem(client.patch(API + path, data=b"", content_type="application/json"), 422)
        assert empty["code"] == "body_required"  # zero bytes are no JSON document
    # An empty JSON object is a body: a PATCH that changes nothing.
    assert client.patch(f"{API}/topics/{ids['topic_id']}", json={}).status_code == 200


def test_generation_takes_an_optional_body_as_the_document_says(client, seeded):
    paths = client.get("/openapi.json").json["paths"]
    for path in ("/api/v1/topics/{topic_id}/variants", "/api/v1/assertions/{assertion_id}/variants"):
        assert paths[path]["post"]["requestBody"]["required"] is False
    topic = seeded.get(f"{API}/topics").json["items"][0]
    generated = seeded.post(f"{API}/topics/{topic['id']}/variants")
    assert generated.status_code == 201 and generated.json["seed"] == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml",
                                          "multipart/form-data; boundary=x", None])
def test_a_body_of_another_media_type_is_415(client, ids, content_type):
    data = json.dumps({"code": "1", "title": "Direito"})
    kwargs = {"content_type": content_type} if content_type else {}
    for method, path in (("POST", "/topics"), ("PATCH", f"/topics/{ids['topic_id']}"), ("POST", "/exams"),
                         ("POST", "/keys")):
        environ = {} if content_type else {"CONTENT_TYPE": ""}
        response = client.open(API + path, method=method, data=data, environ_overrides=environ, **kwargs)
        problem = assert_problem(response, 415)
        assert problem["code"] == "unsupported_media_type" and "application/json" in problem["detail"]


def test_imports_take_their_three_media_types_and_refuse_others(client):
    assert assert_problem(client.post(f"{API}/imports", data="x", content_type="text/csv"), 415)["detail"] \
        == "body: envie o corpo como application/json, application/octet-stream ou text/plain, não text/csv"
    assert assert_problem(client.post(f"{API}/imports"), 422)["code"] == "body_required"


@pytest.mark.parametrize("header", ["", " ", ",", " , ,"])
def test_an_if_match_naming_no_etag_is_400_not_412(client, ids, header):
    url = f"{API}/assertions/{ids['assertion_id']}"
    for response in (client.patch(url, json={"status": "published"}, headers={"If-Match": header}),
                     client.delete(url, headers={"If-Match": header})):
        problem = assert_problem(response, 400, field="If-Match")
        assert "If-Match" in problem["detail"]
    assert client.get(url).json["version"] == 1  # nothing was changed, nothing deleted


@pytest.mark.parametrize(("field", "value"), [
    ("items", 1.5), ("items", "5"), ("items", True), ("items", 1e400), ("items", [5]), ("items", None),
    ("seed", 2.5), ("versions", "2"), ("false_ratio", "0.5"), ("false_ratio", True), ("use_unreviewed", 1),
    ("use_unreviewed", "yes"), ("cue_balance", "false"), ("topic_ids", [1.5]), ("topic_ids", ["1"]),
    ("weights", {"right": "1"}),
])
def test_json_values_of_another_type_are_422_not_coerced(client, field, value):
    body = {"items": 2, field: value}
    problem = assert_problem(client.post(f"{API}/exams", json=body), 422)
    assert problem["errors"][0]["field"].split(".")[0] == field, problem


def test_whole_numbers_written_with_a_fraction_are_still_whole_numbers(client, ids):
    created = client.post(f"{API}/subtopics/{ids['subtopic_id']}/assertions",
                          data='{"text": "Um item.", "number": 7.0}', content_type="application/json")
    assert created.status_code == 201 and created.json["number"] == 7


def test_query_strings_still_take_numbers_and_booleans_as_text(client, ids):
    assert client.get(f"{API}/assertions?topic_id={ids['topic_id']}&page=1&page_size=5").status_code == 200
    assert client.post(f"{API}/imports?dry_run=true", data=b"x", content_type="text/plain").status_code == 422
    assert client.delete(f"{API}/topics/{ids['topic_id']}?cascade=true").status_code == 204


def test_a_body_sent_to_an_operation_that_takes_none_is_refused_not_ignored(client):
    problem = assert_problem(client.post(f"{API}/sessions", json={"topic_ids": [1]}), 422)
    assert problem["code"] == "body_not_accepted"
    assert client.post(f"{API}/sessions").status_code == 201  # without a body, as documented
    assert client.post(f"{API}/sessions", json={}).status_code == 201  # "{}" says nothing: taken as none
