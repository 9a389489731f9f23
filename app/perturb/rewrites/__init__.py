"""True rewrites: the same true claim, said with words a test-wise candidate reads as a sign of a
false item ("é irreversível" -> "não é reversível").

False variants bring "não" into an exam; if no true item carries one, a test-wise candidate marks
E wherever he sees it. A true rewrite restates a true assertion so that it carries such a word and
says the same thing. Each family is a module with its data file under data/:

- complement (complement.py, data/complements.tsv): the negation of the complementary predicate,
  "é ilegal" -> "não é legal", "exige" -> "não dispensa";
- complement_attribute (complement.py, same data): the same inside a predicate noun phrase,
  "é uma etapa essencial" -> "não é uma etapa dispensável";
- obligation (obligation.py, data/obligations.tsv): a duty stated as the impossibility of its
  omission, "deve ser publicado" -> "não pode deixar de ser publicado".

Only complements qualify, never contraries: "reduz" / "não aumenta" differs (it may stay the
same). A rewrite keeps the label C. It is stored as a variant of kind `true_rewrite`, reviewed like
a false variant, and explained with "CERTO. ...".
"""

from __future__ import annotations

from app.perturb.lexicon import Lexicon, default_lexicon
from app.perturb.rewrites import complement, obligation
from app.perturb.rewrites.common import TRUE_REWRITE, Rewrite
from app.perturb.text import Sentence

__all__ = ["FAMILIES", "TRUE_REWRITE", "Rewrite", "true_rewrites"]

# Each family: a function of a sentence giving its rewrites (at most one each, usually none).
FAMILIES = (complement.rewrite, complement.rewrite_attribute, obligation.rewrite)


def true_rewrites(text: str, *, lexicon: Lexicon | None = None) -> list[Rewrite]:
    """Every true rewrite of a true sentence, one per family at most (usually none)."""
    sentence = Sentence(text, lexicon or default_lexicon())
    out: list[Rewrite] = []
    seen: set[str] = set()
    for family in FAMILIES:
        for found in family(sentence):
            if found.text not in seen and found.text != text:
                seen.add(found.text)
                out.append(found)
    return out
