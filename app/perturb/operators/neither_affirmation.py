"""Neither affirmation: "não prevê subequipes nem hierarquias" becomes "prevê subequipes e
hierarquias".

A claim that denies two things at once ("O Guia do Scrum não prevê subequipes nem hierarquias",
"O COBIT não é uma descrição completa do ambiente de TI nem um framework de processos de negócio")
is falsified by affirming both: the "não" goes and the "nem" becomes "e". The negation operator
alone cannot do it (removing only the "não" leaves "nem" dangling). Only where the negation is at
the main verb and the one "nem" follows it, in a sentence with no other negative word and no
clause that justifies or excepts the claim; "nem mesmo", "nem sempre" and "nem todos" are
different words and are left alone.
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.operators.negation import negated_text
from app.perturb.text import Edit, Sentence

_OTHER_NEGATIVES = frozenset("nunca jamais nenhum nenhuma sem tampouco ninguém nada".split())
_NOT_COORDINATING = frozenset("mesmo sempre todo toda todos todas sequer".split())


def neither_affirmation(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Drop the "não" of the main verb and turn the "nem" after it into "e"."""
    verb, lowers, tokens = sentence.main_verb, sentence.lowers, sentence.tokens
    if verb is None or not sentence.negated or sentence.has_connective:
        return []
    nems = [i for i, lower in enumerate(lowers) if lower == "nem"]
    if len(nems) != 1 or lowers.count("não") != 1 or any(w in _OTHER_NEGATIVES for w in lowers):
        return []
    nem = nems[0]
    if nem < verb or nem + 1 >= len(tokens) or lowers[nem + 1] in _NOT_COORDINATING or sentence.in_parens[nem]:
        return []
    text = sentence.text
    start = tokens[nem - 1].end if tokens[nem - 1].text == "," else tokens[nem].start
    prefix = " " if tokens[nem - 1].text == "," else ""
    joined = text[:start] + prefix + "e" + text[tokens[nem].end:]
    new = negated_text(Sentence(joined, sentence.lexicon), rng, context)
    if new is None or "não" in new.lower().split():
        return []
    return [Candidate(
        "neither_affirmation", CONTRADICTION, (Edit(0, len(text), new),),
        errado(f"A assertiva afirma o que a regra nega; o correto é: {lower_first(text)}"), 0.3,
        size=2,
    )]
