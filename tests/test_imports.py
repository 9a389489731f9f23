"""Seed import through the HTTP API and the CLI: formats, idempotence, all-or-nothing errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEED

IMPORTS = "/api/v1/imports"


def post_doc(client, data: bytes | str, *, charset: str | None = None, query: str = ""):
    if isinstance(data, str):
        data = data.encode("utf-8")
    content_type = "text/plain" + (f"; charset={charset}" if charset else "")
    return client.post(f"{IMPORTS}{query}", data=data, content_type=content_type)


def bank_snapshot(client) -> list[tuple]:
    """Everything the API shows of the bank, to prove that a rejected import wrote nothing."""
    rows = []
    topics = client.get("/api/v1/topics?page_size=200").json["items"]
    for topic in topics:
        rows.append(("topic", topic["code"], topic["title"], topic["updated_at"]))
        subs = client.get(f"/api/v1/topics/{topic['id']}/subtopics?page_size=200").json["items"]
        rows += [("subtopic", s["number"], s["title"], s["updated_at"]) for s in subs]
    page = 1
    while True:
        body = client.get(f"/api/v1/assertions?page_size=200&page={page}").json
        rows += [
            ("assertion", a["subtopic_id"], a["number"], a["text"], a["version"], a["depends_on_id"],
             a["updated_at"])
            for a in body["items"]
        ]
        if page >= body["pages"]:
            break
        page += 1
    return rows


def counts(body: dict) -> dict:
    return {k: body[k] for k in ("topics", "subtopics", "assertions")}


def c(created=0, updated=0, unchanged=0) -> dict:
    return {"created": created, "updated": updated, "unchanged": unchanged}


MINI = """Pergunta Original: 1.2 Direito administrativo

1. Subtópico:
1. Atos administrativos.
Assertivas:
1. O ato administrativo goza de presunção de legitimidade.
2. A revogação de um ato administrativo produz efeitos retroativos.
"""


def test_seed_document_gives_topic_93_with_8_subtopics_and_80_assertions(seeded):
    topics = seeded.get("/api/v1/topics").json
    assert topics["total"] == 1
    topic = topics["items"][0]
    assert (topic["code"], topic["title"], topic["source_document"]) == ("9.3", "MLOps - implantação", "seed.txt")
    subs = seeded.get(f"/api/v1/topics/{topic['id']}/subtopics").json
    assert subs["total"] == 8
    assert [s["number"] for s in subs["items"]] == list(range(1, 9))
    assert subs["items"][1]["title"] == "Princípios fundamentais do MLOps."
    assertions = seeded.get(f"/api/v1/assertions?topic_id={topic['id']}").json
    assert assertions["total"] == 80
    first = assertions["items"][0]
    assert first["label"] == "C" and first["status"] == "published"
    assert first["provenance"] == {"file": "seed.txt", "line": 6}
    assert first["text"].startswith("O MLOps é uma abordagem que visa integrar práticas")


def test_back_references_link_to_the_item_before(seeded):
    sub5 = seeded.get("/api/v1/topics").json["items"][0]["id"]
    subs = seeded.get(f"/api/v1/topics/{sub5}/subtopics").json["items"]
    sub = next(s for s in subs if s["number"] == 5)
    items = seeded.get(f"/api/v1/subtopics/{sub['id']}/assertions").json["items"]
    by_id = {a["id"]: a for a in items}
    linked = {a["number"]: by_id[a["depends_on_id"]]["number"] for a in items if a["depends_on_id"]}
    assert linked == {3: 2, 5: 4, 7: 6, 9: 8}
    # No other item of the whole seed refers back.
    everything = seeded.get("/api/v1/assertions?page_size=200").json["items"]
    assert sum(1 for a in everything if a["depends_on_id"]) == 4


def test_importing_the_same_document_twice_changes_nothing(seeded, seed_bytes):
    before = bank_snapshot(seeded)
    again = post_doc(seeded, seed_bytes, query="?name=seed.txt")
    assert again.status_code == 201
    assert counts(again.json) == {
        "topics": c(unchanged=1), "subtopics": c(unchanged=8), "assertions": c(unchanged=80),
    }
    assert bank_snapshot(seeded) == before


def test_a_reimport_under_another_name_or_with_shifted_lines_keeps_every_etag(seeded, seed_bytes):
    """The README's own example imports the seed as mlops.txt, and `make run` imports seeds/*.txt:
    provenance (document name, line) is recorded, but it is no change of an item, so versions and
    ETags stay and an author's next PATCH with If-Match still applies."""
    before = {a["id"]: a["version"] for a in seeded.get("/api/v1/assertions?page_size=200").json["items"]}
    item = seeded.get(f"/api/v1/assertions/{min(before)}")
    shifted = b"\n\n" + seed_bytes  # every line number moves by two
    again = post_doc(seeded, shifted, query="?name=mlops.txt")
    assert again.status_code == 201, again.json
    assert counts(again.json) == {
        "topics": c(unchanged=1), "subtopics": c(unchanged=8), "assertions": c(unchanged=80),
    }
    after = seeded.get("/api/v1/assertions?page_size=200").json["items"]
    assert {a["id"]: a["version"] for a in after} == before
    moved = seeded.get(f"/api/v1/assertions/{min(before)}")
    assert moved.headers["ETag"] == item.headers["ETag"]
    assert moved.json["provenance"] == {"file": "mlops.txt", "line": item.json["provenance"]["line"] + 2}
    patched = seeded.patch(f"/api/v1/assertions/{min(before)}", json={"explanation": "Fonte: seed."},
                           headers={"If-Match": item.headers["ETag"]})
    assert patched.status_code == 200, patched.json


