"""Exports read by their consumers' own parsers, not by our reading of the formats: GIFT by
gift-pegjs (Node, tests/interop), QTI by the official XSDs, Moodle XML as Moodle's truefalse
importer reads it, CSV by Python's csv module, JSON by the JSON Schema the API publishes. In
every format each item's answer equals the exam's key and the tricky texts come back equal."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest

from app.services.export.texts import text
from tests.conftest import require
from tests.interop import gift_pegjs
from tests.test_exports import TRICKY, export, qti_schemas

API = "/api/v1"

EXAM_TITLE = 'Prova: "CI/CD" & <MLOps> {1} #2 =3 ~4 🚀'
TOPIC_TITLE = "Texto difícil & <especial>: {chaves} #1"
SUBTOPICS = ['Símbolos {e} "aspas": # = ~', "Barras CI/CD // e \\ invertida 👩🏽‍💻"]


def _long_item() -> str:
    """An item of exactly 2,000 characters (the longest the bank takes), GIFT's reserved signs in it."""
    head = "Item de 2.000 caracteres: "
    body = ("a lei {art. 37} diz: legalidade = impessoalidade ~ moralidade # publicidade & eficiência "
            "<sempre>; ") * 25
    return (head + body)[:1999].rstrip() + "."


LONG = _long_item()
TRUE_TEXTS = [
    *TRICKY,
    'Dois-pontos: prazo às 10:30 h; "chave" = valor; ~til; #cerquilha; {chaves}; \\ barra; fim:',
    "[html] <b>não</b> é marcação aqui, e [plain] também não é um formato.",
    "Barra invertida seguida de n (\\n) não é quebra de linha, nem \\\\ são duas; C:\\temp\\{x}.",
    "::Título falso:: -> seta // comentário que não é; $CATEGORY: nem categoria; ####.",
    LONG,
]
FALSE_ITEMS = [  # (text, explanation) of assertions labelled E
    ("Falso & <errado> {sempre}.", "ERRADO. Porque #1 & {2} < 3: ~x = y."),
    ("O símbolo ~ nega = iguala # numera: errado 🙃.", "ERRADO. Explicação: {a} = b ~ c # d \\ e."),
]
BASE_TEXT = 'A Lei nº 8.112/1990 rege os servidores: "regime jurídico único" & {estatutário}.'
VARIANT = ('A Lei nº 8.112/1990 rege os empregados: "regime celetista" & {contratual}.',
           "ERRADO. Rege os servidores: ~ não os empregados {CLT} # = regime estatutário.")


def gift_parse(paths):
    try:
        return gift_pegjs.parse(paths)
    except gift_pegjs.ParserMissing as exc:
        require("gift-pegjs", str(exc))


@pytest.fixture
def tricky(client):
    """An exam of every tricky text, two versions, a custom score rule: true items, false items
    with explanations, and a hand-written variant whose key carries its original sentence."""
    topic = client.post(f"{API}/topics", json={"code": "4", "title": TOPIC_TITLE}).json
    subs = [client.post(f"{API}/topics/{topic['id']}/subtopics", json={"title": t}).json for t in SUBTOPICS]

    def add(sub, body):
        response = client.post(f"{API}/subtopics/{sub['id']}/assertions", json={"status": "published", **body})
        assert response.status_code == 201, response.json
        return response.json

    for n, item in enumerate(TRUE_TEXTS):
        add(subs[n % 2], {"text": item})
    for item, explanation in FALSE_ITEMS:
        add(subs[0], {"text": item, "label": "E", "explanation": explanation})
    base = add(subs[1], {"text": BASE_TEXT})
    variant = client.post(f"{API}/assertions/{base['id']}/variants",
                          json={"text": VARIANT[0], "explanation": VARIANT[1]})
    assert variant.status_code == 201, variant.json
    for made in variant.json["items"]:
        assert client.patch(f"{API}/variants/{made['id']}", json={"status": "approved"}).status_code == 200
    items = len(TRUE_TEXTS) + len(FALSE_ITEMS) + 1
    response = client.post(f"{API}/exams", json={
        "items": items, "false_ratio": (len(FALSE_ITEMS) + 1) / items, "seed": 3, "versions": 2,
        "title": EXAM_TITLE, "weights": {"right": 1, "wrong": -0.5, "blank": 0}})
    assert response.status_code == 201, response.json
    return response.json


def version_of(client, exam, version):
    """The exam as the API delivers that version, and its key by item number."""
    delivered = client.get(f"{API}/exams/{exam['id']}?version={version}").json
    key = client.get(f"{API}/exams/{exam['id']}/key?version={version}").json
    return delivered, key, {k["number"]: k for k in key["items"]}


