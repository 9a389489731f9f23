"""The author workbench (/author/) through the HTTP test client: sign-in and its session cookie, CSRF,
consumer keys refused, sign-out, review decisions with their ETag conflict and undo, approving an
operator's variants of a subtopic. The same flows in a real browser: tests/test_workbench_browser.py."""

from __future__ import annotations

import re

import pytest

from tests.conftest import make_key

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page) -> str:
    return CSRF.search(page.get_data(as_text=True)).group(1)


def sign_in(app, role: str = "author"):
    """A browser-like client signed in with a new key of `role`; (client, its CSRF token)."""
    browser = app.test_client()
    form = browser.get("/author/entrar")
    response = browser.post("/author/entrar", data={"api_key": make_key(app, role, f"web {role}"),
                                                    "csrf_token": csrf_of(form)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser, csrf_of(browser.get("/author/revisao"))


@pytest.fixture
def variants(seeded):
    """Pending variants of the seed's first four assertions (two each, and their true rewrites)."""
    for assertion in seeded.get("/api/v1/assertions", query_string={"page_size": 4}).json["items"]:
        response = seeded.post(f"/api/v1/assertions/{assertion['id']}/variants", json={"seed": 1, "top": 2})
        assert response.status_code == 201
    return seeded.get("/api/v1/variants", query_string={"status": "pending", "page_size": 100}).json["items"]


def test_sign_in_opens_a_server_side_session_with_a_strict_cookie(app):
    browser = app.test_client()
    assert browser.get("/author/revisao").headers["Location"].startswith("/author/entrar")
    form = browser.get("/author/entrar")
    key = make_key(app, "author", "ana")
    response = browser.post("/author/entrar", data={"api_key": key, "csrf_token": csrf_of(form)})
    assert response.status_code == 302 and response.headers["Location"] == "/author/revisao"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/author" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain HTTP here; over HTTPS it is Secure (below)
    identifier = cookie.split(";")[0].split("=", 1)[1]
    assert key not in cookie and key.split("_")[1] not in identifier
    page = browser.get("/author/revisao")
    assert page.status_code == 200 and "ana (autor)" in page.get_data(as_text=True)
    assert "default-src 'none'; script-src 'self'" in page.headers["Content-Security-Policy"]
    # The API neither sets nor reads the workbench cookie: it still wants a bearer key.
    assert app.test_client().get("/api/v1/topics").status_code == 401
    assert "Set-Cookie" not in browser.get("/healthz").headers


def test_over_https_the_cookie_is_secure(app):
    browser = app.test_client()
    form = browser.get("/author/entrar", base_url="https://localhost")
    response = browser.post("/author/entrar", base_url="https://localhost",
                            headers={"Referer": "https://localhost/author/entrar"},
                            data={"api_key": make_key(app, "admin"), "csrf_token": csrf_of(form)})
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("key, status, says", [
    ("consumer", 403, "chaves de consumidor não entram"),
    ("qbk_0123456789_" + "x" * 43, 403, "chave desconhecida ou revogada"),
    ("", 422, "Informe a sua chave"),
])
def test_consumer_unknown_and_empty_keys_cannot_sign_in(app, key, status, says):
    browser = app.test_client()
    form = browser.get("/author/entrar")
    token = make_key(app, "consumer") if key == "consumer" else key
    response = browser.post("/author/entrar", data={"api_key": token, "csrf_token": csrf_of(form)})
    assert response.status_code == status
    assert says in response.get_data(as_text=True)
    assert browser.get("/author/revisao").status_code == 302  # still signed out


def test_a_revoked_key_ends_its_sessions(app):
    browser, _ = sign_in(app, "author")
    admin = app.test_client()
    admin.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key(app, 'admin')}"
    key_id = next(k["id"] for k in admin.get("/api/v1/keys").json["items"] if k["name"] == "web author")
    assert admin.delete(f"/api/v1/keys/{key_id}").status_code in (200, 204)
    assert browser.get("/author/revisao").status_code == 302


def test_forms_without_the_csrf_token_are_refused(app, variants):
    browser, token = sign_in(app)
    variant = variants[0]
    for data in ({"status": "approved", "etag": f'"variant-{variant["id"]}-v1"'},
                 {"status": "approved", "etag": f'"variant-{variant["id"]}-v1"', "csrf_token": "forged"}):
        response = browser.post(f"/author/revisao/{variant['id']}/decisao", data=data)
        assert response.status_code == 400
        assert "token CSRF" in response.get_data(as_text=True)
    # Nothing changed; the sign-in form is protected too.
    assert app.test_client().post("/author/entrar", data={"api_key": "x"}).status_code == 400
    response = browser.post("/author/sair")
    assert response.status_code == 400
    assert browser.get("/author/revisao").status_code == 200  # still signed in


def test_sign_out_ends_the_session_on_the_server(app):
    browser, token = sign_in(app)
    cookie = browser.get_cookie("qbank_author", path="/author").value
    response = browser.post("/author/sair", data={"csrf_token": token})
    assert response.status_code == 302 and "qbank_author=;" in response.headers["Set-Cookie"]
    assert browser.get("/author/revisao").status_code == 302
    # The old identifier, replayed, opens nothing: the row is gone.
    replay = app.test_client()
    replay.set_cookie("qbank_author", cookie, path="/author")
    assert replay.get("/author/revisao").status_code == 302


def _decide(browser, token, variant_id, status, etag):
    return browser.post(f"/author/revisao/{variant_id}/decisao", headers={"X-Requested-With": "fetch"},
                        data={"status": status, "etag": etag, "csrf_token": token})


def test_decisions_go_through_the_etag_and_the_second_author_gets_the_conflict(app, variants):
    first, first_token = sign_in(app)
    second, second_token = sign_in(app)
    variant = variants[0]
    etag = f'"variant-{variant["id"]}-v{1}"'
    page = first.get("/author/revisao").get_data(as_text=True)
    assert f'data-etag="{etag.replace(chr(34), "&#34;")}"' in page
    response = _decide(first, first_token, variant["id"], "approved", etag)
    assert response.status_code == 200 and 'data-status="approved"' in response.get_data(as_text=True)
    stale = _decide(second, second_token, variant["id"], "rejected", etag)
    assert stale.status_code == 412
    html = stale.get_data(as_text=True)
    assert "Outro autor mudou esta variante" in html and 'data-status="approved"' in html
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key(app, 'admin')}"
    assert api.get(f"/api/v1/variants/{variant['id']}").json["status"] == "approved"  # nothing overwritten


