"""Sibling swap: an acronym replaced by a sibling the topic names beside it ("a LDO" -> "a LOA").

Works on documents of any subject without a lexicon: two acronyms are siblings when some
sentence of the topic coordinates or contrasts them ("o PPA, a LDO e a LOA", "diferentemente do
TCP, o UDP ..."), which is how a document shows that they are things of one kind that differ.
"""

from __future__ import annotations

import random
import re
from functools import cache

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.text import Edit, Sentence

_ACRONYM = r"[A-Z][A-Za-z0-9]{0,2}[A-Z0-9][A-Za-z0-9]{0,5}"
_ACRONYM_TOKEN = re.compile(rf"^{_ACRONYM}$")
# "A, B e C", "A ou B", "A e o B": acronyms joined by commas and a final "e"/"ou" (articles allowed).
_ARTICLE = r"(?:(?:o|a|os|as|do|da|dos|das|no|na|pelo|pela|ao|à)\s+)?"
_COORDINATION = re.compile(
    rf"\b{_ARTICLE}(?P<first>{_ACRONYM})(?P<rest>(?:,\s*{_ARTICLE}{_ACRONYM})*\s+(?:e|ou)\s+{_ARTICLE}{_ACRONYM})\b"
)
_CONTRAST = re.compile(
    rf"\b(?:diferentemente|ao contrário|à diferença)\s+(?:do|da|dos|das|de)\s+(?P<a>{_ACRONYM}),?\s+"
    rf"(?:o|a|os|as)\s+(?P<b>{_ACRONYM})\b"
)
# Words that say the predicate is shared: a swap would leave the sentence true.
_SHARED = frozenset("ambos ambas também assim igualmente tal".split())
_GENDER = {"o": "m", "do": "m", "no": "m", "pelo": "m", "ao": "m", "os": "m", "dos": "m",
           "a": "f", "da": "f", "na": "f", "pela": "f", "à": "f", "as": "f", "das": "f"}
_CONTENT_MIN = 4


def _acronyms_in(fragment: str) -> list[str]:
    return re.findall(rf"\b{_ACRONYM}\b", fragment)


@cache
def _siblings(topic_sentences: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """acronym -> the acronyms coordinated or contrasted with it somewhere in the topic."""
    groups: list[set[str]] = []
    for text in topic_sentences:
        for match in _COORDINATION.finditer(text):
            groups.append(set(_acronyms_in(match.group(0))))
        for match in _CONTRAST.finditer(text):
            groups.append({match.group("a"), match.group("b")})
    siblings: dict[str, set[str]] = {}
    for group in groups:
        group = {a for a in group if _ACRONYM_TOKEN.match(a)}
        for acronym in group:
            siblings.setdefault(acronym, set()).update(group - {acronym})
    return {a: frozenset(s) for a, s in siblings.items()}


@cache
def _genders(topic_sentences: tuple[str, ...]) -> dict[str, str]:
    """acronym -> the gender its articles show in the topic ("a LOA": f), when they agree."""
    seen: dict[str, set[str]] = {}
    for text in topic_sentences:
        for match in re.finditer(rf"\b(\w+)\s+({_ACRONYM})\b", text):
            gender = _GENDER.get(match.group(1).lower())
            if gender:
                seen.setdefault(match.group(2), set()).add(gender)
    return {a: next(iter(g)) for a, g in seen.items() if len(g) == 1}


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) >= _CONTENT_MIN}


def _stated_of(sibling: str, sentence: Sentence, acronym: str, topic_sentences: tuple[str, ...]) -> bool:
    """Whether the topic says much the same of the sibling: then the swap would stay true."""
    mine = _content(sentence.text) - {acronym.lower()}
    for other in topic_sentences:
        if other == sentence.text or not re.search(rf"\b{re.escape(sibling)}\b", other):
            continue
        theirs = _content(other) - {sibling.lower()}
        if mine and len(mine & theirs) / len(mine) >= 0.6:
            return True
    return False


def sibling_swap(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Swap an acronym for a sibling of the same gender that the sentence does not mention."""
    if not context.topic_sentences or any(w in _SHARED for w in sentence.lowers):
        return []
    siblings = _siblings(context.topic_sentences)
    genders = _genders(context.topic_sentences)
    present = set(_acronyms_in(sentence.text))
    out = []
    for i, token in enumerate(sentence.tokens):
        acronym = token.text
        if acronym not in siblings or sentence.in_parens[i] or sentence.touches_protected(token.start, token.end):
            continue
        following = sentence.text[token.end:token.end + 2]
        if following[:1] in ("-", "/") or following.strip().startswith("("):
            continue  # "CI/CD", "SHA-256", a term explained in parentheses
        if _COORDINATION.search(sentence.text) and acronym in _acronyms_in(
                " ".join(m.group(0) for m in _COORDINATION.finditer(sentence.text))):
            continue  # "o PPA, a LDO e a LOA" in the sentence itself: a list, not a claim about one
        options = sorted(
            s for s in siblings[acronym]
            if s not in present and genders.get(s) == genders.get(acronym)
            and not _stated_of(s, sentence, acronym, context.topic_sentences)
        )
        if not options:
            continue
        other = options[rng.randrange(len(options))]
        out.append(Candidate(
            "sibling_swap", CONTRADICTION, (Edit(token.start, token.end, other),),
            errado(contrast(sentence.text, token.start, token.end, other)
                   + f" O que se afirma vale para {acronym}, e não para {other}."),
            0.25,
            terms=frozenset({other.lower()}),
            size=2,
        ))
        break  # one sibling swap per sentence: the first acronym that has a sibling
    return out
