"""Numbers: a quantity, deadline or count changed (cinco anos -> dez anos); identifiers stay."""

from __future__ import annotations

import random
import re

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.text import Edit, Sentence, apply_edits, match_case

_IDENTIFIER_BEFORE = re.compile(
    r"(?:art\.?|arts\.?|artigo|inciso|§|nº|n\.º|lei|item|iso|decreto|súmula|x|classe|grupo|nível|versão|"
    r"rfc|camada|emenda|resolução|portaria|norma|tipo)$", re.I)


def _in_compound_numeral(sentence: Sentence, i: int) -> bool:
    """A number word next to "mil"/"milhões" ("dois mil"), which this operator does not rewrite."""
    lowers = sentence.lowers
    return i + 1 < len(lowers) and lowers[i + 1] in ("mil", "milhões", "bilhões") or (
        i > 0 and lowers[i - 1] in ("mil", "milhões", "bilhões"))


def _magnitude(value: int) -> int:
    return 3 if value >= 100 else 2 if value >= 20 else 1


def _compounds(sentence: Sentence) -> dict[int, tuple[int, int]]:
    """first token -> (last token, value) of each numeral written as words joined by "e" ("trinta
    e cinco", "cento e vinte e um"): hundreds, then tens, then units, each below a thousand."""
    lowers, tokens, numbers = sentence.lowers, sentence.tokens, sentence.lexicon.numbers
    out: dict[int, tuple[int, int]] = {}
    i = 0
    while i < len(tokens):
        if lowers[i] not in numbers or tokens[i].text.isdigit():
            i += 1
            continue
        parts, j = [numbers[lowers[i]]], i
        while j + 2 < len(tokens) and lowers[j + 1] == "e" and lowers[j + 2] in numbers:
            parts.append(numbers[lowers[j + 2]])
            j += 2
        magnitudes = [_magnitude(p) for p in parts]
        if j > i and max(parts) < 1000 and all(a > b for a, b in zip(magnitudes, magnitudes[1:], strict=False)):
            out[i] = (j, sum(parts))
        i = j + 1
    return out


