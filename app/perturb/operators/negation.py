"""Negation: "não" at the main verb, or removed from a negated sentence."""

from __future__ import annotations

import random
import re

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import Edit, Sentence, apply_edits, match_case

_QUANTIFIED_SUBJECT = frozenset(
    "todo toda todos todas cada qualquer alguns algumas muitos muitas vários várias poucos poucas".split()
)


# Adverbs before the verb that "não" cannot follow without saying something else: "só não perderão",
# "ainda não é" (not yet), "já não é" (no longer).
_RESTRICTIVE = frozenset({"só", "somente", "apenas", "unicamente", "ainda", "já"})


_DUTIES = frozenset({"deve", "devem", "deverá", "deverão"})
_GERUND_CLAUSE = re.compile(r",\s+\w+ndo\b")
_UNIVERSALS = frozenset("qualquer quaisquer todo toda todos todas".split())


def _universal_predicate(sentence: Sentence, verb: int) -> bool:
    """"não é qualquer conjunto", "não se aplica a todos": the negated predicate reads as "not
    just any" or "not all", which can stay true."""
    after = sentence.lowers[verb + 1:]
    return bool(after) and (after[0] in _UNIVERSALS or after[:2] in (["a", "todos"], ["a", "todas"]))


def negation(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Insert "não" at the main verb, or remove it from a negated sentence; never stack two.

    Left alone, because the evaluation corpus judged such negations good too rarely (see
    eval/judgements.tsv and bench/quality.py): a claim another clause justifies, concedes,
    excepts or contrasts ("..., pois ...", "salvo ...", "Diferentemente de X, ..."); a claim
    hedged by "em regra", "geralmente"; a claim spelled out after a colon ("é composto por sete
    camadas: ..."); a duty ("deve ser", which negated reads as a prohibition); a claim continued
    by a gerund clause (", devendo o Estado prover ...", ", sendo útil quando ..."); a verb inside
    a relative clause; a universal predicate ("não é qualquer conjunto").
    """
    verb = sentence.main_verb
    if verb is None or sentence.has_connective or sentence.main_verb_in_relative:
        return []
    if any(sentence.find(h) for h in sentence.lexicon.hedges) or ":" in sentence.lowers[verb:]:
        return []
    if sentence.lowers[verb].removesuffix("-se") in _DUTIES or _GERUND_CLAUSE.search(sentence.text):
        return []
    if sentence.lowers[verb] in ("é", "foi") and sentence.lowers[verb + 1:verb + 2] == ["que"]:
        return []  # a cleft ("somente quando X é que Y"): "não é que" breaks it
    tokens, text = sentence.tokens, sentence.text
    if sentence.negated:
        if sentence.lowers.count("não") > 1 or "nem" in sentence.lowers or "mas" in sentence.lowers[verb:]:
            return []  # "não A nem B", "não X, mas Y": removing the "não" leaves the rest dangling
        nao = max(j for j in range(max(0, verb - 2), verb) if sentence.lowers[j] == "não")
        start, end = tokens[nao].start, tokens[nao + 1].start
        new = ""
        if nao == 0 and sentence.lowers[1] == "se" and verb == 2:
            # "Não se admite a revogação" -> "Admite-se a revogação" (no proclisis at the start).
            new, end = f"{tokens[verb].text[:1].upper()}{tokens[verb].text[1:]}-se", tokens[verb].end
        elif nao == 0:
            nxt = tokens[nao + 1]
            new, end = match_case(nxt.text, "X"), nxt.end
        return [Candidate(
            "negation", CONTRADICTION, (Edit(start, end, new),),
            errado(f"A negação é essencial; o correto é: {lower_first(text)}"), 0.3,
        )]
    if sentence.has_negative_words:
        return []  # "sem", "nem", "nunca": an added "não" would be ambiguous or stacked
    if _universal_predicate(sentence, verb):
        return []
    if sentence.lowers[:2] in (["um", "dos"], ["uma", "das"]):
        return []  # "Uma das vantagens não é X" can be read as true
    # The subject opens the sentence or follows an opening phrase: "Todos os X", "Em X, todos os Y".
    commas = [j for j in range(verb) if tokens[j].text == ","]
    subject = commas[-1] + 1 if commas else 0
    if sentence.lowers[subject] in _QUANTIFIED_SUBJECT or \
            sentence.lowers[subject:subject + 2] in (["a", "maioria"], ["a", "minoria"]):
        return []  # "Todos os X não são" is ambiguous; "Alguns X não são" can stay true
    token = tokens[verb]
    previous = sentence.previous_word(verb)
    if previous is not None and sentence.lowers[previous] in _RESTRICTIVE:
        return []  # "só perderão" -> "só não perderão" / "não só perderão": neither negates the claim
    if token.lower.endswith("-se"):
        # Proclisis after the negation: "pode-se utilizar" -> "não se pode utilizar".
        base = token.text[:-3]
        new = f"não se {base.lower() if verb == 0 else base}"
        edit = Edit(token.start, token.end, match_case(new, token.text))
    elif previous is not None and sentence.lowers[previous] == "se":
        where = tokens[previous]
        edit = Edit(where.start, where.start, match_case("não ", where.text))
    elif verb == 0:
        edit = Edit(token.start, token.end, f"Não {token.text[0].lower()}{token.text[1:]}")
    else:
        edit = Edit(token.start, token.start, "não ")
    affirmed = f"{text[:token.end]}, sim,{text[token.end:]}" if text[token.end:token.end + 1] == " " else text
    return [Candidate(
        "negation", CONTRADICTION, (edit,),
        errado(f"A assertiva nega o que é correto: {lower_first(affirmed)}"), 0.3,
    )]


def negated_text(sentence: Sentence, rng: random.Random, context: Context) -> str | None:
    """The sentence with its main verb's polarity flipped where `negation` would flip it ("não"
    added, or removed from a negated sentence), or None where it would not: for operators that
    rewrite a sentence first and then negate what is left."""
    proposals = negation(sentence, rng, context)
    return apply_edits(sentence.text, proposals[0].edits) if proposals else None
