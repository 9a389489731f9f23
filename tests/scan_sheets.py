"""Filled and degraded answer sheets without a scanner: render the PDF's sheet page with pdftoppm,
draw marks where the layout puts the bubbles, then degrade the picture as phones and scanners do.

Shared by tests/test_scans.py and bench/scan.py. Every random choice comes from the `random.Random`
passed in.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from app.services.export.sheet import (
    BUBBLE_R,
    CANDIDATE_R,
    MM,
    PAGE_H,
    bubble_positions,
    candidate_positions,
)

STYLES = ("full", "light", "cross", "erased", "double", "none")


def render_page(pdf: bytes, page: int, dpi: int) -> np.ndarray:
    """One page (1-based) of a PDF as a grayscale picture, by pdftoppm."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise RuntimeError("pdftoppm is not on PATH (Debian: poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run([tool, "-r", str(dpi), "-gray", "-png", "-f", str(page), "-l", str(page), str(path),
                        str(Path(folder) / "page")], check=True)
        (picture,) = Path(folder).glob("page*.png")
        return cv2.imread(str(picture), cv2.IMREAD_GRAYSCALE)


def sheet_page_number(pdf: bytes) -> int:
    """The 1-based number of the PDF's first answer-sheet page (the one carrying the QR code)."""
    info = subprocess.run([shutil.which("pdfinfo") or "pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    pages = int(next(line for line in info.stdout.decode().splitlines() if line.startswith("Pages:")).split()[1])
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        for page in range(1, pages + 1):
            text = subprocess.run([shutil.which("pdftotext") or "pdftotext", "-f", str(page), "-l", str(page),
                                   handle.name, "-"], capture_output=True, check=True).stdout.decode()
            if "FOLHA DE RESPOSTAS" in text:
                return page
    raise ValueError("no answer sheet in this PDF")


def _px(point: tuple[float, float], dpi: int) -> tuple[float, float]:
    return point[0] / 72 * dpi, (PAGE_H - point[1]) / 72 * dpi


def _mark(img: np.ndarray, centre: tuple[float, float], radius_pt: float, dpi: int, style: str,
          rng: random.Random) -> None:
    """Draw one mark of a style into a bubble (in place)."""
    full_cx, full_cy = _px(centre, dpi)
    r = radius_pt / 72 * dpi
    # Drawn in a window around the bubble (a layer the size of the page per mark is slow at 300 dpi).
    reach = int(2 * r) + 4
    x0, y0 = max(0, int(full_cx) - reach), max(0, int(full_cy) - reach)
    window = img[y0:int(full_cy) + reach, x0:int(full_cx) + reach]
    cx, cy = full_cx - x0, full_cy - y0
    shift = 16  # sub-pixel drawing
    layer = np.zeros_like(window, dtype=np.uint8)

    def ellipse(scale: float, value: int) -> None:
        axes = (round(r * scale * rng.uniform(0.9, 1.08) * shift), round(r * scale * rng.uniform(0.9, 1.08) * shift))
        centre_px = (round((cx + rng.uniform(-0.12, 0.12) * r) * shift), round((cy + rng.uniform(-0.12, 0.12) * r)
                                                                             * shift))
        cv2.ellipse(layer, centre_px, axes, rng.uniform(0, 180), 0, 360, value, -1, cv2.LINE_AA, 4)

    if style == "full":
        ellipse(rng.uniform(0.85, 1.05), 255)
        darkness = rng.uniform(0.75, 0.95)
    elif style == "light":  # a light pencil: the whole bubble, but faint
        ellipse(rng.uniform(0.85, 1.0), 255)
        darkness = rng.uniform(0.25, 0.4)
    elif style == "erased":  # filled, then rubbed out: a grey smear remains
        ellipse(rng.uniform(0.9, 1.05), 255)
        darkness = rng.uniform(0.08, 0.2)
    elif style == "cross":
        width = max(1, round(0.45 * MM / 72 * dpi))
        for sign in (-1, 1):
            p0 = (round((cx - 0.8 * r) * shift), round((cy - sign * 0.8 * r) * shift))
            p1 = (round((cx + 0.8 * r) * shift), round((cy + sign * 0.8 * r) * shift))
            cv2.line(layer, p0, p1, 255, width, cv2.LINE_AA, 4)
        darkness = rng.uniform(0.75, 0.95)
    else:
        return
    alpha = layer.astype(np.float32) / 255 * darkness
    window[:] = np.clip(window * (1 - alpha), 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class Sheet:
    """A filled sheet and what the candidate meant: item -> "C", "E", None (blank) or "?" (ambiguous)."""

    image: np.ndarray
    intended: dict[int, str | None]
    styles: dict[int, str]
    candidate: str | None


def fill_sheet(page: np.ndarray, dpi: int, item_count: int, marks: dict[int, tuple[str, str | None]],
               candidate: str | None, rng: random.Random, *, sheet_page: int = 0) -> Sheet:
    """Fill a rendered sheet page: marks maps item -> (style, answer); unlisted items stay blank."""
    img = page.copy()
    intended: dict[int, str | None] = {}
    styles: dict[int, str] = {}
    for pair in bubble_positions(item_count):
        if pair.page != sheet_page:
            continue
        style, answer = marks.get(pair.number, ("none", None))
        styles[pair.number] = style
        if style == "double":
            _mark(img, pair.c, BUBBLE_R, dpi, "full", rng)
            _mark(img, pair.e, BUBBLE_R, dpi, "full", rng)
            intended[pair.number] = "?"
            continue
        if style == "erased":
            intended[pair.number] = None
        elif style == "none":
            intended[pair.number] = None
        else:
            intended[pair.number] = answer
        if answer is not None:
            _mark(img, pair.c if answer == "C" else pair.e, BUBBLE_R, dpi, style, rng)
    if candidate is not None:
        for column, digit in zip(candidate_positions(), candidate, strict=True):
            _mark(img, column[int(digit)], CANDIDATE_R, dpi, "full", rng)
    return Sheet(img, intended, styles, candidate)


def degrade(img: np.ndarray, rng: random.Random, *, rotation: float = 5.0, skew: float = 0.03,
            blur: float = 1.2, quality: int = 40, lighting: float = 0.35, noise: float = 6.0) -> bytes:
    """The picture as a phone or scanner gives it, JPEG-encoded: rotated (up to ±`rotation`°), seen
    askew (corners moved up to `skew` of the size), blurred, unevenly lit, noisy."""
    nprng = np.random.default_rng(rng.randrange(2 ** 32))
    height, width = img.shape
    pad = round(0.06 * max(height, width))
    background = rng.randint(60, 235)
    canvas = cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=background)
    h, w = canvas.shape
    source = np.float32([[pad, pad], [pad + width, pad], [pad + width, pad + height], [pad, pad + height]])
    angle = np.deg2rad(rng.uniform(-rotation, rotation))
    centre = np.float32([w / 2, h / 2])
    rot = np.float32([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    target = (source - centre) @ rot.T + centre
    target += np.float32([[rng.uniform(-skew, skew) * width, rng.uniform(-skew, skew) * height] for _ in range(4)])
    matrix = cv2.getPerspectiveTransform(source, target.astype(np.float32))
    out = cv2.warpPerspective(canvas, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                              borderValue=background).astype(np.float32)
    if blur:
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.3, blur))
    if lighting:
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        direction = rng.uniform(0, 2 * np.pi)
        ramp = (np.cos(direction) * xs / w + np.sin(direction) * ys / h)
        ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
        out *= 1.0 - lighting * ramp
    if noise:
        out += nprng.normal(0, noise, out.shape).astype(np.float32)
    out = np.clip(out, 0, 255).astype(np.uint8)
    ok, encoded = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return encoded.tobytes()


def random_marks(item_count: int, rng: random.Random, *, hard: float = 0.0) -> dict[int, tuple[str, str | None]]:
    """Random answers (C, E or blank, full marks); a share `hard` of items gets a hard style instead
    (light pencil, cross, erased, two marks)."""
    marks = {}
    for number in range(1, item_count + 1):
        if rng.random() < hard:
            marks[number] = (rng.choice(("light", "cross", "erased", "double")), rng.choice("CE"))
        else:
            answer = rng.choice(("C", "E", "C", "E", None))
            marks[number] = ("full", answer) if answer else ("none", None)
    return marks


def png(img: np.ndarray) -> bytes:
    ok, encoded = cv2.imencode(".png", img)
    assert ok
    return encoded.tobytes()


def make_samples(folder: Path) -> None:
    """(Re)make tests/data/scans: three pictures of exam 1's sheet (40 items), seeded, and what they read."""
    import json
    from datetime import UTC, datetime

    from app.services.export.document import DocBlock, DocItem, ExamDocument
    from app.services.export.pdf import render_pdf

    rng = random.Random(2026)
    folder.mkdir(parents=True, exist_ok=True)
    items = tuple(DocItem(n, f"Item {n}.", 1, "Folhas", "C", None, None) for n in range(1, 41))
    expected: dict = {"exam_id": 1, "files": {}}
    for name, version, dpi, turn, quality in (("phone-150dpi-v1.jpg", 1, 150, False, 40),
                                              ("upside-down-150dpi-v2.jpg", 2, 150, True, 50),
                                              ("scan-300dpi-v1.jpg", 1, 300, False, 45)):
        document = ExamDocument(exam_id=1, title="Amostra", version=version, versions=2,
                                created_at=datetime(2026, 12, 3, tzinfo=UTC), weights=(1.0, -1.0, 0.0),
                                blocks=(DocBlock(1, "Folhas", "Julgue os itens.", items),), items=items)
        pdf = render_pdf(document)
        page = render_page(pdf, sheet_page_number(pdf), dpi)
        candidate = f"{rng.randrange(10 ** 8):08d}"
        sheet = fill_sheet(page, dpi, 40, random_marks(40, rng, hard=0.15), candidate, rng)
        image = cv2.rotate(sheet.image, cv2.ROTATE_180) if turn else sheet.image
        (folder / name).write_bytes(degrade(image, rng, quality=quality))
        expected["files"][name] = {"version": version, "candidate": candidate,
                                   "intended": {str(k): v for k, v in sheet.intended.items()},
                                   "styles": {str(k): v for k, v in sheet.styles.items()}}
    (folder / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    make_samples(Path(__file__).resolve().parent / "data" / "scans")
