"""Item quality of the variant engine on the judged evaluation corpus.

Run: .venv/bin/python bench/quality.py [--top 3] [--write-precision]

Runs the engine over eval/corpus/*.txt (seed format), checks the top variants of every assertion
against eval/judgements.tsv (read by people, one line per variant text) and prints coverage,
first-ranked and top-3 precision, overall and per operator, the operators' shares of first
places and every variant nobody has judged yet. Writes the figures to bench/quality.json.

--write-precision stores each operator's measured precision (over its judged top variants, with
every operator run) in app/perturb/data/precision.tsv, which the engine ranks by, which decides
what may enter an exam unreviewed and which operators fall below the floor and are not run.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.perturb import generate  # noqa: E402
from app.perturb.evaluation import REWRITE_VERDICTS, evaluate, evaluate_rewrites, load_judgements  # noqa: E402
from app.services.corpus import corpus_files, run_corpus  # noqa: E402

CORPUS = ROOT / "eval" / "corpus"
JUDGEMENTS = ROOT / "eval" / "judgements.tsv"
REWRITE_JUDGEMENTS = ROOT / "eval" / "rewrite_judgements.tsv"
SEEDS = ROOT / "seeds"
PRECISION = ROOT / "app" / "perturb" / "data" / "precision.tsv"


def throughput(texts: list[str], seconds: float) -> float:
    """Assertions per second of `generate` on one core, after a warm-up pass."""
    for text in texts:
        generate(text, rng=random.Random(0))
    done, start, seed = 0, time.perf_counter(), 1
    while time.perf_counter() - start < seconds:
        for text in texts:
            generate(text, rng=random.Random(seed))
            done += 1
        seed += 1
    return done / (time.perf_counter() - start)


def write_precision(evaluation, path: Path, rewrites: dict | None = None) -> None:  # noqa: ANN001
    """operator TAB judged TAB ok TAB precision, from the judged top variants of each operator."""
    lines = [
        "# Measured precision of each operator: the share of its judged top variants on the evaluation",
        "# corpus (eval/) that readers judged ok. Written by `bench/quality.py --write-precision`; the",
        "# engine ranks by it, and an operator below the threshold may not enter an exam unreviewed.",
        "# operator\tjudged\tok\tprecision",
    ]
    rows = {operator: (tally.judged, tally.ok) for operator, tally in evaluation.top_k_by_operator.items()}
    # True rewrite families (rewrite_judgements.tsv): ok there means "still true".
    rows.update({name: (f["judged"], f["ok"]) for name, f in (rewrites or {}).get("families", {}).items()})
    for operator, (judged, ok) in sorted(rows.items()):
        if judged:
            lines.append(f"{operator}\t{judged}\t{ok}\t{ok / judged:.4f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=3.0, help="throughput measurement time")
    parser.add_argument("--write-precision", action="store_true")
    parser.add_argument("--no-floor", action="store_true",
                        help="also run operators below the precision floor (to measure a rework of one)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "quality.json")
    args = parser.parse_args()
    files = corpus_files(CORPUS)
    rows = run_corpus(files, seed=args.seed, floor=not args.no_floor)
    evaluation = evaluate(rows, load_judgements([JUDGEMENTS]), top=args.top)
    for line in evaluation.lines():
        print(line)
    rewrite_texts = [row.text for row in rows] + [row.text for row in run_corpus(corpus_files(SEEDS), floor=False)]
    rewrites = evaluate_rewrites(rewrite_texts, load_judgements([REWRITE_JUDGEMENTS], verdicts=REWRITE_VERDICTS))
    print(f"\ntrue rewrites (corpus and seed): {rewrites['assertions_with_rewrites']} assertions")
    for name, family in rewrites["families"].items():
        precision = "n/a" if family["precision"] is None else f"{family['precision']:.1%}"
        print(f"  {name:18s} judged {family['judged']}, ok {family['ok']} ({precision}), unjudged {family['unjudged']}")
    for entry in rewrites["unjudged"]:
        print(f"  unjudged rewrite: {entry['rewrite']}")
    rate = throughput([row.text for row in rows], args.seconds)
    print(f"\nengine throughput on the corpus: {rate:.0f} assertions/s on one core")
    figures = evaluation.as_dict()
    figures["files"] = [str(f.relative_to(ROOT)) for f in files]
    figures["assertions_per_second"] = round(rate, 1)
    figures["true_rewrites"] = rewrites
    args.output.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.write_precision:
        # Measured without the floor, so that an operator below it keeps its measured figure.
        unfloored = evaluation if args.no_floor else evaluate(
            run_corpus(files, seed=args.seed, floor=False), load_judgements([JUDGEMENTS]), top=args.top)
        write_precision(unfloored, PRECISION, rewrites)
        print(f"wrote {PRECISION.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
