"""Concession reversal: "ainda que X" becomes "exceto quando X" (the rule said not to hold there).

"A lei posterior que favorecer o agente aplica-se aos fatos anteriores, ainda que decididos por
sentença condenatória transitada em julgado" becomes "..., exceto quando decididos por sentença
...": the original says the rule holds even in that case, the variant that the case is excluded.
"a menos que" replaces a concession whose clause has a verb (both take the subjunctive: "ainda
que outro seja" -> "a menos que outro seja"); "exceto quando" one without a verb. The pairs are
data (data/concessions.tsv).
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import Edit, Sentence, match_case


def concession_reversal(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    tokens = sentence.tokens
    found = [(first, len(words), replacements)
             for words, replacements in sentence.lexicon.concessions.items() for first in sentence.find(words)]
    others = [first for words in sentence.lexicon.exceptions for first in sentence.find(words)
              if words not in sentence.lexicon.concessions]
    if len(found) != 1 or others or sentence.is_justified:
        return []  # another condition or exception, or a reason, would argue with the reversed one
    first, n, (with_verb, without_verb) = found[0]
    if sentence.in_parens[first] or (first > 0 and tokens[first - 1].text != ","):
        return []
    close = next((j for j in range(first + n, len(tokens)) if tokens[j].text in (",", ".", ";", ":")), len(tokens))
    if close == first + n:
        return []
    has_verb = any(sentence.is_verb(j) or sentence._looks_finite(j) for j in range(first + n, close))
    new = with_verb if has_verb else without_verb
    start, end = tokens[first].start, tokens[first + n - 1].end
    if sentence.touches_protected(start, end):
        return []
    return [Candidate(
        "concession_reversal", CONTRADICTION, (Edit(start, end, match_case(new, tokens[first].text)),),
        errado(f"A regra vale também nesse caso; o correto é: {lower_first(sentence.text)}"), 0.25,
    )]
