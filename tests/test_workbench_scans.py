"""The workbench's Folhas (/author/folhas) through the HTTP test client: a scanned sheet with two marks
on one item and no candidate number waits for review; the list shows it, its page shows the ambiguous
item and the scan; resolving needs the CSRF token and a valid choice, then scores the attempt as the
API's resolve does; confirming a scored sheet; no session, no page."""

from __future__ import annotations

import html as markup
import random
import re

import pytest

from tests.conftest import make_key
from tests.test_scans import ITEMS, counts, post_scan, scan_exam, sheet_image  # noqa: F401 (scan_exam: a fixture)
from tests.test_workbench import sign_in

API = "/api/v1"


@pytest.fixture
def waiting(client, scan_exam):  # noqa: F811
    """A clean 150 dpi sheet of version 1: items 1 and 2 marked, item 4 marked twice, no candidate
    number: `needs_review` (the API's JSON of the sheet, and the PNG sent)."""
    from tests.scan_sheets import fill_sheet, png

    marks = {1: ("full", "C"), 2: ("full", "E"), 4: ("double", "C")}
    sheet = fill_sheet(sheet_image(client, scan_exam["id"], 1, 150), 150, ITEMS, marks, None, random.Random(4))
    data = png(sheet.image)
    response = post_scan(client, data, "image/png", scan_exam["id"])
    assert response.status_code == 201, response.json
    (read,) = response.json["sheets"]
    assert read["status"] == "needs_review" and read["ambiguous"] == [4] and read["candidate"] is None
    return read, data


