"""What the true-rewrite families share: the Rewrite record, their data tables, the test that a
sentence states a plain claim, and building a rewrite from its edits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from app.perturb.operators.explanation import lower_first
from app.perturb.text import Edit, Sentence, apply_edits

TRUE_REWRITE = "true_rewrite"


@dataclass(frozen=True)
class Rewrite:
    """A restatement of a true assertion that keeps it true."""

    text: str
    operator: str  # the family: "complement", "complement_attribute", "obligation"
    changes: tuple[dict, ...]
    explanation: str
    kind: str = TRUE_REWRITE

    def as_dict(self) -> dict:
        return {"text": self.text, "operator": self.operator, "kind": self.kind,
                "changes": [dict(c) for c in self.changes], "explanation": self.explanation}


@cache
def guard_words(group: str) -> frozenset[str]:
    """A word group of data/rewrite_guards.txt ("restrictive", "not_nouns", ...)."""
    text = resources.files("app.perturb").joinpath("data", "rewrite_guards.txt").read_text(encoding="utf-8")
    groups: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, words = line.partition(":")
            groups[name.strip()] = frozenset(words.split())
    if group not in groups:
        raise KeyError(f"rewrite_guards.txt has no group {group!r}")
    return groups[group]


def read_table(name: str, kinds: Iterable[str]) -> dict[str, tuple[str, str]]:
    """form -> (replacement, kind) from data/<name>: tab-separated columns form, replacement, kind;
    '#' starts a comment. A kind outside `kinds` is a data error."""
    allowed = frozenset(kinds)
    text = resources.files("app.perturb").joinpath("data", name).read_text(encoding="utf-8")
    table: dict[str, tuple[str, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [part.strip() for part in line.split("\t")]
        if len(parts) != 3 or parts[2] not in allowed:
            raise ValueError(f"{name}:{number}: expected form, replacement, kind ({', '.join(sorted(allowed))}): "
                             f"{line!r}")
        form, replacement, kind = parts
        table[form.lower()] = (replacement, kind)
    return table


def plain_claim(sentence: Sentence) -> bool:
    """A main verb that states the claim itself: not negated, not in a relative clause, no other
    negative word, no restricting adverb before it, and no gerund clause after it."""
    verb = sentence.main_verb
    if verb is None or sentence.main_verb_in_relative or sentence.negated or sentence.has_negative_words:
        return False
    if gerund_clause_after(sentence, verb):
        return False
    previous = sentence.previous_word(verb)
    return previous is None or sentence.lowers[previous] not in guard_words("restrictive")


def gerund_clause_after(sentence: Sentence, verb: int) -> bool:
    """", garantindo que ...", ", permitindo ...": a gerund clause after the claim reads as its
    consequence, and under a "não" it hangs on the negation ("não é um princípio dispensável,
    garantindo que ..."; judged ungrammatical or ambiguous)."""
    tokens, lowers = sentence.tokens, sentence.lowers
    return any(tokens[i].text == "," and _is_gerund(lowers[i + 1]) for i in range(verb + 1, len(tokens) - 1))


def _is_gerund(word: str) -> bool:
    """A verb's gerund: "-ndo" and a verb for lemma ("garantindo" -> "garantir"; not "segundo",
    "quando", "mundo")."""
    from app.perturb import dictionary

    base = word.removesuffix("-se")
    if not base.endswith(("ando", "endo", "indo", "ondo")) or len(base) < 5:
        return False
    lemma = dictionary.lemmatize(base)
    return lemma != base and lemma.endswith(("ar", "er", "ir", "or", "ôr"))


def negated(sentence: Sentence, verb: int, replacement: str | None = None) -> str:
    """The main verb (or `replacement` for it) with "não" before it, capitalised at the start."""
    word = sentence.tokens[verb].text if replacement is None else replacement
    if word.lower().endswith("-se"):  # "torna-se" -> "não se torna": the "não" draws the pronoun
        word = f"se {word[:-3]}"
    if verb == 0:
        return f"Não {word[0].lower()}{word[1:]}"
    return f"não {word}"


def build(sentence: Sentence, family: str, edits: tuple[Edit, ...]) -> Rewrite:
    """The rewrite these edits make, its changes and its "CERTO." explanation, which quotes the
    rewritten phrase beside the original one."""
    text = sentence.text
    start, end = min(e.start for e in edits), max(e.end for e in edits)
    new = apply_edits(text, edits)
    old_phrase = text[start:end]
    new_phrase = apply_edits(old_phrase, tuple(Edit(e.start - start, e.end - start, e.new) for e in edits))
    changes = tuple({"from": text[e.start:e.end], "to": e.new, "start": e.start, "end": e.end}
                    for e in sorted(edits, key=lambda e: e.start))
    explanation = (f"CERTO. A assertiva diz o mesmo que a original: \"{lower_first(new_phrase)}\" equivale a "
                   f"\"{lower_first(old_phrase)}\".")
    return Rewrite(new, family, changes, explanation)
