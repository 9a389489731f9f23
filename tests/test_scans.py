"""Scanned answer sheets (issue 16): the exam's own PDF sheet rendered with pdftoppm, filled by
program, degraded as phones and scanners do, and read back through the API (and the CLI).

Few sheets per test, a fixed seed each: the 200-sheet figures are bench/scan.py's."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import ROOT, client_for, make_key, require
from tests.test_bank_api import assert_problem

API = "/api/v1"
DATA = ROOT / "tests" / "data" / "scans"
ITEMS = 40


def _tools() -> None:
    import shutil

    for name in ("pdftoppm", "pdfinfo", "pdftotext"):
        if shutil.which(name) is None:
            require(name, f"`{name}` is not on PATH (Debian: poppler-utils)")


@pytest.fixture
def scan_exam(client):
    """An exam of 40 items (20 true, 20 false) in two versions."""
    _tools()
    topic = client.post(f"{API}/topics", json={"code": "16", "title": "Leitura óptica"}).json
    sub = client.post(f"{API}/topics/{topic['id']}/subtopics", json={"title": "Folhas"}).json
    for n in range(1, ITEMS + 1):
        body = {"text": f"A afirmação número {n} sobre folhas de respostas é {'falsa' if n % 2 else 'verdadeira'}.",
                "status": "published"}
        if n % 2:
            body.update(label="E", explanation=f"ERRADO. A afirmação {n} é falsa.")
        assert client.post(f"{API}/subtopics/{sub['id']}/assertions", json=body).status_code == 201
    response = client.post(f"{API}/exams", json={"items": ITEMS, "false_ratio": 0.5, "seed": 3, "versions": 2})
    assert response.status_code == 201, response.json
    return response.json


def sheet_image(client, exam_id: int, version: int, dpi: int):
    from tests.scan_sheets import render_page, sheet_page_number

    pdf = client.get(f"{API}/exams/{exam_id}/export", query_string={"format": "pdf", "version": version}).data
    return render_page(pdf, sheet_page_number(pdf), dpi)


def counts(app) -> dict[str, int]:
    from app.db import db

    with app.app_context():
        return {table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
                for table in ("scan_uploads", "scan_sheets", "attempts")}


def post_scan(client, data: bytes, content_type: str, exam_id: int | None = None):
    url = f"{API}/exams/{exam_id}/scans" if exam_id else f"{API}/scans"
    return client.post(url, data=data, content_type=content_type)


def test_the_sheet_carries_its_code_and_a_candidate_grid(client, scan_exam):
    import zxingcpp

    image = sheet_image(client, scan_exam["id"], 2, 100)
    texts = [r.text for r in zxingcpp.read_barcodes(image)]
    assert texts == [f"QB1:{scan_exam['id']}:2:1"]


def test_degraded_sheets_are_read_and_scored_like_submitted_answers(client, app, scan_exam):
    """A phone picture (JPEG 40, rotated, askew, blurred, unevenly lit, noisy) at 150 dpi and a clean
    300 dpi scan through POST /scans: every item read as marked, scored as POST /attempts scores."""
    from tests.scan_sheets import degrade, fill_sheet, png, random_marks

    rng = random.Random(16)
    for version, dpi, degraded in ((2, 150, True), (1, 300, False)):
        marks = random_marks(ITEMS, rng)
        sheet = fill_sheet(sheet_image(client, scan_exam["id"], version, dpi), dpi, ITEMS, marks, "20261603", rng)
        data = degrade(sheet.image, rng) if degraded else png(sheet.image)
        response = post_scan(client, data, "image/jpeg" if degraded else "image/png",
                             scan_exam["id"] if degraded else None)
        assert response.status_code == 201, response.json
        (read,) = response.json["sheets"]
        assert read["status"] == "scored" and read["ambiguous"] == [] and read["candidate"] == "20261603"
        assert read["version"] == version and read["exam_id"] == scan_exam["id"]
        assert {i["number"]: i["answer"] for i in read["items"]} == sheet.intended
        assert all(i["confidence"] > 0 for i in read["items"])
        attempt = client.get(f"{API}/exams/{scan_exam['id']}/attempts/{read['attempt_id']}").json
        typed = client.post(f"{API}/exams/{scan_exam['id']}/attempts", json={
            "version": version, "answers": {str(n): a for n, a in sheet.intended.items()}}).json
        assert (attempt["score"], attempt["right"], attempt["wrong"], attempt["blank"]) == \
            (typed["score"], typed["right"], typed["wrong"], typed["blank"])
        assert attempt["candidate"] == "20261603" and typed["candidate"] is None
    assert counts(app) == {"scan_uploads": 2, "scan_sheets": 2, "attempts": 4}


def test_hard_marks_are_flagged_never_guessed_and_an_author_resolves_them(client, app, scan_exam):
    from tests.scan_sheets import degrade, fill_sheet

    rng = random.Random(5)
    marks = {1: ("light", "C"), 2: ("cross", "E"), 3: ("erased", "C"), 4: ("double", "C"), 5: ("none", None),
             6: ("full", "E"), 7: ("full", "C"), 8: ("light", "E"), 9: ("erased", "E"), 10: ("double", "E")}
    sheet = fill_sheet(sheet_image(client, scan_exam["id"], 1, 150), 150, ITEMS, marks, "00012345", rng)
    data = degrade(sheet.image, rng, quality=40)
    response = post_scan(client, data, "image/jpeg", scan_exam["id"])
    assert response.status_code == 201, response.json
    (read,) = response.json["sheets"]
    for item in read["items"]:  # ambiguous, or what the candidate meant: never another answer
        assert item["state"] == "ambiguous" or item["answer"] == sheet.intended[item["number"]], item
    assert {4, 10} <= set(read["ambiguous"])  # two marks on one item
    assert [i["reason"] for i in read["items"] if i["number"] in (4, 10)] == ["two_marks", "two_marks"]
    assert read["status"] == "needs_review" and read["attempt_id"] is None and read["upload"]["kept"]
    assert counts(app)["attempts"] == 0
    listed = client.get(f"{API}/exams/{scan_exam['id']}/scans", query_string={"status": "needs_review"}).json
    assert [s["id"] for s in listed["items"]] == [read["id"]]
    image = client.get(f"{API}/scans/{read['id']}/image")
    assert image.status_code == 200 and image.data == data and image.mimetype == "image/jpeg"

    incomplete = client.post(f"{API}/scans/{read['id']}/resolve", json={"answers": {"4": "C"}})
    assert_problem(incomplete, 422)
    assert "10" in incomplete.json["detail"] or any("10" in e["message"] for e in incomplete.json["errors"])
    answers = {str(n): None for n in read["ambiguous"]} | {"4": "C"}
    resolved = client.post(f"{API}/scans/{read['id']}/resolve", json={"answers": answers})
    assert resolved.status_code == 200, resolved.json
    assert resolved.json["status"] == "scored" and resolved.json["confirmed"] and not resolved.json["upload"]["kept"]
    attempt = client.get(f"{API}/exams/{scan_exam['id']}/attempts/{resolved.json['attempt_id']}").json
    given = {i["number"]: i["answer"] for i in attempt["items"]}
    assert given[4] == "C" and given[10] is None and given[6] == "E" and given[7] == "C"
    assert attempt["candidate"] == "00012345"
    assert_problem(client.post(f"{API}/scans/{read['id']}/resolve", json={"answers": answers}), 409)
    assert client.get(f"{API}/scans/{read['id']}/image").status_code == 404  # released once confirmed
    again = post_scan(client, data, "image/jpeg", scan_exam["id"])  # the checksum is remembered
    assert again.status_code == 200 and again.json["sheets"][0]["id"] == read["id"]


def test_a_stack_in_one_pdf_and_the_same_file_again(client, app, scan_exam):
    """Two candidates, two versions, one PDF through POST /scans; the same bytes again are a replay."""
    from PIL import Image

    from tests.scan_sheets import fill_sheet, random_marks

    rng = random.Random(7)
    sheets = [fill_sheet(sheet_image(client, scan_exam["id"], version, 150), 150, ITEMS, random_marks(ITEMS, rng),
                         candidate, rng) for version, candidate in ((2, "11112222"), (1, "33334444"))]
    buffer = io.BytesIO()
    pictures = [Image.fromarray(s.image) for s in sheets]
    pictures[0].save(buffer, format="PDF", save_all=True, append_images=pictures[1:], resolution=150)
    first = post_scan(client, buffer.getvalue(), "application/pdf")
    assert first.status_code == 201, first.json
    assert [(s["version"], s["candidate"], s["status"]) for s in first.json["sheets"]] == \
        [(2, "11112222", "scored"), (1, "33334444", "scored")]
    for read, sheet in zip(first.json["sheets"], sheets, strict=True):
        assert {i["number"]: i["answer"] for i in read["items"]} == sheet.intended
    before = counts(app)
    second = post_scan(client, buffer.getvalue(), "application/pdf")
    assert second.status_code == 200 and second.json["sheets"] == first.json["sheets"]
    assert counts(app) == before == {"scan_uploads": 1, "scan_sheets": 2, "attempts": 2}
    confirmed = client.post(f"{API}/scans/{first.json['sheets'][0]['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json["upload"]["kept"]  # the other sheet is not confirmed
    last = client.post(f"{API}/scans/{first.json['sheets'][1]['id']}/confirm")
    assert last.status_code == 200 and not last.json["upload"]["kept"]


def test_bad_uploads_get_a_422_naming_the_problem_and_nothing_is_stored(client, app, scan_exam):
    import numpy as np

    from tests.scan_sheets import fill_sheet, png

    rng = random.Random(3)
    other = client.post(f"{API}/exams", json={"items": 10, "false_ratio": 0.5, "seed": 9}).json
    other_sheet = png(fill_sheet(sheet_image(client, other["id"], 1, 150), 150, 10, {}, None, rng).image)
    good = png(sheet_image(client, scan_exam["id"], 1, 150))
    exam_pdf = client.get(f"{API}/exams/{scan_exam['id']}/export", query_string={"format": "pdf"}).data
    cases = [
        (bytes(random.Random(1).randbytes(5000)), "image/png", "not_an_image"),
        (good[: len(good) // 2], "image/png", "corrupt_image"),
        (exam_pdf, "application/pdf", "no_corner_marks"),  # page 1 is the cover: text, no corner marks
        (other_sheet, "image/png", "other_exam"),
        (png(np.full((1754, 1240), 255, np.uint8)), "image/png", "no_corner_marks"),
    ]
    for data, content_type, code in cases:
        response = post_scan(client, data, content_type, scan_exam["id"])
        assert_problem(response, 422)
        assert response.json["code"] == code, (code, response.json)
        assert response.json["detail"]
    assert "página 1" in post_scan(client, exam_pdf, "application/pdf").json["detail"]
    assert_problem(post_scan(client, good, "text/plain", scan_exam["id"]), 415)
    assert counts(app) == {"scan_uploads": 0, "scan_sheets": 0, "attempts": 0}
    consumer = client_for(app, make_key(app, "consumer"))
    assert consumer.post(f"{API}/scans", data=good, content_type="image/png").status_code == 403


def test_kept_sample_scans_read_as_recorded(client, app, scan_exam):
    """tests/data/scans: pictures made once by `python -m tests.scan_sheets` (seeded), with what they
    must read: full marks and blanks exactly, hard marks as meant or flagged."""
    expected = json.loads((DATA / "expected.json").read_text())
    assert scan_exam["id"] == expected["exam_id"]  # the QR codes name exam 1 of an emptied database
    for name, want in expected["files"].items():
        data = (DATA / name).read_bytes()
        response = post_scan(client, data, "image/jpeg", scan_exam["id"])
        assert response.status_code == 201, (name, response.json)
        (read,) = response.json["sheets"]
        assert (read["candidate"], read["version"]) == (want["candidate"], want["version"])
        for item in read["items"]:
            number = str(item["number"])
            meant, style = want["intended"][number], want["styles"][number]
            if style in ("full", "none"):
                assert item["state"] != "ambiguous" and item["answer"] == meant, (name, item)
            elif meant == "?":
                assert item["state"] == "ambiguous", (name, item)
            else:
                assert item["state"] == "ambiguous" or item["answer"] == meant, (name, item)


def test_qbank_scan_reads_a_folder_into_a_csv_summary(runner, client, scan_exam, tmp_path):
    import csv
    import shutil

    expected = json.loads((DATA / "expected.json").read_text())
    folder = tmp_path / "lote"
    folder.mkdir()
    for name in ("phone-150dpi-v1.jpg", "upside-down-150dpi-v2.jpg"):
        shutil.copy(DATA / name, folder / name)
    (folder / "zz-not-a-sheet.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (folder / "notes.txt").write_text("ignored: not a picture")
    out = tmp_path / "summary.csv"
    result = runner.invoke("scan", str(folder), "--exam", str(scan_exam["id"]), "--output", str(out))
    assert result.exit_code == 1  # one file refused
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [Path(r["file"]).name for r in rows] == ["phone-150dpi-v1.jpg", "upside-down-150dpi-v2.jpg",
                                                    "zz-not-a-sheet.png"]
    for row in rows[:2]:
        want = expected["files"][Path(row["file"]).name]
        assert row["candidate"] == want["candidate"] and row["version"] == str(want["version"])
        assert row["status"] in ("scored", "needs_review")
        if row["status"] == "scored":
            attempt = client.get(f"{API}/exams/{scan_exam['id']}/attempts").json["items"]
            assert row["score"] in {f"{a['score']:g}" for a in attempt}
        else:
            assert row["ambiguous"] and row["score"] == ""
    assert rows[2]["status"] == "refused" and "corrompida" in rows[2]["error"]
    assert "2 sheets" in result.stderr and "1 refused" in result.stderr
    again = runner.invoke("scan", str(folder / "phone-150dpi-v1.jpg"), "--exam", str(scan_exam["id"]))
    assert again.exit_code == 0 and "(already read)" in again.stdout


def test_serving_does_not_load_the_scanner(database_url):
    """OpenCV, zxing-cpp and pypdfium2 are imported on the scan path only: an app that serves exams
    (here: starts and answers) does not carry them."""
    import subprocess
    import sys

    code = ("import sys\nfrom app import create_app\nfrom app.config import TestConfig\n"
            "app = create_app(TestConfig, DATABASE_URL=sys.argv[1])\n"
            "app.test_client().get('/healthz')\n"
            "print(sorted(m for m in ('cv2', 'zxingcpp', 'pypdfium2', 'numpy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, database_url], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_sheet_without_candidate_number_waits_for_one(client, scan_exam):
    from tests.scan_sheets import fill_sheet, png, random_marks

    rng = random.Random(11)
    sheet = fill_sheet(sheet_image(client, scan_exam["id"], 1, 150), 150, ITEMS, random_marks(ITEMS, rng), None, rng)
    response = post_scan(client, png(sheet.image), "image/png", scan_exam["id"])
    assert response.status_code == 201, response.json
    (read,) = response.json["sheets"]
    assert read["status"] == "needs_review" and read["ambiguous"] == [] and read["candidate"] is None
    assert read["candidate_problem"] == "a inscrição não foi preenchida"
    refused = client.post(f"{API}/scans/{read['id']}/resolve", json={"answers": {}})
    assert_problem(refused, 422)
    assert [e["field"] for e in refused.json["errors"]] == ["candidate"]
    resolved = client.post(f"{API}/scans/{read['id']}/resolve", json={"answers": {}, "candidate": "87654321"})
    assert resolved.status_code == 200 and resolved.json["candidate"] == "87654321"
    attempt = client.get(f"{API}/exams/{scan_exam['id']}/attempts/{resolved.json['attempt_id']}").json
    assert {i["number"]: i["answer"] for i in attempt["items"]} == sheet.intended


def test_a_two_page_sheet_reads_as_one_attempt_and_must_come_whole(client, app):
    """130 items: the sheet has two pages; both in one PDF make one attempt, page 2 alone is refused."""
    from PIL import Image

    from tests.scan_sheets import fill_sheet, random_marks, render_page, sheet_page_number

    _tools()
    topic = client.post(f"{API}/topics", json={"code": "17", "title": "Volume"}).json
    sub = client.post(f"{API}/topics/{topic['id']}/subtopics", json={"title": "Bloco único"}).json
    for n in range(1, 131):
        client.post(f"{API}/subtopics/{sub['id']}/assertions", json={
            "text": f"A afirmação número {n} deste bloco é verdadeira.", "status": "published"})
    exam = client.post(f"{API}/exams", json={"items": 130, "false_ratio": 0}).json
    pdf = client.get(f"{API}/exams/{exam['id']}/export", query_string={"format": "pdf"}).data
    first = sheet_page_number(pdf)
    rng = random.Random(13)
    marks = random_marks(130, rng)
    pages = [fill_sheet(render_page(pdf, first + page, 150), 150, 130, marks, "24681357", rng, sheet_page=page)
             for page in (0, 1)]
    pictures = [Image.fromarray(p.image) for p in pages]
    alone = io.BytesIO()
    pictures[1].save(alone, format="PDF", resolution=150)
    refused = post_scan(client, alone.getvalue(), "application/pdf", exam["id"])
    assert_problem(refused, 422)
    assert refused.json["code"] == "sheet_pages_out_of_order" and "página 1" in refused.json["detail"]
    both = io.BytesIO()
    pictures[0].save(both, format="PDF", save_all=True, append_images=pictures[1:], resolution=150)
    response = post_scan(client, both.getvalue(), "application/pdf", exam["id"])
    assert response.status_code == 201, response.json
    (read,) = response.json["sheets"]
    assert (read["pages"], read["status"], read["candidate"]) == (2, "scored", "24681357")
    assert {i["number"]: i["answer"] for i in read["items"]} == pages[0].intended | pages[1].intended
    assert len(read["items"]) == 130 and counts(app)["attempts"] == 1
