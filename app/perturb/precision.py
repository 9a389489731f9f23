"""Measured precision of each operator, and which operators may feed exams unreviewed.

The figures come from the judged evaluation corpus (`bench/quality.py --write-precision` writes
data/precision.tsv). An operator the corpus has not measured has precision 0: nothing unmeasured
enters an exam without an author's review.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources

# An operator (or rule) whose variants are judged good less often than this may still be
# generated and reviewed, but never used in an exam unreviewed.
TRUSTED_PRECISION = 0.90

# How many reviews the corpus figure weighs as, when a bank's own reviews adjust it.
PRIOR_WEIGHT = 20.0

# An operator judged good less often than this, on at least MIN_JUDGED variants of the corpus, is
# not generated at all: more of its variants would waste an author's review than help it. The
# table counts an operator's judged variants among the top 3 of every assertion, so an operator
# whose variants other operators push out of the top 3 loses evidence; at 8 the one operator below
# the floor (list_restriction, 3 of 7 ok) came back into the first places with an ambiguous item.
# Five judged variants suffice to say it is more often wrong than right.
MIN_PRECISION = 0.50
MIN_JUDGED = 5


@cache
def _table() -> Mapping[str, tuple[int, float]]:
    text = resources.files("app.perturb").joinpath("data", "precision.tsv").read_text(encoding="utf-8")
    table: dict[str, tuple[int, float]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        operator, judged, _ok, precision = line.split("\t")
        table[operator.strip()] = (int(judged), float(precision))
    return table


def corpus_precision() -> Mapping[str, float]:
    """operator -> share of its judged variants that readers judged ok (data/precision.tsv)."""
    return {operator: precision for operator, (_judged, precision) in _table().items()}


@cache
def below_floor() -> frozenset[str]:
    """Operators measured on enough variants to know they are more often wrong than right."""
    return frozenset(op for op, (judged, precision) in _table().items()
                     if judged >= MIN_JUDGED and precision < MIN_PRECISION)


def adjusted(prior: float, *, accepted: int, reviewed: int, weight: float = PRIOR_WEIGHT) -> float:
    """The corpus precision moved towards a bank's own acceptance rate: a beta-binomial mean with
    the corpus figure worth `weight` reviews."""
    return (accepted + weight * prior) / (reviewed + weight)


def is_trusted(precision: float) -> bool:
    """Whether variants of this precision may enter an exam without review."""
    return precision >= TRUSTED_PRECISION
