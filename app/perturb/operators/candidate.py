"""What an operator proposes (a Candidate) and what it may know beyond the sentence (a Context)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from app.perturb.text import Edit

CONTRADICTION, EXTRAPOLATION, REDUCTION = "contradição", "extrapolação", "redução"


@dataclass(frozen=True)
class Candidate:
    """A proposed false variant, before the engine's guards and ranking."""

    operator: str
    category: str
    edits: tuple[Edit, ...]
    explanation: str
    risk: float
    terms: frozenset[str] = field(default_factory=frozenset)  # new words that are terms, not dictionary words
    size: int | None = None  # edit size for ranking, when the edit span overstates it (a swap)
    # A further variant of what another candidate of the same operator already changes (another
    # term of another class in the same place): kept only where the sentence has fewer than
    # SPARE_UNTIL other variants, so that such an item gets a second one.
    spare: bool = False


@dataclass(frozen=True)
class Context:
    """What the engine knows beyond the sentence: sentences of the same topic, for swaps."""

    topic_sentences: tuple[str, ...] = ()

    @cached_property
    def corpus(self) -> str:
        """The topic's text, lower-cased, for "is this term used in this topic?" checks."""
        return "\n".join(self.topic_sentences).lower()