def test_crlf_bom_trailing_spaces_are_the_same_document(seeded, seed_bytes):
    text = seed_bytes.decode("utf-8")
    windows = "\ufeff" + "\r\n".join(line + "  \t" for line in text.split("\n"))
    response = post_doc(seeded, windows.encode("utf-8"), query="?name=seed.txt")
    assert response.status_code == 201, response.json
    assert counts(response.json)["assertions"] == c(unchanged=80)
    assert counts(response.json)["topics"] == c(unchanged=1)


def test_an_edited_document_updates_only_what_changed(seeded, seed_bytes):
    text = seed_bytes.decode("utf-8")
    edited = text.replace(
        "9. A aplicação de práticas de MLOps reduz o tempo",
        "9. A aplicação das práticas de MLOps reduz o tempo",
    ).replace(
        "2. Princípios fundamentais do MLOps.", "2. Princípios do MLOps."
    )
    edited = edited.rstrip("\n") + "\n11. A manutenção no MLOps é contínua.\n"
    response = post_doc(seeded, edited, query="?name=seed.txt")
    assert response.status_code == 201, response.json
    assert counts(response.json) == {
        "topics": c(unchanged=1),
        "subtopics": c(updated=1, unchanged=7),
        "assertions": c(created=1, updated=1, unchanged=79),
    }
    found = seeded.get("/api/v1/assertions?q=aplicacao das praticas").json["items"]
    assert len(found) == 1 and found[0]["version"] == 2


def test_dry_run_counts_and_writes_nothing(client, seed_bytes):
    response = post_doc(client, seed_bytes, query="?dry_run=true")
    assert response.status_code == 200
    assert response.json["dry_run"] is True
    assert counts(response.json)["assertions"] == c(created=80)
    assert client.get("/api/v1/topics").json["total"] == 0


def test_windows_1252_is_accepted_when_declared(client):
    response = post_doc(client, MINI.encode("cp1252"), charset="windows-1252")
    assert response.status_code == 201, response.json
    items = client.get("/api/v1/assertions").json["items"]
    assert items[0]["text"] == "O ato administrativo goza de presunção de legitimidade."


def test_an_octet_stream_seed_takes_its_encoding_from_the_query(client):
    """What clients generated from openapi.yaml send: the file as bytes, the encoding as ?encoding=."""
    raw = MINI.encode("cp1252")
    response = client.post(f"{IMPORTS}?encoding=windows-1252", data=raw, content_type="application/octet-stream")
    assert response.status_code == 201, response.json
    assert client.get("/api/v1/assertions").json["items"][0]["text"].endswith("presunção de legitimidade.")
    undeclared = client.post(IMPORTS, data=raw, content_type="application/octet-stream")
    assert undeclared.status_code == 422 and "windows-1252" in undeclared.json["errors"][0]["message"]
    bad = client.post(f"{IMPORTS}?encoding=latin-9", data=raw, content_type="application/octet-stream")
    assert bad.status_code == 422 and "encoding" in str(bad.json)


