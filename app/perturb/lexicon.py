"""Loading of the engine's word lists, kept as data files so that authors can extend them."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from app.search import fold


def _data_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of perturb/data/<name>, in file order."""
    text = resources.files("app.perturb").joinpath("data", name).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


@cache
def back_reference_pattern() -> re.Pattern[str]:
    """Regex over folded text matching any back-reference marker ("anteriormente", ...)."""
    markers = sorted({fold(m) for m in _data_lines("back_references.txt")}, key=lambda m: (-len(m), m))
    alternation = "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in markers)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


def refers_back(text: str) -> bool:
    """Whether `text` points at the item before it ("o desafio mencionado anteriormente")."""
    return back_reference_pattern().search(fold(text)) is not None
