"""Likeness swap: a contrast becomes a likeness and the reverse ("Diferentemente do TCP" ->
"Assim como o TCP").

"Diferentemente do TCP, o UDP não estabelece conexão prévia" says the two differ in what the
clause predicates; "Assim como o TCP, o UDP não estabelece conexão prévia" says they share it,
which whoever knows the subject rejects and whoever does not cannot. The item keeps its shape and
gains no negation or absolute. A relative clause that states the other thing's own property
(", que é orientado à conexão,") is dropped with the swap: kept, it would contradict the
likeness inside the item, and a candidate could reject it without knowing the subject. The pairs
are data (data/likeness.tsv).
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import DETERMINERS, Edit, Sentence, match_case

# The compared thing is a short noun phrase: longer, and the phrase is likely a clause of its own.
_MAX_COMPARED = 8
_RELATIVE_OPENERS = frozenset({"que", "cujo", "cuja", "cujos", "cujas", "onde"})
_RELATIVE_AFTER_PREPOSITION = frozenset({"que", "qual", "quais"})
# A comparative in the claim is measured against the other thing ("caudas mais pesadas", "mais
# leves"): said of a likeness, it contradicts the item itself.
_COMPARATIVES = frozenset({"mais", "menos", "maior", "maiores", "menor", "menores", "superior", "inferior"})


_NOUN_PHRASE_OPENERS = frozenset("o a os as um uma uns umas".split())


def _opens_noun_phrase(sentence: Sentence, j: int) -> bool:
    """Whether the claim after the comparison opens with what is compared: an article, or a name
    or acronym ("o UDP", "a LOA", "Java")."""
    token = sentence.tokens[j]
    return sentence.lowers[j] in _NOUN_PHRASE_OPENERS or (token.is_word and token.text[:1].isupper())


def _opens_relative(sentence: Sentence, j: int) -> bool:
    """Whether token j opens a relative clause: "que ...", "em que ...", "no qual ..."."""
    lowers = sentence.lowers
    return j < len(lowers) and (lowers[j] in _RELATIVE_OPENERS or (
        j + 1 < len(lowers) and lowers[j + 1] in _RELATIVE_AFTER_PREPOSITION and sentence.tokens[j].is_word))


def likeness_swap(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Replace the one contrast (or likeness) phrase that opens a comma-delimited phrase."""
    tokens, lowers = sentence.tokens, sentence.lowers
    found: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for words, new in sorted(sentence.lexicon.likeness.items(), key=lambda item: -len(item[0])):
        for first in sentence.find(words):
            if first in taken:
                continue
            taken.update(range(first, first + len(words)))
            found.append((first, first + len(words) - 1, new))
    if len(found) != 1:
        return []  # two comparisons in one item: swapping one leaves the other to contradict it
    first, last, new = found[0]
    if any(w in _COMPARATIVES for w in lowers):
        return []
    if sentence.in_parens[first] or (first > 0 and tokens[first - 1].text != ","):
        return []  # "assim como" inside a clause ("assim como ocorre") is no comparison phrase
    close = next((j for j in range(last + 1, len(tokens)) if not tokens[j].is_word and tokens[j].text != "-"),
                 len(tokens))
    if close == len(tokens) or tokens[close].text not in (",", ".") or close - last > _MAX_COMPARED:
        return []
    if close == last + 1 or any(sentence._any_verb(j) for j in range(last + 1, close)):
        return []  # "Diferentemente do que se pensa": a clause, not a thing
    start, end = tokens[first].start, tokens[last].end
    if sentence.touches_protected(start, end):
        return []
    edits = [Edit(start, end, match_case(new, tokens[first].text))]
    verb = sentence.main_verb
    if verb is not None and verb < first and tokens[close].text == "," and lowers[close + 1] not in DETERMINERS:
        # After the claim: whatever follows the compared thing describes it ("..., que são
        # contínuas.", "..., dispositivo da camada física que repete os sinais"), and goes. An
        # article after the comma opens a clause of its own ("mas, diferentemente da implantação
        # contínua, o deploy ... depende ..."), which stays.
        if tokens[-1].text != ".":
            return []
        edits.append(Edit(tokens[close].start, tokens[-1].start, ""))
    else:
        claim = close + 1
        if tokens[close].text == "," and _opens_relative(sentence, close + 1):
            after = next((j for j in range(close + 1, len(tokens)) if tokens[j].text in (",", ".", ";")), None)
            if after is None or tokens[after].text != ",":
                return []
            # ", que é orientado à conexão, o UDP" -> ", o UDP"
            edits.append(Edit(tokens[close].start, tokens[after].start, ""))
            claim = after + 1
        if claim < len(tokens) and not _opens_noun_phrase(sentence, claim):
            return []  # "Diferentemente da desistência, ..., no arrependimento eficaz o agente ...":
            # a thing compared with a circumstance, whose likeness is unclear
    return [Candidate(
        "likeness_swap", CONTRADICTION, tuple(edits),
        errado(f"A assertiva inverte a comparação; o correto é: {lower_first(sentence.text)}"), 0.25,
    )]
