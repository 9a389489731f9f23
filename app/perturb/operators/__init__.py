"""The operators: pure functions from a true sentence to candidate false variants.

Each takes (sentence, rng, context) and returns a list of Candidates, empty when it does not
apply; one module per operator. Word lists come from the lexicon (data files); the code holds
only the grammar. OPERATORS is the order the engine runs them in.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from app.perturb.operators.antonym import antonym
from app.perturb.operators.candidate import CONTRADICTION, EXTRAPOLATION, REDUCTION, Candidate, Context
from app.perturb.operators.comparative_reversal import comparative_reversal
from app.perturb.operators.concept_swap import concept_swap
from app.perturb.operators.concession_reversal import concession_reversal
from app.perturb.operators.contrast_swap import contrast_swap
from app.perturb.operators.coordinated_negation import coordinated_negation
from app.perturb.operators.correlative_split import correlative_split
from app.perturb.operators.duty_waiver import duty_waiver
from app.perturb.operators.exception_denial import exception_denial
from app.perturb.operators.explanation import contrast, errado, lower_first
from app.perturb.operators.extrapolation import extrapolation
from app.perturb.operators.hedge_reversal import hedge_reversal
from app.perturb.operators.likeness_swap import likeness_swap
from app.perturb.operators.list_restriction import list_restriction
from app.perturb.operators.modality import modality
from app.perturb.operators.negation import negation
from app.perturb.operators.neither_affirmation import neither_affirmation
from app.perturb.operators.numbers import numbers
from app.perturb.operators.order_swap import order_swap
from app.perturb.operators.pair_exchange import pair_exchange
from app.perturb.operators.quantifiers import quantifiers
from app.perturb.operators.relation_inversion import relation_inversion
from app.perturb.operators.restriction_denial import restriction_denial
from app.perturb.operators.role_swap import role_swap
from app.perturb.operators.sequence_reversal import sequence_reversal
from app.perturb.operators.sibling_swap import sibling_swap
from app.perturb.operators.trimmed_negation import trimmed_negation
from app.perturb.text import Sentence

Operator = Callable[[Sentence, random.Random, Context], list[Candidate]]

OPERATORS: Sequence[Operator] = (
    antonym, relation_inversion, numbers, concept_swap, negation, quantifiers, list_restriction,
    modality, extrapolation, sibling_swap, trimmed_negation, contrast_swap, hedge_reversal,
    likeness_swap, correlative_split, concession_reversal, exception_denial, comparative_reversal,
    coordinated_negation, duty_waiver, role_swap, order_swap, sequence_reversal,
    restriction_denial, neither_affirmation, pair_exchange,
)

__all__ = [
    "CONTRADICTION", "EXTRAPOLATION", "OPERATORS", "REDUCTION", "Candidate", "Context", "Operator",
    "contrast", "errado", "lower_first",
]
