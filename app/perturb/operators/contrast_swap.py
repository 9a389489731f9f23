"""Contrast swap: in "A, mas não B" (or "não A, mas B") the negation changes sides.

Examiners falsify a contrast by exchanging its poles: "O IPI não se sujeita à anterioridade do
exercício, mas deve observar a nonagesimal" becomes "O IPI se sujeita à anterioridade do exercício,
mas não deve observar a nonagesimal". Both halves are claims of the original, so the swapped item
is false twice over, and the "mas" still opposes a positive and a negative clause: the item reads
as naturally as the original and gains no negation a candidate could count (one "não" before, one
after). Negating only one half would leave "mas" opposing two claims of the same polarity.
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.operators.negation import negated_text
from app.perturb.text import Edit, Sentence, apply_edits

_OTHER_NEGATIVES = ("nunca", "jamais", "nenhum", "nenhuma", "nem", "sem", "tampouco", "ninguém", "nada")


def _split(sentence: Sentence) -> int | None:
    """Token index of the single "mas" that follows a comma, when the sentence has one."""
    found = [i for i, lower in enumerate(sentence.lowers)
             if lower == "mas" and i > 0 and sentence.tokens[i - 1].text == ","]
    if len(found) != 1 or sentence.lowers[found[0] + 1:found[0] + 2] == ["também"]:
        return None
    return found[0]


def _clause(text: str, sentence: Sentence) -> Sentence:
    return Sentence(text[0].upper() + text[1:] + ".", sentence.lexicon)


def _coordinated(clause: Sentence) -> bool:
    """Whether a second verb is coordinated with the main one ("pode provisionar X e controla Y"):
    a "não" at the first verb would not reach the second."""
    verb = clause.main_verb
    return any(clause.lowers[j] in ("e", "ou") and j + 1 < len(clause.tokens) and clause._any_verb(j + 1)
               for j in range(verb + 1, len(clause.tokens)))


def _flip_first_clause(text: str, sentence: Sentence, rng: random.Random, context: Context, *,
                       negated: bool) -> str | None:
    """The clause before ", mas" with its polarity flipped by the negation operator's own placement
    ("não" added, or removed when `negated`), or None where that is not safe."""
    left = _clause(text, sentence)
    if left.main_verb is None or left.negated != negated or _coordinated(left) or \
            (not negated and left.main_verb_in_relative):
        return None
    flipped = negated_text(left, rng, context)
    if flipped is None:
        return None
    flipped = flipped[:-1]
    return text[:1] + flipped[1:] if flipped[:1].lower() == text[:1].lower() else flipped


def contrast_swap(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Move the one "não" of a "..., mas ..." sentence to the other clause."""
    mas = _split(sentence)
    if mas is None or sentence.in_parens[mas] or sentence.is_justified or sentence.has_exception:
        return []  # "..., visto que ...": the justification would argue for the original poles
    lowers, tokens, text = sentence.lowers, sentence.tokens, sentence.text
    negations = [i for i, lower in enumerate(lowers) if lower == "não" and not sentence._lexical_negation(i)]
    if len(negations) != 1 or any(w in lowers for w in _OTHER_NEGATIVES if w != "nem"):
        return []
    comma = tokens[mas - 1].start
    left_text = text[:comma]
    after = mas + 1
    if after >= len(tokens) or not tokens[after].is_word:
        return []
    nao = negations[0]
    edits: list[Edit] = []
    if nao == after:
        # "A, mas não B" -> "não A, mas B": negate the first clause with the negation operator's
        # own placement, then take the "não" (and a "nem" that needs it) out of the second.
        if "nem" in lowers[:mas]:
            return []
        new_left = _flip_first_clause(left_text, sentence, rng, context, negated=False)
        if new_left is None:
            return []
        edits.append(Edit(0, comma, new_left))
        following = tokens[nao + 1] if nao + 1 < len(tokens) else None
        if following is None or not following.is_word:
            return []
        edits.append(Edit(tokens[nao].start, following.start, ""))
        nems = [i for i in range(nao + 1, len(tokens)) if lowers[i] == "nem"]
        if len(nems) > 1:
            return []
        if nems:
            edits.append(Edit(tokens[nems[0]].start, tokens[nems[0]].end, "e"))
    elif nao < mas:
        # "não A, mas B" -> "A, mas não B": B must open with its verb ("mas deve observar").
        if "nem" in lowers or not sentence.is_verb(after):
            return []
        new_left = _flip_first_clause(left_text, sentence, rng, context, negated=True)
        if new_left is None:
            return []
        edits.append(Edit(0, comma, new_left))
        edits.append(Edit(tokens[after].start, tokens[after].start, "não "))
    else:
        return []
    new = apply_edits(text, tuple(edits))
    if new == text:
        return []
    return [Candidate(
        "contrast_swap", CONTRADICTION, (Edit(0, len(text), new),),
        errado(f"A assertiva troca os polos do contraste; o correto é: {lower_first(text)}"),
        0.3,
        size=2,
    )]
