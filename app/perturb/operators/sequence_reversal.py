"""Sequence reversal: "antes do encerramento" becomes "após o encerramento", and the reverse.

Deadlines, procedures and sequences state when a thing happens relative to another ("até quatro
meses antes do encerramento do exercício", "normalizar os dados antes de aplicá-los", "uma fase
somente se inicia após a conclusão da anterior"); examiners falsify them by reversing the order.
The item keeps its shape and length and gains no negation or absolute.

Left alone: an order a duty or a piece of advice gives without a deadline ("Deve-se fazer o
backup antes de atualizar": the other order may be good practice too); a phrase before the main
verb, part of the subject's name ("a manutenção após a implantação"), reversed into a thing that
does not exist; a sentence with two such phrases (it states a sequence whose parts the change
would set against each other); a phrase in a justified or hedged sentence, where the reversed
order could still hold ("em regra"); "após" before a participle ("após autenticado"), whose
"antes de autenticado" is broken Portuguese; a phrase inside parentheses or a fixed expression.
The pairs are data (data/sequence_reversals.tsv).
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import Edit, Sentence, match_case

# A duty or a piece of advice: the order it gives is a good practice, and the reversed order may be
# one too; only a deadline ("deve ser encaminhado até quatro meses antes do ...") is a rule.
_ADVICE = frozenset("deve devem deverá deverão recomenda recomendam convém".split())
_PARTICIPLE_ENDINGS = ("ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas")


def sequence_reversal(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Reverse the one "antes de" / "após" / "depois de" of a sentence."""
    tokens, lowers = sentence.tokens, sentence.lowers
    found: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for words, reverse in sentence.lexicon.sequence_reversals:
        for first in sentence.find(words):
            if first not in taken:
                taken.update(range(first, first + len(words)))
                found.append((first, first + len(words) - 1, reverse))
    if len(found) != 1 or sentence.is_justified or any(sentence.find(h) for h in sentence.lexicon.hedges):
        return []
    first, last, reverse = found[0]
    if sentence.main_verb is None or first < sentence.main_verb:
        return []  # "A manutenção após a implantação visa ...": inside the subject, it names a thing
    verb = sentence.lowers[sentence.main_verb].removesuffix("-se")
    if verb in _ADVICE and not any(sentence.lowers[j] in sentence.lexicon.numbers or sentence.tokens[j].text.isdigit()
                                   for j in range(max(0, first - 4), first)):
        return []  # "Deve-se fazer o backup antes de atualizar": the other order may be advised too
    following = last + 1
    if following >= len(tokens) or not tokens[following].is_word or sentence.in_parens[first]:
        return []
    if lowers[last] == "após" and lowers[following].endswith(_PARTICIPLE_ENDINGS):
        return []  # "após autenticado": "antes de autenticado" is broken ("antes de decorridos" is not)
    start, end = tokens[first].start, tokens[last].end
    if sentence.inside_fixed(start, end) or sentence.touches_protected(start, end):
        return []
    new = match_case(reverse, tokens[first].text)
    return [Candidate(
        "sequence_reversal", CONTRADICTION, (Edit(start, end, new),),
        errado(f"A assertiva inverte a ordem temporal; o correto é: {lower_first(sentence.text)}"), 0.25,
    )]
