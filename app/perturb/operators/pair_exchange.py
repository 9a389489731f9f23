"""Pair exchange: the two opposites a sentence predicates of two things change places.

"O alistamento eleitoral e o voto são obrigatórios para os maiores de dezoito anos e facultativos
para os analfabetos" becomes "... são facultativos para os maiores de dezoito anos e obrigatórios
para os analfabetos"; "o acesso a informações públicas é a regra, e o sigilo, a exceção" becomes
"... é a exceção, e o sigilo, a regra". Each thing now has the other's property, so the item is
false twice over, and it keeps every word of the original: a candidate must know which is which.
The opposites are the antonym pairs (data/antonyms.txt) and pairs that are no antonyms but name
the two sides of one distinction (data/exchange_pairs.txt: "contribuinte" and "responsável").
The same exchange applies to the two poles of "A, e não B" ("deve ser ajuizada contra o Estado,
e não contra o agente" -> "contra o agente, e não contra o Estado"), when both are short phrases
opened by the same word, and to two terms of one concept group ("A obrigação acessória ...
converte-se em obrigação principal" -> the two exchanged).

Applied only where the sentence holds exactly one such pair, each word once, and the two stand
in clauses or phrases of their own: a verb, a comma before "e", or a "para"/"por" phrase between
them. Two opposites coordinated as one phrase ("pública e privada", "direta ou indireta", "as de
direito público e as de direito privado", "entre o patrimônio público e o privado") exchanged say
the same thing; after a colon they are usually members of a list.
"""

from __future__ import annotations

import random

from app.perturb.lexicon import words_of
from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.concept_swap import (
    _LINKS,
    _concept_occurrences,
    _family_elsewhere,
    _in_open_list,
    _own_words,
    _part_of_a_longer_name,
)
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.operators.phrases import span, table_matches
from app.perturb.text import Edit, Sentence, match_case

# Words before the first opposite that make the pair one phrase ("entre o público e o privado").
_JOINING = frozenset({"entre", "tanto", "quer", "seja"})
_PHRASE_OPENERS = frozenset({"para", "por"})


def _apart(sentence: Sentence, left_last: int, right_first: int) -> bool:
    """Whether the tokens between two opposites set them in clauses or phrases of their own."""
    between = range(left_last + 1, right_first)
    if len(between) < 3:
        return False  # "pública e outra privada", "direta ou indireta"
    lowers, tokens = sentence.lowers, sentence.tokens
    if lowers[left_last + 1] in _PHRASE_OPENERS:
        return True  # "obrigatórios para os maiores de dezoito anos e facultativos para ..."
    if any(tokens[j].text == "," and j + 1 < right_first and lowers[j + 1] in ("e", "ou") for j in between):
        return True  # "é a regra, e o sigilo, a exceção"
    return any(tokens[j].is_word and sentence._any_verb(j) for j in between)


