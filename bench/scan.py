"""Reading scanned answer sheets: accuracy and speed on generated, degraded sheets (issue 16).

    .venv/bin/python bench/scan.py                      # 200 sheets at 150 dpi
    .venv/bin/python bench/scan.py --dpi 300 --sheets 50

Each sheet is the PDF writer's own answer sheet (120 items, exam 4321, versions 1 and 2) rendered
with pdftoppm, filled with random answers (C, E or blank, pen marks of random size, darkness and
offset) plus a share --hard of items marked the hard ways (light pencil, a cross, an erased mark,
two marks), a random 8-digit candidate number, then degraded as a phone or scanner does: rotated
up to ±5°, askew (corners moved up to 3 %), blurred, unevenly lit (up to 35 % darker across the
page), noisy, JPEG quality 40, on a random background. Every random choice is seeded.

Figures: wrong marks reported as confident (target 0), share of items read confidently (target
≥ 99.5 %, also given for the items marked plainly), QR codes decoded (target all), candidate
numbers read, and the time to read one sheet (decode the JPEG, find the corner marks, warp, QR,
bubbles) on one core (OpenCV held to one thread): min/median/max, and sheets/s at the median
(target ≥ 5). Writes bench/scan.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402

from app.services.export.document import DocBlock, DocItem, ExamDocument  # noqa: E402
from app.services.export.pdf import render_pdf  # noqa: E402
from app.services.scan import images, reader  # noqa: E402
from tests.scan_sheets import degrade, fill_sheet, random_marks, render_page, sheet_page_number  # noqa: E402

EXAM_ID, ITEMS = 4321, 120


def sheet_pages(dpi: int) -> dict[int, object]:
    items = tuple(DocItem(n, f"Item {n}.", 1, "Bloco", "C", None, None) for n in range(1, ITEMS + 1))
    pages = {}
    for version in (1, 2):
        document = ExamDocument(exam_id=EXAM_ID, title="Bench", version=version, versions=2,
                                created_at=datetime(2026, 12, 3, tzinfo=UTC), weights=(1.0, -1.0, 0.0),
                                blocks=(DocBlock(1, "Bloco", "Julgue os itens.", items),), items=items)
        pdf = render_pdf(document)
        pages[version] = render_page(pdf, sheet_page_number(pdf), dpi)
    return pages


def run(sheets: int, dpi: int, hard: float, seed: int) -> dict:
    cv2.setNumThreads(1)
    rng = random.Random(seed)
    pages = sheet_pages(dpi)
    times, outcome = [], Counter()
    ambiguous_by_style, wrong = Counter(), []
    for index in range(sheets):
        version = rng.choice((1, 2))
        candidate = f"{rng.randrange(10 ** 8):08d}"
        sheet = fill_sheet(pages[version], dpi, ITEMS, random_marks(ITEMS, rng, hard=hard), candidate, rng)
        data = degrade(sheet.image, rng)
        started = time.perf_counter()
        try:
            _, (gray,) = images.page_images(data)
            reading = reader.read_page(gray, lambda code: ITEMS)
        except reader.Unreadable as exc:
            times.append(time.perf_counter() - started)
            outcome[f"unreadable: {exc.code}"] += 1
            continue
        times.append(time.perf_counter() - started)
        outcome["code_decoded"] += reading.code.exam_id == EXAM_ID and reading.code.version == version
        outcome["candidate_read"] += reading.candidate == candidate
        for item in reading.items:
            style, meant = sheet.styles[item.number], sheet.intended[item.number]
            plain = style in ("full", "none")
            outcome["items"] += 1
            outcome["plain_items"] += plain
            if item.state == "ambiguous":
                ambiguous_by_style[style] += 1
                continue
            outcome["confident"] += 1
            outcome["plain_confident"] += plain
            if item.answer != meant:
                wrong.append({"sheet": index, "item": item.number, "style": style, "meant": meant,
                              "read": item.answer, "fill": [round(item.fill_c, 3), round(item.fill_e, 3)]})
    ms = sorted(t * 1000 for t in times)
    median = statistics.median(ms)
    return {
        "sheets": sheets, "dpi": dpi, "hard_share": hard, "seed": seed, "items": outcome["items"],
        "wrong_confident": len(wrong), "wrong_examples": wrong[:10],
        "confident_share": round(outcome["confident"] / max(outcome["items"], 1), 5),
        "plain_confident_share": round(outcome["plain_confident"] / max(outcome["plain_items"], 1), 5),
        "ambiguous_by_style": dict(sorted(ambiguous_by_style.items())),
        "codes_decoded": outcome["code_decoded"], "candidates_read": outcome["candidate_read"],
        "unreadable": {k: v for k, v in outcome.items() if k.startswith("unreadable")},
        "read_ms": {"min": round(ms[0], 1), "median": round(median, 1), "max": round(ms[-1], 1)},
        "sheets_per_second_per_core": round(1000 / median, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=200)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--hard", type=float, default=0.01, help="share of items marked the hard ways")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    result = run(args.sheets, args.dpi, args.hard, args.seed)
    result["machine"] = {"python": platform.python_version(), "opencv": cv2.__version__,
                         "processor": platform.machine()}
    print(f"{result['sheets']} sheets at {result['dpi']} dpi, {result['items']} items "
          f"({result['hard_share']:.1%} marked the hard ways)")
    print(f"  wrong marks reported as confident: {result['wrong_confident']}")
    print(f"  items read confidently: {result['confident_share']:.2%} "
          f"(plainly marked items: {result['plain_confident_share']:.2%})")
    print(f"  ambiguous, by how the item was marked: {result['ambiguous_by_style']}")
    print(f"  QR codes decoded: {result['codes_decoded']}/{result['sheets']}; candidate numbers read: "
          f"{result['candidates_read']}/{result['sheets']}; unreadable: {result['unreadable'] or 0}")
    t = result["read_ms"]
    print(f"  read time per sheet, one core: min {t['min']} ms, median {t['median']} ms, max {t['max']} ms "
          f"-> {result['sheets_per_second_per_core']} sheets/s")
    out = ROOT / "bench" / "scan.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    previous[f"{args.dpi}dpi"] = result
    out.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
