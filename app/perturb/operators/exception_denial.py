"""Exception denial: a rule's closing exception replaced by "em todos os casos".

"É vedada a participação de capitais estrangeiros na assistência à saúde, salvo nos casos
previstos em lei" becomes "É vedada a participação ... na assistência à saúde em todos os
casos": the rule said to hold where the law excepts it. After a negative rule ("Nenhum ...",
"não podem ...") the phrase is "em caso algum". Only an exception of circumstances ("salvo se",
"salvo nos casos", "exceto quando", "salvo disposição ..."). One that takes a member out of the
subject ("exceto COUNT(*)", "salvo o naturalizado") has the member brought back in instead
("inclusive COUNT(*)", "nem mesmo o naturalizado"), since "em todos os casos" would speak of
circumstances the original does not limit. The markers and phrases are data
(data/exception_denials.tsv).
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import GERUND, Edit, Sentence

_MEMBER_OPENERS = frozenset("o a os as um uma uns umas este esta aquele aquela".split())
_NEGATIVE_WORDS = frozenset("não nunca jamais nenhum nenhuma ninguém nada nem".split())
_ARTICLES = frozenset("o a os as".split())
_CONTRACTIONS = frozenset("ao à aos às".split())
_CONTRACTIONS_OF = {"o": "ao", "a": "à", "os": "aos", "as": "às"}


def _clause_end(sentence: Sentence, first: int) -> int | None:
    """Token index of the punctuation that closes the exception: the final period, or a comma
    before a gerund or a reason (", sendo considerada ...", ", pois ..."). None when the exception
    has a comma of its own: a list of cases ("salvo em caso de flagrante delito ou desastre, para
    prestar socorro ou, durante o dia, ...") or a parenthetical exception inside the rule
    ("ficando o autor, salvo comprovada má-fé, isento de custas"), whose end is not known."""
    tokens, lowers = sentence.tokens, sentence.lowers
    reasons = {j for words in sentence.lexicon.justifications for j in sentence.find(words, first)}
    for j in range(first + 1, len(tokens)):
        if tokens[j].text == ",":
            if j + 1 < len(tokens) and (GERUND.match(lowers[j + 1]) or j + 1 in reasons):
                return j
            return None
        if tokens[j].text in (";", ":", "("):
            return None
    return len(tokens) - 1 if tokens[-1].text == "." else None


def exception_denial(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    tokens, lowers = sentence.tokens, sentence.lowers
    verb = sentence.main_verb
    if any(sentence.find(h) for h in sentence.lexicon.hedges):
        return []  # "em regra, não gerencia ... em caso algum": the hedge and the denial collide
    out = []
    for words, (affirmative, negative, *member_phrases) in sentence.lexicon.exception_denials.items():
        for first in sentence.find(words):
            after = first + len(words)
            if first == 0 or tokens[first - 1].text != "," or sentence.in_parens[first] or after >= len(tokens):
                continue
            if verb is None or verb > first:
                continue
            if not tokens[after].is_word:
                continue
            if lowers[after] in _MEMBER_OPENERS or tokens[after].text[:1].isupper():
                # "exceto COUNT(*)", "salvo o naturalizado": a member, brought back in instead
                member = _member(sentence, first, after, member_phrases)
                if member is not None:
                    out.append(member)
                continue
            end = _clause_end(sentence, first)
            if end is None or end <= after:
                continue
            negated = any(w in _NEGATIVE_WORDS for w in lowers[:first])
            new = f" {negative if negated else affirmative}"
            start = tokens[first - 1].start
            if sentence.touches_protected(start, tokens[end - 1].end):
                continue
            out.append(Candidate(
                "exception_denial", CONTRADICTION, (Edit(start, tokens[end].start, new),),
                errado(f"A regra tem exceção; o correto é: {lower_first(sentence.text)}"), 0.3,
                size=2,
            ))
    return out


def _member(sentence: Sentence, first: int, after: int, phrases: list[str]) -> Candidate | None:
    """"ignoram os valores nulos, exceto COUNT(*), que contabiliza ..." -> "ignoram os valores
    nulos, inclusive COUNT(*)."; "Nenhum brasileiro será extraditado, salvo o naturalizado, em
    caso de ..." -> "..., nem mesmo o naturalizado, em caso de ...". A relative clause describing
    the member (why it is the exception) goes with the marker's meaning: it would contradict the
    item, so it is dropped when it closes the sentence, and the item is left alone otherwise."""
    tokens, lowers = sentence.tokens, sentence.lowers
    affirmative, negative = phrases
    if lowers[after] not in _ARTICLES and not tokens[after].text[:1].isupper():
        return None  # "salvo aquele explicitamente permitido": a part of the rule's own object, not a member
    end, depth = after, 0
    while end < len(tokens):  # the member: up to the next comma or period outside parentheses
        text = tokens[end].text
        depth += (text == "(") - (text == ")")
        if depth == 0 and text in (",", ".", ";", ":"):
            break
        end += 1
    if end >= len(tokens) or end - after > 6 or tokens[end].text in (";", ":"):
        return None
    edits = []
    if tokens[end].text == "," and end + 1 < len(tokens) and lowers[end + 1] in ("que", "cujo", "cuja", "onde"):
        if tokens[-1].text != ".":
            return None
        edits.append(Edit(tokens[end].start, tokens[-1].start, ""))
    negated = any(w in _NEGATIVE_WORDS for w in lowers[:first])
    marker = Edit(tokens[first].start, tokens[after - 1].end, negative if negated else affirmative)
    # "não se aplica às contratações ..., exceto os serviços comuns" -> "nem mesmo aos serviços
    # comuns": the member takes the preposition the rule's object took.
    verb = sentence.main_verb or 0
    if lowers[after] in _ARTICLES and any(w in _CONTRACTIONS for w in lowers[verb + 1:first]):
        article = tokens[after]
        edits.append(Edit(article.start, article.end, _CONTRACTIONS_OF[article.lower]))
    return Candidate(
        "exception_denial", CONTRADICTION, (marker, *edits),
        errado(f"O caso é exceção à regra; o correto é: {lower_first(sentence.text)}"), 0.3, size=2,
    )
