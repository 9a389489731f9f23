"""Quantifiers: todos <-> alguns, nenhum -> todo, a maioria -> a minoria."""

from __future__ import annotations

import random

from app.perturb.lexicon import words_of
from app.perturb.operators.candidate import CONTRADICTION, EXTRAPOLATION, REDUCTION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.operators.phrases import span, table_matches
from app.perturb.text import Edit, Sentence, match_case

_TOTALITY = frozenset(
    "exaustivo exaustiva exaustivos exaustivas integral integralmente total totalmente completo completa "
    "completamente inteiro inteira".split()
)


def quantifiers(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """todos <-> alguns, nenhum -> todo, "nem todos" -> "todos", a maioria -> a minoria.

    Not in a sentence with an exception or justification clause ("Nenhum brasileiro será
    extraditado, salvo ..." -> "Todo brasileiro ..., salvo" is absurd), nor under another negative
    word ("não se aplica a todos" -> "não se aplica a apenas alguns" is incoherent: the negation
    operator removes the "não" instead). "todos os" becomes "apenas alguns dos" in the subject
    of a sentence without words of totality ("exaustivo", "integralmente"), which it would
    contradict.
    """
    if sentence.has_connective:
        return []
    out = []
    absolute = {w for phrase in sentence.lexicon.absolutes for w in phrase}
    negative = {"não", "nunca", "jamais", "nem", "sem", "nenhum", "nenhuma", "tampouco"}
    for first, last, rule in table_matches(sentence, sentence.lexicon.quantifiers):
        start, end = span(sentence, first, last)
        if sentence.inside_fixed(start, end):
            continue
        own = set(rule.source)
        # "Nenhum servidor poderá ser removido sem motivação" -> "Todo servidor poderá ser removido
        # sem motivação": the "sem" of the requirement stays meaningful under "todo"; not with a
        # sanction that only the negative rule can carry ("sob pena de").
        allowed = own | ({"sem"} if own & {"nenhum", "nenhuma"} and not sentence.find(("sob", "pena")) else set())
        if any(w in negative and w not in allowed for w in sentence.lowers):
            continue
        following = sentence.lowers[last + 1] if last + 1 < len(sentence.lowers) else ""
        if following in ("de", "dos", "das"):
            continue  # "alguns de seus princípios" -> "todos os de seus"
        if "apenas" in words_of(rule.target) and any(w in _TOTALITY for w in sentence.lowers):
            continue
        old = sentence.text[start:end]
        target_words = set(words_of(rule.target))
        category = REDUCTION if "apenas" in target_words else (
            EXTRAPOLATION if target_words & absolute else CONTRADICTION)
        out.append(Candidate(
            "quantifiers", category, (Edit(start, end, match_case(rule.target, old)),),
            errado(contrast(sentence.text, start, end, rule.target)), 0.3,
        ))
    return out + _no_instead_of_every(sentence, negative)


def _no_instead_of_every(sentence: Sentence, negative: set[str]) -> list[Candidate]:
    """"Todo servidor estável tem direito a X" -> "Nenhum servidor estável tem direito a X".

    Only a universal subject opening the sentence, without an article after it ("todo o
    território" means "the whole"), in a sentence with no other negative word.
    """
    lowers, verb = sentence.lowers, sentence.main_verb
    if len(lowers) < 3 or lowers[0] not in ("todo", "toda") or lowers[1] in ("o", "a") or verb is None:
        return []
    if any(w in negative for w in lowers):
        return []
    token = sentence.tokens[0]
    new = match_case("nenhum" if lowers[0] == "todo" else "nenhuma", token.text)
    return [Candidate(
        "quantifiers", CONTRADICTION, (Edit(token.start, token.end, new),),
        errado(contrast(sentence.text, token.start, token.end, new.lower())), 0.3,
    )]