def general_feedback(entry: dict) -> str:
    """What a platform shows after any answer: the key's explanation and original sentence."""
    if entry["label"] == "C":
        if entry["explanation"] and entry["original"]:
            return text("true_rewrite", explanation=entry["explanation"], original=entry["original"])
        return text("true_item")
    why = entry["explanation"] or text("false_item")
    return text("corrected", explanation=why, original=entry["original"]) if entry["original"] else why


def test_the_tricky_exam_holds_every_tricky_text_and_both_labels(client, tricky):
    delivered, _, key = version_of(client, tricky, 1)
    assert sorted(i["text"] for i in delivered["items"]) == sorted(
        [*TRUE_TEXTS, *(t for t, _ in FALSE_ITEMS), VARIANT[0]])
    assert len(LONG) == 2000
    assert [k["label"] for k in key.values()].count("E") == len(FALSE_ITEMS) + 1
    assert any(k["original"] == BASE_TEXT for k in key.values())


@pytest.mark.parametrize("version", [1, 2])
def test_gift_pegjs_reads_the_tricky_exam_back_equal_with_the_keys_answers(client, tricky, tmp_path, version):
    delivered, key, by_number = version_of(client, tricky, version)
    path = tmp_path / f"v{version}.gift"
    path.write_bytes(export(client, tricky, "gift", version=version).data)
    [result] = gift_parse([path])
    assert result["ok"], f"gift-pegjs rejected the file: {result['error']}"
    questions = result["questions"]
    assert gift_pegjs.differences(questions, delivered, key) == []
    asked = [q for q in questions if q["type"] == "TF"]
    assert len(asked) == len(delivered["items"])
    for question, item in zip(asked, delivered["items"], strict=True):
        entry = by_number[item["number"]]
        general = general_feedback(entry)
        wrong = general if entry["label"] == "E" else text("wrong_answer_to_true_item")
        # gift-pegjs names the two feedbacks after T and F; Moodle reads them as wrong, then right.
        assert question["trueFeedback"] == {"format": "plain", "text": wrong}
        assert question["falseFeedback"] == {"format": "plain", "text": text("right_answer")}
        assert question["globalFeedback"] == {"format": "plain", "text": general}
        assert question["stem"]["format"] == "plain" and question["title"] == f"Item {item['number']}"
    # The string of issue 17, colon and all, read back as written.
    assert any(q["isTrue"] and q["trueFeedback"]["text"] == "Incorreto: o item é CERTO." for q in asked)


def moodle_path(path: str) -> list[str]:
    """A Moodle category path split as Moodle splits it: "/" separates, "//" is a slash in a name."""
    return [part.replace("//", "/") for part in re.split(r"(?<!/)/(?!/)", path)]


def test_moodle_xml_has_what_moodles_truefalse_importer_needs(client, tricky):
    from lxml import etree

    delivered, _, by_number = version_of(client, tricky, 2)
    quiz = etree.fromstring(export(client, tricky, "moodle", version=2).data)
    assert quiz.tag == "quiz"
    blocks = {b["number"]: b["subtopic"] for b in delivered["blocks"]}
    category, seen = None, []
    for question in quiz.iterfind("question"):
        if question.get("type") == "category":
            category = question.findtext("category/text")
            assert category.startswith("$course$/")
            assert moodle_path(category) == ["$course$", "top", EXAM_TITLE, *moodle_path(category)[3:]]
            continue
        assert question.get("type") == "truefalse"
        number = int(question.findtext("name/text").split()[-1])
        entry, item = by_number[number], delivered["items"][number - 1]
        seen.append(number)
        assert moodle_path(category)[3:] == [blocks[item["block"]]], "the item sits in its block's category"
        assert question.find("questiontext").get("format") == "plain_text"
        assert question.findtext("questiontext/text") == item["text"]
        answers = question.findall("answer")
        assert sorted(a.findtext("text") for a in answers) == ["false", "true"]  # one of each
        fractions = {a.findtext("text"): a.get("fraction") for a in answers}
        assert fractions == ({"true": "100", "false": "0"} if entry["label"] == "C" else {"true": "0", "false": "100"})
        assert question.findtext("generalfeedback/text") == general_feedback(entry)
    assert sorted(seen) == [i["number"] for i in delivered["items"]]
    assert len(quiz.findall("question[@type='category']")) == len(delivered["blocks"]) == len(SUBTOPICS)


