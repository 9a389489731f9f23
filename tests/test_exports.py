"""Exports: the PDF read back as text, the HTML print view in a real browser, LMS formats
validated (QTI against the official schemas), tricky text, and the lossless bank round trip."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from app.services.export.document import SHEET_PER_PAGE
from app.services.export.pdf import PAGE_H, PAGE_W, bubble_positions
from tests.conftest import ROOT, approve_all_variants, require
from tests.test_bank_api import assert_problem

API = "/api/v1"
# The published QTI/CP schemas live beside the project (../shared/qti21-xsd); QBANK_QTI_XSD overrides.
XSD_DIR = Path(os.environ.get("QBANK_QTI_XSD") or ROOT.parent / "shared" / "qti21-xsd")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        require(name, f"`{name}` is not on PATH (Debian: poppler-utils / chromium)")
    return path


def squash(text: str) -> str:
    """Text without whitespace or hyphens: line breaks and hyphenation in a PDF do not matter then."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def pdf_text(pdf: bytes, tmp_path: Path, first: int | None = None, last: int | None = None, *,
             raw: bool = False) -> str:
    """The PDF's text; `raw` keeps the order the lines were drawn in, which a browser's widely
    justified lines need (pdftotext's own reading order can split such a line in two)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    args = [tool("pdftotext")] + (["-raw"] if raw else [])
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def two_column_text(pdf: bytes, tmp_path: Path, page: int) -> str:
    """One page read the way a candidate reads it: the left column, then the right one."""
    path = tmp_path / "columns.pdf"
    path.write_bytes(pdf)
    half = int(PAGE_W // 2)
    parts = []
    for x in (0, half):
        parts.append(subprocess.run(
            [tool("pdftotext"), "-f", str(page), "-l", str(page), "-x", str(x), "-y", "0", "-W", str(half),
             "-H", str(int(PAGE_H)), str(path), "-"], capture_output=True, text=True, check=True).stdout)
    return "\n".join(parts)


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    info = subprocess.run([tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.fixture
def exam(seeded):
    topic = seeded.get(f"{API}/topics").json["items"][0]
    assert seeded.post(f"{API}/topics/{topic['id']}/variants", json={"seed": 1, "top": 3}).status_code == 201
    approve_all_variants(seeded)
    response = seeded.post(f"{API}/exams", json={"items": 40, "seed": 5, "use_unreviewed": True,
                                                 "title": "Simulado de MLOps", "versions": 2})
    assert response.status_code == 201
    return response.json


def export(client, exam, fmt, **params):
    query = "&".join(f"{k}={v}" for k, v in {"format": fmt, **params}.items())
    response = client.get(f"{API}/exams/{exam['id']}/export?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def test_pdf_has_every_item_in_order_blocks_cover_sheet_and_key(seeded, exam, tmp_path):
    response = export(seeded, exam, "pdf", key="commented")
    assert response.headers["Content-Type"] == "application/pdf"
    assert 'filename="prova-' in response.headers["Content-Disposition"]
    pdf = response.data
    assert pdf.startswith(b"%PDF")
    pages = pdf_pages(pdf, tmp_path)
    text = pdf_text(pdf, tmp_path)
    flat = squash(text)
    # Cover: the rule and how to mark the sheet.
    assert "INSTRUÇÕES" in text and "Simulado de MLOps" in text
    assert squash("cada item julgado corretamente vale +1 ponto") in flat
    assert squash("julgado incorretamente vale −1 ponto") in flat and squash("em branco vale 0 ponto") in flat
    # Every item, number then full text, in numbering order, reading each page column by column.
    sheet_page = next(p for p in range(1, pages + 1) if "FOLHA DE RESPOSTAS" in pdf_text(pdf, tmp_path, p, p))
    body = squash("".join(two_column_text(pdf, tmp_path, p) for p in range(2, sheet_page)))
    position = 0
    for item in exam["items"]:
        needle = squash(f"{item['number']} {item['text']}")
        found = body.find(needle, position)
        assert found >= 0, f"item {item['number']} missing or out of order"
        position = found + len(needle)
    for block in exam["blocks"]:
        assert squash(block["heading"]) in body
    # Page n/m on every page.
    for n in range(1, pages + 1):
        assert f"Página {n}/{pages}" in text
    # The answer sheet: every item number once, with its C and E bubbles.
    sheet = pdf_text(pdf, tmp_path, sheet_page, sheet_page)
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", sheet, flags=re.M)]
    assert sorted(set(range(1, 41)) & set(numbers)) == list(range(1, 41))
    assert sheet.count("C") >= 40 and sheet.count("E") >= 40
    # The commented key: each false item's explanation and original sentence.
    key = seeded.get(f"{API}/exams/{exam['id']}/key").json["items"]
    assert "GABARITO COMENTADO" in text
    for entry in key:
        if entry["label"] == "E":
            assert squash(entry["explanation"]) in flat
            assert squash(entry["original"]) in flat


def test_pdf_without_key_has_no_key_and_versions_differ(seeded, exam, tmp_path):
    plain = pdf_text(export(seeded, exam, "pdf").data, tmp_path)
    assert "GABARITO" not in plain and "Caderno 1" in plain
    second = pdf_text(export(seeded, exam, "pdf", version=2).data, tmp_path)
    assert "Caderno 2" in second
    v2 = seeded.get(f"{API}/exams/{exam['id']}?version=2").json
    assert squash(f"1 {v2['items'][0]['text']}") in squash(second)


def test_answer_sheet_geometry_is_fixed_and_fits_120_items_a_page():
    pairs = bubble_positions(120)
    assert {p.page for p in pairs} == {0} and len(pairs) == SHEET_PER_PAGE == 120
    for p in pairs:
        for x, y in (p.c, p.e):
            assert p.radius < x < PAGE_W - p.radius and 20 < y < PAGE_H - 150
        assert p.e[0] - p.c[0] > 2 * p.radius  # the two bubbles do not touch
    rows = sorted({round(p.c[1], 3) for p in pairs}, reverse=True)
    assert len(rows) == 30 and min(a - b for a, b in zip(rows, rows[1:], strict=False)) > 2 * pairs[0].radius
    assert bubble_positions(121)[120].page == 1 and bubble_positions(121)[120].c == pairs[0].c
    assert bubble_positions(40) == pairs[:40]  # the same places whatever the exam


def test_pdf_of_more_than_120_items_gets_a_second_sheet(client, tmp_path):
    topic = client.post(f"{API}/topics", json={"code": "3", "title": "Volume"}).json
    sub = client.post(f"{API}/topics/{topic['id']}/subtopics", json={"title": "Bloco único"}).json
    for n in range(1, 131):
        client.post(f"{API}/subtopics/{sub['id']}/assertions", json={
            "text": f"A afirmação número {n} deste bloco é verdadeira.", "status": "published"})
    exam = client.post(f"{API}/exams", json={"items": 130, "false_ratio": 0}).json
    text = pdf_text(export(client, exam, "pdf").data, tmp_path)
    assert "FOLHA DE RESPOSTAS (1/2)" in text and "FOLHA DE RESPOSTAS (2/2)" in text


TRICKY = [
    'O "princípio" da legalidade & a <moralidade> {não} se confundem: ~ = # \\ são símbolos.',
    "A sigla CI/CD reúne integração e entrega contínuas 🚀 — com travessão e “aspas curvas”.",
    "Item longo: " + "a administração pública obedece aos princípios constitucionais " * 30 + "fim.",
]


@pytest.fixture
def tricky_exam(client):
    topic = client.post(f"{API}/topics", json={"code": "4", "title": "Texto difícil & <especial>"}).json
    sub = client.post(f"{API}/topics/{topic['id']}/subtopics", json={"title": "Símbolos {e} \"aspas\""}).json
    for text in TRICKY:
        assert client.post(f"{API}/subtopics/{sub['id']}/assertions",
                           json={"text": text, "status": "published"}).status_code == 201
    assert client.post(f"{API}/subtopics/{sub['id']}/assertions", json={
        "text": "Falso & <errado> {sempre}.", "label": "E", "status": "published",
        "explanation": "ERRADO. Porque #1 & {2} < 3.",
    }).status_code == 201
    response = client.post(f"{API}/exams", json={"items": 4, "false_ratio": 0.25, "seed": 1})
    assert response.status_code == 201, response.json
    return response.json


def test_tricky_text_survives_every_format(client, tricky_exam, tmp_path):
    from lxml import etree

    texts = {i["number"]: i["text"] for i in tricky_exam["items"]}
    pdf = export(client, tricky_exam, "pdf", key="commented").data
    flat = squash(pdf_text(pdf, tmp_path))
    assert squash('O "princípio" da legalidade & a <moralidade> {não} se confundem') in flat
    assert squash(TRICKY[2][:200]) in flat
    html = export(client, tricky_exam, "html", key="commented").get_data(as_text=True)
    html = html.replace("\u00ad", "")  # the columns carry soft hyphens
    assert "&lt;moralidade&gt;" in html and "<moralidade>" not in html
    moodle = etree.fromstring(export(client, tricky_exam, "moodle").data)
    assert sorted(moodle.xpath("//question[@type='truefalse']/questiontext/text/text()")) == sorted(texts.values())
    gift = export(client, tricky_exam, "gift").get_data(as_text=True)
    assert r"\{não\}" in gift and r"\~ \= \# \\ são" in gift and r"Porque \#1 & \{2\} < 3." in gift
    rows = list(csv.reader(io.StringIO(export(client, tricky_exam, "csv").data.decode("utf-8-sig"))))
    assert rows[0] == ["number", "block", "text", "label", "explanation"]
    assert {r[2] for r in rows[1:]} == set(texts.values())
    document = json.loads(export(client, tricky_exam, "json").data)
    assert {i["text"] for b in document["blocks"] for i in b["items"]} == set(texts.values())
    assert_qti_valid(export(client, tricky_exam, "qti").data, texts)


def qti_schemas():
    from lxml import etree

    if not (XSD_DIR / "qtiv2p1" / "imsqti_v2p1.xsd").is_file():
        require("the QTI schemas", f"{XSD_DIR} is missing (../shared/qti21-xsd, or set QBANK_QTI_XSD)")
    qti = etree.XMLSchema(etree.parse(str(XSD_DIR / "qtiv2p1" / "imsqti_v2p1.xsd")))
    cp = etree.XMLSchema(etree.parse(str(XSD_DIR / "imscp_v1p1.xsd")))
    return qti, cp


def assert_qti_valid(package: bytes, texts: dict[int, str]) -> None:
    from lxml import etree

    qti, cp = qti_schemas()
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        names = z.namelist()
        assert "imsmanifest.xml" in names and "test.xml" in names
        cp.assertValid(etree.fromstring(z.read("imsmanifest.xml")))
        qti.assertValid(etree.fromstring(z.read("test.xml")))
        items = [n for n in names if n.startswith("items/")]
        assert len(items) == len(texts)
        ns = {"q": "http://www.imsglobal.org/xsd/imsqti_v2p1"}
        for name in items:
            item = etree.fromstring(z.read(name))
            qti.assertValid(item)
            number = int(re.search(r"item-(\d+)", name).group(1))
            assert item.findtext("q:itemBody/q:p", namespaces=ns) == texts[number]
            choices = item.xpath("//q:simpleChoice/text()", namespaces=ns)
            assert choices == ["Certo", "Errado"]
            values = {e.get("mapKey"): e.get("mappedValue") for e in item.iterfind(".//q:mapEntry", ns)}
            correct = item.findtext(".//q:correctResponse/q:value", namespaces=ns)
            assert values[correct] == "1" and set(values.values()) == {"1", "-1"}
            assert item.find("q:responseProcessing", ns).get("template").endswith("rptemplates/map_response")


def test_qti_package_validates_against_the_official_schemas(seeded, exam):
    texts = {i["number"]: i["text"] for i in exam["items"]}
    assert_qti_valid(export(seeded, exam, "qti").data, texts)


def test_moodle_and_gift_structure(seeded, exam):
    from lxml import etree

    key = {k["number"]: k for k in seeded.get(f"{API}/exams/{exam['id']}/key").json["items"]}
    moodle = etree.fromstring(export(seeded, exam, "moodle").data)
    categories = moodle.xpath("//question[@type='category']/category/text/text()")
    assert len(categories) == len(exam["blocks"]) and all("Simulado de MLOps" in c for c in categories)
    questions = moodle.xpath("//question[@type='truefalse']")
    assert len(questions) == 40
    for question in questions:
        number = int(question.findtext("name/text").split()[-1])
        right = question.xpath("answer[@fraction='100']/text/text()")[0]
        assert right == ("true" if key[number]["label"] == "C" else "false")
        assert question.findtext("penalty") == "1"
        if key[number]["label"] == "E":
            assert question.findtext("generalfeedback/text").startswith("ERRADO.")
    gift = export(seeded, exam, "gift").get_data(as_text=True)
    assert gift.count("$CATEGORY:") == len(exam["blocks"])
    answers = re.findall(r"^::Item (\d+)::.*\{([TF])#", gift, flags=re.M)
    assert {int(n): "C" if a == "T" else "E" for n, a in answers} == {n: k["label"] for n, k in key.items()}


def test_html_print_view_in_a_real_browser(seeded, exam, tmp_path):
    chromium = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)
    if chromium is None:
        require("Chromium", "no chromium on PATH (Debian package `chromium`)")
    html = export(seeded, exam, "html", key="true")
    assert html.headers["Content-Type"].startswith("text/html")
    page = tmp_path / "exam.html"
    page.write_bytes(html.data)
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    shot = tmp_path / "exam.png"
    printed = tmp_path / "printed.pdf"
    subprocess.run([*flags, "--window-size=1280,1800", f"--screenshot={shot}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    subprocess.run([*flags, f"--print-to-pdf={printed}", "--no-pdf-header-footer", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    text = pdf_text(printed.read_bytes(), tmp_path, raw=True)
    flat = squash(text)
    assert "INSTRUÇÕES" in text and "FOLHA DE RESPOSTAS" in text and "GABARITO" in text
    for item in exam["items"]:
        assert squash(item["text"]) in flat
    pages = pdf_pages(printed.read_bytes(), tmp_path)
    assert pages >= 4  # cover, items, answer sheet and key each start a page
    artifacts = ROOT / "build" / "print-view"
    artifacts.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, artifacts / "exam.png")


def test_export_errors_are_client_errors(seeded, exam):
    assert_problem(seeded.get(f"{API}/exams/{exam['id']}/export?format=docx"), 422, field="format")
    assert_problem(seeded.get(f"{API}/exams/{exam['id']}/export?format=pdf&version=3"), 422, field="version")
    assert_problem(seeded.get(f"{API}/exams/{exam['id']}/export?format=pdf&key=maybe"), 422, field="key")
    assert_problem(seeded.get(f"{API}/exams/999999/export?format=pdf"), 404)


def test_cli_exports_an_issued_exam_and_a_new_one(runner, exam, tmp_path):
    out = tmp_path / "caderno.pdf"
    result = runner.invoke("exam", "--id", str(exam["id"]), "--format", "pdf", "--key", "true", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    gift = runner.invoke("exam", "--topic", "9.3", "--items", "6", "--seed", "2", "--unreviewed", "--format", "gift")
    assert gift.exit_code == 0 and gift.stdout.count("::Item ") == 6
    binary = runner.invoke("exam", "--id", str(exam["id"]), "--format", "qti")
    assert binary.exit_code != 0 and "-o" in binary.output


# --- bank export and import ---------------------------------------------------------------------


def _comparable(document: bytes) -> dict:
    return json.loads(document)


def test_bank_json_round_trip_is_lossless(seeded):
    topic = seeded.get(f"{API}/topics").json["items"][0]
    assertion = seeded.get(f"{API}/assertions?page_size=3").json["items"]
    seeded.patch(f"{API}/assertions/{assertion[0]['id']}", json={"label": "E", "explanation": "ERRADO. Ajustado.",
                                                                  "status": "draft"})
    seeded.patch(f"{API}/assertions/{assertion[1]['id']}", json={"status": "retired"})
    variants = seeded.post(f"{API}/assertions/{assertion[2]['id']}/variants", json={"top": 3}).json["items"]
    seeded.patch(f"{API}/variants/{variants[0]['id']}", json={"status": "approved"})
    seeded.patch(f"{API}/variants/{variants[1]['id']}", json={"status": "rejected"})
    seeded.post(f"{API}/assertions/{assertion[2]['id']}/variants",
                json={"text": "Uma variante escrita à mão.", "explanation": "ERRADO. À mão."})
    before = seeded.get(f"{API}/topics/{topic['id']}/export?format=json")
    assert before.headers["Content-Type"].startswith("application/json")
    document = _comparable(before.data)
    assert document["format"] == "qbank-bank"
    exported_variants = document["topics"][0]["subtopics"][0]["assertions"][2]["variants"]
    expected = {"approved", "rejected"} | ({"pending"} if len(variants) > 2 else set())
    assert {v["status"] for v in exported_variants} == expected
    assert sum(1 for s in document["topics"][0]["subtopics"] for a in s["assertions"] if a["depends_on"]) == 4
    # Delete the topic and bring it back from the document.
    assert seeded.delete(f"{API}/topics/{topic['id']}?cascade=true").status_code == 204
    restored = seeded.post(f"{API}/imports", data=before.data, content_type="application/json")
    assert restored.status_code == 201, restored.json
    assert restored.json["assertions"]["created"] == 80 and restored.json["variants"]["created"] == len(variants) + 1
    new_topic = seeded.get(f"{API}/topics").json["items"][0]
    after = seeded.get(f"{API}/topics/{new_topic['id']}/export?format=json")
    assert _comparable(after.data) == document
    # Importing it once more changes nothing.
    again = seeded.post(f"{API}/imports", data=before.data, content_type="application/json").json
    assert again["assertions"] == {"created": 0, "updated": 0, "unchanged": 80}
    assert again["variants"] == {"created": 0, "updated": 0, "unchanged": len(variants) + 1}


def test_bank_seed_export_round_trips_texts(seeded, seed_bytes):
    topic = seeded.get(f"{API}/topics").json["items"][0]
    text = seeded.get(f"{API}/topics/{topic['id']}/export?format=seed")
    assert text.headers["Content-Type"].startswith("text/plain")
    again = seeded.post(f"{API}/imports?name=seed.txt", data=text.data, content_type="text/plain")
    assert again.status_code == 201
    # Same texts, numbers and back-references; only provenance lines differ from the original file.
    assert again.json["assertions"]["created"] == 0
    assert again.json["topics"]["unchanged"] + again.json["topics"]["updated"] == 1


def test_bank_json_import_rejects_bad_documents_whole(seeded):
    before = seeded.get(f"{API}/assertions?page_size=1").json["total"]
    body = assert_problem(seeded.post(f"{API}/imports", data=b"{not json", content_type="application/json"), 422)
    assert "not a JSON document" in body["detail"]
    bad = {"format": "qbank-bank", "version": 1, "topics": [{"code": "5", "title": "X", "subtopics": [
        {"number": 1, "title": "S", "assertions": [{"number": 1, "text": "Ok."},
                                                    {"number": 2, "text": "Ref.", "depends_on": 3}]}]}]}
    body = assert_problem(seeded.post(f"{API}/imports", json=bad), 422)
    assert body["errors"][0]["field"] == "topics.0.subtopics.0.assertions.1.depends_on"
    wrong_label = json.loads(json.dumps(bad))
    wrong_label["topics"][0]["subtopics"][0]["assertions"] = [{"number": 1, "text": "X", "label": "Z"}]
    body = assert_problem(seeded.post(f"{API}/imports", json=wrong_label), 422)
    assert body["errors"][0]["field"] == "topics.0.subtopics.0.assertions.0.label"
    assert seeded.get(f"{API}/assertions?page_size=1").json["total"] == before


# Words the pt-BR patterns split badly, put at many different places in a line so that some of them
# end up at a column's edge: (filler words before them) x (sentence).
ENGLISH_TERMS = [
    "o machine learning depende de pipelines de dados e de benchmarks publicados",
    "o DevOps e o GitHub organizam notebooks, frameworks e datasets de treinamento",
    "o Kubernetes orquestra containers com o monitoring contínuo do deployment",
]


def test_pdf_hyphenates_english_terms_the_english_way_and_never_splits_names(client, tmp_path):
    from app.services.export.hyphenation import exceptions

    topic = client.post(f"{API}/topics", json={"code": "5", "title": "Termos em inglês"}).json
    sub = client.post(f"{API}/topics/{topic['id']}/subtopics", json={"title": "Ferramentas"}).json
    fillers = ["", "Na", "Na prática,", "Na prática, em", "Na prática, em geral,", "Na prática, em geral, no",
               "Hoje", "Hoje em", "Hoje em dia,", "Hoje em dia, na", "Hoje em dia, na maioria", "Já"]
    for filler in fillers:
        for sentence in ENGLISH_TERMS:
            text = f"{filler} {sentence}.".strip()
            assert client.post(f"{API}/subtopics/{sub['id']}/assertions",
                               json={"text": text[0].upper() + text[1:], "status": "published"}).status_code == 201
    items = len(fillers) * len(ENGLISH_TERMS)
    exam = client.post(f"{API}/exams", json={"items": items, "false_ratio": 0, "seed": 1}).json
    pdf = export(client, exam, "pdf").data
    # Lines in the order they were drawn, one text line each, column after column.
    lines = [line.strip() for line in pdf_text(pdf, tmp_path, raw=True).splitlines()]
    breaks = []  # (head, whole word) of every word hyphenated at a line's end
    for line, following in zip(lines, lines[1:], strict=False):
        head = re.search(r"([A-Za-zÀ-ÿ]+)-$", line)
        tail = re.match(r"([A-Za-zÀ-ÿ]+)", following)
        if head and tail:
            breaks.append((head.group(1), head.group(1) + tail.group(1)))
    table = exceptions()
    english = [(head, word) for head, word in breaks if word.lower() in table]
    assert english, f"no listed word fell at a line's end; breaks: {breaks}"
    for head, word in english:
        assert len(head) in table[word.lower()], f"{word} split as {head}-{word[len(head):]}"
    for name in ("DevOps", "GitHub"):
        assert not any(word == name for _, word in breaks), f"{name} was split"
