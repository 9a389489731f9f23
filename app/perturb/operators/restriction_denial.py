"""Restriction denial: "só perderão o cargo em virtude de sentença" becomes "não perderão o cargo
em virtude de sentença".

A restricted claim names the one case in which it holds ("A abertura de crédito extraordinário
somente é admitida para atender a despesas imprevisíveis e urgentes", "Compete exclusivamente à
União instituir empréstimos compulsórios"); denying the claim in that very case is false, and
reads as naturally as the original. Negating the restricted claim as it stands does not work ("só
não perderão", "não só perderão": neither contradicts it), and dropping the restriction leaves it
true; the restriction gives way to the negation instead, so the item trades one cue word for
another rather than gaining one.

Only a restriction next to the main verb ("só perderão", "somente se dará", "copia apenas",
"compete exclusivamente") is denied, and only where the negation operator itself would negate the
sentence without the restriction (its guards for hedges, justifications, duties and the rest
apply). The words are data (data/restrictions.txt).
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.operators.negation import negated_text
from app.perturb.text import Edit, Sentence


def restriction_denial(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Replace the restriction next to the main verb by a negation of the claim."""
    verb = sentence.main_verb
    lowers, tokens = sentence.lowers, sentence.tokens
    found = [i for i, lower in enumerate(lowers) if lower in sentence.lexicon.restrictions]
    if verb is None or len(found) != 1 or sentence.negated:
        return []
    r = found[0]
    before = r == verb - 1 or (r == verb - 2 and lowers[verb - 1] == "se")
    if not (before or r == verb + 1) or sentence.in_parens[r]:
        return []
    if r + 1 >= len(tokens) or not tokens[r + 1].is_word or (r > 0 and not tokens[r - 1].is_word):
        return []  # "apenas," / ", somente": a parenthetical restriction
    text = sentence.text
    start, end = tokens[r].start, tokens[r + 1].start
    bare = text[:start] + (text[end:end + 1].upper() + text[end + 1:] if start == 0 else text[end:])
    new = negated_text(Sentence(bare, sentence.lexicon), rng, context)
    if new is None or "não" not in new.lower().split():
        return []
    return [Candidate(
        "restriction_denial", CONTRADICTION, (Edit(0, len(text), new),),
        errado(f"A assertiva nega o caso que a regra prevê; o correto é: {lower_first(text)}"), 0.3,
        size=2,
    )]
