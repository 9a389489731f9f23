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
from app.perturb.evaluation import evaluate, load_judgements  # noqa: E402
from app.services.corpus import corpus_files, run_corpus  # noqa: E402

CORPUS = ROOT / "eval" / "corpus"
JUDGEMENTS = ROOT / "eval" / "judgements.tsv"
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


def write_precision(evaluation, path: Path) -> None:  # noqa: ANN001
    """operator TAB judged TAB ok TAB precision, from the judged top variants of each operator."""
    lines = [
        "# Measured precision of each operator: the share of its judged top variants on the evaluation",
        "# corpus (eval/) that readers judged ok. Written by `bench/quality.py --write-precision`; the",
        "# engine ranks by it, and an operator below the threshold may not enter an exam unreviewed.",
        "# operator\tjudged\tok\tprecision",
    ]
    for operator, tally in sorted(evaluation.top_k_by_operator.items()):
        if tally.judged:
            lines.append(f"{operator}\t{tally.judged}\t{tally.ok}\t{tally.ok / tally.judged:.4f}")
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
    rate = throughput([row.text for row in rows], args.seconds)
    print(f"\nengine throughput on the corpus: {rate:.0f} assertions/s on one core")
    figures = evaluation.as_dict()
    figures["files"] = [str(f.relative_to(ROOT)) for f in files]
    figures["assertions_per_second"] = round(rate, 1)
    args.output.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.write_precision:
        # Measured without the floor, so that an operator below it keeps its measured figure.
        unfloored = evaluation if args.no_floor else evaluate(
            run_corpus(files, seed=args.seed, floor=False), load_judgements([JUDGEMENTS]), top=args.top)
        write_precision(unfloored, PRECISION)
        print(f"wrote {PRECISION.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
