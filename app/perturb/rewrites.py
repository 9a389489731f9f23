"""True rewrites: the same true claim, said with a negation ("é irreversível" -> "não é reversível").

False variants bring "não" into an exam; if no true item carries one, a test-wise candidate marks
E wherever he sees it. A true rewrite restates a true assertion through the negation of the
complementary predicate, so that true items carry the same words. Only complements qualify (data:
data/complements.tsv): "ilegal" / "não é legal", "exige" / "não dispensa". Contraries never do:
"reduz" / "não aumenta" differs (it may stay the same).

A rewrite keeps the label C. It is stored as a variant of kind `true_rewrite`, reviewed like a
false variant, and explained with "CERTO. ...".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from app.perturb.lexicon import Lexicon, default_lexicon
from app.perturb.operators.explanation import lower_first
from app.perturb.text import COPULAS, Edit, Sentence, apply_edits

TRUE_REWRITE = "true_rewrite"
_RESTRICTIVE = frozenset({"só", "somente", "apenas", "unicamente", "ainda", "já", "sempre", "nunca", "jamais"})


@dataclass(frozen=True)
class Rewrite:
    """A restatement of a true assertion that keeps it true."""

    text: str
    operator: str  # the family: "complement"
    changes: tuple[dict, ...]
    explanation: str
    kind: str = TRUE_REWRITE

    def as_dict(self) -> dict:
        return {"text": self.text, "operator": self.operator, "kind": self.kind,
                "changes": [dict(c) for c in self.changes], "explanation": self.explanation}


@cache
def _complements() -> dict[str, tuple[str, str]]:
    """form -> (complement, kind), from data/complements.tsv."""
    text = resources.files("app.perturb").joinpath("data", "complements.tsv").read_text(encoding="utf-8")
    table: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        form, complement, kind = (part.strip() for part in line.split("\t"))
        if kind not in ("adjective", "verb"):
            raise ValueError(f"complements.tsv: kind must be adjective or verb: {line!r}")
        table[form.lower()] = (complement, kind)
    return table


def _plain_claim(sentence: Sentence) -> bool:
    """A main verb that states the claim itself: not negated, not in a relative clause, no other
    negative word, no restricting adverb before it."""
    verb = sentence.main_verb
    if verb is None or sentence.main_verb_in_relative or sentence.negated or sentence.has_negative_words:
        return False
    previous = sentence.previous_word(verb)
    return previous is None or sentence.lowers[previous] not in _RESTRICTIVE


def true_rewrites(text: str, *, lexicon: Lexicon | None = None) -> list[Rewrite]:
    """Every complement rewrite of a true sentence (usually none, at most one per main verb)."""
    sentence = Sentence(text, lexicon or default_lexicon())
    if not _plain_claim(sentence):
        return []
    table = _complements()
    verb = sentence.main_verb
    tokens, lowers = sentence.tokens, sentence.lowers
    target = None
    if lowers[verb] in COPULAS and verb + 1 < len(tokens):
        entry = table.get(lowers[verb + 1])
        if entry and entry[1] == "adjective":
            target = verb + 1
    elif lowers[verb] in table and table[lowers[verb]][1] == "verb":
        if lowers[verb + 1:verb + 2] != ["que"]:  # "exige que" has no "não dispensa que"
            target = verb
    if target is None or sentence.in_parens[target] or sentence.inside_fixed(tokens[target].start, tokens[target].end):
        return []
    complement = table[lowers[target]][0]
    if complement.lower() in lowers:
        return []  # "obrigatórios para X e facultativos para Y": the "não" would reach both
    word = tokens[target]
    start = tokens[verb].start
    if verb == 0:
        negated_verb = f"Não {tokens[verb].text[0].lower()}{tokens[verb].text[1:]}"
    else:
        negated_verb = f"não {tokens[verb].text}"
    if target == verb:
        edits = (Edit(start, word.end, f"{negated_verb[:-len(word.text)]}{complement}"),)
    else:
        edits = (Edit(start, tokens[verb].end, negated_verb), Edit(word.start, word.end, complement))
    new = apply_edits(text, edits)
    old_phrase = text[start:word.end]
    new_phrase = apply_edits(old_phrase, tuple(Edit(e.start - start, e.end - start, e.new) for e in edits))
    changes = tuple({"from": text[e.start:e.end], "to": e.new, "start": e.start, "end": e.end} for e in edits)
    explanation = (f"CERTO. A assertiva diz o mesmo que a original: \"{lower_first(new_phrase)}\" equivale a "
                   f"\"{lower_first(old_phrase)}\".")
    return [Rewrite(new, "complement", changes, explanation)]
