"""The author workbench in a real browser: Debian's chromium driven by Playwright (never a browser that
Playwright downloads). The app is served from a thread on a local port; every step is typed on the
keyboard as an author would: sign in, review 20 variants, undo, a stale edit shows the conflict, a form
without its CSRF token is refused, a consumer key cannot sign in, sign-out ends the session. Screenshots
land under build/workbench/ to be looked at; axe-core (tests/interop, npm) checks each page.

Runs on both databases like the rest of the suite."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import ROOT, make_key, require
from tests.test_scans import scan_exam  # noqa: F401 (a fixture)
from tests.test_workbench_scans import waiting  # noqa: F401 (a fixture)

SHOTS = ROOT / "build" / "workbench"
AXE = ROOT / "tests" / "interop" / "node_modules" / "axe-core" / "axe.min.js"
PORTS = range(8150, 8160)


def _chromium() -> str:
    found = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)
    if found is None:
        require("Chromium", "no chromium on PATH (Debian package `chromium`)")
    return found


@pytest.fixture(scope="module")
def chromium():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return 0


@pytest.fixture
def server(app):
    """The app served over HTTP from a thread; its base URL."""
    http = make_server("127.0.0.1", _free_port(), app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join(5)


@pytest.fixture
def page(chromium, server):
    context = chromium.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="pt-BR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def variants(seeded):
    topic = seeded.get("/api/v1/topics").json["items"][0]
    response = seeded.post(f"/api/v1/topics/{topic['id']}/variants", json={"seed": 1, "top": 1})
    assert response.status_code == 201
    return response.json


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def wait_for_focus(page, script: str, expected: str) -> None:
    """Wait (up to 5 s) until `script` names `expected`: the HTML `autofocus` attribute is applied at the
    browser's next rendering step, which may come after the load event, so reading the focus at once races."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(f"() => ({script}) === {json.dumps(expected)}", timeout=5000)
    except PlaywrightTimeout:
        raise AssertionError(f"the focus is on {page.evaluate(script)!r}, not {expected!r}") from None


def sign_in_by_keyboard(page, key: str) -> None:
    page.goto("/author/revisao")
    assert page.url.endswith("/author/entrar?next=/author/revisao")
    wait_for_focus(page, "document.activeElement.id", "api_key")  # the key field has the focus on arrival
    page.keyboard.type(key)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        require("axe-core", "run `npm ci --prefix tests/interop`")
    # Evaluated through the DevTools protocol: the page's Content-Security-Policy forbids inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"]]


def progress(page) -> str:
    return page.inner_text("#progress strong")


def test_review_twenty_variants_by_keyboard_and_undo(app, page, variants):
    sign_in_by_keyboard(page, make_key(app, "author", "Ana Autora"))
    assert page.url.endswith("/author/revisao")
    total = int(progress(page).split(" de ")[1].split()[0])
    assert progress(page) == f"0 de {total} revisadas" and total >= 21
    ids = page.eval_on_selector_all(".card", "cards => cards.map(c => c.dataset.id)")
    wait_for_focus(page, "document.activeElement.dataset.id", ids[0])  # the first card has the focus
    shot(page, "queue")
    assert axe_violations(page) == []
    decisions = {}
    for n, variant_id in enumerate(ids[:20]):
        assert page.evaluate("document.activeElement.dataset.id") == variant_id
        key, status = ("a", "approved") if n % 4 else ("r", "rejected")
        page.keyboard.press(key)
        page.wait_for_selector(f'#variant-{variant_id}[data-status="{status}"]')
        decisions[variant_id] = status
        page.wait_for_function(f"document.activeElement.dataset.id === '{ids[n + 1]}'")
    assert progress(page) == f"20 de {total} revisadas"
    page.keyboard.press("k")  # back to the 20th
    assert page.evaluate("document.activeElement.dataset.id") == ids[19]
    page.keyboard.press("j")
    page.keyboard.press("u")  # undo the last decision: the 20th is pending again
    page.wait_for_selector(f'#variant-{ids[19]}[data-status="pending"]')
    assert progress(page) == f"19 de {total} revisadas"
    assert "Decisão desfeita" in page.inner_text(f"#variant-{ids[19]} .message")
    page.keyboard.press("?")
    assert page.is_visible("#help") and "desfazer a última decisão" in page.inner_text("#help")
    page.keyboard.press("Escape")
    assert not page.is_visible("#help")
    # The server agrees: 19 decisions stored, the 20th back in the queue.
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key(app, 'admin')}"
    for variant_id, status in list(decisions.items())[:19]:
        assert api.get(f"/api/v1/variants/{variant_id}").json["status"] == status
    assert api.get(f"/api/v1/variants/{ids[19]}").json["status"] == "pending"
    page.reload()
    assert progress(page) == f"19 de {total} revisadas"


