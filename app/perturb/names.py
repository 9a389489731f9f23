"""The names a variant's `operator` can take, for validating requests without loading the engine.

Every operator function of app.perturb.operators by name, the names concept_swap gives the swaps it
measures apart, the true-rewrite families, and "manual" for variants an author wrote by hand.
tests/test_perturb_engine.py checks that this list and the engine agree.
"""

from __future__ import annotations

OPERATOR_NAMES: tuple[str, ...] = (
    # contradiction operators, in the engine's order
    "antonym", "relation_inversion", "numbers", "concept_swap", "negation", "quantifiers", "list_restriction",
    "modality", "extrapolation", "sibling_swap", "trimmed_negation", "contrast_swap", "hedge_reversal",
    "likeness_swap", "correlative_split", "concession_reversal", "exception_denial", "comparative_reversal",
    "coordinated_negation", "duty_waiver", "role_swap", "order_swap", "sequence_reversal", "restriction_denial",
    "neither_affirmation", "pair_exchange",
    # concept swaps and counts of a cut list measured apart
    "concept_swap_paired", "concept_swap_predicate", "numbers_trimmed",
    # written by an author
    "manual",
)
