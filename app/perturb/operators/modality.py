"""Modality: possibility becomes obligation or certainty (pode -> deve obrigatoriamente)."""

from __future__ import annotations

import random

from app.perturb.operators.candidate import EXTRAPOLATION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.operators.phrases import bare_infinitive_follows, span, table_matches
from app.perturb.text import NEGATIONS, Edit, Sentence, match_case


def modality(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Possibility becomes obligation or certainty: pode -> deve obrigatoriamente, permite -> garante."""
    if sentence.has_absolute:
        return []
    out = []
    for first, last, rule in table_matches(sentence, sentence.lexicon.modals):
        start, end = span(sentence, first, last)
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