def test_a_stale_edit_shows_the_conflict_in_the_card(app, page, variants):
    sign_in_by_keyboard(page, make_key(app, "author"))
    variant_id = page.evaluate("document.activeElement.dataset.id")
    page.keyboard.press("e")
    textarea = f"#variant-{variant_id}-text"
    assert page.evaluate("document.activeElement.id") == textarea[1:]
    page.keyboard.type(" Texto do autor.")  # the caret waits at the end of the text
    shot(page, "card-edit")
    # Meanwhile another author approves the same variant through the API.
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key(app, 'author', 'Bia')}"
    etag = api.get(f"/api/v1/variants/{variant_id}").headers["ETag"]
    assert api.patch(f"/api/v1/variants/{variant_id}", json={"status": "approved"},
                     headers={"If-Match": etag}).status_code == 200
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f"#variant-{variant_id} .message-conflict")
    card = page.inner_text(f"#variant-{variant_id}")
    assert "Outro autor mudou esta variante" in card and "aprovada" in card
    assert "Texto do autor." not in api.get(f"/api/v1/variants/{variant_id}").json["text"]
    shot(page, "card-conflict")


def test_consumer_key_csrf_and_sign_out(app, page):
    sign_in_by_keyboard(page, make_key(app, "consumer"))
    assert "chaves de consumidor não entram" in page.inner_text(".error")
    assert page.url.endswith("/author/entrar")
    assert axe_violations(page) == []
    page.fill("#api_key", make_key(app, "admin", "Admin"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/author/revisao")
    # A form posted without its CSRF token is refused, and nothing happens (still signed in).
    page.evaluate("document.querySelector('.signout input[name=csrf_token]').remove()")
    with page.expect_navigation():
        page.click(".signout button")
    assert "token CSRF" in page.inner_text("main")
    page.goto("/author/revisao")
    assert page.url.endswith("/author/revisao")
    # Sign-out, by keyboard: the button is reachable with Tab.
    signed_in = {c["value"] for c in page.context.cookies() if c["name"] == "qbank_author"}
    page.focus(".signout button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/author/entrar")
    # The sign-in form opens a new anonymous session for its CSRF token; the signed-in one is gone.
    assert not signed_in & {c["value"] for c in page.context.cookies() if c["name"] == "qbank_author"}
    page.goto("/author/revisao")
    assert "/author/entrar" in page.url


KEYBOARD_CHECK = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex="0"]';
  const shown = Array.from(document.querySelectorAll(selector)).filter(el => el.checkVisibility() && !el.disabled);
  // A group of radio buttons is one Tab stop (the arrows move inside it): count each group once.
  const groups = new Set(shown.filter(el => el.type === 'radio').map(el => el.name));
  return shown.filter(el => el.type !== 'radio').length + groups.size;
}"""
FOCUS_STEP = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const marked = el.dataset.reached === '1';
  el.dataset.reached = '1';
  return {tag: el.tagName, marked: marked, outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px'};
}"""