def test_undo_restores_the_last_decision_unless_someone_changed_it_since(app, variants):
    browser, token = sign_in(app)
    a, b = variants[0], variants[1]
    assert _decide(browser, token, a["id"], "approved", f'"variant-{a["id"]}-v1"').status_code == 200
    assert _decide(browser, token, b["id"], "rejected", f'"variant-{b["id"]}-v1"').status_code == 200
    undone = browser.post("/author/revisao/desfazer", headers={"X-Requested-With": "fetch"},
                          data={"csrf_token": token})
    assert undone.status_code == 200 and f'id="variant-{b["id"]}"' in undone.get_data(as_text=True)
    assert 'data-status="pending"' in undone.get_data(as_text=True)
    # Another author changes `a` meanwhile: undoing its approval is refused, nothing overwritten.
    other, other_token = sign_in(app)
    assert _decide(other, other_token, a["id"], "rejected", f'"variant-{a["id"]}-v2"').status_code == 200
    refused = browser.post("/author/revisao/desfazer", headers={"X-Requested-With": "fetch"},
                           data={"csrf_token": token})
    assert refused.status_code == 412 and 'data-status="rejected"' in refused.get_data(as_text=True)
    empty = browser.post("/author/revisao/desfazer", headers={"X-Requested-With": "fetch"},
                         data={"csrf_token": token})
    assert empty.status_code == 204
    progress = re.search(r"<strong>(\d+) de (\d+) revisadas</strong>", browser.get("/author/revisao").get_data(
        as_text=True))
    assert progress.group(1) == "1" and int(progress.group(2)) == len(variants)


