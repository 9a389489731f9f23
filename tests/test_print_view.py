"""The HTML print view as a browser prints it: margins on every page, the footer on every page,
soft hyphens in the justified columns, a block heading never alone at the foot of a column."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from lxml import etree

from tests.conftest import require
from tests.test_exports import exam, export, tool  # noqa: F401 (the exam fixture)

MM = 72 / 25.4  # PDF points per millimetre
A4_WIDTH, A4_HEIGHT = 210 * MM, 297 * MM


def _print(html: bytes, tmp_path: Path) -> Path:
    chromium = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)
    if chromium is None:
        require("Chromium", "no chromium on PATH (Debian package `chromium`)")
    page = tmp_path / "exam.html"
    page.write_bytes(html)
    printed = tmp_path / "printed.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--no-first-run", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={printed}",
                    "--no-pdf-header-footer", page.as_uri()], check=True, capture_output=True, timeout=120)
    return printed


def _words_by_page(pdf: Path, tmp_path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """(word, xMin, yMin, xMax, yMax) per page, in points from the top-left corner (pdftotext -bbox)."""
    out = tmp_path / "bbox.html"
    subprocess.run([tool("pdftotext"), "-bbox", str(pdf), str(out)], check=True, capture_output=True)
    tree = etree.parse(str(out), etree.HTMLParser(encoding="utf-8"))
    pages = []
    for page in tree.iter("page"):
        pages.append([(w.text or "", *(float(w.get(k)) for k in ("xmin", "ymin", "xmax", "ymax")))
                      for w in page.iter("word")])
    return pages


def test_every_printed_page_keeps_its_margins_and_footer(seeded, exam, tmp_path):  # noqa: F811
    html = export(seeded, exam, "html", key="commented")
    printed = _print(html.data, tmp_path)
    pages = _words_by_page(printed, tmp_path)
    artifacts = Path(__file__).resolve().parent.parent / "build" / "print-view"
    artifacts.mkdir(parents=True, exist_ok=True)
    shutil.copy(printed, artifacts / "printed.pdf")  # to look at: pdftoppm -png -r 60 printed.pdf page
    assert len(pages) >= 4
    margin = 10 * MM  # the page box is 15 mm (18 mm at the foot); the footer sits inside the margin box
    for number, words in enumerate(pages, start=1):
        assert words, f"page {number} is empty"
        for word, x0, y0, x1, y1 in words:
            assert x0 >= margin and y0 >= margin and x1 <= A4_WIDTH - margin and y1 <= A4_HEIGHT - 5 * MM, \
                (number, word, x0, y0, x1, y1)
        text = " ".join(w[0] for w in words)
        assert f"Prova nº {exam['id']}" in text and re.search(rf"Página {number} de {len(pages)}", text), \
            (number, text[-200:])


def test_print_view_sends_soft_hyphens_but_not_in_a_last_word(seeded, exam):  # noqa: F811
    html = export(seeded, exam, "html").get_data(as_text=True)
    items = re.findall(r'<p class="item" id="item-\d+"><span class="number">\d+</span>(.*?)</p>', html)
    assert len(items) == len(exam["items"])
    assert sum("\u00ad" in text for text in items) >= len(items) // 2
    for text, item in zip(items, exam["items"], strict=True):
        plain = text.replace("\u00ad", "").replace("&#34;", '"').replace("&#39;", "'") \
            .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        assert plain == item["text"]
        last_word = re.findall(r"[^\W\d_]+", plain)[-1]
        assert not re.search(r"[^\W\d_]*\u00ad[^\W\d_\u00ad]*[\W\d_]*$", text) or len(last_word) < 7, text


def test_a_block_heading_opens_with_its_first_item(seeded, exam):  # noqa: F811
    html = export(seeded, exam, "html").get_data(as_text=True)
    starts = re.findall(r'<div class="block-start">\s*<p class="block-heading">[^<]*</p>\s*<p class="item"', html)
    assert len(starts) == len(exam["blocks"])


# --- the PDF caderno -----------------------------------------------------------------------------


def _lines(words: list[tuple[str, float, float, float, float]], mid: float) -> dict[str, list[list[str]]]:
    """The words of a page as lines, per column (left / right of `mid`), top to bottom."""
    columns: dict[str, dict[int, list[tuple[float, str]]]] = {"left": {}, "right": {}}
    for word, x0, y0, _x1, _y1 in words:
        columns["left" if x0 < mid else "right"].setdefault(round(y0), []).append((x0, word))
    return {name: [[w for _, w in sorted(line)] for _, line in sorted(rows.items())]
            for name, rows in columns.items()}


def test_pdf_embeds_fonts_keeps_headings_with_items_and_the_key_grid_on_the_measure(seeded, exam, tmp_path):  # noqa: F811
    pdf = tmp_path / "caderno.pdf"
    pdf.write_bytes(export(seeded, exam, "pdf", key="commented").data)
    fonts = subprocess.run([tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # the "emb" column
    pages = _words_by_page(pdf, tmp_path)
    mid = A4_WIDTH / 2
    key_page = None
    for number, words in enumerate(pages, start=1):
        body = [w for w in words if w[2] < A4_HEIGHT - 16 * MM]  # not the footer
        if any(w[0] == "GABARITO" for w in body) and key_page is None:
            key_page = number
        if not any(w[0] == "Julgue" for w in body):
            continue
        for column, lines in _lines(body, mid).items():
            headings = [i for i, line in enumerate(lines) if line and line[0] == "Julgue"]
            if headings:  # a block heading is followed, in its column, by an item
                after = lines[headings[-1] + 1:]
                assert any(line and line[0].isdigit() for line in after), (number, column, lines[-3:])
            for previous, line in zip(lines, lines[1:], strict=False):
                # A paragraph's last word is never split: no lone tail after a hyphenated line.
                assert not (previous and previous[-1].endswith("-") and len(line) == 1 and line[0].endswith(".")), \
                    (number, column, previous, line)
    assert key_page is not None
    # The key's grid spans the measure of the key's text, not 2 mm beyond it on each side
    # (rasterised at 72 dpi: one pixel is one point).
    subprocess.run([tool("pdftoppm"), "-gray", "-r", "72", "-f", str(key_page), "-l", str(key_page), str(pdf),
                    str(tmp_path / "key")], check=True)
    image = next(tmp_path.glob("key*.pgm")).read_bytes()
    _magic, size, _maxval, pixels = image.split(b"\n", 3)  # pdftoppm's PGM: "P5\nW H\n255\n", then bytes
    width, height = (int(v) for v in size.split())
    dark = [x for y in range(height) for x in range(width) if pixels[y * width + x] < 128]
    text = [w for w in pages[key_page - 1] if w[2] < A4_HEIGHT - 16 * MM]
    left, right = min(w[1] for w in text), max(w[3] for w in text)
    assert abs(min(dark) - left) <= 2 and max(dark) <= right + 2, (min(dark), max(dark), left, right)
