"""Coverage figures of a batch run: how many assertions got variants, and from which operators."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from app.perturb.engine import Variant


@dataclass(frozen=True)
class Coverage:
    assertions: int
    with_one: int
    with_two: int
    variants: int
    first_operators: dict[str, int]
    all_operators: dict[str, int]

    @property
    def max_first_share(self) -> float:
        """The largest share of first places held by one operator."""
        return max(self.first_operators.values(), default=0) / max(1, self.with_one)

    def lines(self) -> list[str]:
        """Human-readable report."""
        n = max(1, self.assertions)
        out = [
            f"assertions: {self.assertions}",
            f"with at least one variant: {self.with_one} ({self.with_one / n:.1%})",
            f"with two or more variants: {self.with_two} ({self.with_two / n:.1%})",
            f"variants: {self.variants} ({self.variants / n:.2f} per assertion)",
            f"operators in use: {len(self.all_operators)}",
            "first-ranked variants by operator:",
        ]
        for op, count in sorted(self.first_operators.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"  {op:<20} {count:>4}  {count / max(1, self.with_one):.1%}")
        out.append("all variants by operator:")
        for op, count in sorted(self.all_operators.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"  {op:<20} {count:>4}  {count / max(1, self.variants):.1%}")
        return out


def coverage(results: Sequence[Sequence[Variant]]) -> Coverage:
    """Coverage of one batch: `results[i]` are the ranked variants of assertion i."""
    first = Counter(r[0].operator for r in results if r)
    every = Counter(v.operator for r in results for v in r)
    return Coverage(
        assertions=len(results),
        with_one=sum(1 for r in results if r),
        with_two=sum(1 for r in results if len(r) >= 2),
        variants=sum(len(r) for r in results),
        first_operators=dict(first),
        all_operators=dict(every),
    )
