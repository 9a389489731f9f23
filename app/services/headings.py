"""Block headings, the CESPE command line opening each block of an exam, without simplemma's dictionary.

"Julgue os itens a seguir, relativos a <assunto>." lower-cases the subject's first letter unless its
first word is a name or an acronym; whether a word is a common word is asked of simplemma's
Portuguese dictionary, which takes about a second and 90 MB to load. Drawing an exam needs the
answer for a handful of words, so it is read from a precomputed table instead: the dictionary's
lower-case forms, sorted, in a file built once per installation (and per simplemma version) by the
first process that needs it, and searched by bisection through mmap, so nothing is loaded. Where the
file cannot be written the dictionary is asked directly, as before.
"""

from __future__ import annotations

import mmap
import os
import tempfile
import threading
import unicodedata
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from app.config import INSTANCE_DIR

_ARTICLE_CONTRACTION = {"o": "ao", "a": "à", "os": "aos", "as": "às"}
# The same endings as app/perturb/operators/explanation.py's lower_first (tests hold them equal).
_COMMON_NOUN_ENDINGS = ("ção", "ções", "são", "mento", "mentos", "dade", "dades", "ismo", "agem", "ência", "ância")
_APOSTROPHES = ("'", "’", "ʼ")


@lru_cache(maxsize=4096)
def block_heading(subtopic_title: str) -> str:
    """The CESPE command line opening a block: "Julgue os itens a seguir, relativos a <assunto>."."""
    subject = subtopic_title.strip().rstrip(".").strip()
    first, _, rest = subject.partition(" ")
    if first.lower() in _ARTICLE_CONTRACTION and rest:
        return f"Julgue os itens a seguir, relativos {_ARTICLE_CONTRACTION[first.lower()]} {rest}."
    return f"Julgue os itens a seguir, relativos a {lower_first(subject)}."


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is a name or acronym ("MLOps", "Docker");
    the rule of the variant engine's lower_first, with the dictionary read from the word table."""
    first = text.split(" ", 1)[0]
    lower = first.lower()
    if first[1:] != first[1:].lower():
        return text
    if not (lower.endswith(_COMMON_NOUN_ENDINGS) or is_known(lower)):
        return text
    return text[:1].lower() + text[1:]


def is_known(word: str) -> bool:
    """simplemma.is_known(word, lang="pt"), for a lower-case word, from the word table."""
    token = unicodedata.normalize("NFC", word)
    table = _table()
    if table is None or not token or token != token.lower() or any(a in token for a in _APOSTROPHES):
        from app.perturb import dictionary

        return dictionary.is_known(word)
    return table.contains(token)


class WordTable:
    """A sorted file of UTF-8 words, one a line, searched in place by bisection."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as fh:
            self._data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)

    def contains(self, word: str) -> bool:
        target = word.encode("utf-8")
        data = self._data
        lo, hi = 0, len(data)
        while lo < hi:
            mid = (lo + hi) // 2
            start = data.rfind(b"\n", 0, mid) + 1
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            line = data[start:end]
            if line == target:
                return True
            if line < target:
                lo = end + 1
            else:
                hi = start
        return False


_LOCK = threading.Lock()
_TABLE: list[WordTable | None] = []


def table_path() -> Path:
    """Where the word table lives: QBANK_CACHE_DIR, else instance/cache; named by simplemma's version."""
    folder = Path(os.environ.get("QBANK_CACHE_DIR") or INSTANCE_DIR / "cache")
    return folder / f"simplemma-{metadata.version('simplemma')}-pt-known.txt"


def _table() -> WordTable | None:
    if _TABLE:
        return _TABLE[0]
    with _LOCK:
        if not _TABLE:
            _TABLE.append(_open_or_build(table_path()))
    return _TABLE[0]


def _open_or_build(path: Path) -> WordTable | None:
    try:
        if not path.is_file():
            build_table(path)
        return WordTable(path)
    except OSError:
        return None


def build_table(path: Path) -> None:
    """Write the table: every lower-case form simplemma.is_known accepts (a dictionary key, or the
    lower case of a capitalized key), sorted by bytes; written aside and renamed into place, so that
    concurrent builders never expose a partial file."""
    from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

    words = set()
    for key in DEFAULT_DICTIONARY_FACTORY.get_dictionary("pt"):
        lower = key.lower()
        if key == lower:
            words.add(key)
        elif lower.capitalize() == key:
            words.add(lower)
    data = b"\n".join(sorted(w.encode("utf-8") for w in words if "\n" not in w))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide it from a server running as another user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
