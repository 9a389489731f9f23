"""Role swap: the two things a contrast opposes exchange their predicates.

"A autenticação verifica a identidade declarada, ao passo que a autorização define os recursos
que o usuário pode acessar" becomes "A autorização verifica a identidade declarada, ao passo que
a autenticação define os recursos ...". The contrast says each thing has its own property and
not the other's, so the swapped item is false twice over; it keeps the original's words, shape
and length, and gains no negation, absolute or other word a candidate could count. Examiners use
this swap constantly: only someone who knows which is which can reject it.

Applied only where both things are short noun phrases opened by the same article (so that the
verbs and any predicate adjectives still agree: "O TCP é orientado à conexão, enquanto o UDP não
é"), each directly followed by its clause's verb; a thing introduced by a demonstrative ("essa
função") refers back and is left alone, and so is a sentence with two such contrasts. The
connectives are data (data/role_contrasts.txt).
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import Edit, Sentence

_ARTICLES = frozenset({"o", "a", "os", "as"})
# A thing longer than this is likely a clause of its own, not a name.
_MAX_THING = 7
_REFERRING = frozenset(
    "esse essa esses essas este esta estes estas aquele aquela aqueles aquelas tal tais mesmo mesma mesmos mesmas "
    "referido referida último última primeiro primeira".split()
)
# Words inside a noun phrase that show it is not a plain name of a thing.
_NOT_IN_THING = frozenset("que quem onde cujo cuja cujos cujas qual quais não se".split())


def _connective(sentence: Sentence) -> tuple[int, int] | None:
    """(first, last) token of the one contrast connective that follows a comma."""
    found: list[tuple[int, int]] = []
    taken: set[int] = set()
    for words in sentence.lexicon.role_contrasts:
        for first in sentence.find(words):
            if first in taken:
                continue
            taken.update(range(first, first + len(words)))
            if first > 0 and sentence.tokens[first - 1].text == "," and not sentence.in_parens[first]:
                found.append((first, first + len(words) - 1))
    return found[0] if len(found) == 1 else None


def _verb_at(sentence: Sentence, i: int) -> bool:
    """A finite verb at token i, possibly after "não" ("enquanto o UDP não é")."""
    if i < len(sentence.tokens) and sentence.lowers[i] == "não":
        i += 1
    return i < len(sentence.tokens) and sentence.tokens[i].is_word and (
        sentence.is_verb(i) or sentence._looks_finite(i))


def _thing(sentence: Sentence, start: int, limit: int) -> int | None:
    """End (exclusive) of a noun phrase opened by an article at `start` and directly followed by
    a verb before token `limit`; None when there is no such phrase."""
    lowers, tokens = sentence.lowers, sentence.tokens
    if start >= limit or lowers[start] not in _ARTICLES:
        return None
    for end in range(start + 2, min(limit, start + 1 + _MAX_THING)):
        if not tokens[end - 1].is_word or lowers[end - 1] in _NOT_IN_THING or sentence.in_parens[end - 1]:
            return None
        if lowers[end - 1] in _REFERRING and end - 1 == start + 1:
            return None
        if end - 1 > start and (sentence.is_verb(end - 1)):
            return None
        if _verb_at(sentence, end):
            return end
    return None


def role_swap(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Exchange the two noun phrases a ", ao passo que" / ", enquanto" contrast opposes."""
    found = _connective(sentence)
    if found is None:
        return []
    first, last = found
    tokens, lowers = sentence.tokens, sentence.lowers
    right = last + 1
    right_end = _thing(sentence, right, len(tokens))
    if right_end is None:
        return []
    verb = right_end + (lowers[right_end] == "não")
    if lowers[verb].endswith(("r", "rem")):
        return []  # "enquanto o mandato durar", "enquanto perdurarem": a time, not a contrast
    # The left thing opens the sentence or follows an opening phrase ("No ITIL 4, a utilidade
    # ..."); the nearest opening to the connective wins.
    starts = [0] + [k + 1 for k in range(first - 1) if tokens[k].text in (",", ":")]
    left = left_end = None
    for start in reversed(starts):
        end = _thing(sentence, start, first - 1)
        if end is not None and lowers[start] == lowers[right]:
            left, left_end = start, end
            break
    if left is None:
        return []
    left_words = lowers[left + 1:left_end]
    right_words = lowers[right + 1:right_end]
    if left_words == right_words or set(left_words) <= set(right_words) or set(right_words) <= set(left_words):
        return []  # "o IP ..., enquanto o protocolo IP ...": the same thing named twice
    text = sentence.text
    left_span = (tokens[left].start, tokens[left_end - 1].end)
    right_span = (tokens[right].start, tokens[right_end - 1].end)
    if sentence.touches_protected(*left_span) or sentence.touches_protected(*right_span):
        return []
    left_text, right_text = text[slice(*left_span)], text[slice(*right_span)]
    article_left, article_right = tokens[left].text, tokens[right].text
    # Each phrase takes the case of the article it replaces ("O TCP" at the start, "o UDP" after).
    new_left = article_left + right_text[len(article_right):]
    new_right = article_right + left_text[len(article_left):]
    edits = (Edit(left_span[0], left_span[1], new_left), Edit(right_span[0], right_span[1], new_right))
    return [Candidate(
        "role_swap", CONTRADICTION, edits,
        errado(f"A assertiva troca os papéis dos termos contrastados; o correto é: {lower_first(text)}"),
        0.25,
        size=2,
    )]
