"""One page image to a reading: corner marks, warp, QR code, candidate number, every item's marks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from app.services.export.sheet import (
    BUBBLE_R,
    CANDIDATE_R,
    CODE_LEFT,
    CODE_SIZE,
    CODE_TOP,
    MM,
    bubble_positions,
    candidate_positions,
)
from app.services.scan import bubbles, geometry, sheet_code
from app.services.scan.sheet_code import SheetCode

SHEET_ITEMS = 120  # items a sheet page holds (SHEET_PER_PAGE)


class Unreadable(Exception):
    """A page that is no readable qbank sheet; `code` says why, the message says it in Portuguese."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ItemReading:
    """One item as read: C, E, None (blank) or ambiguous, with both bubbles' fill."""

    number: int
    state: str  # answer, blank, ambiguous
    answer: str | None
    confidence: float
    fill_c: float
    fill_e: float
    reason: str | None = None

    def as_dict(self) -> dict:
        return {"number": self.number, "state": self.state, "answer": self.answer, "confidence": self.confidence,
                "fill": [round(self.fill_c, 3), round(self.fill_e, 3)], "reason": self.reason}


@dataclass(frozen=True)
class PageReading:
    code: SheetCode
    candidate: str | None
    candidate_problem: str | None  # ambiguous_digit, incomplete, missing
    items: list[ItemReading] = field(default_factory=list)

    @property
    def ambiguous(self) -> list[int]:
        return [i.number for i in self.items if i.state == bubbles.AMBIGUOUS]


def _decode_code(canonical: np.ndarray) -> SheetCode | None:
    import zxingcpp

    margin = 6 * MM
    x0, y0 = geometry.to_canonical(CODE_LEFT - margin, CODE_TOP + margin)
    x1, y1 = geometry.to_canonical(CODE_LEFT + CODE_SIZE + margin, CODE_TOP - CODE_SIZE - margin)
    crop = np.ascontiguousarray(canonical[max(0, round(y0)):round(y1), max(0, round(x0)):round(x1)])
    for result in zxingcpp.read_barcodes(crop, formats=zxingcpp.BarcodeFormat.QRCode):
        code = sheet_code.decode(result.text)
        if code is not None:
            return code
    return None


def locate(gray: np.ndarray) -> tuple[np.ndarray, SheetCode]:
    """The page in the canonical frame, upright, and its code; Unreadable if it is no sheet."""
    norm = geometry.normalized(gray)
    try:
        corners = geometry.find_corner_marks(norm)
    except geometry.NoCornerMarks:
        raise Unreadable("as quatro marcas de canto da folha de respostas não foram encontradas", "no_corner_marks")
    canonical = geometry.warp(norm, corners)
    code = _decode_code(canonical)
    if code is None:  # upside down: the corner marks are symmetric, the code is not
        turned = cv2.rotate(canonical, cv2.ROTATE_180)
        code = _decode_code(turned)
        if code is not None:
            canonical = turned
    if code is None:
        raise Unreadable("o código QR da folha (prova, caderno, página) não pôde ser lido", "no_sheet_code")
    return canonical, code


def _candidate(canonical: np.ndarray, sheet: bubbles.Levels) -> tuple[str | None, str | None]:
    columns = candidate_positions()
    raw = bubbles.darkness(canonical, [p for column in columns for p in column], CANDIDATE_R, sheet)
    values = bubbles.fills(raw).reshape(len(columns), 10)
    digits, problem = [], None
    for column in values:
        choice = bubbles.choose(list(column))
        if choice.state == bubbles.AMBIGUOUS:
            problem = "ambiguous_digit"
        digits.append(str(choice.index) if choice.state == bubbles.ANSWER else None)
    if problem is None and all(d is None for d in digits):
        return None, "missing"
    if problem is None and any(d is None for d in digits):
        problem = "incomplete"
    return ("".join(d or "?" for d in digits)), problem


def read_marks(canonical: np.ndarray, code: SheetCode, item_count: int) -> PageReading:
    """Every item of the code's page and the candidate number, read from the canonical page."""
    sheet = bubbles.levels(canonical)
    pairs = [p for p in bubble_positions(item_count) if p.page == code.page - 1]
    raw = bubbles.darkness(canonical, [p.c for p in pairs] + [p.e for p in pairs], BUBBLE_R, sheet)
    values = bubbles.fills(raw)
    half = len(pairs)
    items = []
    for index, pair in enumerate(pairs):
        fill_c, fill_e = float(values[index]), float(values[half + index])
        choice = bubbles.choose([fill_c, fill_e])
        answer = "CE"[choice.index] if choice.state == bubbles.ANSWER else None
        items.append(ItemReading(pair.number, choice.state, answer, choice.confidence, fill_c, fill_e,
                                 choice.reason))
    candidate, problem = _candidate(canonical, sheet)
    return PageReading(code, candidate, problem, items)


def read_page(gray: np.ndarray, item_count_of: Callable[[SheetCode], int]) -> PageReading:
    """Read one page; `item_count_of` says how many items the code's exam has (Unreadable if none)."""
    canonical, code = locate(gray)
    return read_marks(canonical, code, item_count_of(code))
