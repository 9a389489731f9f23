"""Modality: possibility becomes obligation or certainty (pode -> deve obrigatoriamente)."""

from __future__ import annotations

import random

from app.perturb.operators.candidate import EXTRAPOLATION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.operators.phrases import bare_infinitive_follows, span, table_matches
from app.perturb.text import NEGATIONS, Edit, Sentence, match_case


def _passive_follows(sentence: Sentence, last: int) -> bool:
    """Whether "ser" and a participle come right after token `last` ("pode ser revogado")."""
    lowers = sentence.lowers
    if last + 2 >= len(lowers) or lowers[last + 1] != "ser":
        return False
    return lowers[last + 2].endswith(("ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas", "to", "ta", "tos",
                                      "tas"))


def modality(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """A permission becomes a duty: "pode ser revogado" -> "deve obrigatoriamente ser revogado".

    Only a permission given to someone, which in CESPE's register is the passive "pode ser" +
    participle or "é facultado": "índices podem acelerar consultas" is a capability, and a duty
    given to an index is nonsense. Not where the sentence already holds an absolute word, an
    exception or condition ("desde que", "salvo"), a default ("em regra") or "qualquer" (a
    permission to anyone turned into a duty of anyone is absurd).
    """
    if sentence.has_absolute or sentence.has_connective or sentence.find(("em", "regra")) \
            or "qualquer" in sentence.lowers:
        return []
    out = []
    for first, last, rule in table_matches(sentence, sentence.lexicon.modals):
        start, end = span(sentence, first, last)
        if rule.source[0] in ("pode", "podem", "pode-se", "podendo", "poderá", "poderão") \
                and not _passive_follows(sentence, last):
            continue
        if bare_infinitive_follows(sentence, last, rule.target):
            continue  # "garante identificar"
        previous = sentence.previous_word(first)
        if previous is not None and sentence.lowers[previous] in NEGATIONS:
            continue  # "não pode revogá-los" -> "não deve obrigatoriamente revogá-los" would be true
        old = sentence.text[start:end]
        body = contrast(sentence.text, start, end, rule.target)
        out.append(Candidate(
            "modality", EXTRAPOLATION, (Edit(start, end, match_case(rule.target, old)),),
            errado(f"{body} Trata-se de possibilidade, e não de obrigação ou garantia."), 0.35,
        ))
    return out
