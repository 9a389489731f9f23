"""Correlative denial: "Tanto o firewall quanto o IDS contribuem" becomes "Nem o firewall nem o IDS
contribuem".

A subject that pairs two things with "tanto ... quanto" says the claim holds for both; "nem ...
nem" denies it for both, keeps the verb's agreement (a plural verb after "nem A nem B" is
standard) and the rest of the sentence as it is. The split that correlative_split makes after the
verb ("A, mas não B") would need the verb changed here. Only a pair that opens the sentence and is
followed directly by the main verb, in a sentence with no negation of its own. The correlative
pairs are data (data/correlatives.tsv).
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import Edit, Sentence, match_case

_MAX_MEMBER = 6


def correlative_denial(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    verb = sentence.main_verb
    tokens, lowers = sentence.tokens, sentence.lowers
    if verb is None or sentence.negated or sentence.has_negative_words or not lowers:
        return []
    seconds = {second for first, second in sentence.lexicon.correlatives if first == lowers[0]}
    if not seconds or lowers[1:2] == [lowers[0]]:
        return []
    q = next((k for k in range(2, min(verb, 2 + _MAX_MEMBER)) if lowers[k] in seconds), None)
    if q is None or not all(tokens[k].is_word for k in range(1, verb)) or verb - q - 1 > _MAX_MEMBER:
        return []  # a member with punctuation inside, or longer than a name
    if verb == q + 1 or "não" in lowers[:verb]:
        return []
    edits = (Edit(tokens[0].start, tokens[0].end, match_case("nem", tokens[0].text)),
             Edit(tokens[q].start, tokens[q].end, "nem"))
    return [Candidate(
        "correlative_denial", CONTRADICTION, edits,
        errado(f"A afirmação vale para os dois; o correto é: {lower_first(sentence.text)}"), 0.25,
        size=2,
    )]
