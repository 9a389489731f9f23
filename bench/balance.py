"""Cost of cue balance on exam generation: 120-item exams from a bank, balance on and off,
interleaved (A B B A) on the same process, min / median / max in ms.

    .venv/bin/python bench/balance.py sqlite:////tmp/b100k.sqlite3 [--samples 15]

Make the 100,000-assertion bank the benchmarks use with
`qbank fake --topics 10 --subtopics 10 --assertions 1000 --seed 1 --false-share 0.1 --variant-share 0.3`.
"""

from __future__ import annotations

import argparse
import statistics
import time

from app import create_app
from app.db import db
from app.services import generation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--items", type=int, default=120)
    args = parser.parse_args()
    app = create_app(DATABASE_URL=args.url)
    times: dict[bool, list[float]] = {True: [], False: []}
    with app.app_context():
        for seed in range(args.samples + 1):
            order = (True, False, False, True) if seed % 2 else (False, True, True, False)
            for position, balance in enumerate(order):
                session = db.new_session()
                started = time.perf_counter()
                # Every exam its own seed: a seed drawn again would find the texts' features already
                # computed (kept per process), which a server issuing fresh exams seldom does.
                generation.generate_exam(session, request=generation.ExamRequest(
                    items=args.items, seed=4 * seed + position, cue_balance=balance))
                elapsed = (time.perf_counter() - started) * 1000
                session.rollback()
                session.close()
                if seed > 0:  # the first round warms caches
                    times[balance].append(elapsed)
    for balance, values in times.items():
        print(f"cue_balance={'on ' if balance else 'off'}: {args.items} items, n={len(values)}: "
              f"min {min(values):.1f} ms, median {statistics.median(values):.1f} ms, max {max(values):.1f} ms")


if __name__ == "__main__":
    main()
