"""Duty waiver: a duty said not to exist ("deve ser elaborado" -> "não precisa ser elaborado").

The negation operator leaves duties alone, since "não deve ser elaborado" reads as a prohibition,
which says something else and is often contestable. Examiners deny a duty with "não precisa",
"não é obrigatório": the item stays close to the original, and is false exactly where the rule
imposes the duty. Only a duty that is the main verb and governs an infinitive, in a sentence the
negation operator would otherwise take (no connective, hedge or other negative word), and without
a bound or a deadline ("deve ser encaminhado até oito meses antes" -> "não precisa ser encaminhado até ..."
blurs whether the duty or the deadline is denied). The pairs are data (data/duty_waivers.tsv).
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import Edit, Sentence, match_case

_INFINITIVE_ENDINGS = ("ar", "er", "ir", "or")


def duty_waiver(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    verb = sentence.main_verb
    if verb is None or sentence.main_verb_in_relative or sentence.negated or sentence.has_connective:
        return []
    waiver = sentence.lexicon.duty_waivers.get(sentence.lowers[verb])
    if waiver is None or sentence.has_negative_words or any(sentence.find(h) for h in sentence.lexicon.hedges):
        return []
    tokens, lowers = sentence.tokens, sentence.lowers
    following = verb + 1
    if following >= len(tokens) or not lowers[following].isalpha() or \
            not lowers[following].endswith(_INFINITIVE_ENDINGS):
        return []
    if "até" in lowers[following:] or any(lowers[j] == "que" for j in range(0, verb)):
        return []  # a deadline, or a duty inside a reported clause ("defende que o estilo deve variar")
    if any(sentence.find(bound) for bound in sentence.lexicon.bounds):
        return []  # "não precisam ser destinados, pelo menos setenta por cento, ...": the bound dangles
    token = tokens[verb]
    return [Candidate(
        "duty_waiver", CONTRADICTION, (Edit(token.start, token.end, match_case(waiver, token.text)),),
        errado(f"Trata-se de um dever: {lower_first(sentence.text)}"), 0.3,
    )]
