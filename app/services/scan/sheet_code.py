"""The answer sheet's machine-readable code: which exam, version and page a sheet belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass

# QR alphanumeric mode (digits, capitals, ':'): the shortest code, hence the largest modules.
_PREFIX = "QB1"
_PATTERN = re.compile(r"QB1:(\d{1,12}):(\d{1,4}):(\d{1,3})")


@dataclass(frozen=True)
class SheetCode:
    """What a sheet's QR code says: exam id, version (1-based) and sheet page (1-based)."""

    exam_id: int
    version: int
    page: int


def encode(code: SheetCode) -> str:
    """The text the QR code carries."""
    return f"{_PREFIX}:{code.exam_id}:{code.version}:{code.page}"


def decode(text: str) -> SheetCode | None:
    """The code in a QR text, or None if the text is not one of qbank's sheets."""
    found = _PATTERN.fullmatch(text.strip())
    if found is None:
        return None
    exam_id, version, page = (int(g) for g in found.groups())
    if exam_id < 1 or version < 1 or page < 1:
        return None
    return SheetCode(exam_id, version, page)
