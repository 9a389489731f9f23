"""simplemma's Portuguese dictionary, as the engine asks it: is a form known, what is its lemma.

simplemma's default backend decodes the whole dictionary into a Python dict: about 90 MB and
900,000 small objects per process, and under gunicorn's preload the workers' reference counting
touches those objects and copies their pages. Its low-memory backend looks words up in the
compressed stream in place (about 11 MB, the same answers), a few microseconds slower per word;
the engine asks about the same words over and over, so the answers are memoized.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

_LANG = "pt"


@lru_cache(maxsize=65536)
def is_known(word: str) -> bool:
    """simplemma.is_known(word, lang="pt")."""
    return simplemma.is_known(word, lang=_LANG, low_memory=True)


@lru_cache(maxsize=65536)
def lemmatize(word: str) -> str:
    """simplemma.lemmatize(word, lang="pt")."""
    return simplemma.lemmatize(word, lang=_LANG, low_memory=True)