def test_the_list_shows_the_sheet_and_filters_by_exam(app, waiting, scan_exam):  # noqa: F811
    read, _ = waiting
    browser, _ = sign_in(app)
    page = browser.get("/author/folhas")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'aria-current="page">Folhas</a>' in html and "1 folha a revisar" in html
    row = re.search(rf'Revisar a folha {read["id"]}</a></td>(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert cells[0].startswith(str(scan_exam["id"])) and cells[1] == "1"
    assert "ilegível: a inscrição não foi preenchida" in cells[2] and cells[3] == "4" and "UTC" in cells[4]
    assert f'<option value="{scan_exam["id"]}">' in html
    assert f"Revisar a folha {read['id']}" in browser.get(f"/author/folhas?prova={scan_exam['id']}").text
    other = browser.get(f"/author/folhas?prova={scan_exam['id'] + 1}").get_data(as_text=True)
    assert "Revisar a folha" not in other and "Nenhuma folha espera revisão nesta prova" in other
    assert browser.get("/author/folhas?prova=x").status_code == 400


def test_the_sheet_page_shows_the_ambiguous_item_and_the_scan(app, waiting):
    read, data = waiting
    browser, _ = sign_in(app)
    html = browser.get(f"/author/folhas/{read['id']}").get_data(as_text=True)
    assert "<legend>Item 4</legend>" in html and "duas marcas" in html
    for value, label in (("C", "C (certo)"), ("E", "E (errado)"), ("branco", "em branco")):
        assert f'type="radio" id="item-4-{value}" name="item-4" value="{value}"' in html
        assert f'<label for="item-4-{value}" class="inline">{label}</label>' in html
    assert '<label for="candidate">Inscrição (8 algarismos)</label>' in html
    assert "<legend>Item 1</legend>" not in html  # read with confidence: nothing to choose
    assert f'src="/author/folhas/{read["id"]}/imagem"' in html
    image = browser.get(f"/author/folhas/{read['id']}/imagem")
    assert image.status_code == 200 and image.data == data and image.mimetype == "image/png"
    assert browser.get("/author/folhas/999999").status_code == 404


def test_resolving_needs_the_csrf_token(app, waiting):
    read, _ = waiting
    browser, _ = sign_in(app)
    refused = browser.post(f"/author/folhas/{read['id']}/resolver", data={"item-4": "C", "candidate": "12345678"})
    assert refused.status_code == 400 and "token CSRF" in refused.get_data(as_text=True)
    assert counts(app)["attempts"] == 0


@pytest.mark.parametrize("form, says", [
    ({"item-4": "X", "candidate": "12345678"}, 'item 4: deve ser "C", "E" ou null (em branco)'),
    ({"candidate": "12345678"}, "faltam os itens ambíguos 4"),
    ({"item-4": "C"}, "inscrição: a inscrição não pôde ser lida"),
    ({"item-4": "C", "candidate": "1234"}, "inscrição: deve ter 8 algarismos"),
])
def test_a_bad_resolution_says_why_in_portuguese_and_writes_nothing(app, client, waiting, form, says):
    read, _ = waiting
    browser, token = sign_in(app)
    response = browser.post(f"/author/folhas/{read['id']}/resolver", data={**form, "csrf_token": token})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Não resolvida" in html and says in markup.unescape(html) and 'role="alert"' in html
    assert "<legend>Item 4</legend>" in html  # the form again, with what was chosen
    if form.get("item-4") == "C":
        assert 'value="C" aria-describedby="read-4" checked' in html
    assert counts(app)["attempts"] == 0
    assert client.get(f"{API}/scans/{read['id']}").json["status"] == "needs_review"


def test_resolving_then_confirming_scores_the_attempt(app, client, waiting, scan_exam):  # noqa: F811
    read, _ = waiting
    browser, token = sign_in(app)
    url = f"/author/folhas/{read['id']}"
    resolved = browser.post(f"{url}/resolver", data={"item-4": "E", "candidate": "20261604", "csrf_token": token})
    assert resolved.status_code == 302 and resolved.headers["Location"].startswith(url)
    page = browser.get(resolved.headers["Location"]).get_data(as_text=True)
    assert "Folha resolvida" in page and "<legend>" not in page and "O arquivo foi liberado" in page
    confirmed = browser.post(f"{url}/confirmar", data={"csrf_token": token})
    assert confirmed.status_code == 302
    assert "Tentativa confirmada." in browser.get(confirmed.headers["Location"]).get_data(as_text=True)
    sheet = client.get(f"{API}/scans/{read['id']}").json
    assert sheet["status"] == "scored" and sheet["confirmed"] and sheet["candidate"] == "20261604"
    attempt = client.get(f"{API}/exams/{scan_exam['id']}/attempts/{sheet['attempt_id']}").json
    given = {item["number"]: item["answer"] for item in attempt["items"]}
    assert (given[1], given[2], given[4], given[3]) == ("C", "E", "E", None)
    assert attempt["candidate"] == "20261604"
    assert counts(app)["attempts"] == 1
    # Resolving again is a conflict, told in Portuguese on the page; the image is gone.
    again = browser.post(f"{url}/resolver", data={"item-4": "C", "csrf_token": token})
    assert again.status_code == 409 and "já foi resolvida" in again.get_data(as_text=True)
    assert browser.get(f"{url}/imagem").status_code == 404
    assert "Nenhuma folha espera revisão" in browser.get("/author/folhas").get_data(as_text=True)
    assert counts(app)["attempts"] == 1


def test_confirming_a_sheet_that_needs_review_is_refused(app, waiting):
    read, _ = waiting
    browser, token = sign_in(app)
    response = browser.post(f"/author/folhas/{read['id']}/confirmar", data={"csrf_token": token})
    assert response.status_code == 409 and "resolva-a antes de confirmar" in response.get_data(as_text=True)


def test_without_a_session_nothing_is_reachable(app, waiting):
    from tests.test_workbench import csrf_of

    read, _ = waiting
    consumer = app.test_client()
    consumer.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key(app, 'consumer')}"  # the API's key: no session
    for client in (app.test_client(), consumer):
        for path in ("/author/folhas", f"/author/folhas/{read['id']}", f"/author/folhas/{read['id']}/imagem"):
            response = client.get(path)
            assert response.status_code == 302 and "/author/entrar" in response.headers["Location"], path
        assert client.post(f"/author/folhas/{read['id']}/resolver", data={"item-4": "C"}).status_code == 400
        token = csrf_of(client.get("/author/entrar"))  # a signed-out session's valid token opens nothing either
        response = client.post(f"/author/folhas/{read['id']}/resolver",
                               data={"item-4": "C", "candidate": "12345678", "csrf_token": token})
        assert response.status_code == 302 and "/author/entrar" in response.headers["Location"]
    assert counts(app)["attempts"] == 0


def test_a_confidently_read_sheet_waits_for_confirmation(app, client, scan_exam):  # noqa: F811
    from tests.scan_sheets import fill_sheet, png

    marks = {n: ("full", "CE"[n % 2]) for n in range(1, 11)}
    sheet = fill_sheet(sheet_image(client, scan_exam["id"], 2, 150), 150, ITEMS, marks, "20261606", random.Random(6))
    (read,) = post_scan(client, png(sheet.image), "image/png", scan_exam["id"]).json["sheets"]
    assert read["status"] == "scored" and not read["confirmed"]
    browser, token = sign_in(app)
    listed = browser.get("/author/folhas").get_data(as_text=True)
    assert "0 folhas a revisar" in listed and "Lidas com segurança, a confirmar (1)" in listed
    assert f'<a href="/author/folhas/{read["id"]}">Folha {read["id"]}</a>' in listed
    page = browser.get(f"/author/folhas/{read['id']}").get_data(as_text=True)
    assert "pontuada, a confirmar" in page and ">Confirmar</button>" in page and "<legend>" not in page
    assert browser.post(f"/author/folhas/{read['id']}/confirmar", data={"csrf_token": token}).status_code == 302
    assert client.get(f"{API}/scans/{read['id']}").json["confirmed"]
    assert client.get(f"{API}/scans/{read['id']}/image").status_code == 404  # released
    assert "a confirmar" not in browser.get("/author/folhas").get_data(as_text=True)
