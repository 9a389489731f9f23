"""Input no database can store and JSON no parser should recurse into are refused up front, as 422s
naming the field, the same way on SQLite and PostgreSQL (issue 12, point 1)."""

from __future__ import annotations

import json

import pytest

from app.api.guard import MAX_JSON_DEPTH

API = "/api/v1"
SESSION_TOKEN = "a" * 43


def post_raw(client, url: str, text: str, method: str = "POST", **kwargs):
    """Send `text` as the JSON body byte for byte (the test client's json= cannot carry a lone surrogate)."""
    return client.open(url, method=method, data=text.encode("utf-8"), content_type="application/json", **kwargs)


def refused(response, status: int, *, code: str, location: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json
    assert body["status"] == status and body["code"] == code
    error = body["errors"][0]
    assert error["location"] == location and error.get("field") == field, body
    return body


JSON_OPERATIONS = [
    ("POST", "/topics"),
    ("PATCH", "/topics/1"),
    ("POST", "/topics/1/subtopics"),
    ("PATCH", "/subtopics/1"),
    ("POST", "/subtopics/1/assertions"),
    ("PATCH", "/assertions/1"),
    ("POST", "/assertions/1/variants"),
    ("PATCH", "/variants/1"),
    ("POST", "/topics/1/variants"),
    ("POST", "/imports"),
    ("POST", "/exams"),
    ("POST", "/exams/1/attempts"),
    ("POST", "/keys"),
]


@pytest.mark.parametrize(("method", "path"), JSON_OPERATIONS)
def test_json_nested_a_thousand_levels_is_refused_before_parsing(client, method, path):
    for deep in ("[" * 1000 + "]" * 1000, '{"a":' * 1000 + "1" + "}" * 1000):
        body = refused(post_raw(client, API + path, deep, method=method), 422, code="json_too_deep", location="body")
        assert str(MAX_JSON_DEPTH) in body["detail"]


def test_the_depth_limit_is_exact_and_brackets_inside_strings_do_not_count(client):
    def nested(depth: int) -> str:  # `depth` levels in all, the object holding "title" included
        return '{"code": "1", "title": "[[[{{{", "x": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"

    at_limit = post_raw(client, f"{API}/topics", nested(MAX_JSON_DEPTH))
    assert at_limit.status_code == 422 and at_limit.json.get("code") != "json_too_deep"
    assert at_limit.json["errors"][0]["field"] == "x"  # parsed, and refused by the schema: unknown field
    refused(post_raw(client, f"{API}/topics", nested(MAX_JSON_DEPTH + 1)), 422, code="json_too_deep",
            location="body")


@pytest.mark.parametrize(("document", "field"), [
    ({"code": "1", "title": "\ud800"}, "title"),
    ({"code": "1", "title": "ok", "source_document": "x\udfff.txt"}, "source_document"),
    ({"code": "\ud83d", "title": "ok"}, "code"),
])
def test_a_lone_surrogate_is_422_naming_the_field(client, document, field):
    body = refused(post_raw(client, f"{API}/topics", json.dumps(document)), 422, code="invalid_unicode",
                   location="json", field=field)
    assert f"json.{field}:" in body["detail"] and "U+D" in body["detail"]


def test_a_lone_surrogate_deep_inside_a_document_or_in_a_key_names_its_path(client):
    exam = f"{API}/exams/1/attempts"
    refused(post_raw(client, exam, json.dumps({"answers": {"1": "\ud800"}})), 422, code="invalid_unicode",
            location="json", field="answers.1")
    refused(post_raw(client, exam, json.dumps({"answers": {"\ud800": "C"}})), 422, code="invalid_unicode",
            location="json", field="answers.\\ud800")
    refused(post_raw(client, f"{API}/exams", json.dumps({"items": 2, "operators": ["negation", "\udc00"]})),
            422, code="invalid_unicode", location="json", field="operators.1")
    # A well-formed pair is text like any other.
    made = post_raw(client, f"{API}/topics", json.dumps({"code": "1", "title": "Emoji \ud83d\ude00"}))
    assert made.status_code == 201 and made.json["title"] == "Emoji \U0001f600"


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\x7f"])
def test_control_characters_in_json_strings_are_422_on_every_database(client, character):
    refused(client.post(f"{API}/exams", json={"items": 1, "session": f"abcdefghij{character}"}), 422,
            code="control_character", location="json", field="session")
    refused(client.post(f"{API}/keys", json={"role": "consumer", "name": f"site{character}"}), 422,
            code="control_character", location="json", field="name")
    refused(client.post(f"{API}/topics", json={"code": "1", "title": "ok", f"x{character}": 1}), 422,
            code="control_character", location="json", field=f"x\\u{ord(character):04x}")


@pytest.mark.parametrize("encoded", ["%00", "%01", "%1B", "%7F"])
def test_control_characters_in_query_values_and_names_are_422_on_every_database(client, encoded):
    refused(client.get(f"{API}/variants?operator=neg{encoded}ation"), 422, code="control_character",
            location="query", field="operator")
    refused(client.get(f"{API}/assertions?q=lei{encoded}"), 422, code="control_character", location="query",
            field="q")
    refused(client.post(f"{API}/imports?name=a{encoded}.txt", data=b"x", content_type="text/plain"), 422,
            code="control_character", location="query", field="name")
    # A parameter the operation does not read is refused the same way, not ignored.
    refused(client.get(f"{API}/topics/1?x{encoded}=1"), 422, code="control_character", location="query",
            field=f"x\\u{int(encoded[1:], 16):04x}")


def test_control_characters_in_path_values_are_422_on_every_database(client):
    token = SESSION_TOKEN[:-1] + "%00"
    refused(client.get(f"{API}/sessions/{token}"), 422, code="control_character", location="path", field="token")
    refused(client.post(f"{API}/sessions/{token}/reset"), 422, code="control_character", location="path",
            field="token")


def test_tabs_and_line_breaks_stay_text(client):
    made = client.post(f"{API}/topics", json={"code": "1", "title": "Direito\tadministrativo\r\n"})
    assert made.status_code == 201 and made.json["title"] == "Direito administrativo"
    assert client.get(f"{API}/assertions?q=lei%0Aseca").status_code == 200


def test_an_integer_of_thousands_of_digits_is_422_not_a_crash(client):
    refused(post_raw(client, f"{API}/exams", '{"items": ' + "9" * 5000 + "}"), 422, code="number_too_long",
            location="body")


def test_control_characters_in_header_parameters_are_422_on_every_database(client):
    """gunicorn refuses NUL in a header itself; behind another server, or in process, the API does."""
    refused(client.post(f"{API}/exams/1/attempts", json={"answers": {}}, headers={"Idempotency-Key": "a\x00b"}),
            422, code="control_character", location="headers", field="Idempotency-Key")
    refused(client.patch(f"{API}/assertions/1", json={}, headers={"If-Match": '"1\x01"'}), 422,
            code="control_character", location="headers", field="If-Match")
