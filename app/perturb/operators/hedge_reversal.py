"""Hedge reversal: a claim that holds as a rule said to hold rarely ("em regra" -> "excepcionalmente").

"Switches operam, em regra, na camada de enlace" becomes "Switches operam, excepcionalmente, na
camada de enlace": false for whoever knows the subject, plausible for whoever does not, and with
no "não", "sempre" or "apenas" for a test-wise candidate to count. The pairs are data
(data/hedge_contraries.tsv); a hedge between commas takes the second column, a hedge inside the
clause the third ("é geralmente empregada" -> "é raramente empregada"), and a hedge whose third
column is "-" is changed only between commas.
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.text import Edit, Sentence, match_case


def hedge_reversal(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Replace a hedge of frequency or default by its contrary."""
    if sentence.negated:
        return []  # "Excepcionalmente, terrenos não são depreciados" reads as "land is the exception"
    # "raramente mais rápidos, razão pela qual são preferidos": the reason argues for the rule, so
    # a hedge of the claim stays; one inside the reason itself ("..., visto que o teste exaustivo é,
    # em regra, impraticável") may be reversed, which makes the reason false.
    reason = _reason_start(sentence) if sentence.is_justified else -1
    if reason is None:
        return []
    # Beside a comparative, "excepcionalmente" reads as "remarkably" ("excepcionalmente mais rápidos"):
    # the word for inside a clause is used instead.
    comparative = "mais" in sentence.lowers or "menos" in sentence.lowers
    out = []
    tokens = sentence.tokens
    for words, (between, inside) in sentence.lexicon.hedge_contraries.items():
        for first in sentence.find(words):
            last = first + len(words) - 1
            if sentence.in_parens[first] or first < reason:
                continue
            before = tokens[first - 1].text if first > 0 else ","
            after = tokens[last + 1].text if last + 1 < len(tokens) else "."
            commas = before == "," and after == ","
            new = between if commas and not comparative else inside
            if new is None:
                continue
            start, end = tokens[first].start, tokens[last].end
            if sentence.touches_protected(start, end):
                continue
            new = match_case(new, tokens[first].text)
            out.append(Candidate(
                "hedge_reversal", CONTRADICTION, (Edit(start, end, new),),
                errado(contrast(sentence.text, start, end, new.lower())), 0.25,
            ))
    return out


def _reason_start(sentence: Sentence) -> int | None:
    """Token index of the justification that opens a clause after the main verb (", visto que",
    ", razão pela qual"), or None where the sentence is justified otherwise."""
    verb = sentence.main_verb
    if verb is None:
        return None
    tokens = sentence.tokens
    opens = [j for words in sentence.lexicon.justifications for j in sentence.find(words)]
    if not opens or min(opens) <= verb or tokens[min(opens) - 1].text != ",":
        return None
    return min(opens)
