"""Topics, subtopics and assertions through the REST API: CRUD, pagination, filters, errors."""

from __future__ import annotations

import pytest

API = "/api/v1"


def make_topic(client, code="1.1", title="Direito constitucional"):
    response = client.post(f"{API}/topics", json={"code": code, "title": title})
    assert response.status_code == 201, response.json
    return response.json


def make_subtopic(client, topic_id, title="Direitos fundamentais", **extra):
    response = client.post(f"{API}/topics/{topic_id}/subtopics", json={"title": title, **extra})
    assert response.status_code == 201, response.json
    return response.json


def make_assertion(client, subtopic_id, text, **extra):
    response = client.post(f"{API}/subtopics/{subtopic_id}/assertions", json={"text": text, **extra})
    assert response.status_code == 201, response.json
    return response.json


def assert_problem(response, status, *, field=None, contains=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json
    assert body["status"] == status and body["type"] == "about:blank" and body["title"]
    if field is not None:
        assert field in [e.get("field") for e in body["errors"]], body
    if contains is not None:
        assert contains in body["detail"], body
    return body


def test_topic_crud(client):
    topic = make_topic(client)
    assert topic["code"] == "1.1" and topic["created_at"].endswith("+00:00")
    assert client.get(f"{API}/topics/{topic['id']}").json["title"] == "Direito constitucional"
    patched = client.patch(f"{API}/topics/{topic['id']}", json={"title": "Direito constitucional II"})
    assert patched.status_code == 200 and patched.json["title"] == "Direito constitucional II"
    assert patched.json["code"] == "1.1"
    assert client.delete(f"{API}/topics/{topic['id']}").status_code == 204
    assert_problem(client.get(f"{API}/topics/{topic['id']}"), 404, contains=f"topic {topic['id']} does not exist")


def test_topic_code_must_be_unique_and_well_formed(client):
    make_topic(client, code="2.1")
    assert_problem(client.post(f"{API}/topics", json={"code": "2.1", "title": "x"}), 409, field="code")
    other = make_topic(client, code="2.2")
    assert_problem(client.patch(f"{API}/topics/{other['id']}", json={"code": "2.1"}), 409, field="code")
    assert_problem(client.post(f"{API}/topics", json={"code": "abc", "title": "x"}), 422, field="code")


def test_deleting_a_topic_with_items_needs_cascade(client):
    topic = make_topic(client)
    sub = make_subtopic(client, topic["id"])
    item = make_assertion(client, sub["id"], "Os direitos fundamentais são absolutos.", label="E")
    assert_problem(client.delete(f"{API}/topics/{topic['id']}"), 409, contains="cascade=true")
    assert client.get(f"{API}/assertions/{item['id']}").status_code == 200
    assert client.delete(f"{API}/topics/{topic['id']}?cascade=true").status_code == 204
    assert client.get(f"{API}/assertions/{item['id']}").status_code == 404
    assert client.get(f"{API}/subtopics/{sub['id']}").status_code == 404


def test_subtopic_crud_and_numbering(client):
    topic = make_topic(client)
    first = make_subtopic(client, topic["id"], "Primeiro")
    second = make_subtopic(client, topic["id"], "Segundo")
    assert (first["number"], second["number"]) == (1, 2)
    assert_problem(client.post(f"{API}/topics/{topic['id']}/subtopics", json={"title": "x", "number": 2}),
                   409, field="number")
    listed = client.get(f"{API}/topics/{topic['id']}/subtopics").json
    assert [s["title"] for s in listed["items"]] == ["Primeiro", "Segundo"]
    renamed = client.patch(f"{API}/subtopics/{second['id']}", json={"title": "Segundo bloco"})
    assert renamed.json["title"] == "Segundo bloco"
    make_assertion(client, second["id"], "Um item.")
    assert_problem(client.delete(f"{API}/subtopics/{second['id']}"), 409, contains="cascade")
    assert client.delete(f"{API}/subtopics/{second['id']}?cascade=true").status_code == 204
    assert client.get(f"{API}/topics/{topic['id']}/subtopics").json["total"] == 1
    assert_problem(client.get(f"{API}/topics/999999/subtopics"), 404)


def test_assertion_crud_version_and_defaults(client):
    sub = make_subtopic(client, make_topic(client)["id"])
    item = make_assertion(client, sub["id"], "A lei não retroagirá, salvo para beneficiar o réu.")
    assert (item["number"], item["label"], item["status"], item["version"]) == (1, "C", "draft", 1)
    assert item["provenance"] is None and item["depends_on_id"] is None
    patched = client.patch(f"{API}/assertions/{item['id']}", json={"status": "published", "explanation": "CF, art. 5º"})
    assert patched.status_code == 200
    assert (patched.json["status"], patched.json["version"]) == ("published", 2)
    assert client.get(f"{API}/assertions/{item['id']}").json["explanation"] == "CF, art. 5º"
    deleted = client.delete(f"{API}/assertions/{item['id']}")
    assert deleted.status_code == 204 and "Content-Type" not in deleted.headers and deleted.data == b""
    assert_problem(client.delete(f"{API}/assertions/{item['id']}"), 404)


def test_depends_on_must_point_to_an_earlier_item_of_the_same_subtopic(client):
    topic = make_topic(client)
    sub = make_subtopic(client, topic["id"])
    other = make_subtopic(client, topic["id"], "Outro")
    first = make_assertion(client, sub["id"], "O habeas corpus protege a liberdade de locomoção.")
    elsewhere = make_assertion(client, other["id"], "Item de outro bloco.")
    second = make_assertion(client, sub["id"], "O remédio mencionado anteriormente é gratuito.",
                            depends_on_id=first["id"])
    assert second["depends_on_id"] == first["id"]
    url = f"{API}/subtopics/{sub['id']}/assertions"
    assert_problem(client.post(url, json={"text": "x", "depends_on_id": elsewhere["id"]}), 422, field="depends_on_id")
    assert_problem(client.post(url, json={"text": "x", "depends_on_id": 999999}), 422, field="depends_on_id")
    assert_problem(client.patch(f"{API}/assertions/{first['id']}", json={"depends_on_id": second["id"]}),
                   422, field="depends_on_id")
    # Deleting the antecedent unlinks the dependent item instead of failing.
    assert client.delete(f"{API}/assertions/{first['id']}").status_code == 204
    assert client.get(f"{API}/assertions/{second['id']}").json["depends_on_id"] is None


def test_item_numbers_are_unique_per_subtopic(client):
    sub = make_subtopic(client, make_topic(client)["id"])
    make_assertion(client, sub["id"], "Um.", number=5)
    assert make_assertion(client, sub["id"], "Seis.")["number"] == 6
    assert_problem(client.post(f"{API}/subtopics/{sub['id']}/assertions", json={"text": "x", "number": 5}),
                   409, field="number")


def test_pagination_counts_limits_and_wraps(seeded):
    page = seeded.get(f"{API}/assertions?page=3&page_size=7").json
    assert (page["page"], page["page_size"], page["total"], page["pages"]) == (3, 7, 80, 12)
    assert len(page["items"]) == 7
    assert page["items"][0]["number"] == 5 and page["items"][0]["subtopic_id"] == page["items"][-1]["subtopic_id"] - 1
    last = seeded.get(f"{API}/assertions?page=12&page_size=7").json
    assert len(last["items"]) == 80 - 11 * 7
    assert seeded.get(f"{API}/assertions?page=13&page_size=7").json["items"] == []
    assert_problem(seeded.get(f"{API}/assertions?page_size=201"), 422, field="page_size")
    assert_problem(seeded.get(f"{API}/assertions?page=0"), 422, field="page")


def test_filters_and_accent_insensitive_search(seeded):
    topic_id = seeded.get(f"{API}/topics").json["items"][0]["id"]
    assert seeded.get(f"{API}/assertions?topic_id={topic_id}").json["total"] == 80
    assert seeded.get(f"{API}/assertions?topic_id={topic_id + 1000}").json["total"] == 0
    sub = seeded.get(f"{API}/topics/{topic_id}/subtopics").json["items"][6]
    assert seeded.get(f"{API}/assertions?subtopic_id={sub['id']}").json["total"] == 10
    assert seeded.get(f"{API}/assertions?label=C").json["total"] == 80
    assert seeded.get(f"{API}/assertions?label=E").json["total"] == 0
    assert seeded.get(f"{API}/assertions?status=published").json["total"] == 80
    # "integração contínua" written without accents and in capitals still matches.
    hits = seeded.get(f"{API}/assertions?q=INTEGRACAO CONTINUA").json
    assert hits["total"] >= 3
    assert all("integração contínua" in a["text"].lower() for a in hits["items"])
    # Search wildcards are literal characters, not patterns.
    assert seeded.get(f"{API}/assertions?q=%25").json["total"] == 0
    assert seeded.get(f"{API}/assertions?q=CI/CD&subtopic_id={sub['id']}").json["total"] >= 5
    combined = seeded.get(f"{API}/assertions?q=automação&subtopic_id={sub['id']}&label=C").json
    assert combined["total"] == 1


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "field"),
    [
        ("post", "/topics", {"code": "1", "title": "x", "colour": "red"}, 422, "colour"),
        ("post", "/topics", {"code": "1"}, 422, "title"),
        ("post", "/topics", {"code": "1", "title": ""}, 422, "title"),
        ("post", "/topics", {"code": "1", "title": "x" * 301}, 422, "title"),
        ("get", "/assertions?colour=red", None, 422, "colour"),
        ("get", "/assertions?label=X", None, 422, "label"),
        ("get", "/assertions?topic_id=abc", None, 422, "topic_id"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(client, method, url, body, status, field):
    response = getattr(client, method)(f"{API}{url}", json=body) if body is not None else client.get(f"{API}{url}")
    problem = assert_problem(response, status, field=field)
    assert problem["detail"]


def test_assertion_text_limits_and_unknown_fields(client):
    sub = make_subtopic(client, make_topic(client)["id"])
    url = f"{API}/subtopics/{sub['id']}/assertions"
    assert_problem(client.post(url, json={"text": "x" * 2001}), 422, field="text")
    assert_problem(client.post(url, json={"text": "ok", "label": "X"}), 422, field="label")
    assert_problem(client.post(url, json={"text": "ok", "id": 5}), 422, field="id")
    item = make_assertion(client, sub["id"], "ok")
    assert_problem(client.patch(f"{API}/assertions/{item['id']}", json={"version": 9}), 422, field="version")
    assert_problem(client.patch(f"{API}/assertions/{item['id']}", json={"text": None}), 422, field="text")


def test_malformed_json_and_wrong_methods_are_problems_not_html(client):
    response = client.post(f"{API}/topics", data="{not json", content_type="application/json")
    assert_problem(response, 400)
    response = client.post(f"{API}/topics", json=["a", "list"])
    assert_problem(response, 422)
    response = client.put(f"{API}/topics")
    body = assert_problem(response, 405)
    assert "POST" in response.headers["Allow"] and body["title"] == "Method Not Allowed"
    assert_problem(client.get("/no/such/page"), 404)
    assert_problem(client.get(f"{API}/topics/not-a-number"), 404)


def test_responses_keep_portuguese_accents_unescaped(seeded):
    raw = seeded.get(f"{API}/topics").get_data(as_text=True)
    assert "implantação" in raw


def test_out_of_range_ids_and_control_characters_are_client_errors(client):
    assert_problem(client.get(f"{API}/topics/99999999999"), 404)
    assert_problem(client.get(f"{API}/topics/0"), 404)
    assert_problem(client.get(f"{API}/assertions?topic_id=99999999999"), 422, field="topic_id")
    sub = make_subtopic(client, make_topic(client)["id"])
    url = f"{API}/subtopics/{sub['id']}/assertions"
    assert_problem(client.post(url, json={"text": "nul \u0000 byte"}), 422, field="text")
    assert_problem(client.post(url, json={"text": "ok", "depends_on_id": 2**40}), 422, field="depends_on_id")
    assert_problem(client.get(f"{API}/assertions?q=a%00b"), 422, field="q")
    assert_problem(client.post(url, json={"text": "   "}), 422, field="text")


def test_texts_are_stored_as_one_clean_paragraph(client):
    sub = make_subtopic(client, make_topic(client)["id"])
    item = make_assertion(client, sub["id"], "  A   CF/88\n garante\tdireitos. ")
    assert item["text"] == "A CF/88 garante direitos."


def test_automatic_numbers_stop_at_the_highest_allowed(client):
    """Found by fuzzing: max+1 numbering could pass the documented maximum (100000)."""
    sub = make_subtopic(client, make_topic(client)["id"])
    make_assertion(client, sub["id"], "Último número.", number=100_000)
    body = assert_problem(client.post(f"{API}/subtopics/{sub['id']}/assertions", json={"text": "Sem número."}),
                          409, field="number")
    assert "100000" in body["detail"]
    assert make_assertion(client, sub["id"], "Com número.", number=7)["number"] == 7


def test_every_422_has_one_title_whichever_layer_answers(client):
    """Request parsing (webargs) and the services (Invalid) answer 422 under the same RFC 9110 title."""
    parsing = client.post("/api/v1/exams", json={"items": "many"})
    service = client.post("/api/v1/exams", json={"items": 5, "false_ratio": 0.5})  # an empty bank
    assert_problem(parsing, 422)
    assert_problem(service, 422)
    assert parsing.json["title"] == service.json["title"] == "Unprocessable Content"
