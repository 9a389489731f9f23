"""Numbers: a quantity, deadline or count changed (cinco anos -> dez anos); identifiers stay."""

from __future__ import annotations

import random
import re

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.text import Edit, Sentence, match_case

_IDENTIFIER_BEFORE = re.compile(
    r"(?:art\.?|arts\.?|artigo|inciso|§|nº|n\.º|lei|item|iso|decreto|súmula|x|classe|grupo|nível|versão|"
    r"rfc|camada|emenda|resolução|portaria|norma|tipo)$", re.I)


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


def _value_of(sentence: Sentence, i: int) -> int | None:
    token = sentence.tokens[i]
    if token.text.isdigit():
        return int(token.text)
    return sentence.lexicon.numbers.get(token.lower)


def _is_identifier(sentence: Sentence, i: int, value: int) -> bool:
    """An article, law, class or version number, a year or a code: not a quantity."""
    token = sentence.tokens[i]
    before = sentence.text[max(0, token.start - 12):token.start].rstrip()
    if _IDENTIFIER_BEFORE.search(before) or (i > 0 and sentence.tokens[i - 1].text.isupper()
                                             and sentence.tokens[i - 1].is_word):
        return True
    return token.text.isdigit() and (1900 <= value <= 2100 or len(token.text) > 6)


def _values(sentence: Sentence) -> list[tuple[int, int]]:
    """(token index, value) of every quantity in the sentence ("um"/"uma" only as digits)."""
    out = []
    for i, token in enumerate(sentence.tokens):
        value = _value_of(sentence, i)
        if value is None or sentence.in_parens[i] or _is_identifier(sentence, i, value):
            continue
        if value < 2 and not token.text.isdigit():
            continue
        out.append((i, value))
    return out


def _is_percentage(sentence: Sentence, i: int) -> bool:
    following = sentence.lowers[i + 1:i + 3]
    return following[:1] == ["%"] or following == ["por", "cento"]


# An enumeration anywhere in the sentence ("A, B e C", "A e B" with single letters, "entre a
# precisão e a revocação"): a small count may be counting it.
_ENUMERATION = re.compile(r",[^,.;:]+(?:,|\se\s)|\b[A-Z]\s+e\s+[A-Z]\b|\bentre\s+(?:o|a|os|as)\s+\w+\s+e\s+")


def _capped(sentence: Sentence, i: int) -> bool:
    """Whether the number is a cap ("até cinco anos", "no máximo 60 bytes"), which may be raised."""
    return sentence.preceded_by(i, sentence.lexicon.upper_bounds)


def _in_relation(sentence: Sentence, i: int, value: int, values: list[tuple[int, int]]) -> bool:
    """Whether the number is tied to something else the sentence states, so that changing it
    makes the sentence contradict itself or leaves it true:

    - a bound ("no mínimo 20 bytes", "pelo menos 70%"): a smaller bound can stay within the true
      one (a cap, "até cinco anos", is not a relation: `numbers` raises it, see upper_bounds.txt);
    - a range or a fraction ("de 0 a 65535", "dois terços");
    - a count spelled out by an enumeration ("são cinco as características: A, B, C, D e E",
      "seis etapas: ...") or by an acronym ("duas fases (2PL)");
    - another quantity of the sentence ("95% dos casos ... 95% de acurácia", "128 bits, em oito
      grupos de quatro dígitos", "/26 dispõe de 64 endereços, dos quais 62 ..."): the arithmetic
      between them is the content, and a candidate could reject the variant by arithmetic alone.
    """
    lowers = sentence.lowers
    if (sentence.preceded_by(i, sentence.lexicon.bounds) and not _capped(sentence, i)) or sentence.inside_fixed(
            sentence.tokens[i].start, sentence.tokens[i].end):
        return True
    following = lowers[i + 1] if i + 1 < len(lowers) else ""
    if following in sentence.lexicon.fractions or (following in ("a", "e", "ou") and i + 2 < len(lowers)
                                                     and _value_of(sentence, i + 2) is not None):
        return True
    if i >= 2 and lowers[i - 1] in ("a", "e", "ou") and _value_of(sentence, i - 2) is not None:
        return True
    rest = lowers[i + 1:]
    if ":" in rest:
        return True
    if 2 <= value <= 12 and _ENUMERATION.search(sentence.text):
        return True  # "um Scrum Master, um PO e Developers, sendo essas as três", "eventos A e B"
    if any(str(value) in t.text and t.text != sentence.tokens[i].text and not t.text.isdigit()
           for t in sentence.tokens):
        return True  # "os 256 bits do SHA-256": the name states the number
    return any(j != i for j, _ in values)


def numbers(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Change a quantity, deadline or count ("cinco anos" -> "dez anos"); identifiers stay."""
    out = []
    words_by_value: dict[int, list[str]] = {}
    for word, value in sentence.lexicon.numbers.items():
        words_by_value.setdefault(value, []).append(word)
    values = _values(sentence)
    for i, token in enumerate(sentence.tokens):
        lower = token.lower
        value = None
        if token.text.isdigit():
            value = int(token.text)
        elif lower in sentence.lexicon.numbers:
            value = sentence.lexicon.numbers[lower]
        if value is None or sentence.in_parens[i]:
            continue
        if _is_identifier(sentence, i, value):
            continue
        following = sentence.text[token.end:token.end + 1]
        if following in ("-", "/", ".") and sentence.text[token.end + 1:token.end + 2].isalnum():
            continue
        if value < 2:
            continue  # "um"/"uma" is an article more often than a count
        if lower == "cento" and i > 0 and sentence.lowers[i - 1] == "por":
            continue  # "por cento" is a unit, not a number
        if _in_compound_numeral(sentence, i):
            continue  # "cento e vinte": changing one word of it would garble the number
        if _in_relation(sentence, i, value, values):
            continue
        choices = [v for v in (value * 2, value + value // 2 if value >= 4 else value + 1, max(2, value // 2))
                   if v != value and v >= 2]
        if _capped(sentence, i):
            choices = [v for v in choices if v > value]  # a lower cap can stay within the true one
        if _is_percentage(sentence, i):
            choices = [v for v in choices if v < 100]  # "136% das observações" is absurd on its face
        if not choices:
            continue
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
