"""Exports for learning platforms: Moodle XML, GIFT, IMS QTI 2.1 content packages, CSV, JSON."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from xml.etree import ElementTree as ET

from app.services.export.document import ExamDocument
from app.services.export.texts import text

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
QTI_SCHEMA = "http://www.imsglobal.org/xsd/imsqti_v2p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_SCHEMA = "http://www.imsglobal.org/xsd/imscp_v1p1 http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
MAP_RESPONSE = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"


def _category(document: ExamDocument, subtopic: str) -> str:
    """A Moodle category path; a slash inside a name is doubled, as Moodle reads paths."""
    names = [name.replace("/", "//").replace("\n", " ") for name in (document.title, subtopic)]
    return "$course$/top/" + "/".join(names)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# --- Moodle XML ------------------------------------------------------------------------------


def moodle_xml(document: ExamDocument) -> bytes:
    """A Moodle question bank: one category per block, one truefalse question per item.

    Moodle's truefalse type grades 1 or 0 per item; CESPE's −1 for a wrong answer is mirrored
    by penalty 1 (a full mark lost for each wrong try in interactive mode), as far as Moodle goes.
    """
    quiz = ET.Element("quiz")
    for block in document.blocks:
        category = _sub(quiz, "question", type="category")
        _sub(_sub(category, "category"), "text", _category(document, block.subtopic))
        for item in block.items:
            question = _sub(quiz, "question", type="truefalse")
            _sub(_sub(question, "name"), "text", text("item_name", number=item.number))
            body = _sub(question, "questiontext", format="plain_text")
            _sub(body, "text", item.text)
            feedback = _sub(question, "generalfeedback", format="plain_text")
            _sub(feedback, "text", _feedback(item.label, item.explanation, item.original))
            _sub(question, "defaultgrade", "1")
            _sub(question, "penalty", "1")
            _sub(question, "hidden", "0")
            for value, correct in (("true", item.label == "C"), ("false", item.label == "E")):
                answer = _sub(question, "answer", fraction="100" if correct else "0", format="moodle_auto_format")
                _sub(answer, "text", value)
                _sub(_sub(answer, "feedback", format="plain_text"), "text",
                     text("right_answer") if correct else _feedback(item.label, item.explanation, item.original))
    return _xml_bytes(quiz)


def _feedback(label: str, explanation: str | None, original: str | None) -> str:
    """The general feedback: a true rewrite says what it restates; a false item, why and the true sentence."""
    if label == "C":
        if explanation and original:
            return text("true_rewrite", explanation=explanation, original=original)
        return text("true_item")
    why = explanation or text("false_item")
    return text("corrected", explanation=why, original=original) if original else why


# --- GIFT ------------------------------------------------------------------------------------

_GIFT_ESCAPES = str.maketrans({c: f"\\{c}" for c in "\\~=#{}:"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
GIFT_FORMAT = "[plain]"  # every text field says its format: a text of ours never reads as a marker


def gift_escape(value: str, *, line: bool = False) -> str:
    """The one way a text goes into a GIFT file, whoever wrote it (an author or texts.toml).

    Question texts, titles and feedback (the default): GIFT reads ~ = # { } : and the backslash as
    syntax, so each is escaped with a backslash, and a line break becomes \\n (GIFT's own escape).
    `line`: a $CATEGORY line or a comment, which GIFT readers take raw up to the end of the line
    (they undo no escape there); a line break becomes a space so that the line stays one line.
    """
    parts = _LINE_BREAK.split(value)
    if line:
        return " ".join(parts)
    return "\\n".join(part.translate(_GIFT_ESCAPES) for part in parts)


def _gift_field(value: str) -> str:
    """A question text or feedback: escaped, and marked plain text (Moodle then shows < & > as such)."""
    return GIFT_FORMAT + gift_escape(value) if value else ""


def gift(document: ExamDocument) -> bytes:
    """GIFT text: $CATEGORY per block, ::name:: titles, {T}/{F} with wrong/right/general feedback."""
    header = text("gift_header", title=document.title, exam_id=document.exam_id, version=document.version)
    lines = [f"// {gift_escape(header, line=True)}", ""]
    for block in document.blocks:
        lines += [f"$CATEGORY: {gift_escape(_category(document, block.subtopic), line=True)}", ""]
        for item in block.items:
            general = _feedback(item.label, item.explanation, item.original)
            answer = "T" if item.label == "C" else "F"
            wrong = general if item.label == "E" else text("wrong_answer_to_true_item")
            name = gift_escape(text("item_name", number=item.number))
            lines.append(f"::{name}::{_gift_field(item.text)}{{{answer}#{_gift_field(wrong)}"
                         f"#{_gift_field(text('right_answer'))}####{_gift_field(general)}}}")
            lines.append("")
    return ("\n".join(lines)).encode("utf-8")


# --- IMS QTI 2.1 -----------------------------------------------------------------------------


def _qti_item(document: ExamDocument, item) -> bytes:  # noqa: ANN001
    ET.register_namespace("", QTI_NS)
    ET.register_namespace("xsi", XSI_NS)
    q = f"{{{QTI_NS}}}"
    root = ET.Element(f"{q}assessmentItem", {
        f"{{{XSI_NS}}}schemaLocation": QTI_SCHEMA, "identifier": f"item-{item.number}",
        "title": text("item_name", number=item.number), "adaptive": "false", "timeDependent": "false",
        "{http://www.w3.org/XML/1998/namespace}lang": "pt-BR",
    })
    response = _sub(root, f"{q}responseDeclaration", identifier="RESPONSE", cardinality="single",
                    baseType="identifier")
    _sub(_sub(response, f"{q}correctResponse"), f"{q}value", "CERTO" if item.label == "C" else "ERRADO")
    right, wrong = document.weights[0], document.weights[1]
    mapping = _sub(response, f"{q}mapping", defaultValue="0")
    _sub(mapping, f"{q}mapEntry", mapKey="CERTO", mappedValue=f"{right if item.label == 'C' else wrong:g}")
    _sub(mapping, f"{q}mapEntry", mapKey="ERRADO", mappedValue=f"{right if item.label == 'E' else wrong:g}")
    outcome = _sub(root, f"{q}outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float")
    _sub(_sub(outcome, f"{q}defaultValue"), f"{q}value", "0")
    body = _sub(root, f"{q}itemBody")
    _sub(body, f"{q}p", item.text)
    interaction = _sub(body, f"{q}choiceInteraction", responseIdentifier="RESPONSE", shuffle="false",
                       maxChoices="1")
    _sub(interaction, f"{q}prompt", text("qti_prompt"))
    _sub(interaction, f"{q}simpleChoice", text("qti_true_choice"), identifier="CERTO")
    _sub(interaction, f"{q}simpleChoice", text("qti_false_choice"), identifier="ERRADO")
    _sub(root, f"{q}responseProcessing", template=MAP_RESPONSE)
    return _xml_bytes(root)


def _qti_test(document: ExamDocument) -> bytes:
    ET.register_namespace("", QTI_NS)
    q = f"{{{QTI_NS}}}"
    root = ET.Element(f"{q}assessmentTest", {
        f"{{{XSI_NS}}}schemaLocation": QTI_SCHEMA, "identifier": f"prova-{document.exam_id}-{document.version}",
        "title": document.title,
    })
    outcome = _sub(root, f"{q}outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float")
    _sub(_sub(outcome, f"{q}defaultValue"), f"{q}value", "0")
    part = _sub(root, f"{q}testPart", identifier="part-1", navigationMode="nonlinear", submissionMode="simultaneous")
    for block in document.blocks:
        section = _sub(part, f"{q}assessmentSection", identifier=f"block-{block.number}", title=block.heading,
                       visible="true")
        _sub(_sub(section, f"{q}rubricBlock", view="candidate"), f"{q}p", block.heading)
        for item in block.items:
            _sub(section, f"{q}assessmentItemRef", identifier=f"item-{item.number}",
                 href=f"items/item-{item.number}.xml")
    processing = _sub(root, f"{q}outcomeProcessing")
    set_score = _sub(processing, f"{q}setOutcomeValue", identifier="SCORE")
    _sub(_sub(set_score, f"{q}sum"), f"{q}testVariables", variableIdentifier="SCORE")
    return _xml_bytes(root)


def _qti_manifest(document: ExamDocument) -> bytes:
    ET.register_namespace("", CP_NS)
    c = f"{{{CP_NS}}}"
    root = ET.Element(f"{c}manifest", {f"{{{XSI_NS}}}schemaLocation": CP_SCHEMA,
                                      "identifier": f"manifest-prova-{document.exam_id}-{document.version}"})
    metadata = _sub(root, f"{c}metadata")
    _sub(metadata, f"{c}schema", "IMS Content")
    _sub(metadata, f"{c}schemaversion", "1.1")
    _sub(root, f"{c}organizations")
    resources = _sub(root, f"{c}resources")
    test = _sub(resources, f"{c}resource", identifier="test", type="imsqti_test_xmlv2p1", href="test.xml")
    _sub(test, f"{c}file", href="test.xml")
    for item in document.items:
        _sub(test, f"{c}dependency", identifierref=f"res-item-{item.number}")
    for item in document.items:
        resource = _sub(resources, f"{c}resource", identifier=f"res-item-{item.number}",
                        type="imsqti_item_xmlv2p1", href=f"items/item-{item.number}.xml")
        _sub(resource, f"{c}file", href=f"items/item-{item.number}.xml")
    return _xml_bytes(root)


def qti_package(document: ExamDocument) -> bytes:
    """An IMS content package (zip): imsmanifest.xml, test.xml and one assessmentItem per item."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("imsmanifest.xml", _qti_manifest(document))
        package.writestr("test.xml", _qti_test(document))
        for item in document.items:
            package.writestr(f"items/item-{item.number}.xml", _qti_item(document, item))
    return out.getvalue()


# --- CSV and JSON ----------------------------------------------------------------------------


def csv_bytes(document: ExamDocument) -> bytes:
    """UTF-8 with BOM (spreadsheets open it right): number, block, text, label, explanation."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["number", "block", "text", "label", "explanation"])
    for item in document.items:
        writer.writerow([item.number, item.block, item.text, item.label,
                         item.explanation or ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def json_bytes(document: ExamDocument) -> bytes:
    """The exam with its key: blocks, items with labels, explanations and original sentences."""
    payload = {
        "exam_id": document.exam_id, "title": document.title, "version": document.version,
        "versions": document.versions, "created_at": document.created_at.isoformat(),
        "weights": dict(zip(("right", "wrong", "blank"), document.weights, strict=True)),
        "blocks": [
            {"number": b.number, "subtopic": b.subtopic, "heading": b.heading,
             "items": [{"number": i.number, "text": i.text, "label": i.label, "explanation": i.explanation,
                        "original": i.original} for i in b.items]}
            for b in document.blocks
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
