"""Topic subject swap, part of concept swap: "A X é um <categoria> ..., <gerúndio>" given the subject
of another sentence of its topic with the same category (what the clause after the category says
is specific to its subject, so another subject makes the sentence false)."""

from __future__ import annotations

import random
import re
from functools import cache

from app.perturb.lexicon import words_of
from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.text import Edit, Sentence


@cache
def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(term.lower())}(?!\w)")


def term_in(corpus: str, term: str) -> bool:
    """Whether `term` occurs in `corpus` (lower case) as whole words."""
    return _term_pattern(term).search(corpus) is not None


_SUBJECT = re.compile(r"^(?P<article>[AO])\s+(?P<subject>[^,()]{3,80}?)\s+é\s+(?P<rest>.+)$")
_CATEGORY = re.compile(r"^(?:um|uma)\s+(\w+)")


def _subject_of(text: str) -> tuple[str, str, str] | None:
    """(article, subject, category) of "A X é um|uma <categoria> ..., <gerúndio>|para ..." sentences.

    Only such sentences are swapped: the clause after the category says what is specific to the
    subject, so another subject of the same category makes the sentence false.
    """
    match = _SUBJECT.match(text)
    if not match:
        return None
    rest = match.group("rest")
    category = _CATEGORY.match(rest)
    if category is None or not re.search(r",\s+\w+ndo\b|\s+para\s+", rest):
        return None
    subject = match.group("subject")
    if len(subject.split()) > 8 or re.search(r"\b(que|é|são|não)\b", subject):
        return None
    return match.group("article"), subject, category.group(1).lower()


def _clause_words(text: str) -> set[str]:
    """Content words of what a "X é um <categoria> ..." sentence says after its category."""
    match = _SUBJECT.match(text)
    rest = match.group("rest") if match else text
    return {w for w in words_of(rest)[2:] if len(w) > 3 and not w.endswith("ndo")}


def topic_subject_swap(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Give the sentence the subject of another sentence of its topic with the same category."""
    mine = _subject_of(sentence.text)
    if mine is None:
        return []
    article, subject, category = mine
    others = []
    for other_text in context.topic_sentences:
        theirs = _subject_of(other_text)
        if theirs is None or theirs[2] != category or theirs[1].lower() == subject.lower():
            continue
        if term_in(sentence.text.lower(), theirs[1]) or subject.lower() in theirs[1].lower():
            continue
        if all(theirs[:2] != o[:2] for o in others):
            others.append((*theirs, other_text))
    if not others:
        return []
    # The partner whose specific clause shares the fewest words with this one: the least related
    # subject, so that the swapped sentence is least likely to stay true.
    mine_words = _clause_words(sentence.text)
    overlap = [len(mine_words & _clause_words(o[3])) for o in others]
    fewest = min(overlap)
    pool = [o for o, n in zip(others, overlap, strict=True) if n == fewest]
    other_article, other_subject, _, _ = pool[rng.randrange(len(pool))]
    end = len(article) + 1 + len(subject)
    return [Candidate(
        "concept_swap", CONTRADICTION, (Edit(0, end, f"{other_article} {other_subject}"),),
        errado(contrast(sentence.text, 0, end, f"{other_article.lower()} {other_subject}")),
        0.4,
        terms=frozenset(words_of(other_subject)),
        size=2,
    )]
