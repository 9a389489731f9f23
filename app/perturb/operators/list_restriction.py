"""List restriction: an open enumeration ("como A, B e C") made exhaustive."""

from __future__ import annotations

import random
import re

from app.perturb.operators.candidate import REDUCTION, Candidate, Context
from app.perturb.operators.explanation import errado
from app.perturb.text import Edit, Sentence

_ITEM = r"[^,.;:()\s]+(?:\s+[^,.;:()\s]+){0,3}"
OPEN_LIST = re.compile(
    rf",\s+(?P<intro>tais\s+como|como|por\s+exemplo|a\s+exemplo\s+de)\s+"
    rf"(?P<items>{_ITEM}(?:,\s+{_ITEM})*\s+e\s+{_ITEM})(?=\s*[,.;:]|$)",
    re.IGNORECASE,
)


def list_restriction(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """An open list ("como A, B e C") becomes an exhaustive one ("quais sejam, A, B e C").

    Items are never dropped: a shorter open list would stay true.
    """
    out = []
    for match in OPEN_LIST.finditer(sentence.text):
        start, end = match.start("intro"), match.end("intro")
        items = match.group("items")
        out.append(Candidate(
            "list_restriction", REDUCTION, (Edit(start, end, "quais sejam,"),),
            errado(f"{sentence.text} A enumeração introduzida por “{match.group('intro')}” é "
                   f"exemplificativa, e não taxativa: {items} são exemplos, não a lista completa."),
            0.3,
        ))
    return out