def pair_exchange(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Exchange the two opposites of the one antonym pair a sentence holds, or the two poles of
    its one "A, e não B"."""
    return _opposites(sentence) + _poles(sentence) + _concepts(sentence)


def _concepts(sentence: Sentence) -> list[Candidate]:
    """"A obrigação acessória ... converte-se em obrigação principal" -> "A obrigação principal ...
    converte-se em obrigação acessória": two terms of one concept group (data/concepts.tsv), of
    different classes and one gender, each in a clause or phrase of its own, neither part of a
    longer name, a member of an open list or followed by a modifier, and no symmetric relation
    ("é igual à") between them. Not where a word of
    either term's family appears elsewhere ("Diz-se o crime tentado quando ... não se consuma ...
    a pena do crime consumado": exchanged, the item contradicts itself on its face)."""
    by_group: dict[str, list] = {}
    for first, last, concept in _concept_occurrences(sentence):
        by_group.setdefault(concept.group, []).append((first, last, concept))
    pairs = [found for found in by_group.values() if len(found) == 2]
    if len(pairs) != 1 or len(by_group) > 2:
        return []
    (left_first, left_last, left), (right_first, right_last, right) = pairs[0]
    if left.klass == right.klass or left.gender != right.gender or left.key == right.key:
        return []
    if any(sentence.in_parens[left_first:right_last + 1]) or not _apart(sentence, left_last, right_first):
        return []
    if any(w in _SYMMETRIC for w in sentence.lowers[left_last + 1:right_first]):
        return []  # "sua média é igual à sua variância": exchanged, the same claim
    for first, last, concept in ((left_first, left_last, left), (right_first, right_last, right)):
        if _family_elsewhere(sentence, _own_words(concept, sentence.lexicon), (first, last)):
            return []
        if _part_of_a_longer_name(sentence, first, last) or _in_open_list(sentence, first):
            return []  # "DROP TABLE"; "tais como endereço IP, ... e servidores DNS"
        after = last + 1
        if after < len(sentence.tokens) and sentence.tokens[after].is_word and not (
                sentence.lowers[after] in _LINKS or sentence.lowers[after] in _ARTICLE_WORDS
                or sentence.lowers[after].endswith("mente") or sentence._any_verb(after)):
            return []  # "na agregação simples" -> "na composição simples": the modifier stays behind
    tokens = sentence.tokens
    return _exchanged(sentence, (tokens[left_first].start, tokens[left_last].end),
                      (tokens[right_first].start, tokens[right_last].end),
                      "A assertiva troca os conceitos entre si",
                      terms=frozenset(words_of(left.term) + words_of(right.term)))


def _exchanged(sentence: Sentence, left_span: tuple[int, int], right_span: tuple[int, int], what: str,
               terms: frozenset[str] = frozenset()) -> list[Candidate]:
    """The candidate that puts each span's text in the other's place (cases kept), unless one of them
    touches a protected phrase."""
    if any(sentence.touches_protected(*span) for span in (left_span, right_span)):
        return []
    text = sentence.text
    left_text, right_text = text[slice(*left_span)], text[slice(*right_span)]
    edits = (Edit(*left_span, match_case(right_text, left_text)), Edit(*right_span, match_case(left_text, right_text)))
    return [Candidate("pair_exchange", CONTRADICTION, edits, errado(f"{what}; o correto é: {lower_first(text)}"),
                      0.25, terms=terms, size=2)]


# Words of a symmetric relation between two terms: exchanged, they say the same.
_SYMMETRIC = frozenset("igual iguais equivale equivalem equivalente equivalentes idêntico idêntica idênticos "
                       "idênticas coincide coincidem".split())
_ARTICLE_WORDS = frozenset("o a os as um uma".split())

# A pole of "A, e não B": at most this many words, opened by a preposition or an article.
_MAX_POLE = 5
_POLE_OPENERS = frozenset(
    "o a os as um uma ao à aos às do da dos das no na nos nas pelo pela pelos pelas contra para por de em com "
    "sobre entre perante".split())


def _poles(sentence: Sentence) -> list[Candidate]:
    """"contra o Estado, e não contra o agente" -> "contra o agente, e não contra o Estado"."""
    if "não" not in sentence.positions:
        return []
    tokens, lowers = sentence.tokens, sentence.lowers
    found = [i for i in range(1, len(tokens) - 3)
             if tokens[i].text == "," and lowers[i + 1] == "e" and lowers[i + 2] == "não"]
    if len(found) != 1 or lowers.count("não") > 1:
        return []
    comma = found[0]
    right = comma + 3
    if lowers[right] not in _POLE_OPENERS:
        return []
    right_end = right
    while right_end < len(tokens) and tokens[right_end].is_word:
        right_end += 1
    left = comma - (right_end - right)
    if not 1 <= right_end - right <= _MAX_POLE or left < 1 or lowers[left] != lowers[right]:
        return []  # the poles are parallel: same opener, same length
    if right_end < len(tokens) and tokens[right_end].text not in (",", ".", ";"):
        return []
    poles = [range(left, comma), range(right, right_end)]
    if any(not tokens[j].is_word or (j not in (left, right) and sentence._any_verb(j)) for pole in poles for j in pole):
        return []  # "segundo uma métrica, e não constrói um modelo": a clause, not a pole
    if lowers[left:comma] == lowers[right:right_end]:
        return []
    return _exchanged(sentence, (tokens[left].start, tokens[comma - 1].end),
                      (tokens[right].start, tokens[right_end - 1].end), "A assertiva inverte os termos da oposição")


def _opposites(sentence: Sentence) -> list[Candidate]:
    lexicon = sentence.lexicon
    openers = lexicon.pair_openers
    if sum(len(found) for w, found in sentence.positions.items() if w in openers) < 2:
        return []  # fewer than two words that could open a pair: most sentences stop here
    matches = sorted([*table_matches(sentence, sentence.lexicon.antonyms),
                      *table_matches(sentence, sentence.lexicon.exchange_pairs)], key=lambda m: m[0])
    pairs = []
    for a, (first, last, rule) in enumerate(matches):
        for other_first, other_last, other_rule in matches[a + 1:]:
            if other_rule.source == words_of(rule.target) and words_of(other_rule.target) == rule.source:
                pairs.append(((first, last, rule), (other_first, other_last, other_rule)))
    # A word found twice ("maiores de dezoito ... maiores de setenta ... menores de dezoito") makes
    # its pairs unclear: which one is opposed to which?
    sources = [m[2].source for m in matches]
    pairs = [p for p in pairs if sources.count(p[0][2].source) == 1 and sources.count(p[1][2].source) == 1]
    if len(pairs) != 1:
        return []
    (left_first, left_last, left_rule), (right_first, right_last, right_rule) = pairs[0]
    lowers, text = sentence.lowers, sentence.text
    if ":" in lowers[:right_first] or any(w in _JOINING for w in lowers[max(0, left_first - 3):left_first]):
        return []
    if not _apart(sentence, left_last, right_first):
        return []
    edits = []
    for first, last, rule in ((left_first, left_last, left_rule), (right_first, right_last, right_rule)):
        start, end = span(sentence, first, last)
        if sentence.touches_protected(start, end) or sentence.inside_fixed(start, end):
            return []
        edits.append(Edit(start, end, match_case(rule.target, text[start:end])))
    return [Candidate(
        "pair_exchange", CONTRADICTION, tuple(edits),
        errado(f"A assertiva troca os opostos entre si; o correto é: {lower_first(text)}"),
        0.25,
        size=2,
    )]
