"""Comparative reversal: "mais segura que X" becomes "menos segura que X".

Only a comparison with its term ("que", "do que" within three words): "mais de 50%" and "mais
leves" are left alone, as are a justified comparison (the reason would argue for the original),
a negated comparison ("não é mais rápido que" -> "não é menos rápido que" can stay true) and
"quanto mais ..., mais ...". The word pairs are data (data/comparatives.tsv).
"""

from __future__ import annotations

import random

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.text import Edit, Sentence, match_case

_WINDOW = 3


def comparative_reversal(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    tokens, lowers = sentence.tokens, sentence.lowers
    if "quanto" in lowers or "cada" in lowers or sentence.is_justified:
        return []  # "mais rápidos que os assimétricos, razão pela qual são preferidos": the reason argues back
    out = []
    for i, lower in enumerate(lowers):
        reverse = sentence.lexicon.comparatives.get(lower)
        if reverse is None or i + 1 >= len(tokens) or sentence.in_parens[i]:
            continue
        if lowers[i + 1] in ("de", "do", "da", "dos", "das", "que") or not tokens[i + 1].is_word:
            continue
        if "não" in lowers[max(0, i - 3):i]:
            continue
        window = lowers[i + 2:i + 2 + _WINDOW]
        k = next((j for j, w in enumerate(window) if w == "que"), None)
        if k is None or not all(tokens[i + 2 + j].is_word for j in range(k)):
            continue
        start, end = tokens[i].start, tokens[i].end
        if sentence.inside_fixed(start, end) or sentence.touches_protected(start, end):
            continue
        new = match_case(reverse, tokens[i].text)
        out.append(Candidate(
            "comparative_reversal", CONTRADICTION, (Edit(start, end, new),),
            errado(contrast(sentence.text, start, end, reverse)), 0.25,
        ))
    return out
