"""Numbers: a quantity, deadline or count changed (cinco anos -> dez anos); identifiers stay."""

from __future__ import annotations

import random
import re

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.text import Edit, Sentence, match_case

_IDENTIFIER_BEFORE = re.compile(r"(?:art\.?|arts\.?|artigo|inciso|§|nº|n\.º|lei|item|iso|decreto|súmula|x)$", re.I)


def _in_compound_numeral(sentence: Sentence, i: int) -> bool:
    numbers, lowers = sentence.lexicon.numbers, sentence.lowers
    before = i >= 2 and lowers[i - 1] == "e" and lowers[i - 2] in numbers
    after = i + 2 < len(lowers) and lowers[i + 1] == "e" and lowers[i + 2] in numbers
    return before or after or (i + 1 < len(lowers) and lowers[i + 1] in ("mil", "milhões", "bilhões"))


_FEMININE_ENDINGS = ("ção", "ções", "são", "sões", "dade", "dades", "tude", "tudes", "agem", "agens")
_MASCULINE_IN_A = ("dia", "dias", "mapa", "mapas")


def _number_gender(sentence: Sentence, i: int, words_by_value: dict[int, list[str]]) -> str | None:
    """The gender a number word at token i must take: from its own form ("duas", "duzentos") or
    from the noun it counts ("quatro etapas" -> f); None when neither tells."""
    lower = sentence.lowers[i]
    for names in words_by_value.values():
        if len(names) > 1 and lower in names:
            return "f" if lower == names[1] else "m"
    if i + 1 >= len(sentence.tokens) or not sentence.tokens[i + 1].is_word:
        return None
    noun = sentence.lowers[i + 1]
    if noun.endswith(_FEMININE_ENDINGS) or noun in ("vez", "vezes"):
        return "f"
    if noun in _MASCULINE_IN_A or noun.endswith(("ma", "mas")):
        return "m" if noun in _MASCULINE_IN_A else None  # sistema (m), semana (f): unknown
    if noun.endswith(("a", "as")):
        return "f"
    if noun.endswith(("o", "os")):
        return "m"
    return None


def numbers(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Change a quantity, deadline or count ("cinco anos" -> "dez anos"); identifiers stay."""
    out = []
    words_by_value: dict[int, list[str]] = {}
    for word, value in sentence.lexicon.numbers.items():
        words_by_value.setdefault(value, []).append(word)
    for i, token in enumerate(sentence.tokens):
        lower = token.lower
        value = None
        if token.text.isdigit():
            value = int(token.text)
        elif lower in sentence.lexicon.numbers:
            value = sentence.lexicon.numbers[lower]
        if value is None or sentence.in_parens[i]:
            continue
        before = sentence.text[max(0, token.start - 12):token.start].rstrip()
        if _IDENTIFIER_BEFORE.search(before) or (i > 0 and sentence.tokens[i - 1].text.isupper()
                                                 and sentence.tokens[i - 1].is_word):
            continue
        if token.text.isdigit() and (1900 <= value <= 2100 or len(token.text) > 6):
            continue  # a year or a code
        following = sentence.text[token.end:token.end + 1]
        if following in ("-", "/", ".") and sentence.text[token.end + 1:token.end + 2].isalnum():
            continue
        if value < 2:
            continue  # "um"/"uma" is an article more often than a count
        if _in_compound_numeral(sentence, i):
            continue  # "cento e vinte": changing one word of it would garble the number
        choices = [v for v in (value * 2, value + value // 2 if value >= 4 else value + 1, max(2, value // 2))
                   if v != value and v >= 2]
        gender = None if token.text.isdigit() else _number_gender(sentence, i, words_by_value)
        if not token.text.isdigit() and gender is None:
            # "dois"/"duas" must agree with the counted noun: without its gender, avoid such numbers.
            choices = [v for v in choices if len(words_by_value.get(v, ())) < 2]
            if not choices:
                continue
        new_value = choices[rng.randrange(len(choices))]
        if token.text.isdigit():
            new = str(new_value)
        else:
            names = words_by_value.get(new_value)
            if not names:
                new = str(new_value)
            else:
                new = match_case(names[1] if gender == "f" and len(names) > 1 else names[0], token.text)
        out.append(Candidate(
            "numbers", CONTRADICTION, (Edit(token.start, token.end, new),),
            errado(contrast(sentence.text, token.start, token.end, new)), 0.2,
        ))
    return out
