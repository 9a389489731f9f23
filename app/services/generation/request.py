"""What an exam request asks for, and the planning units: a subtopic's pool, a pick, a unit of items."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from app.models import (
    SAMPLE_KEY_BITS,
    Assertion,
    Label,
    Subtopic,
    Variant,
)

MAX_ITEMS = 500
MAX_VERSIONS = 10
# Window pivots are drawn from the range the sample keys actually take. (It was 2**62 against
# 58-bit keys: 15 pivots in 16 fell above every key, and the windows wrapped round to the lowest
# keys, so exams of different seeds kept drawing the same items.)
KEY_SPACE = 1 << SAMPLE_KEY_BITS


@dataclass(frozen=True)
class ExamRequest:
    """What a client asks for; see the POST /api/v1/exams schema for each field's meaning."""

    items: int
    topic_ids: tuple[int, ...] = ()
    subtopic_ids: tuple[int, ...] = ()
    false_ratio: float = 0.5
    distribution: str = "proportional"
    seed: int | None = None
    versions: int = 1
    title: str | None = None
    operators: tuple[str, ...] | None = None
    use_unreviewed: bool = False
    max_operator_share: float = 0.4
    cue_balance: bool = True  # trade roles and variants so that cue words and length give no answer away
    weight_right: float = 1.0
    weight_wrong: float = -1.0
    weight_blank: float = 0.0
    session_token: str | None = None
    owner_key_id: int | None = None  # the API key generating it
    owner_is_consumer: bool = False  # a consumer may use only its own practice sessions
    lexicon_dir: str | None = None  # QBANK_LEXICON_DIR: a topic's own cue words for the audit


@dataclass
class Pool:
    """What one subtopic can give: true items, variant-capable true items, false (E) items."""

    subtopic: Subtopic
    topic_code: str
    topic_title: str
    true: int
    variants: int
    false: int
    items: int = 0  # allocated
    false_items: int = 0  # allocated

    @property
    def total(self) -> int:
        return self.true + self.false

    @property
    def false_cap(self) -> int:
        return self.variants + self.false

    def false_bounds(self, n: int) -> tuple[int, int]:
        """Fewest and most false items a subtopic given n items can hold."""
        return max(0, n - self.true), min(n, self.false_cap)


FALSE = Label.E.value  # read once: an enum member's value is a descriptor lookup on every access


@dataclass
class Pick:
    """One chosen item before numbering: an assertion as itself, or one of its variants."""

    assertion: Assertion
    variant: Variant | None = None
    follows: int | None = None  # assertion id this one must come right after
    rewrite: Variant | None = None  # a true item shown through an approved (or trusted) true rewrite

    @property
    def label(self) -> str:
        return FALSE if self.variant is not None else self.assertion.label

    @property
    def text(self) -> str:
        if self.variant is not None:
            return self.variant.text
        return self.rewrite.text if self.rewrite is not None else self.assertion.text

    @property
    def shown(self) -> Variant | None:
        """The variant or rewrite the item is shown through, if any."""
        return self.variant if self.variant is not None else self.rewrite


@dataclass
class Unit:
    """Items that travel together: an antecedent (true) and the items that refer to it."""

    picks: list[Pick] = field(default_factory=list)


def false_count(items: int, false_ratio: float) -> int:
    """round(items × false_ratio), halves rounded up (10 × 0.25 -> 3), without float artifacts."""
    exact = Decimal(items) * Decimal(str(false_ratio))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
