"""How full each bubble is, measured against the sheet's own paper and ink, and what an item reads.

A bubble's darkness is the mean of its inner disk (inside the printed outline), placed between
the sheet's paper level (0) and its ink level (1, the inside of the corner marks). The printed
letter inside every bubble and the scanner's grey are the sheet's blank level, taken from the
sheet's own bubbles (most of them are blank), and subtracted: `fill` is 0 for a blank bubble and
about 1 for a fully inked one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from app.services.export.sheet import FIDUCIAL, MM, fiducial_centres
from app.services.scan.geometry import SCALE, to_canonical

# Fill at or below EMPTY is blank; at or above MARKED is a mark; between is neither: ambiguous
# (a faint mark, a half-erased one, a cross). Chosen on the generated sheets (bench/scan.py).
EMPTY = 0.22
MARKED = 0.5
INNER = 0.62  # share of the bubble's radius measured: inside the printed outline, whatever the warp's error

ANSWER, BLANK, AMBIGUOUS = "answer", "blank", "ambiguous"


@dataclass(frozen=True)
class Levels:
    paper: float
    ink: float


def levels(canonical: np.ndarray) -> Levels:
    """The sheet's paper level (its median) and ink level (inside the corner marks)."""
    half = FIDUCIAL / MM * SCALE * 0.3
    inks = []
    for x, y in fiducial_centres():
        cx, cy = to_canonical(x, y)
        patch = canonical[round(cy - half):round(cy + half) + 1, round(cx - half):round(cx + half) + 1]
        inks.append(float(np.median(patch)))
    paper = float(np.median(canonical[::4, ::4]))
    ink = float(np.median(inks))
    if paper - ink < 40:  # no contrast: the corner marks were found on something that is no sheet
        ink = paper - 40
    return Levels(paper, ink)


@cache
def _disk(radius_px: float) -> tuple[np.ndarray, int]:
    reach = int(np.ceil(radius_px))
    ys, xs = np.mgrid[-reach:reach + 1, -reach:reach + 1]
    return (xs * xs + ys * ys <= radius_px * radius_px), reach


def darkness(canonical: np.ndarray, centres: list[tuple[float, float]], radius_pt: float,
             sheet: Levels) -> np.ndarray:
    """Darkness of each bubble's inner disk, 0 (paper) to 1 (ink)."""
    mask, reach = _disk(radius_pt / MM * SCALE * INNER)
    count = mask.sum()
    span = sheet.paper - sheet.ink
    out = np.empty(len(centres))
    height, width = canonical.shape
    for index, (x_pt, y_pt) in enumerate(centres):
        cx, cy = to_canonical(x_pt, y_pt)
        x, y = round(cx), round(cy)
        if not (reach <= x < width - reach and reach <= y < height - reach):
            out[index] = 0.0
            continue
        patch = canonical[y - reach:y + reach + 1, x - reach:x + reach + 1]
        out[index] = (sheet.paper - float(patch[mask].sum()) / count) / span
    return np.clip(out, 0.0, 1.0)


def fills(raw: np.ndarray) -> np.ndarray:
    """Darkness less the sheet's blank level (the lower third of its bubbles), rescaled to 0..1."""
    if raw.size == 0:
        return raw
    blank = float(np.percentile(raw, 33))
    blank = min(blank, 0.3)  # a sheet of marks everywhere still has its printed letters' level at most
    return np.clip((raw - blank) / (1.0 - blank), 0.0, 1.0)


def _margin(fill: float) -> float:
    """How far a bubble is from the ambiguous band, 0 (at its edge) to 1."""
    if fill <= EMPTY:
        return min(1.0, (EMPTY - fill) / EMPTY * 2)
    if fill >= MARKED:
        return min(1.0, (fill - MARKED) / (1.0 - MARKED) * 2)
    return 0.0


@dataclass(frozen=True)
class Choice:
    """What a set of alternatives (C/E of an item, 0-9 of a candidate digit) reads."""

    state: str  # answer, blank or ambiguous
    index: int | None  # the marked alternative, for an answer
    confidence: float
    reason: str | None = None  # for ambiguous: two_marks, faint_mark


def choose(values: list[float]) -> Choice:
    """One marked alternative and the others empty: an answer; all empty: blank; else ambiguous."""
    marked = [i for i, v in enumerate(values) if v >= MARKED]
    unsure = [i for i, v in enumerate(values) if EMPTY < v < MARKED]
    if len(marked) > 1:
        return Choice(AMBIGUOUS, None, 0.0, "two_marks")
    if unsure:
        return Choice(AMBIGUOUS, None, 0.0, "faint_mark")
    confidence = round(min(_margin(v) for v in values), 3)
    if marked:
        return Choice(ANSWER, marked[0], confidence)
    return Choice(BLANK, None, confidence)
