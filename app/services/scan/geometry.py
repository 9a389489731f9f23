"""Corner marks and the warp that undoes rotation and perspective: a page to the sheet's own frame.

The canonical frame is the A4 sheet at SCALE pixels per millimetre, y down; positions come from
app/services/export/sheet.py, the module the PDF writer draws from.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from app.services.export.sheet import FIDUCIAL, MM, PAGE_H, PAGE_W, fiducial_centres

SCALE = 6.0  # canonical pixels per millimetre (about 152 dpi)
CANONICAL_W, CANONICAL_H = round(PAGE_W / MM * SCALE), round(PAGE_H / MM * SCALE)


class NoCornerMarks(Exception):
    """The page does not show the sheet's four corner marks."""


def to_canonical(x_pt: float, y_pt: float) -> tuple[float, float]:
    """A sheet position (points, from the bottom left) in canonical pixels (from the top left)."""
    return x_pt / MM * SCALE, (PAGE_H - y_pt) / MM * SCALE


def normalized(gray: np.ndarray) -> np.ndarray:
    """The page divided by its own paper level, estimated locally: uneven lighting and grey paper
    become white paper (255), ink keeps its darkness relative to the paper around it."""
    height, width = gray.shape
    small = cv2.resize(gray, (max(1, width // 4), max(1, height // 4)), interpolation=cv2.INTER_AREA)
    # Ink narrower than the kernel (bubbles, text, the 5 mm corner marks) disappears in the max filter;
    # a narrow kernel and a light blur keep the dark band that a dark background leaves along the
    # page's edge narrow, away from the corner marks.
    side = max(3, round(max(height, width) / 4 / 297 * 9) | 1)
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side)))
    paper = cv2.GaussianBlur(paper, (0, 0), side / 4)
    paper = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(paper, 1), scale=255)


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    side: float


def _candidates(norm: np.ndarray) -> list[Mark]:
    """Solid, square, dark blobs of about the corner marks' size."""
    height, width = norm.shape
    _, ink = cv2.threshold(norm, 140, 255, cv2.THRESH_BINARY_INV)
    # An opening about 0.8 mm wide removes text strokes, which a blurred picture can join to a corner
    # mark (the footer runs 2 mm from the bottom-left one); the 5 mm marks survive it.
    side = max(3, round(0.8 * min(width, height / (PAGE_H / PAGE_W)) / (PAGE_W / MM)) | 1)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side)))
    # Two levels: a dark background around the page (a photo on a table) makes the page a hole in
    # it, and what is drawn on the page is then top level again.
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    # The page fills most of the picture: a mark's side is about FIDUCIAL / page width of it.
    expected = FIDUCIAL / PAGE_W * min(width, height / (PAGE_H / PAGE_W))
    marks = []
    for contour, (_, _, _, parent) in zip(contours, hierarchy[0], strict=True):
        if parent != -1:  # the boundary of a hole
            continue
        area = cv2.contourArea(contour)
        if not (0.35 * expected) ** 2 <= area <= (2.5 * expected) ** 2:
            continue
        (cx, cy), (w, h), _ = cv2.minAreaRect(contour)
        if min(w, h) <= 0 or max(w, h) / min(w, h) > 1.3 or area / (w * h) < 0.8:
            continue
        _, radius = cv2.minEnclosingCircle(contour)
        if area / (np.pi * radius * radius) > 0.8:  # round (a filled bubble), not square (2/π ≈ 0.64)
            continue
        x, y, w_box, h_box = cv2.boundingRect(contour)
        if cv2.countNonZero(ink[y:y + h_box, x:x + w_box]) < 0.88 * area:  # hollow (a QR finder pattern)
            continue
        moments = cv2.moments(contour)
        if moments["m00"] <= 0:
            continue
        marks.append(Mark(moments["m10"] / moments["m00"], moments["m01"] / moments["m00"], (w + h) / 2))
    return marks


def find_corner_marks(norm: np.ndarray) -> np.ndarray:
    """The four corner marks' centres (top left, top right, bottom right, bottom left), in pixels."""
    height, width = norm.shape
    marks = _candidates(norm)
    if len(marks) < 4:
        raise NoCornerMarks(f"{len(marks)} found")
    chosen = []
    for corner_x, corner_y in ((0, 0), (width, 0), (width, height), (0, height)):
        best = min(marks, key=lambda m: (m.x - corner_x) ** 2 + (m.y - corner_y) ** 2)
        chosen.append(best)
    if len({(m.x, m.y) for m in chosen}) < 4:
        raise NoCornerMarks("the same mark is nearest to two corners")
    points = np.array([(m.x, m.y) for m in chosen], dtype=np.float32)
    _check_shape(points, [m.side for m in chosen])
    return points


def _check_shape(points: np.ndarray, sides: list[float]) -> None:
    """The four marks must span a quadrilateral shaped like the sheet's, marks of one size."""
    top, right = np.linalg.norm(points[1] - points[0]), np.linalg.norm(points[2] - points[1])
    bottom, left = np.linalg.norm(points[2] - points[3]), np.linalg.norm(points[3] - points[0])
    expected = (fiducial_centres()[0][1] - fiducial_centres()[3][1]) / (fiducial_centres()[1][0]
                                                                         - fiducial_centres()[0][0])
    ratio = (left + right) / max(top + bottom, 1)
    if not 0.8 * expected <= ratio <= 1.25 * expected:
        raise NoCornerMarks(f"the marks span a {ratio:.2f} rectangle, not the sheet's {expected:.2f}")
    if min(top, bottom) < 0.7 * max(top, bottom) or min(left, right) < 0.7 * max(left, right):
        raise NoCornerMarks("the marks do not span a sheet")
    width = (top + bottom) / 2
    expected_side = width * FIDUCIAL / (fiducial_centres()[1][0] - fiducial_centres()[0][0])
    if not all(0.6 * expected_side <= s <= 1.6 * expected_side for s in sides):
        raise NoCornerMarks("the marks are not of the sheet's size for the distance between them")
    if cv2.contourArea(points.reshape(-1, 1, 2)) <= 0.5 * width * width * expected:
        raise NoCornerMarks("the marks do not enclose a sheet")


def warp(norm: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The page seen straight on, in the canonical frame."""
    target = np.array([to_canonical(x, y) for x, y in fiducial_centres()], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(norm, matrix, (CANONICAL_W, CANONICAL_H), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=255)
