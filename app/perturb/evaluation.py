"""Item quality measured against read judgements: precision per operator, coverage, what is unjudged.

A judgements file holds one line per variant a reader judged, keyed by the variant's text:

    <verdict> TAB <variant text> TAB <reason>

with the verdict one of VERDICTS. `ok` means grammatical, unambiguously false and not absurd;
every other verdict is a defect. Lines starting with '#' are comments. A variant the engine
produces whose text has no line is *unjudged*: it is listed, never counted as good or bad.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.perturb.engine import Variant

OK = "ok"
DEFECTS = ("stays-true", "ambiguous", "nonsense", "ungrammatical")
VERDICTS = (OK, *DEFECTS)
# True rewrites are judged apart (eval/rewrite_judgements.tsv): `ok` means grammatical, natural and
# saying the same as the original, so still true; `becomes-false` is the worst defect there is.
REWRITE_VERDICTS = (OK, "becomes-false", "ambiguous", "ungrammatical")


@dataclass(frozen=True)
class Judgement:
    verdict: str
    reason: str
    line: int


class JudgementError(ValueError):
    """A judgements file line that cannot be read."""


def parse_judgements(text: str, *, name: str = "judgements",
                     verdicts: Sequence[str] = VERDICTS) -> dict[str, Judgement]:
    """Variant text -> judgement. A text judged twice keeps its last line (a re-reading wins)."""
    judged: dict[str, Judgement] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise JudgementError(f"{name}:{number}: expected 'verdict<TAB>variant<TAB>reason'")
        verdict, variant = parts[0].strip(), parts[1].strip()
        if verdict not in verdicts:
            raise JudgementError(f"{name}:{number}: unknown verdict {verdict!r} (one of {', '.join(verdicts)})")
        if not variant:
            raise JudgementError(f"{name}:{number}: empty variant text")
        judged[variant] = Judgement(verdict, "\t".join(parts[2:]).strip(), number)
    return judged


def load_judgements(paths: Iterable[Path], *, verdicts: Sequence[str] = VERDICTS) -> dict[str, Judgement]:
    """Judgements of several files, later files winning."""
    judged: dict[str, Judgement] = {}
    for path in paths:
        judged.update(parse_judgements(path.read_text(encoding="utf-8"), name=str(path), verdicts=verdicts))
    return judged


def evaluate_rewrites(texts: Iterable[str], judgements: Mapping[str, Judgement]) -> dict:
    """The true rewrites of the corpus against their judgements: count, per-family tally, unjudged."""
    from app.perturb.rewrites import true_rewrites  # the rewrites import the engine's text tools

    families: dict[str, Tally] = {}
    unjudged: list[dict] = []
    assertions = 0
    for text in texts:
        rewrites = true_rewrites(text)
        assertions += bool(rewrites)
        for rewrite in rewrites:
            judgement = judgements.get(rewrite.text)
            families.setdefault(rewrite.operator, Tally()).add(judgement)
            if judgement is None:
                unjudged.append({"original": text, "rewrite": rewrite.text})
    return {
        "assertions_with_rewrites": assertions,
        "families": {name: {"judged": t.judged, "ok": t.ok, "unjudged": t.unjudged,
                            "precision": round(t.ok / t.judged, 4) if t.judged else None,
                            "verdicts": dict(t.verdicts)} for name, t in sorted(families.items())},
        "unjudged": unjudged,
    }


@dataclass
class Tally:
    """Judged good / judged / unjudged counts of one set of variants."""

    ok: int = 0
    judged: int = 0
    unjudged: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)

    def add(self, judgement: Judgement | None) -> None:
        if judgement is None:
            self.unjudged += 1
            return
        self.judged += 1
        self.verdicts[judgement.verdict] += 1
        if judgement.verdict == OK:
            self.ok += 1

    @property
    def precision(self) -> float | None:
        """Share of judged variants judged ok; None when nothing is judged."""
        return self.ok / self.judged if self.judged else None

    def as_dict(self) -> dict:
        return {"ok": self.ok, "judged": self.judged, "unjudged": self.unjudged,
                "precision": None if self.precision is None else round(self.precision, 4),
                "verdicts": dict(sorted(self.verdicts.items()))}


@dataclass(frozen=True)
class Row:
    """One assertion and its ranked variants, as evaluated."""

    source: str  # "<topic> <subtopic>.<item>"
    text: str
    variants: tuple[Variant, ...]


@dataclass
class Evaluation:
    """Quality figures of one engine run over a corpus against a judgements file."""

    top: int
    assertions: int = 0
    with_one: int = 0
    with_two: int = 0
    first: Tally = field(default_factory=Tally)
    top_k: Tally = field(default_factory=Tally)
    first_by_operator: dict[str, Tally] = field(default_factory=dict)
    top_k_by_operator: dict[str, Tally] = field(default_factory=dict)
    unjudged: list[tuple[str, str, Variant]] = field(default_factory=list)  # (source, original, variant)
    bad_first: list[tuple[str, str, Variant, Judgement]] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return self.with_one / max(1, self.assertions)

    @property
    def two_or_more(self) -> float:
        return self.with_two / max(1, self.assertions)

    @property
    def max_first_share(self) -> float:
        """The largest share of first places held by one operator."""
        counts = [t.judged + t.unjudged for t in self.first_by_operator.values()]
        return max(counts, default=0) / max(1, self.with_one)

    def first_share(self, operator: str) -> float:
        tally = self.first_by_operator.get(operator)
        return (tally.judged + tally.unjudged) / max(1, self.with_one) if tally else 0.0

    def as_dict(self) -> dict:
        """JSON-ready figures (bench/quality.json)."""
        operators = sorted(set(self.first_by_operator) | set(self.top_k_by_operator))
        return {
            "top": self.top,
            "assertions": self.assertions,
            "coverage": round(self.coverage, 4),
            "two_or_more": round(self.two_or_more, 4),
            "first": self.first.as_dict(),
            f"top_{self.top}": self.top_k.as_dict(),
            "max_first_share": round(self.max_first_share, 4),
            "operators": {
                op: {
                    "first_share": round(self.first_share(op), 4),
                    "first": self.first_by_operator.get(op, Tally()).as_dict(),
                    f"top_{self.top}": self.top_k_by_operator.get(op, Tally()).as_dict(),
                }
                for op in operators
            },
            "unjudged": [{"source": s, "original": o, "operator": v.operator, "variant": v.text}
                         for s, o, v in self.unjudged],
            "bad_first": [{"source": s, "original": o, "operator": v.operator, "variant": v.text,
                           "verdict": j.verdict, "reason": j.reason} for s, o, v, j in self.bad_first],
        }

    def lines(self) -> list[str]:
        """The human-readable report: the table the README shows."""

        def pct(value: float | None) -> str:
            return "   n/a" if value is None else f"{value:6.1%}"

        out = [
            f"assertions: {self.assertions}",
            f"with at least one variant: {self.with_one} ({self.coverage:.1%})",
            f"with two or more variants: {self.with_two} ({self.two_or_more:.1%})",
            f"first-ranked precision: {pct(self.first.precision).strip()} "
            f"({self.first.ok}/{self.first.judged} judged, {self.first.unjudged} unjudged)",
            f"top-{self.top} precision: {pct(self.top_k.precision).strip()} "
            f"({self.top_k.ok}/{self.top_k.judged} judged, {self.top_k.unjudged} unjudged)",
            "",
            f"{'operator':<20} {'1st share':>9} {'1st prec':>9} {'1st n':>6} "
            f"{f'top{self.top} prec':>10} {f'top{self.top} n':>7}",
        ]
        operators = sorted(set(self.first_by_operator) | set(self.top_k_by_operator),
                           key=lambda op: (-self.first_share(op), op))
        for op in operators:
            first = self.first_by_operator.get(op, Tally())
            top_k = self.top_k_by_operator.get(op, Tally())
            out.append(f"{op:<20} {self.first_share(op):9.1%} {pct(first.precision):>9} {first.judged:>6} "
                       f"{pct(top_k.precision):>10} {top_k.judged:>7}")
        defects = Counter()
        for tally in self.top_k_by_operator.values():
            defects.update({k: v for k, v in tally.verdicts.items() if k != OK})
        if defects:
            out.append("")
            out.append("defects in the top " + str(self.top) + ": "
                       + ", ".join(f"{k} {v}" for k, v in sorted(defects.items(), key=lambda kv: -kv[1])))
        if self.unjudged:
            out.append("")
            out.append(f"unjudged ({len(self.unjudged)}): add a line to the judgements file for each")
            for source, _original, variant in self.unjudged:
                out.append(f"  {source} [{variant.operator}] {variant.text}")
        return out


def evaluate(rows: Sequence[Row], judgements: Mapping[str, Judgement], *, top: int = 3) -> Evaluation:
    """Coverage and precision of the first-ranked and top-`top` variants of every row."""
    result = Evaluation(top=top, assertions=len(rows))
    for row in rows:
        ranked = row.variants[:top]
        result.with_one += bool(row.variants)
        result.with_two += len(row.variants) >= 2
        for rank, variant in enumerate(ranked):
            judgement = judgements.get(variant.text)
            result.top_k.add(judgement)
            result.top_k_by_operator.setdefault(variant.operator, Tally()).add(judgement)
            if rank == 0:
                result.first.add(judgement)
                result.first_by_operator.setdefault(variant.operator, Tally()).add(judgement)
                if judgement is not None and judgement.verdict != OK:
                    result.bad_first.append((row.source, row.text, variant, judgement))
            if judgement is None:
                result.unjudged.append((row.source, row.text, variant))
    return result
