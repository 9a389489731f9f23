"""Obligation rewrites: a duty stated as the impossibility of omitting it (data/obligations.tsv).

"O orçamento deve ser elaborado ..." -> "O orçamento não pode deixar de ser elaborado ...": "deve
X" and "não pode deixar de X" say the same. Only the modal as the main verb followed by an
infinitive ("deve ser", "deve observar"); not "deve-se", not "deve a" (owes), not inside a
relative clause.
"""

from __future__ import annotations

from functools import cache

import simplemma

from app.perturb.rewrites.common import Rewrite, build, guard_words, negated, plain_claim, read_table
from app.perturb.text import Edit, Sentence


@cache
def _table() -> dict[str, tuple[str, str]]:
    """modal -> (its negated-omission phrase without "não", kind modal)."""
    return read_table("obligations.tsv", ("modal",))


def _infinitive(sentence: Sentence, i: int) -> bool:
    lower = sentence.lowers[i]
    if not sentence.tokens[i].text.isalpha() or sentence.in_parens[i] or lower == "deixar":
        return False
    if lower in ("ser", "ter", "ir", "vir", "pôr", "estar", "haver"):
        return True
    return len(lower) > 3 and lower.endswith(("ar", "er", "ir")) and simplemma.lemmatize(lower, lang="pt") == lower


def rewrite(sentence: Sentence) -> list[Rewrite]:
    """"deve ser publicado" -> "não pode deixar de ser publicado"."""
    if not plain_claim(sentence):
        return []
    verb = sentence.main_verb
    if guard_words("subordinators") & set(sentence.lowers[:verb]):
        return []  # "defende que o estilo deve variar": the duty is reported, not stated
    entry = _table().get(sentence.lowers[verb])
    if entry is None or verb + 1 >= len(sentence.tokens) or not _infinitive(sentence, verb + 1):
        return []
    token = sentence.tokens[verb]
    return [build(sentence, "obligation", (Edit(token.start, token.end, negated(sentence, verb, entry[0])),))]
