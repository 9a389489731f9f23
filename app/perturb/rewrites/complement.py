"""Complement rewrites: a predicate restated as the negation of its complement (data/complements.tsv).

- complement: the main verb's predicate itself, "é irreversível" -> "não é reversível", "exige" ->
  "não dispensa";
- complement_attribute: the adjective of a predicate noun phrase, "é uma etapa essencial" -> "não é
  uma etapa dispensável", "são etapas cruciais" -> "não são etapas dispensáveis".

Only complements: the negation of one is the other. Contraries never ("reduz" / "não aumenta").
"""

from __future__ import annotations

from functools import cache

from app.perturb.rewrites.common import Rewrite, build, guard_words, negated, plain_claim, read_table
from app.perturb.text import COPULAS, Edit, Sentence

# A state, not a change of state: "torna-se essencial" is not "não se torna dispensável".
_STATIVE = COPULAS - {"torna-se", "tornam-se"}


@cache
def _table() -> dict[str, tuple[str, str]]:
    """form -> (complement, kind): kind adjective (after a copula or a predicate noun), predicative
    (after a copula only) or verb (the main verb)."""
    return read_table("complements.tsv", ("adjective", "predicative", "verb"))


def _fits(sentence: Sentence, target: int) -> bool:
    """The word to replace is outside parentheses and fixed terms, and its complement is not in the
    sentence already ("obrigatórios para X e facultativos para Y": the "não" would reach both)."""
    token = sentence.tokens[target]
    if sentence.in_parens[target] or sentence.inside_fixed(token.start, token.end):
        return False
    return _table()[sentence.lowers[target]][0].lower() not in sentence.lowers


def _coordinated(sentence: Sentence, target: int) -> bool:
    following = sentence.next_word(target)
    return following is not None and following == target + 1 \
        and sentence.lowers[following] in guard_words("coordinators")


def rewrite(sentence: Sentence) -> list[Rewrite]:
    """"é irreversível" -> "não é reversível"; "exige" -> "não dispensa" (not "exige que")."""
    if not plain_claim(sentence):
        return []
    table, verb = _table(), sentence.main_verb
    tokens, lowers = sentence.tokens, sentence.lowers
    target = None
    if lowers[verb] in _STATIVE and verb + 1 < len(tokens):
        entry = table.get(lowers[verb + 1])
        if entry and entry[1] in ("adjective", "predicative"):
            target = verb + 1
    elif lowers[verb] in table and table[lowers[verb]][1] == "verb":
        if lowers[verb + 1:verb + 2] != ["que"]:  # "exige que" has no "não dispensa que"
            target = verb
    if target is None or not _fits(sentence, target) or _coordinated(sentence, target):
        return []
    complement, word = table[lowers[target]][0], tokens[target]
    if target == verb:
        edits = (Edit(word.start, word.end, negated(sentence, verb, complement)),)
    else:
        edits = (Edit(tokens[verb].start, tokens[verb].end, negated(sentence, verb)),
                 Edit(word.start, word.end, complement))
    return [build(sentence, "complement", edits)]


def rewrite_attribute(sentence: Sentence) -> list[Rewrite]:
    """"é uma etapa essencial" -> "não é uma etapa dispensável": copula, an indefinite article (or
    none), a noun, an adjective of the table."""
    if not plain_claim(sentence):
        return []
    table, verb = _table(), sentence.main_verb
    tokens, lowers = sentence.tokens, sentence.lowers
    if lowers[verb] not in _STATIVE:
        return []
    noun = verb + 2 if lowers[verb + 1:verb + 2] and lowers[verb + 1] in guard_words("indefinite") else verb + 1
    target = noun + 1
    if target >= len(tokens) or not all(tokens[i].is_word and tokens[i].text.isalpha() for i in (noun, target)):
        return []
    if lowers[noun] in guard_words("not_nouns") or lowers[noun].endswith("mente") or lowers[noun] in table \
            or sentence.is_verb(noun) or sentence.in_parens[noun]:
        return []
    entry = table.get(lowers[target])
    if not entry or entry[1] != "adjective" or not _fits(sentence, target) or _coordinated(sentence, target):
        return []
    edits = (Edit(tokens[verb].start, tokens[verb].end, negated(sentence, verb)),
             Edit(tokens[target].start, tokens[target].end, entry[0]))
    return [build(sentence, "complement_attribute", edits)]
