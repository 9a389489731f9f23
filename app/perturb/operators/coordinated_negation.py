"""Coordinated negation: "não" at the second of two coordinated predicates.

"O kernel é o núcleo do sistema operacional e gerencia os recursos do hardware" becomes "... e
não gerencia os recursos do hardware": the first claim stays, the second is denied, which is how
examiners falsify a sentence that makes two claims about one subject. Only a verb joined by "e"
(no comma before it, so the subject is the same) after the main verb, outside a relative clause;
not in a sentence the negation operator leaves alone for its connective, hedge or negative word.
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import RELATIVES, Edit, Sentence

_DUTIES = frozenset({"deve", "devem", "deverá", "deverão"})
# After a verb the lexicon lacks, what shows it is a verb and not a noun ("e entrega contínua",
# "e entrega de modelos"): an object's article, a clitic, "que" or a preposition a noun rarely takes.
_AFTER_VERB = frozenset("o a os as um uma uns umas ao à aos às se que sobre com em no na nos nas".split())


def _object_follows(sentence: Sentence, i: int) -> bool:
    return sentence.lowers[i].endswith("-se") or (
        i + 1 < len(sentence.tokens) and sentence.lowers[i + 1] in _AFTER_VERB)


def coordinated_negation(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    verb = sentence.main_verb
    if verb is None or sentence.main_verb_in_relative or sentence.negated or sentence.has_connective:
        return []
    if sentence.has_negative_words or any(sentence.find(h) for h in sentence.lexicon.hedges):
        return []
    tokens, lowers = sentence.tokens, sentence.lowers
    for j in range(verb + 1, len(tokens) - 1):
        if not tokens[j].is_word and tokens[j].text != "-":
            if tokens[j].text in (";", ":", "("):
                return []
            continue
        if lowers[j] in RELATIVES and lowers[j] != "como":
            return []  # "que identifica X e gerencia Y": the second verb belongs to the relative
        if lowers[j] != "e" or not tokens[j - 1].is_word:
            continue
        second = j + 1
        if lowers[second].removesuffix("-se") in _DUTIES or not (
                sentence.is_verb(second) or (sentence._looks_finite(second) and _object_follows(sentence, second))):
            continue
        token = tokens[second]
        if token.lower.endswith("-se"):
            edit = Edit(token.start, token.end, f"não se {token.text[:-3]}")
        else:
            edit = Edit(token.start, token.start, "não ")
        return [Candidate(
            "coordinated_negation", CONTRADICTION, (edit,),
            errado(f"A assertiva nega uma das afirmações corretas: {lower_first(sentence.text)}"), 0.3,
        )]
    return []
