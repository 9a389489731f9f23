"""The answer sheet's layout: the one source of truth that the PDF writer draws and the scanner reads.

Positions are in PDF points from the page's bottom-left corner (A4). Nothing here depends on the
exam, so that sheets of every exam read the same way, and nothing here imports ReportLab or
OpenCV: both sides import this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.services.export.document import SHEET_PER_PAGE, SHEET_ROWS

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM

# Items: 4 columns of 30 rows, a C and an E bubble per item.
SHEET_LEFT = 20 * MM
SHEET_TOP = 222 * MM
SHEET_COLUMN_W = 45 * MM
SHEET_ROW_H = 6.8 * MM
BUBBLE_R = 2.3 * MM
BUBBLE_C_DX, BUBBLE_E_DX = 16 * MM, 25 * MM

# Corner marks: solid squares, one in each corner of the page.
FIDUCIAL = 5 * MM
FIDUCIAL_INSET = 8 * MM

# The machine-readable code (QR): exam, version and page; top left, clear of everything else.
CODE_LEFT = 20 * MM
CODE_TOP = 272 * MM
CODE_SIZE = 22 * MM

# The candidate number: 8 columns (one per digit) of 10 bubbles (0 to 9), write-in boxes above.
CANDIDATE_DIGITS = 8
CANDIDATE_LEFT = 153 * MM  # centre of the first column
CANDIDATE_COLUMN_W = 4.8 * MM
CANDIDATE_TOP = 268 * MM  # centre of the "0" row
CANDIDATE_ROW_H = 4.0 * MM
CANDIDATE_R = 1.6 * MM
CANDIDATE_BOX_BOTTOM = 272 * MM
CANDIDATE_BOX_H = 5.5 * MM


@dataclass(frozen=True)
class BubblePair:
    """Where item `number`'s C and E bubbles are centred on answer-sheet page `page` (0-based)."""

    number: int
    page: int
    c: tuple[float, float]
    e: tuple[float, float]
    radius: float = BUBBLE_R


def bubble_positions(item_count: int) -> list[BubblePair]:
    """The bubble centres of every item: column by column, 30 rows, 120 items a page."""
    pairs = []
    for index in range(item_count):
        page, slot = divmod(index, SHEET_PER_PAGE)
        column, row = divmod(slot, SHEET_ROWS)
        x0 = SHEET_LEFT + column * SHEET_COLUMN_W
        y = SHEET_TOP - (row + 0.5) * SHEET_ROW_H
        pairs.append(BubblePair(index + 1, page, (x0 + BUBBLE_C_DX, y), (x0 + BUBBLE_E_DX, y)))
    return pairs


def candidate_positions() -> list[list[tuple[float, float]]]:
    """The candidate grid's bubble centres: one list per digit position, rows 0 to 9."""
    return [[(CANDIDATE_LEFT + column * CANDIDATE_COLUMN_W, CANDIDATE_TOP - digit * CANDIDATE_ROW_H)
             for digit in range(10)] for column in range(CANDIDATE_DIGITS)]


def fiducial_centres() -> list[tuple[float, float]]:
    """Centres of the four corner marks: top left, top right, bottom right, bottom left."""
    near, far_x, far_y = FIDUCIAL_INSET + FIDUCIAL / 2, PAGE_W - FIDUCIAL_INSET - FIDUCIAL / 2, \
        PAGE_H - FIDUCIAL_INSET - FIDUCIAL / 2
    return [(near, far_y), (far_x, far_y), (far_x, near), (near, near)]


def sheet_pages(item_count: int) -> int:
    """How many answer-sheet pages an exam of `item_count` items has."""
    return max(1, -(-item_count // SHEET_PER_PAGE))
