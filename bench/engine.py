"""Variant-engine throughput: full candidate generation, assertions per second on one core.

Run: .venv/bin/python bench/engine.py [--seconds 5]
Prints the figure for the seed document and for a synthetic pt-BR document (qbank fake's
sentence templates); the target is at least 1,000 assertions/s per core.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.perturb import Context, generate  # noqa: E402
from app.services.fake import FakeBankSize, fake_document  # noqa: E402
from app.services.importer import parse_seed  # noqa: E402


def texts_of(data: str, name: str) -> tuple[list[str], Context]:
    document = parse_seed(data, name=name)
    texts = [i.text for t in document.topics for s in t.subtopics for i in s.items]
    return texts, Context(topic_sentences=tuple(texts))


def throughput(texts: list[str], context: Context, seconds: float) -> tuple[float, int]:
    """Assertions per second over repeated passes, after one warm-up pass."""
    for text in texts:
        generate(text, rng=random.Random(0), context=context)
    done, variants, start, seed = 0, 0, time.perf_counter(), 1
    while time.perf_counter() - start < seconds:
        for text in texts:
            variants += len(generate(text, rng=random.Random(seed), context=context))
            done += 1
        seed += 1
    return done / (time.perf_counter() - start), variants // max(1, done // len(texts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    seed_file = next((ROOT / "seeds").glob("*.txt"))
    seed_texts, seed_context = texts_of(seed_file.read_text(encoding="utf-8"), seed_file.name)
    fake = "\n".join(fake_document(rng=random.Random(1), size=FakeBankSize(topics=1, subtopics=10, assertions=50)))
    fake_texts, fake_context = texts_of(fake, "fake.txt")
    results = {}
    for name, texts, context in (("seed", seed_texts, seed_context), ("synthetic", fake_texts, fake_context)):
        rate, per_pass = throughput(texts, context, args.seconds)
        results[name] = {"assertions": len(texts), "assertions_per_second": round(rate, 1),
                         "variants_per_pass": per_pass}
        print(f"{name:>10}: {rate:8.1f} assertions/s on one core ({len(texts)} assertions, "
              f"{per_pass} variants per pass)")
    print(json.dumps({"python": platform.python_version(), "engine": results}))


if __name__ == "__main__":
    main()
