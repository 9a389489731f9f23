"""The workbench's bank browser through the HTTP test client: topic → subtopics → assertions with their
variants, editing an assertion with its ETag, a seed upload (dry run, then import; a malformed one
shows its bad lines), the flagged variants."""

from __future__ import annotations

import html as entities
import io
import re

from tests.conftest import SEED
from tests.test_workbench import sign_in


def test_topic_subtopic_assertion_pages(app, seeded):
    browser, _ = sign_in(app)
    home = browser.get("/author/banco").get_data(as_text=True)
    topic_id = re.search(r'href="/author/banco/topicos/(\d+)"', home).group(1)
    assert "MLOps" in home
    topic = browser.get(f"/author/banco/topicos/{topic_id}").get_data(as_text=True)
    subtopic_id = re.search(r'href="/author/banco/subtopicos/(\d+)"', topic).group(1)
    page = browser.get(f"/author/banco/subtopicos/{subtopic_id}").get_data(as_text=True)
    assert "O MLOps é uma abordagem que visa integrar" in page and "sem respostas" in page
    assert browser.get("/author/banco/topicos/999999").status_code == 404


def test_edit_an_assertion_honours_its_etag(app, seeded):
    browser, token = sign_in(app)
    assertion = seeded.get("/api/v1/assertions", query_string={"page_size": 1}).json["items"][0]
    url = f"/author/banco/assertivas/{assertion['id']}"
    form = browser.get(url).get_data(as_text=True)
    etag = re.search(r'name="etag" value="([^"]+)"', form).group(1).replace("&#34;", '"')
    values = {"text": assertion["text"] + " Editada.", "label": "C", "status": "published", "explanation": "",
              "csrf_token": token, "etag": etag}
    saved = browser.post(url, data=values)
    assert saved.status_code == 200 and "Assertiva gravada." in saved.get_data(as_text=True)
    assert seeded.get(f"/api/v1/assertions/{assertion['id']}").json["text"].endswith("Editada.")
    stale = browser.post(url, data={**values, "text": "Outra coisa."})
    assert stale.status_code == 412 and "Outro autor mudou esta assertiva" in stale.get_data(as_text=True)
    assert seeded.get(f"/api/v1/assertions/{assertion['id']}").json["text"].endswith("Editada.")
    bad = browser.post(url, data={**values, "label": "X", "etag": f'"assertion-{assertion["id"]}-v2"'})
    assert bad.status_code == 422 and "label" in bad.get_data(as_text=True)


def test_upload_dry_run_then_import(app, client):
    browser, token = sign_in(app)
    checked = browser.post("/author/banco/importar", content_type="multipart/form-data", data={
        "csrf_token": token, "action": "dry_run", "encoding": "utf-8", "file": (SEED.open("rb"), "seed.txt")})
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "Simulação: nada foi gravado" in html
    assert client.get("/api/v1/topics").json["total"] == 0
    document = re.search(r'name="document" value="([^"]*)"', html, re.S).group(1)
    done = browser.post("/author/banco/importar", data={"csrf_token": token, "action": "import", "name": "seed.txt",
                                                        "encoding": "utf-8", "document": entities.unescape(document)})
    assert done.status_code == 200 and "Importado" in done.get_data(as_text=True)
    assert client.get("/api/v1/topics").json["total"] == 1


def test_a_malformed_upload_shows_its_lines(app, client):
    browser, token = sign_in(app)
    bad = ("Pergunta Original: 1.1 Direito\n\n1. Subtópico:\n1. Princípios.\nAssertivas:\n1. Uma.\n"
           "1. Outra com o mesmo número.\n")
    response = browser.post("/author/banco/importar", content_type="multipart/form-data", data={
        "csrf_token": token, "action": "dry_run", "encoding": "utf-8", "file": (io.BytesIO(bad.encode()), "ruim.txt")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "nada foi gravado" in html
    row = re.search(r'<tr id="line-7" class="bad"><td class="ln">7</td><td>([^<]*)</td>\s*<td class="why">([^<]+)</td>',
                    html)
    assert row and "Outra com o mesmo número" in row.group(1), html[-3000:]
    # The workbench says it in Portuguese (the API and the command line keep the English text).
    assert row.group(2).strip() == "número de item repetido, 1, no subtópico 1 (o primeiro na linha 6)"
    assert "linha 7</a>: número de item repetido" in html and "duplicate" not in html
    assert client.get("/api/v1/topics").json["total"] == 0
    empty = browser.post("/author/banco/importar", data={"csrf_token": token, "action": "dry_run"})
    assert empty.status_code == 422


def test_an_upload_warns_in_portuguese(app, client):
    browser, token = sign_in(app)
    opening = ("Pergunta Original: 1.1 Direito\n\n1. Subtópico:\n1. Princípios.\nAssertivas:\n"
               "1. O princípio mencionado anteriormente é implícito.\n")
    response = browser.post("/author/banco/importar", content_type="multipart/form-data", data={
        "csrf_token": token, "action": "dry_run", "encoding": "utf-8",
        "file": (io.BytesIO(opening.encode()), "aviso.txt")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Aviso, linha 6: o item 1 remete a um item anterior, mas é o primeiro do subtópico" in html
    api = client.post("/api/v1/imports?name=aviso.txt&dry_run=true", data=opening.encode(), content_type="text/plain")
    assert api.json["warnings"][0]["message"] == "item 1 refers to an earlier item but opens its subtopic"


def test_flagged_list(app, seeded):
    browser, _ = sign_in(app)
    page = browser.get("/author/banco/sinalizadas")
    assert page.status_code == 200 and "Nenhuma variante sinalizada." in page.get_data(as_text=True)
    # 20 candidates judge every item "C": the variants the exam used are flagged (the best called them true).
    topic = seeded.get("/api/v1/topics").json["items"][0]
    assert seeded.post(f"/api/v1/topics/{topic['id']}/variants", json={"seed": 1, "top": 1}).status_code == 201
    exam = seeded.post("/api/v1/exams", json={"items": 6, "false_ratio": 0.5, "seed": 2, "use_unreviewed": True}).json
    for _ in range(20):
        answers = {str(n): "C" for n in range(1, 7)}
        assert seeded.post(f"/api/v1/exams/{exam['id']}/attempts", json={"answers": answers}).status_code == 201
    used = [item for item in seeded.get(f"/api/v1/exams/{exam['id']}/key").json["items"] if item["variant_id"]]
    assert used
    page = browser.get("/author/banco/sinalizadas").get_data(as_text=True)
    for item in used:
        variant = seeded.get(f"/api/v1/variants/{item['variant_id']}").json
        assert entities.escape(variant["text"], quote=False) in page
    assert "Nenhuma variante sinalizada." not in page