def test_windows_1252_undeclared_is_rejected_naming_the_line(client):
    response = post_doc(client, MINI.encode("cp1252"))
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    error = response.json["errors"][0]
    assert error["line"] == 3 and "invalid UTF-8" in error["message"]  # "Subtópico"
    assert "windows-1252" in error["message"]


MALFORMED = [
    pytest.param("", 1, "empty", id="empty-document"),
    pytest.param("  \n\t\n   \n", 1, "empty", id="whitespace-only"),
    pytest.param("1. Subtópico:\n1. T\nAssertivas:\n1. x\n", 1, "Pergunta Original", id="no-header"),
    pytest.param(
        "Pergunta Original: 1 Título\n\n1. Um item solto.\n", 3, "before any subtopic", id="item-before-subtopic",
    ),
    pytest.param(
        "Pergunta Original: 1 Título\n1. Subtópico:\n1. Tema\n1. Um item.\n", 4, "no 'Assertivas:'",
        id="subtopic-without-assertivas",
    ),
    pytest.param(
        "Pergunta Original: 1 Título\n1. Subtópico:\n1. Tema\nAssertivas:\n1. Um.\n2. Dois.\n1. Três.\n", 7,
        "duplicate item number 1", id="duplicate-item-number",
    ),
    pytest.param(
        "Pergunta Original: 1 Título\n1. Subtópico:\n1. Tema\nAssertivas:\n\n"
        "2. Subtópico:\n2. Outro\nAssertivas:\n1. x.\n",
        2, "subtopic 1 has no items", id="subtopic-with-no-items",
    ),
    pytest.param("Pergunta Original: 1 Título\n\n", 1, "no subtopics", id="topic-without-subtopics"),
    pytest.param(
        "Pergunta Original: 1 Título\n1. Subtópico:\n1. Tema\nAssertivas:\n1. " + "palavra " * 400 + "\n",
        5, "too long", id="absurdly-long-line",
    ),
    pytest.param(
        "Pergunta Original: Sem código\n1. Subtópico:\n1. Tema\nAssertivas:\n1. x.\n", 1, "topic code",
        id="header-without-code",
    ),
    pytest.param(
        "Pergunta Original: 1 Título\n1. Subtópico:\nAssertivas:\n1. x.\n", 3, "no title", id="subtopic-without-title",
    ),
]


@pytest.mark.parametrize(("document", "line", "message"), MALFORMED)
def test_malformed_documents_are_rejected_whole(seeded, document, line, message):
    before = bank_snapshot(seeded)
    # Prefix a valid change to the seed's topic: it must not land when the rest is rejected.
    response = post_doc(seeded, document)
    assert response.status_code == 422, response.json
    assert response.json["status"] == 422
    errors = response.json["errors"]
    assert errors[0]["line"] == line, errors
    assert message in errors[0]["message"], errors
    assert response.json["detail"].startswith(f"upload.txt:{line}:")
    assert bank_snapshot(seeded) == before


def test_a_bad_line_after_good_changes_leaves_the_bank_untouched(seeded, seed_bytes):
    before = bank_snapshot(seeded)
    text = seed_bytes.decode("utf-8").replace(
        "1. O MLOps é uma abordagem", "1. O MLOps é uma NOVA abordagem"
    ).rstrip("\n") + "\n3. Item repetido.\n"
    response = post_doc(seeded, text, query="?name=seed.txt")
    assert response.status_code == 422
    assert "duplicate item number 3" in response.json["detail"]
    assert bank_snapshot(seeded) == before


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        pytest.param(b"Pergunta Original: 1 T\n\x00\x01\x02\xff\xfe", 2, "binary data", id="nul-bytes"),
        pytest.param(bytes(range(256)) * 4, 1, "binary data", id="all-bytes"),
        pytest.param(b"Pergunta Original: 1 T\n1. Subt\xf3pico:\n", 2, "invalid UTF-8", id="invalid-utf8"),
        pytest.param(b"Pergunta Original: 1 T\n\x1b[31m\n", 2, "control character", id="escape-sequence"),
        pytest.param("Pergunta Original: 1 Título\n".encode("utf-16"), 1, "binary data", id="utf-16"),
    ],
)
def test_binary_and_badly_encoded_bodies_are_rejected(client, data, line, message):
    response = post_doc(client, data)
    assert response.status_code == 422
    assert response.json["errors"][0]["line"] == line
    assert message in response.json["errors"][0]["message"]
    assert client.get("/api/v1/topics").json["total"] == 0


