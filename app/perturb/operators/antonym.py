"""Antonyms: a word becomes its opposite in the same inflection (reduz -> aumenta)."""

from __future__ import annotations

import random

from app.perturb.lexicon import words_of
from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.operators.phrases import (
    after_copula,
    bare_infinitive_follows,
    in_negative_phrase,
    in_one_of_phrase,
    span,
    table_matches,
)
from app.perturb.text import Edit, Sentence, match_case


def antonym(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Swap a word for its antonym in the same inflection: reduz -> aumenta, é eficiente -> é ineficiente.

    Only the claim itself is flipped: the main verb or its adverb ("Compete privativamente"), or
    a word predicated by a copula. An
    attributive adjective belongs to a term ("elasticidade rápida", "crime comum"), a verb in a
    purpose clause to what the thing is for ("destinada a proteger"): flipped, they read as
    nonsense. A sentence that negates its claim, or justifies, concedes or excepts it in another
    clause, is left alone: the other clause would argue against the flipped claim.
    """
    if sentence.negated or sentence.has_connective:
        return []
    out = []
    for first, last, rule in table_matches(sentence, sentence.lexicon.antonyms):
        start, end = span(sentence, first, last)
        if sentence.touches_protected(start, end) or sentence.inside_fixed(start, end):
            continue
        verb = sentence.main_verb
        claim = verb is not None and not sentence.main_verb_in_relative and (
            first == verb or (sentence.lowers[first].endswith("mente") and abs(first - verb) == 1))
        if not (claim or after_copula(sentence, first)) or sentence.after_purpose(first):
            continue
        if in_negative_phrase(sentence, first) or in_one_of_phrase(sentence, first):
            continue  # "a falta de ferramentas inadequadas", "um dos princípios irrelevantes"
        if bare_infinitive_follows(sentence, last, rule.target):
            continue  # "impede identificar": impedir needs "de" or "que"
        if sentence.find(words_of(rule.target)):
            continue  # "uma pública e outra privada": both sides already there
        old = sentence.text[start:end]
        new = match_case(rule.target, old)
        risk = 0.15 if sentence.is_verb(first) else 0.2
        if rule.source in (("mais",), ("menos",), ("antes",), ("depois",)):
            risk = 0.3
        out.append(Candidate(
            "antonym", CONTRADICTION, (Edit(start, end, new),),
            errado(contrast(sentence.text, start, end, rule.target)), risk,
        ))
    return out
