"""Phrase-table matching and the grammar guards that the table-driven operators share."""

from __future__ import annotations

from app.perturb import dictionary
from app.perturb.lexicon import PhraseTable, words_of
from app.perturb.text import COPULAS, Sentence


def table_matches(sentence: Sentence, table: PhraseTable):
    """(first token, last token, rule) for each non-overlapping match, left to right."""
    i, lowers = 0, sentence.lowers
    while i < len(lowers):
        matched = None
        for rule in table.by_first.get(lowers[i], ()):
            n = len(rule.source)
            if tuple(lowers[i:i + n]) == rule.source:
                matched = (i, i + n - 1, rule)
                break
        if matched and not any(sentence.in_parens[matched[0]:matched[1] + 1]):
            yield matched
            i = matched[1] + 1
        else:
            i += 1


def span(sentence: Sentence, first: int, last: int) -> tuple[int, int]:
    return sentence.tokens[first].start, sentence.tokens[last].end


_NO_BARE_INFINITIVE = frozenset({"impedir", "garantir"})


def after_copula(sentence: Sentence, i: int) -> bool:
    previous = sentence.previous_word(i)
    return previous is not None and sentence.lowers[previous] in COPULAS


def in_negative_phrase(sentence: Sentence, i: int) -> bool:
    return any(w in ("falta", "ausência", "carência", "sem") for w in sentence.lowers[max(0, i - 3):i])


def in_one_of_phrase(sentence: Sentence, i: int) -> bool:
    lowers, verb = sentence.lowers, sentence.main_verb
    return len(lowers) > 2 and lowers[0] in ("um", "uma") and lowers[1] in ("dos", "das") and \
        verb is not None and i < verb


def bare_infinitive_follows(sentence: Sentence, last: int, target: str) -> bool:
    """Whether the replacement verb would govern a bare infinitive it cannot take."""
    lemma = dictionary.lemmatize(words_of(target)[0])
    if lemma not in _NO_BARE_INFINITIVE or last + 1 >= len(sentence.tokens):
        return False
    following = sentence.lowers[last + 1]
    return following.endswith(("ar", "er", "ir", "or")) and dictionary.lemmatize(following) == following
