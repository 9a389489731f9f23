"""Order swap: two members of a list whose order the sentence asserts change places.

"Os comandos GRANT e REVOKE são utilizados, respectivamente, para conceder e revogar privilégios"
becomes "Os comandos REVOKE e GRANT são utilizados, respectivamente, ..."; "são, nessa ordem,
DHCPDISCOVER, DHCPOFFER, DHCPREQUEST e DHCPACK" becomes "..., DHCPOFFER, DHCPDISCOVER, ...". Where
a sentence pairs two lists ("respectivamente") or states a sequence ("nessa ordem"), the order is
the content: exchanged, it pairs each member with another's property. The item keeps every word
of the original.

Only lists of members of one shape are swapped: names (capitalised words or acronyms, "Product
Backlog, Sprint Backlog e Incremento"), or single words after the same article ("o tático e o
operacional"). The markers are data (data/order_markers.txt).
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import Edit, Sentence

_ARTICLES = frozenset({"o", "a", "os", "as"})
_MAX_NAME_WORDS = 3


def _is_name(token_text: str) -> bool:
    return token_text[:1].isupper()


def _members(sentence: Sentence, e: int) -> list[tuple[int, int]] | None:
    """(first, last) token of each member of the list whose final "e" is token e, or None when the
    members are not of one shape."""
    tokens, lowers = sentence.tokens, sentence.lowers
    if e + 1 >= len(tokens) or e == 0:
        return None
    if lowers[e + 1] in _ARTICLES:
        # "o tático e o operacional": article + one word, the same article each time.
        article = lowers[e + 1]
        if e + 2 >= len(tokens) or not tokens[e + 2].is_word:
            return None
        members = [(e + 1, e + 2)]
        j = e - 1
        while j >= 1 and tokens[j].is_word and lowers[j - 1] == article:
            members.insert(0, (j - 1, j))
            if j - 2 >= 0 and tokens[j - 2].text == ",":
                j -= 3
                continue
            break
        return members if len(members) >= 2 else None

    def name_run(first: int, step: int) -> tuple[int, int] | None:
        """The run of capitalised words from `first` in direction `step` (1 or -1)."""
        j = first
        while (0 <= j < len(tokens) and tokens[j].is_word and _is_name(tokens[j].text)
               and abs(j - first) < _MAX_NAME_WORDS):
            j += step
        last = j - step
        if not (0 <= first < len(tokens)) or not tokens[first].is_word or not _is_name(tokens[first].text):
            return None
        return (first, last) if step == 1 else (last, first)

    after = name_run(e + 1, 1)
    before = name_run(e - 1, -1)
    if after is None or before is None:
        return None
    if after[1] + 1 < len(tokens) and tokens[after[1] + 1].is_word and _is_name(tokens[after[1] + 1].text):
        return None  # a longer name than a member may be
    members = [before, after]
    j = before[0] - 1
    while j >= 1 and tokens[j].text == ",":
        member = name_run(j - 1, -1)
        if member is None:
            break
        members.insert(0, member)
        j = member[0] - 1
    if members[0][0] > 0 and tokens[members[0][0] - 1].is_word and _is_name(tokens[members[0][0] - 1].text):
        return None
    return members


def order_swap(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Exchange two neighbouring members of the first list of a sentence that asserts an order."""
    markers = [i for words in sentence.lexicon.order_markers for i in sentence.find(words)]
    if len(markers) != 1:
        return []
    tokens, lowers = sentence.tokens, sentence.lowers
    for e, lower in enumerate(lowers):
        if lower != "e" or sentence.in_parens[e]:
            continue
        members = _members(sentence, e)
        if members is None:
            continue
        texts = [sentence.text[tokens[a].start:tokens[b].end] for a, b in members]
        if len({t.lower() for t in texts}) != len(texts):
            return []
        k = rng.randrange(len(members) - 1)
        (a1, b1), (a2, b2) = members[k], members[k + 1]
        if lowers[a1] in _ARTICLES:
            a1, a2 = a1 + 1, a2 + 1  # the article stays where it is
        first = (tokens[a1].start, tokens[b1].end)
        second = (tokens[a2].start, tokens[b2].end)
        if sentence.touches_protected(*first) or sentence.touches_protected(*second):
            return []
        text = sentence.text
        edits = (Edit(*first, text[slice(*second)]), Edit(*second, text[slice(*first)]))
        return [Candidate(
            "order_swap", CONTRADICTION, edits,
            errado(f"A assertiva troca a ordem dos termos; o correto é: {lower_first(text)}"),
            0.25,
            size=2,
        )]
    return []
