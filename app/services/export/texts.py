"""The fixed pt-BR texts of the learning-platform exports, read from texts.toml."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

TEXTS_FILE = Path(__file__).with_name("texts.toml")


@cache
def _texts() -> dict[str, str]:
    with TEXTS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def text(name: str, **values: object) -> str:
    """The text called `name`, its {placeholders} filled from `values`."""
    return _texts()[name].format(**values)