def test_edit_in_place_and_its_refusals(app, variants):
    browser, token = sign_in(app)
    variant = variants[0]
    url = f"/author/revisao/{variant['id']}/edicao"
    fetch = {"X-Requested-With": "fetch"}
    empty = browser.post(url, headers=fetch, data={"text": " ", "explanation": "x", "csrf_token": token,
                                                   "etag": f'"variant-{variant["id"]}-v1"'})
    assert empty.status_code == 422 and "não podem ficar vazios" in empty.get_data(as_text=True)
    saved = browser.post(url, headers=fetch, data={"text": variant["text"] + " Sempre.", "explanation": "Nova.",
                                                   "csrf_token": token, "etag": f'"variant-{variant["id"]}-v1"'})
    assert saved.status_code == 200 and "Sempre." in saved.get_data(as_text=True)
    stale = browser.post(url, headers=fetch, data={"text": "Outro texto.", "explanation": "x", "csrf_token": token,
                                                   "etag": f'"variant-{variant["id"]}-v1"'})
    assert stale.status_code == 412 and "Sempre." in stale.get_data(as_text=True)


def test_filters_and_bad_filters(app, variants):
    browser, _ = sign_in(app)
    operator = variants[0]["operator"]
    page = browser.get("/author/revisao", query_string={"operator": operator, "risk": "baixo"}).get_data(as_text=True)
    shown = re.findall(r'<dl class="facts">\s*<div><dt>Operador</dt><dd>([^<]+)</dd>', page)
    assert shown and set(shown) == {operator}
    for bad in ({"topic": "abc"}, {"status": "lost"}, {"risk": "enorme"}):
        response = browser.get("/author/revisao", query_string=bad)
        assert response.status_code == 400, bad


def test_approving_one_operator_of_a_subtopic_asks_first(app, variants):
    browser, token = sign_in(app)
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key(app, 'admin')}"
    first = api.get(f"/api/v1/assertions/{variants[0]['assertion_id']}").json
    operator = variants[0]["operator"]
    subtopic = first["subtopic_id"]
    confirm = browser.get("/author/revisao/aprovar-operador", query_string={"subtopic": subtopic,
                                                                             "operator": operator})
    count = int(re.search(r"Aprovar <strong>(\d+)</strong>", confirm.get_data(as_text=True)).group(1))
    assert count >= 1
    done = browser.post("/author/revisao/aprovar-operador", data={"subtopic": subtopic, "operator": operator,
                                                                  "csrf_token": token})
    assert done.status_code == 302 and f"aprovadas={count}" in done.headers["Location"]
    left = [v for v in api.get("/api/v1/variants", query_string={"status": "pending", "operator": operator,
                                                                   "page_size": 100}).json["items"]]
    assert all(api.get(f"/api/v1/assertions/{v['assertion_id']}").json["subtopic_id"] != subtopic for v in left)
    assert browser.get("/author/revisao/aprovar-operador", query_string={"subtopic": "x"}).status_code == 400


def test_without_a_configured_secret_each_installation_makes_its_own(tmp_path, database_url):
    from app import create_app
    from app.config import TestConfig

    first = create_app(TestConfig, DATABASE_URL=database_url, SECRET_KEY=None, SECRET_KEY_FILE=str(tmp_path / "a"))
    again = create_app(TestConfig, DATABASE_URL=database_url, SECRET_KEY=None, SECRET_KEY_FILE=str(tmp_path / "a"))
    other = create_app(TestConfig, DATABASE_URL=database_url, SECRET_KEY=None, SECRET_KEY_FILE=str(tmp_path / "b"))
    assert first.config["SECRET_KEY"] == again.config["SECRET_KEY"] != other.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32 and (tmp_path / "a").stat().st_mode & 0o777 == 0o600
    (tmp_path / "c").write_text("short")
    with pytest.raises(RuntimeError, match="no usable secret"):
        create_app(TestConfig, DATABASE_URL=database_url, SECRET_KEY=None, SECRET_KEY_FILE=str(tmp_path / "c"))


def test_the_last_card_leads_to_the_next_pending_ones(app, seeded):
    topic = seeded.get("/api/v1/topics").json["items"][0]
    assert seeded.post(f"/api/v1/topics/{topic['id']}/variants", json={"seed": 1, "top": 1}).status_code == 201
    browser, _ = sign_in(app)
    page = browser.get("/author/revisao").get_data(as_text=True)
    assert page.count('class="card ') == 50
    # Pending: the same page again (the reviewed ones have left the queue); other statuses: the next page.
    assert 'data-next="/author/revisao?status=pending"' in page
    everything = browser.get("/author/revisao", query_string={"status": "all"}).get_data(as_text=True)
    assert 'data-next="/author/revisao?status=all&amp;page=2"' in everything
