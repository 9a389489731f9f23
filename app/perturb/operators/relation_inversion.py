"""Relation inversion: the arguments of a one-way relation swapped ("a CD é uma extensão da CI")."""

from __future__ import annotations

import random
import re

from app.perturb.lexicon import words_of
from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.text import ARTICLE_BY_GENDER, CONTRACTION_DE, Edit, Sentence, match_case

_NP_END = re.compile(r"[,.;:]|\s(?:que|onde|quando|e\s+(?:não|é|são))\b")


def relation_inversion(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Swap the arguments of a one-way relation: "a CD é uma extensão da CI" -> "a CI ... da CD"."""
    out = []
    text = sentence.text
    for relation in sentence.lexicon.relations:
        head = relation[:-1] if relation[-1] == "de" else relation
        for i in sentence.find(head):
            after = i + len(head)
            if relation[-1] == "de":
                if after >= len(sentence.tokens) or sentence.lowers[after] not in ("do", "da", "dos", "das"):
                    continue
                contraction_index = after
            else:
                if after >= len(sentence.tokens) or sentence.lowers[after] not in ("o", "a", "os", "as"):
                    continue
                contraction_index = after
            # Left argument: article at sentence start up to the relation.
            if sentence.lowers[0] not in ("o", "a", "os", "as"):
                continue
            left_start, left_end = sentence.tokens[1].start, sentence.tokens[i].start
            left = text[left_start:left_end].strip()
            if not left or "," in left:
                continue
            right_start = sentence.tokens[contraction_index].end + 1
            stop = _NP_END.search(text, right_start)
            right_end = stop.start() if stop else len(text)
            right = text[right_start:right_end].strip()
            if not right or len(right.split()) > 6:
                continue
            left_gender = "f" if sentence.lowers[0] in ("a", "as") else "m"
            right_gender = "f" if sentence.lowers[contraction_index].startswith(("da", "a")) else "m"
            link = sentence.tokens[contraction_index]
            rel_text = text[sentence.tokens[i].start:link.start]
            new_link = CONTRACTION_DE[left_gender] if relation[-1] == "de" else ARTICLE_BY_GENDER[left_gender]
            new = (
                f"{match_case(ARTICLE_BY_GENDER[right_gender], sentence.tokens[0].text)} {right} "
                f"{rel_text}{new_link} {left}"
            )
            edit = Edit(sentence.tokens[0].start, right_end, new)
            out.append(Candidate(
                "relation_inversion", CONTRADICTION, (edit,),
                errado(f"A relação foi invertida; o correto é: {lower_first(text)}"), 0.15,
                terms=frozenset(words_of(left) + words_of(right)),
                size=2,
            ))
    return out
