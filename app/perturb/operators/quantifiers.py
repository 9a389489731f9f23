"""Quantifiers: todos <-> alguns, nenhum -> todo, a maioria -> a minoria."""

from __future__ import annotations

import random

from app.perturb.lexicon import words_of
from app.perturb.operators.candidate import CONTRADICTION, EXTRAPOLATION, REDUCTION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.operators.phrases import span, table_matches
from app.perturb.text import Edit, Sentence, match_case


def quantifiers(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """todos <-> alguns, nenhum -> todo, "nem todos" -> "todos", a maioria -> a minoria."""
    out = []
    absolute = {w for phrase in sentence.lexicon.absolutes for w in phrase}
    for first, last, rule in table_matches(sentence, sentence.lexicon.quantifiers):
        start, end = span(sentence, first, last)
        if sentence.inside_fixed(start, end):
            continue
        old = sentence.text[start:end]
        target_words = set(words_of(rule.target))
        category = REDUCTION if "apenas" in target_words else (
            EXTRAPOLATION if target_words & absolute else CONTRADICTION)
        out.append(Candidate(
            "quantifiers", category, (Edit(start, end, match_case(rule.target, old)),),
            errado(contrast(sentence.text, start, end, rule.target)), 0.3,
        ))
    return out