def test_qti_package_is_valid_and_its_correct_responses_are_the_key(client, tricky):
    from lxml import etree

    qti, cp = qti_schemas()
    ns = {"q": "http://www.imsglobal.org/xsd/imsqti_v2p1", "c": "http://www.imsglobal.org/xsd/imscp_v1p1"}
    for version in (1, 2):
        delivered, _, by_number = version_of(client, tricky, version)
        with zipfile.ZipFile(io.BytesIO(export(client, tricky, "qti", version=version).data)) as package:
            manifest = etree.fromstring(package.read("imsmanifest.xml"))
            cp.assertValid(manifest)
            test = etree.fromstring(package.read("test.xml"))
            qti.assertValid(test)
            refs = test.xpath("//q:assessmentItemRef/@href", namespaces=ns)
            assert refs == [f"items/item-{i['number']}.xml" for i in delivered["items"]]
            headings = test.xpath("//q:assessmentSection/@title", namespaces=ns)
            assert headings == [b["heading"] for b in delivered["blocks"]]
            listed = set(manifest.xpath("//c:resource/c:file/@href", namespaces=ns))
            assert listed == {"test.xml", *refs} == set(package.namelist()) - {"imsmanifest.xml"}
            for item in delivered["items"]:
                document = etree.fromstring(package.read(f"items/item-{item['number']}.xml"))
                qti.assertValid(document)
                declaration = document.find("q:responseDeclaration", ns)
                expected = "CERTO" if by_number[item["number"]]["label"] == "C" else "ERRADO"
                assert declaration.xpath("q:correctResponse/q:value/text()", namespaces=ns) == [expected]
                mapping = {e.get("mapKey"): float(e.get("mappedValue"))
                           for e in declaration.iterfind("q:mapping/q:mapEntry", ns)}
                assert mapping == {expected: 1.0, ({"CERTO", "ERRADO"} - {expected}).pop(): -0.5}
                assert document.findtext("q:itemBody/q:p", namespaces=ns) == item["text"]


def test_csv_read_back_with_the_csv_module_equals_texts_and_key(client, tricky):
    for version in (1, 2):
        delivered, _, by_number = version_of(client, tricky, version)
        data = export(client, tricky, "csv", version=version).data
        assert data.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert rows[0] == ["number", "block", "text", "label", "explanation"]
        assert rows[1:] == [[str(i["number"]), str(i["block"]), i["text"], by_number[i["number"]]["label"],
                             by_number[i["number"]]["explanation"] or ""] for i in delivered["items"]]


def published_schema(client, name: str) -> tuple[str, dict]:
    listed = client.get(f"{API}/schemas")
    assert listed.status_code == 200
    entry = next(s for s in listed.json["items"] if s["name"] == name)
    response = client.get(entry["url"])
    assert response.status_code == 200 and response.mimetype == "application/schema+json"
    schema = json.loads(response.data)
    assert entry["id"] == schema["$id"] and entry["title"] == schema["title"]
    return entry["url"], schema


def test_json_export_follows_the_json_schema_the_api_publishes(client, tricky, as_role):
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

    url, schema = published_schema(client, "exam-export")
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for version in (1, 2):
        delivered, _, by_number = version_of(client, tricky, version)
        response = export(client, tricky, "json", version=version)
        assert response.headers["Link"] == f'<{url}>; rel="describedby"'
        document = json.loads(response.data)
        validator.validate(document)
        items = [i for b in document["blocks"] for i in b["items"]]
        assert [(i["number"], i["text"]) for i in items] == [(i["number"], i["text"]) for i in delivered["items"]]
        for item in items:
            entry = by_number[item["number"]]
            assert (item["label"], item["explanation"], item["original"]) == (
                entry["label"], entry["explanation"], entry["original"])
        assert document["weights"] == {"right": 1.0, "wrong": -0.5, "blank": 0.0}
    broken = json.loads(json.dumps(document))
    broken["blocks"][0]["items"][0]["label"] = "X"
    with pytest.raises(ValidationError):
        validator.validate(broken)
    # Any key may read the schemas; an unknown name is a 404 problem.
    assert as_role("consumer").get(url).status_code == 200
    missing = client.get(f"{API}/schemas/no-such-schema")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_generated_exams_parse_in_gift_pegjs_with_the_keys_answers(client, tmp_path):
    """A handful of the exams bench/gift_interop.py issues by the fifty: seed bank, variants and
    random tricky texts, every version of each; their JSON follows the published schema too."""
    from jsonschema import Draft202012Validator

    from bench import gift_interop

    try:
        gift_pegjs.command()
    except gift_pegjs.ParserMissing as exc:
        require("gift-pegjs", str(exc))
    gift_interop.build_bank(client, seed=7, approve=False)  # pending variants: quicker, fewer operators
    report = gift_interop.check(client, exams=4, seed=7, workdir=tmp_path)
    assert report.files >= 4 and report.rejected == 0 and report.problems == [], report.summary()
    _, schema = published_schema(client, "exam-export")
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for exam_id in report.exam_ids:
        validator.validate(json.loads(export(client, {"id": exam_id}, "json").data))
