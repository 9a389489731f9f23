"""Correlative split: "tanto A quanto B" becomes "A, mas não B".

"As árvores de decisão são aplicáveis tanto à classificação quanto à regressão" becomes "...
aplicáveis à classificação, mas não à regressão": the claim still holds for one of the two things
and is denied for the other, the way examiners falsify a pair. Only after the main verb: a split
subject ("Tanto o firewall quanto o IDS contribuem") would need the verb's agreement changed. The
correlative pairs are data (data/correlatives.tsv).
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import GERUND, Edit, Sentence

# The first member is a short phrase with no punctuation inside.
_MAX_MEMBER = 12


def _second_member_end(sentence: Sentence, start: int) -> int:
    """Token index just past the second member: the next punctuation, or an "e"/"ou" that opens a
    clause of its own ("quanto à regressão e utilizam critérios ...")."""
    tokens, lowers = sentence.tokens, sentence.lowers
    j = start
    while j < len(tokens) and (tokens[j].is_word or tokens[j].text in ("-", "/")):
        if j > start and lowers[j] in ("e", "ou") and j + 1 < len(tokens) and sentence._any_verb(j + 1):
            break
        if lowers[j] in ("que", "cujo", "cuja", "onde"):
            break
        j += 1
    return j


def correlative_split(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    verb = sentence.main_verb
    if verb is None or sentence.negated:
        return []
    tokens, lowers = sentence.tokens, sentence.lowers
    out = []
    for first_word, second_word in sentence.lexicon.correlatives:
        for t in sentence.find((first_word,)):
            if t <= verb or sentence.in_parens[t] or lowers[t + 1:t + 2] == [second_word]:
                continue  # before the verb (the subject), or "tanto quanto" (as much as)
            seconds = {second for first, second in sentence.lexicon.correlatives if first == first_word}
            q = next((k for k in range(t + 2, min(len(tokens), t + 2 + _MAX_MEMBER))
                      if not tokens[k].is_word or lowers[k] in seconds), None)
            if q is None or lowers[q] != second_word:
                continue
            end = _second_member_end(sentence, q + 1)
            if end == q + 1 or "não" in lowers[q + 1:end] or "não" in lowers[t + 1:q]:
                continue  # "tanto a usuários quanto a não usuários": "mas não a não usuários"
            subject = {w for w in lowers[:verb] if len(w) >= 5}
            if subject & {w for w in lowers[q + 1:end] if len(w) >= 5}:
                continue  # "O acordo de nível de serviço ... identifica X, mas não o nível de serviço"
            if end + 1 < len(tokens) and tokens[end].text == "," and GERUND.match(lowers[end + 1]):
                continue  # ", permitindo que várias pessoas contribuam": the elaboration needs both members
            edits = [Edit(tokens[t].start, tokens[t + 1].start, ""),
                     Edit(tokens[q - 1].end, tokens[q].end, ", mas não")]
            if end < len(tokens) and tokens[end].is_word:
                edits.append(Edit(tokens[end - 1].end, tokens[end - 1].end, ","))
            out.append(Candidate(
                "correlative_split", CONTRADICTION, tuple(edits),
                errado(f"A afirmação vale para os dois; o correto é: {lower_first(sentence.text)}"), 0.25,
                size=2,
            ))
    return out
