"""Variant-engine throughput against a baseline checkout, interleaved (A B B A per round).

Run: .venv/bin/python bench/engine_ab.py BASELINE_DIR [--seconds 4] [--rounds 2]

BASELINE_DIR is another checkout of the repository (e.g. `git worktree add --detach /tmp/base
<commit>`). Each measurement is a fresh process that imports `app` from one tree and runs
`generate` over this tree's evaluation corpus (eval/corpus/*.txt) for --seconds after a warm-up
pass; both trees get the same texts. Prints assertions/s, min / median / max, for each tree: the
machine is shared and noisy, so only figures from the same run compare.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_MEASURE = r"""
import random, sys, time
from pathlib import Path
root, corpus, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
sys.path.insert(0, root)
import app
assert app.__file__.startswith(root), app.__file__
from app.perturb import generate
from app.services import importer
texts = []
for path in sorted(Path(corpus).glob("*.txt")):
    document = importer.parse_seed(path.read_bytes(), name=path.name)
    texts += [i.text for t in document.topics for s in t.subtopics for i in s.items]
for text in texts:
    generate(text, rng=random.Random(0))
done, start, seed = 0, time.perf_counter(), 1
while time.perf_counter() - start < seconds:
    for text in texts:
        generate(text, rng=random.Random(seed))
        done += 1
    seed += 1
print(done / (time.perf_counter() - start))
"""


def measure(tree: Path, seconds: float) -> float:
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(tree), str(ROOT / "eval" / "corpus"), str(seconds)],
                         check=True, capture_output=True, text=True, cwd="/")
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {"baseline": [], "this tree": []}
    trees = {"baseline": args.baseline.resolve(), "this tree": ROOT}
    for _ in range(args.rounds):
        for name in ("baseline", "this tree", "this tree", "baseline"):
            figures[name].append(measure(trees[name], args.seconds))
    for name, values in figures.items():
        print(f"{name:10}  {min(values):7.0f} / {statistics.median(values):7.0f} / {max(values):7.0f} assertions/s "
              f"(min / median / max of {len(values)})")


if __name__ == "__main__":
    main()