def keyboard_pass(page) -> None:
    """Tab through the page: every visible control is reached, each with a visible focus ring."""
    controls = page.evaluate(KEYBOARD_CHECK)
    reached, unringed = 0, []
    for _ in range(controls + 5):
        page.keyboard.press("Tab")
        step = page.evaluate(FOCUS_STEP)
        if step["tag"] == "BODY" or step["marked"]:
            continue
        reached += 1
        if not step["outline"]:
            unringed.append(step["tag"])
    assert reached >= controls, f"{page.url}: {reached} of {controls} controls reached by Tab"
    assert not unringed, f"{page.url}: focus not visible on {unringed}"


def test_bank_upload_exam_builder_and_accessibility(app, page, variants):
    sign_in_by_keyboard(page, make_key(app, "author"))
    page.goto("/author/revisao?status=all&risk=alto")
    keyboard_pass(page)
    page.goto("/author/banco")
    assert axe_violations(page) == []
    keyboard_pass(page)
    page.click("text=MLOps - implantação")
    page.click("table a >> nth=0")
    assert "Item 1" in page.inner_text("main")
    shot(page, "bank")
    assert axe_violations(page) == []
    # A malformed seed document: its bad line is shown beside the text, nothing imported.
    page.goto("/author/banco/importar")
    bad = "Pergunta Original: 1.1 Direito\n\n1. Subtópico:\n1. Princípios.\nAssertivas:\n1. Uma.\n1. Repetida.\n"
    page.set_input_files("#u-file", files=[{"name": "ruim.txt", "mimeType": "text/plain", "buffer": bad.encode()}])
    page.click("text=Conferir (simulação)")
    row = page.locator("#line-7")
    assert "bad" in row.get_attribute("class") and "1. Repetida." in row.inner_text()
    assert row.locator(".why").inner_text().strip()
    shot(page, "upload-errors")
    assert axe_violations(page) == []
    keyboard_pass(page)
    # The exam builder → its preview with the key and the export links.
    page.goto("/author/provas")
    assert axe_violations(page) == []
    keyboard_pass(page)
    page.fill("#e-items", "10")
    page.fill("#e-seed", "3")
    page.check("#e-unreviewed")
    shot(page, "exam-builder")
    with page.expect_navigation():
        page.click("text=Montar a prova")
    assert len(page.locator("tbody tr").all()) == 10
    shot(page, "exam-preview")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.click('a[href*="formato=moodle"]')
    assert download.value.suggested_filename.endswith(".xml")


def test_a_scanned_sheet_resolved_by_keyboard(app, page, client, scan_exam, waiting):  # noqa: F811
    """Folhas: the list and a sheet's page pass axe and the Tab pass; the ambiguous item's choice and
    the candidate number are typed, the form sent with Enter, the attempt scored."""
    read, _ = waiting
    sign_in_by_keyboard(page, make_key(app, "author"))
    page.goto("/author/folhas")
    assert f"Revisar a folha {read['id']}" in page.inner_text("main")
    assert axe_violations(page) == []
    keyboard_pass(page)
    page.click(f"text=Revisar a folha {read['id']}")
    page.wait_for_load_state("load")  # the scan too, fetched through the session
    assert page.evaluate("document.querySelector('img.scan').naturalWidth") > 0 and page.is_visible("img.scan")
    shot(page, "scan-sheet")
    assert axe_violations(page) == []
    keyboard_pass(page)
    page.focus("#item-4-C")
    page.keyboard.press("ArrowRight")  # radios of one item: the arrows move the choice
    assert page.evaluate("document.activeElement.id") == "item-4-E" and page.is_checked("#item-4-E")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "candidate"
    page.keyboard.type("20261605")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Folha resolvida" in page.inner_text("main")
    assert axe_violations(page) == []
    sheet = client.get(f"/api/v1/scans/{read['id']}").json
    attempt = client.get(f"/api/v1/exams/{scan_exam['id']}/attempts/{sheet['attempt_id']}").json
    assert {i["number"]: i["answer"] for i in attempt["items"]}[4] == "E" and attempt["candidate"] == "20261605"