def _render(value: int, gender: str | None, forms: dict[int, tuple[str, str]]) -> str | None:
    """The number in words ("trinta e cinco", "cento e vinte", "duzentas"), or None when a form
    it needs is missing or its gender is unknown."""
    if not 2 <= value < 1000:
        return None
    hundreds, rest = divmod(value, 100)
    parts = [hundreds * 100] if hundreds else []
    if rest and (rest < 20 or rest % 10 == 0):
        parts.append(rest)
    elif rest:
        parts += [rest // 10 * 10, rest % 10]
    words = []
    for part in parts:
        if part == 100:
            words.append("cem" if value == 100 else "cento")
            continue
        if part not in forms:
            return None
        masculine, feminine = forms[part]
        if masculine != feminine and gender is None:
            return None
        words.append(feminine if gender == "f" else masculine)
    return " e ".join(words)


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


def _quantities(sentence: Sentence) -> list[tuple[int, int, int]]:
    """(first token, last token, value) of every quantity in the sentence: a number in digits, a
    number word, or a compound numeral as a whole ("um"/"uma" only as digits)."""
    compounds = _compounds(sentence)
    out = []
    i = 0
    while i < len(sentence.tokens):
        first = i
        if i in compounds:
            last, value = compounds[i]
        else:
            last, value = i, _value_of(sentence, i)
        i = last + 1
        if value is None or sentence.in_parens[first] or _is_identifier(sentence, first, value):
            continue
        if value < 2 and not sentence.tokens[first].text.isdigit():
            continue
        if first == last and sentence.lowers[first] == "cento" and first > 0 and sentence.lowers[first - 1] == "por":
            continue  # "por cento" is a unit
        out.append((first, last, value))
    return out


def _is_percentage(sentence: Sentence, i: int) -> bool:
    following = sentence.lowers[i + 1:i + 3]
    return following[:1] == ["%"] or following == ["por", "cento"]


# An enumeration anywhere in the sentence ("A, B e C", "A e B" with single letters, "entre a
# precisão e a revocação"): a small count may be counting it.
_PAIR = re.compile(r"\b[A-Z]\s+e\s+[A-Z]\b|\bentre\s+(?:o|a|os|as)\s+\w+\s+e\s+")
# A list: items of at most five words, separated by commas, the last joined by "e"/"ou".
_ITEM = r"[^,.;:()\s]+(?:\s+[^,.;:()\s]+){0,4}?"
_LIST = re.compile(rf"{_ITEM}(?:,\s+{_ITEM})+,?\s+(?:e|ou)\s+{_ITEM}(?=\s*[,.;:)]|$)")


def _counts_a_list(sentence: Sentence, value: int) -> bool:
    """Whether the sentence enumerates as many things as the number says ("um Scrum Master, um PO e
    Developers, sendo essas as três"), or pairs two ("eventos A e B"): the number counts them."""
    if value == 2 and _PAIR.search(sentence.text):
        return True
    text = re.sub(r"\s*\([^()]*\)", "", sentence.text)  # "um Product Owner (PO) e Developers"
    for match in _LIST.finditer(text):
        items = 1 + match.group(0).count(",") - match.group(0).rstrip().endswith(",")
        # "A, B e C": commas + 1 items before the "e", one after it.
        if items + 1 == value or items == value:
            return True
    return False


def _capped(sentence: Sentence, i: int) -> bool:
    """Whether the number is a cap ("até cinco anos", "no máximo 60 bytes") or a floor ("pelo menos
    setenta por cento"), which may only be raised."""
    bounds = sentence.lexicon.upper_bounds + sentence.lexicon.lower_bounds
    # "tem, no mínimo, 20 bytes": the bound may stand between commas.
    return sentence.preceded_by(i, bounds) or \
        (i > 0 and sentence.tokens[i - 1].text == "," and sentence.preceded_by(i - 1, bounds))


def _in_relation(sentence: Sentence, i: int, value: int, quantities: list[tuple[int, int, int]],
                 last: int | None = None) -> bool:
    """Whether the number at tokens i..last is tied to something else the sentence states, so that
    changing it makes the sentence contradict itself or leaves it true:

    - a bound ("mais de 20", "entre 0 e 1"): another number can stay within the true one (a cap,
      "até cinco anos", or a floor, "pelo menos 70%", is not a relation: `numbers` raises it);
    - a range or a fraction ("de 0 a 65535", "dois terços");
    - a count spelled out by an enumeration ("são cinco as características: A, B, C, D e E",
      "seis etapas: ...") or by an acronym ("duas fases (2PL)");
    - another quantity of the sentence ("95% dos casos ... 95% de acurácia", "128 bits, em oito
      grupos de quatro dígitos", "/26 dispõe de 64 endereços, dos quais 62 ..."): the arithmetic
      between them is the content, and a candidate could reject the variant by arithmetic alone.
    """
    last = i if last is None else last
    lowers = sentence.lowers
    if (sentence.preceded_by(i, sentence.lexicon.bounds) and not _capped(sentence, i)
            and not sentence.preceded_by(i, sentence.lexicon.domain_floors)) or sentence.inside_fixed(
            sentence.tokens[i].start, sentence.tokens[last].end):
        return True
    following = lowers[last + 1] if last + 1 < len(lowers) else ""
    if following in sentence.lexicon.fractions or (following in ("a", "e", "ou") and last + 2 < len(lowers)
                                                     and _value_of(sentence, last + 2) is not None):
        return True
    if i >= 2 and lowers[i - 1] in ("a", "e", "ou") and _value_of(sentence, i - 2) is not None:
        return True
    rest = lowers[last + 1:]
    if ":" in rest:
        return True
    if 2 <= value <= 12 and _counts_a_list(sentence, value):
        return True  # "um Scrum Master, um PO e Developers, sendo essas as três", "eventos A e B"
    if any(str(value) in t.text and t.text != sentence.tokens[i].text and not t.text.isdigit()
           for t in sentence.tokens):
        return True  # "os 256 bits do SHA-256": the name states the number
    return _tied(sentence, i, quantities)


_FUNCTION_WORDS = frozenset("e ou a o as os de do da dos das em no na por para que com".split())


def _counted(sentence: Sentence, last: int) -> str:
    """What a quantity ending at token `last` counts: the word after it ("três colunas" ->
    "colunas", "95%" -> "%")."""
    return sentence.lowers[last + 1] if last + 1 < len(sentence.tokens) else ""


def _tied(sentence: Sentence, i: int, quantities: list[tuple[int, int, int]]) -> bool:
    """Whether the quantity at token i shares the sentence with another that it is tied to: one
    counting the same thing, or any other where a relation word ties them (data/quantity_relations.txt)."""
    others = [last for first, last, _ in quantities if first != i]
    first_of = {last: first for first, last, _ in quantities}
    mine = next(last for first, last, _ in quantities if first == i)
    if not others:
        return False
    if any(sentence.find(words) for words in sentence.lexicon.quantity_relations):
        return True
    counted = [_counted(sentence, last) for last in [mine, *others]]
    if any(not c.isalpha() and c != "%" or c in _FUNCTION_WORDS for c in counted):
        return True  # "de 128, 192 ou 256 bits", "maiores de dezesseis e menores de dezoito anos": elided
    value = next(v for first, _, v in quantities if first == i)
    if any(v == value for first, _, v in quantities if first != i):
        return True  # "presente em 95% dos casos, obtém 95% de acurácia": the repetition is the point
    # The same thing counted twice is tied, unless a comma or semicolon sets the two quantities in
    # clauses of their own, each a fact of its own subject ("a posse ocorrerá no prazo de trinta
    # dias ..., e é de quinze dias ... o prazo para entrar em exercício").
    return any(c == counted[0] and not _apart(sentence, i, first_of[last])
               for c, last in zip(counted[1:], others, strict=True))


def _apart(sentence: Sentence, i: int, j: int) -> bool:
    """Whether a comma or semicolon lies between tokens i and j."""
    low, high = min(i, j), max(i, j)
    return any(sentence.tokens[k].text in (",", ";") for k in range(low + 1, high))


def _round5(value: float) -> int:
    return int(5 * round(value / 5))


def _choices(sentence: Sentence, first: int, last: int, value: int) -> list[int]:
    """The values a quantity may become, only upwards for a cap or a floor, below 100 for a
    percentage. A small count changes by double, half or half again (cinco anos -> dez, dois
    turnos -> três); from ten on, to a round value near it (trinta e cinco anos -> trinta or
    quarenta, cento e vinte dias -> noventa or cento e cinquenta): a value far off ("idade mínima
    de dezessete anos" for President, "inimputáveis os menores de trinta e seis anos") is rejected
    by a candidate without knowing the rule."""
    if _counted(sentence, last) in sentence.lexicon.binary_units:
        candidates: tuple[int, ...] = (value * 2, max(2, value // 2))  # "128 bits" -> 256 or 64
    elif value < 10:
        candidates = (value * 2, value + value // 2 if value >= 4 else value + 1, max(2, value // 2))
    else:
        low, high = _round5(value * 0.8), _round5(value * 1.25)
        candidates = (low if low < value else value - 5, high if high > value else value + 5)
    choices = [v for v in dict.fromkeys(candidates) if v != value and v >= 2]
    capped = _capped(sentence, first)
    if capped:
        choices = [v for v in choices if v > value]  # a lower cap can stay within the true one
    elif sentence.preceded_by(first, sentence.lexicon.domain_floors):
        choices = [v for v in choices if v < value]  # "maiores de noventa anos": still within the class
    if _is_percentage(sentence, first):
        if capped and value <= 75:
            choices.append(value + 20)  # "pelo menos setenta por cento" -> "noventa"
        choices = [v for v in choices if v < 100]  # "136% das observações" is absurd on its face
    return choices


def numbers(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Change a quantity, deadline or count ("cinco anos" -> "dez anos", "trinta e cinco anos" ->
    "setenta anos"); identifiers stay."""
    out = []
    forms = sentence.lexicon.number_forms
    words_by_value = {v: ([m] if m == f else [m, f]) for v, (m, f) in forms.items()}
    quantities = _quantities(sentence)
    for first, last, value in quantities:
        token = sentence.tokens[first]
        end_token = sentence.tokens[last]
        following = sentence.text[end_token.end:end_token.end + 1]
        if following in ("-", "/", ".") and sentence.text[end_token.end + 1:end_token.end + 2].isalnum():
            continue
        if value < 2:
            continue  # "um"/"uma" is an article more often than a count, and "a 1" a bound
        if token.lower == "cento" and first == last:
            continue  # "por cento" is a unit, not a number; "cento" alone is no numeral
        if first == last and _in_compound_numeral(sentence, first):
            continue  # "dois mil": changing one word of it would garble the number
        if _in_relation(sentence, first, value, quantities, last):
            continue
        if first == 0 and not token.text.isdigit():
            continue  # "Dois eventos mutuamente exclusivos ...": a generic count, not a fact
        others = {v for j, _, v in quantities if j != first}  # no accidental "três colunas e três chaves"
        choices = [v for v in _choices(sentence, first, last, value) if v not in others]
        if not choices:
            continue
        digits = token.text.isdigit()
        gender = None if digits else _number_gender(sentence, last, words_by_value)
        if not digits:
            # "dois"/"duas" must agree with the counted noun: without its gender, avoid such numbers.
            choices = [v for v in choices if _render(v, gender, forms) is not None]
            if not choices:
                continue
        pick = rng.randrange(len(choices))
        start, end = token.start, end_token.end
        # The value drawn, then a spare (Candidate.spare): the next choice in list order, with no
        # draw, so that the other quantities' draws stay as they were.
        for k, new_value in enumerate(dict.fromkeys((choices[pick], choices[(pick + 1) % len(choices)]))):
            new = str(new_value) if digits else match_case(_render(new_value, gender, forms) or "", token.text)
            out.append(Candidate(
                "numbers", CONTRADICTION, (Edit(start, end, new),),
                errado(contrast(sentence.text, start, end, new)), 0.2, spare=k > 0,
            ))
    return out or _counted_list_cut(sentence, quantities, rng, context)


# The clause before a colon must be a sentence of its own: this many words at least, ending on a
# noun rather than a word that needs more ("..., organizados em cinco domínios" ends well).
_MIN_CLAUSE_WORDS = 6
_OPEN_END = re.compile(r"\b(?:e|ou|de|do|da|dos|das|a|o|os|as|em|no|na|por|para|com|que|como|seguintes)$", re.I)


def _counted_list_cut(sentence: Sentence, quantities: list[tuple[int, int, int]], rng: random.Random,
                      context: Context) -> list[Candidate]:
    """"O modelo OSI é composto por sete camadas: física, ...": the count counts the list after
    the colon, so changed in place it contradicts the item itself. Examiners write the short item
    instead, with another count ("O modelo OSI é composto por cinco camadas."): the list goes, the
    clause before the colon stays with its count changed. Measured apart, as numbers_trimmed, and
    offered as a spare (Candidate.spare): only where the item has fewer than two other variants."""
    colon = next((i for i, t in enumerate(sentence.tokens) if t.text == ":"), None)
    if colon is None or not any(last < colon for _, last, _ in quantities):
        return []
    clause = sentence.text[:sentence.tokens[colon].start].rstrip(" ,")
    if len(clause.split()) < _MIN_CLAUSE_WORDS or _OPEN_END.search(clause):
        return []
    short = Sentence(f"{clause}.", sentence.lexicon)
    if short.main_verb is None or short.main_verb_in_relative:
        return []
    out = []
    for candidate in numbers(short, rng, context):
        if candidate.spare:
            continue
        new = apply_edits(short.text, candidate.edits)
        out.append(Candidate(
            "numbers_trimmed", CONTRADICTION, (Edit(0, len(sentence.text), new),),
            candidate.explanation, 0.25, size=2, spare=True,
        ))
    return out