def test_wrong_media_type_and_charset_are_415(client):
    assert client.post(IMPORTS, data=MINI, content_type="application/xml").status_code == 415
    # JSON is the bank format: a seed document sent as JSON is a 422, not a 500.
    assert client.post(IMPORTS, data=MINI, content_type="application/json").status_code == 422
    response = post_doc(client, MINI, charset="klingon")
    assert response.status_code == 415
    assert "unsupported encoding" in response.json["detail"]


def test_oversized_body_is_413(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = post_doc(client, b"x" * (limit + 1))
    assert response.status_code == 413
    assert response.json["title"] == "Content Too Large"


def test_windows_line_ends_and_glued_hyphen_title(client):
    text = (
        "\ufeffPergunta Original: 4.1 Segurança- criptografia   \r\n\r\n"
        "1. Subtópico:\r\n1. Cifras.\r\nAssertivas:\r\n1. O AES é simétrico.\r\n"
    )
    response = post_doc(client, text)
    assert response.status_code == 201
    assert client.get("/api/v1/topics").json["items"][0]["title"] == "Segurança - criptografia"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400),
    st.lists(
        st.sampled_from(["Pergunta Original: 2 X", "1. Subtópico:", "1. Título", "Assertivas:",
                         "1. Item.", "2. Outro item anterior.", "", "   ", "texto solto", "3. Subtopico:"]),
        max_size=14,
    ).map("\n".join),
))
def test_any_body_gets_201_or_a_clear_422_never_a_500(client, body):
    response = post_doc(client, body, query="?dry_run=true")
    assert response.status_code in (200, 422), response.json
    if response.status_code == 422:
        assert response.json["errors"][0]["line"] >= 1


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_import_prints_a_summary_and_is_idempotent(runner, client):
    first = runner.invoke("import", str(SEED))
    assert first.exit_code == 0, first.output
    assert "assertions: 80 created, 0 updated, 0 unchanged" in first.output
    second = runner.invoke("import", str(SEED))
    assert "assertions: 0 created, 0 updated, 80 unchanged" in second.output
    assert client.get("/api/v1/assertions").json["total"] == 80


def test_cli_import_reports_file_and_line_and_imports_nothing(runner, client, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Pergunta Original: 1 T\n1. Subtópico:\n1. Tema\nAssertivas:\n1. a.\n1. b.\n", encoding="utf-8")
    result = runner.invoke("import", str(SEED), str(bad))
    assert result.exit_code == 1
    assert f"{bad}:6: duplicate item number 1" in result.output
    assert client.get("/api/v1/topics").json["total"] == 0


def test_cli_import_windows_1252_needs_the_flag(runner, client, tmp_path):
    doc = tmp_path / "cp.txt"
    doc.write_bytes(MINI.encode("cp1252"))
    refused = runner.invoke("import", str(doc))
    assert refused.exit_code == 1 and f"{doc}:3: invalid UTF-8" in refused.output
    accepted = runner.invoke("import", "--encoding", "cp1252", str(doc))
    assert accepted.exit_code == 0, accepted.output
    assert client.get("/api/v1/assertions?q=presuncao").json["total"] == 1


def test_cli_import_missing_file(runner):
    result = runner.invoke("import", "/nonexistent/seed.txt")
    assert result.exit_code != 0
    assert "seed.txt" in result.output


def test_the_shipped_windows_1252_example_imports_as_the_readme_shows(client):
    """README: `curl --data-binary @seeds/examples/direito_constitucional_cp1252.txt -H 'Content-Type:
    text/plain; charset=windows-1252'`. Without the charset it is refused, naming the encoding."""
    from pathlib import Path

    examples = Path(__file__).resolve().parent.parent / "seeds" / "examples"
    data = (examples / "direito_constitucional_cp1252.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # it really is a Windows-1252 file
    refused = post_doc(client, data)
    assert refused.status_code == 422 and "windows-1252" in str(refused.json)
    response = post_doc(client, data, charset="windows-1252", query="?name=direito_constitucional.txt")
    assert response.status_code == 201, response.json
    assert counts(response.json)["assertions"]["created"] == 24
    found = client.get("/api/v1/assertions?q=mandado de seguranca").json["items"]
    assert found and "ç" in " ".join(a["text"] for a in found)
