"""Trimmed negation: the main claim negated, without the clause that would argue against it.

"A FNBC é mais restritiva que a 3FN, pois exige que ..." cannot be negated as it stands: the
"pois" clause would justify the opposite of the negated claim, and the item would contradict
itself. Examiners write the short item instead: "A FNBC não é mais restritiva que a 3FN." The
operator drops the qualifying clause (a justification, a contrast or a gerund continuation) and
negates what is left, when what is left is a complete sentence. A rule stated with an exception or
a hedge ("salvo ...", "em regra") is left alone: negated bare, it is contestable, since the rule
does have exceptions (hedge_reversal speaks to those instead).
"""

from __future__ import annotations

import random
import re

from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import errado, lower_first
from app.perturb.operators.negation import negated_text, negation
from app.perturb.text import Edit, Sentence

# Opening phrases cut from the sentence: a hedge up to its own comma ("Em regra, ..."); a contrast
# or a concession up to the last comma before the main verb ("Diferentemente de X, que ..., Y é").
_HEDGE_OPENERS = ("em regra", "geralmente", "normalmente", "em geral", "via de regra")
_CLAUSE_OPENERS = ("diferentemente", "embora", "ao contrário", "à diferença", "ainda que", "mesmo que")
_MIN_WORDS = 6


def _trailing_cut(sentence: Sentence) -> int | None:
    """Offset of the comma (or space) opening the first qualifying clause after the main verb."""
    verb = sentence.main_verb
    lexicon = sentence.lexicon
    phrases = lexicon.justifications + lexicon.exceptions + lexicon.contrasts + lexicon.hedges
    for i in range(verb + 1, len(sentence.tokens)):
        token = sentence.tokens[i]
        if token.text in (":", ";"):
            return token.start
        if token.text != ",":
            continue
        following = i + 1
        if following < len(sentence.tokens) and (
                any(tuple(sentence.lowers[following:following + len(p)]) == p for p in phrases)
                or re.fullmatch(r"\w+ndo(?:-se)?", sentence.lowers[following])):
            return token.start
    for phrase in ("pois", "embora", "desde", "salvo", "exceto"):  # without a comma before them
        for j in sentence.find((phrase,), verb + 1):
            return sentence.tokens[j].start
    return None


def _has_subject(core: str, sentence: Sentence) -> bool:
    """Whether a clause cut from the sentence opens with words before its main verb, and not with
    a relative or a participle clause ("que ...", "esgotados os atos")."""
    core = core.strip()
    if not core:
        return False
    clause = Sentence(core[0].upper() + core[1:], sentence.lexicon)
    first = clause.lowers[0] if clause.lowers else ""
    if clause.main_verb is None or clause.main_verb < 2 or first in ("que", "quem", "onde", "cujo", "cuja"):
        return False
    return not first.endswith(("ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas"))


_DANGLING_END = re.compile(r"\b(?:e|ou|mas|que|de|do|da|a|o|os|as|qual|quais|em|no|na|por|para|com)$", re.I)
_DANGLING_TAIL = re.compile(r",\s*(?:e|ou|mas|que|n[oa]s?\s+qua(?:l|is)|[oa]s?\s+qua(?:l|is)|cujo|cuja)\b[^,]*$", re.I)


def _dangles(body: str) -> bool:
    """Whether the cut left a clause without its end: "..., e utiliza", "..., no qual o consumidor",
    "a média não é", "... que"."""
    words = body.split()
    return bool(_DANGLING_END.search(body) or _DANGLING_TAIL.search(body)) or words[-1] in ("é", "são")


def _trimmed(sentence: Sentence) -> str | None:
    """The sentence without its qualifying clauses, or None when nothing is to be cut."""
    text = sentence.text
    start = 0
    opening = " ".join(sentence.lowers[:3])
    if any(opening.startswith(o) for o in _HEDGE_OPENERS):
        comma = text.find(",")
        if comma < 0:
            return None
        start = comma + 1
    elif any(opening.startswith(o) for o in _CLAUSE_OPENERS):
        # The latest comma before the main verb that leaves the verb a subject: "Diferentemente
        # de X, em que ..., no caso Y o agente, esgotados ..., impede" keeps "no caso Y o agente".
        commas = [tok.start for tok in sentence.tokens[:sentence.main_verb] if tok.text == ","]
        start = next((c + 1 for c in reversed(commas) if _has_subject(text[c + 1:], sentence)), -1)
        if start < 0:
            return None
    core = text[start:].strip()
    if not core:
        return None
    core_sentence = Sentence(core[0].upper() + core[1:], sentence.lexicon)
    if core_sentence.main_verb is None:
        return None
    cut = _trailing_cut(core_sentence)
    body = core_sentence.text if cut is None else core_sentence.text[:cut]
    body = re.sub(r",\s*(?:em regra|geralmente|normalmente|em geral),\s*", " ", body).rstrip(" ,;:")
    if body.endswith("."):
        body = body[:-1]
    if start == 0 and cut is None or len(body.split()) < _MIN_WORDS or _dangles(body):
        return None
    return body + "."


def _hedged_only_in_dropped_reason(sentence: Sentence, hedged: list[int], trimmed: str | None) -> bool:
    """Whether every hedge is inside the justification the cut drops, and the cut drops nothing
    else: "X são sensíveis à escala, razão pela qual se recomenda, em regra, normalizar ..." hedges
    the recommendation, not the claim that is kept and negated."""
    if trimmed is None:
        return False
    tokens, verb = sentence.tokens, sentence.main_verb
    opens = [j for words in sentence.lexicon.justifications for j in sentence.find(words, verb + 1)
             if tokens[j - 1].text == ","]
    if not opens:
        return False
    reason = min(opens)
    kept = sentence.text[:tokens[reason - 1].start]
    return trimmed == f"{kept}." and all(i > reason for i in hedged)


def trimmed_negation(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Negate the main claim of a qualified sentence after dropping its qualifying clause."""
    if sentence.main_verb is None or sentence.main_verb_in_relative:
        return []
    if negation(sentence, rng, context):
        return []  # the plain negation applies: no need to cut anything
    hedged = [i for h in sentence.lexicon.hedges for i in sentence.find(h)]
    trimmed = _trimmed(sentence)
    if sentence.has_exception or (hedged and not _hedged_only_in_dropped_reason(sentence, hedged, trimmed)):
        # "..., salvo nas hipóteses previstas em lei", "Em regra, ...": the rule has exceptions, and
        # its bare negation is contestable (judged ambiguous 10 times in 38 on the corpus).
        return []
    if trimmed is None:
        return []
    short = Sentence(trimmed, sentence.lexicon)
    if short.has_connective or any(short.find(h) for h in short.lexicon.hedges):
        return []
    new = negated_text(short, rng, context)
    if new is None:
        return []
    return [Candidate(
        "trimmed_negation", CONTRADICTION, (Edit(0, len(sentence.text), new),),
        errado(f"A assertiva nega o que é correto: {lower_first(sentence.text)}"),
        0.3,
        size=2,
    )]
