"""Extrapolation: a stronger claim than the truth (reduz -> elimina completamente, um dos -> o único)."""

from __future__ import annotations

import random

from app.perturb import dictionary
from app.perturb.operators.candidate import EXTRAPOLATION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado, lower_first
from app.perturb.operators.phrases import span, table_matches
from app.perturb.text import NEGATIONS, Edit, Sentence, match_case


def extrapolation(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """A stronger claim than the truth: reduz -> elimina completamente, um dos -> o único, ...

    "exclusivamente" is not added to definitions: "X é exclusivamente uma abordagem ..." can stay true.
    """
    if sentence.has_absolute:
        return []
    out = []
    for first, last, rule in table_matches(sentence, sentence.lexicon.extrapolations):
        start, end = span(sentence, first, last)
        if sentence.touches_protected(start, end) or sentence.inside_fixed(start, end):
            continue
        after = sentence.next_word(last)
        negated_after = after is not None and sentence.lowers[after] in NEGATIONS
        if rule.target == "sempre" and not negated_after and (
                first == 0 or sentence.text[:start].rstrip().endswith(",")):
            continue  # "Em regra, X" -> "Sempre, X" is stilted; "X, em regra, Y" -> "X, sempre, Y" too
        if rule.target == "sempre" and sentence.has_exception:
            continue  # "sempre ..., salvo ..." restates the rule with its exception: true
        following = sentence.next_word(last)
        if following == last + 1 and sentence.lowers[following].endswith("mente") and \
                rule.target.split()[-1].endswith("mente"):
            # "reduz significativamente" -> "elimina completamente", not "... completamente significativamente"
            end = sentence.tokens[following].end
        old = sentence.text[start:end]
        new = match_case(rule.target, old)
        never = _never_instead(sentence, start, last, rule.target)
        if never is not None:
            out.append(never)
            continue
        # "garante, por si só, a" before a comma would double it.
        text_after = sentence.text[end:end + 1]
        if new.endswith(",") and text_after == ",":
            new = new[:-1]
        out.append(Candidate(
            "extrapolation", EXTRAPOLATION, (Edit(start, end, new),),
            errado(f"{contrast(sentence.text, start, end, rule.target.rstrip(','))} "
                   "A assertiva extrapola o que é correto."),
            0.4,
        ))
    out += _one_of_to_the_only(sentence)
    if not sentence.is_definition:
        out += _exclusively_by(sentence)
    return out


def _never_instead(sentence: Sentence, start: int, last: int, target: str) -> Candidate | None:
    """ "X, em regra, não tem Y" -> "X nunca tem Y", not the stilted "X, sempre, não tem Y"."""
    following = sentence.next_word(last)
    if target != "sempre" or following is None or sentence.lowers[following] not in NEGATIONS:
        return None
    text, end = sentence.text, sentence.tokens[following].end
    before = text[:start].rstrip()
    if before.endswith(","):
        start, new = len(before) - 1, " nunca"  # the comma that opened the aside goes too
    else:
        new = match_case("nunca", text[start:end])
    return Candidate(
        "extrapolation", EXTRAPOLATION, (Edit(start, end, new),),
        errado(f"A regra admite exceções: {lower_first(text)} A assertiva extrapola o que é correto."),
        0.4,
    )


def _singular(word: str) -> str | None:
    """Singular of a plural noun or adjective, checked against the dictionary."""
    lower = word.lower()
    if not lower.endswith("s"):
        return None
    if dictionary.is_known(lower[:-1]) and dictionary.lemmatize(lower[:-1]) == \
            dictionary.lemmatize(lower):
        return lower[:-1]
    lemma = dictionary.lemmatize(lower)
    return lemma if lemma != lower else None


def _one_of_to_the_only(sentence: Sentence) -> list[Candidate]:
    """"Um dos princípios fundamentais do X é Y" -> "O único princípio fundamental do X é Y"."""
    lowers = sentence.lowers
    if len(lowers) < 4 or lowers[0] not in ("um", "uma") or lowers[1] not in ("dos", "das"):
        return []
    gender = "m" if lowers[0] == "um" else "f"
    words, i = [], 2
    while i < len(lowers) and sentence.tokens[i].is_word and lowers[i].endswith("s") and len(words) < 3:
        singular = _singular(sentence.tokens[i].text)
        if singular is None:
            return []
        words.append(singular)
        i += 1
    if not words or sentence.main_verb is None or sentence.main_verb < i:
        return []
    start, end = sentence.tokens[0].start, sentence.tokens[i - 1].end
    only = "O único" if gender == "m" else "A única"
    new = f"{only} {' '.join(words)}"
    original = sentence.text[start:end]
    return [Candidate(
        "extrapolation", EXTRAPOLATION, (Edit(start, end, new),),
        errado(f"{sentence.text} A assertiva extrapola ao afirmar exclusividade: "
               f"“{original.lower()}” não significa “{new.lower()}”."),
        0.35,
    )]


def _exclusively_by(sentence: Sentence) -> list[Candidate]:
    """Insert "exclusivamente" before the agent or means after the main verb ("pelo uso de")."""
    verb = sentence.main_verb
    if verb is None:
        return []
    for i in range(verb + 1, len(sentence.tokens)):
        lower = sentence.lowers[i]
        following = tuple(sentence.lowers[i:i + 3])
        # "pelo uso de", "por meio de", "por uma equipe": a means or an agent among others. Not any
        # "pelo/pela X": "controlados pela entidade", "passa pelos estágios" can stay true.
        by_means = lower in ("pelo", "pela", "pelos", "pelas") and len(following) > 1 \
            and following[1] in sentence.lexicon.means
        means = by_means or following == ("por", "meio", "de") or following[:2] in (("por", "um"), ("por", "uma"))
        if means and not sentence.in_parens[i]:
            agent = i + 1 if lower.startswith("pel") else i + 2
            if agent < len(sentence.tokens) and (sentence.tokens[agent].text[:1].isupper()
                                                 or sentence.lowers[agent] in sentence.lexicon.institutions):
                return []  # "pelo Poder Legislativo", "pela administração": often the only one
            previous = sentence.previous_word(i)
            if previous is not None and sentence.lowers[previous].endswith("mente"):
                return []  # "unilateralmente exclusivamente": two adverbs in a row
            position = sentence.tokens[i].start
            if sentence.text[max(0, position - 2):position].strip() == ",":
                return []
            return [Candidate(
                "extrapolation", EXTRAPOLATION, (Edit(position, position, "exclusivamente "),),
                errado(f"{sentence.text} A assertiva extrapola ao restringir a um único meio "
                       "(“exclusivamente”)."),
                0.5,
            )]
    return []
