"""SQL statements and time per 120-item exam, with and without a practice session.

    DATABASE_URL=sqlite:////tmp/b.db .venv/bin/qbank db upgrade
    DATABASE_URL=sqlite:////tmp/b.db .venv/bin/qbank fake --topics 10 --subtopics 10 --assertions 100 --seed 1 \
        --false-share 0.1 --variant-share 0.3
    DATABASE_URL=sqlite:////tmp/b.db .venv/bin/qbank import seeds/*.txt
    .venv/bin/python bench/session_exam.py sqlite:////tmp/b.db

Each mode generates 8 exams (each session exam in a fresh session) and reports the last 5, so
the first, cold ones do not count. The bank is written to (exams and session draws are kept).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.db import db  # noqa: E402
from app.services import generation, sessions  # noqa: E402

RUNS, WARM_UP, ITEMS = 8, 3, 120


def measure(url: str) -> dict[str, dict[str, float]]:
    app = create_app(DATABASE_URL=url)
    statements = 0

    def count(*_args, **_kwargs) -> None:
        nonlocal statements
        statements += 1

    out: dict[str, dict[str, float]] = {}
    with app.app_context():
        session = db.new_session()
        sa.event.listen(session.get_bind(), "before_cursor_execute", count)
        for mode in ("plain", "session"):
            times, counts = [], []
            for seed in range(RUNS):
                token = sessions.create_session(session).token if mode == "session" else None
                statements = 0
                started = time.perf_counter()
                generation.generate_exam(session, request=generation.ExamRequest(items=ITEMS, seed=seed,
                                                                                 session_token=token))
                times.append((time.perf_counter() - started) * 1000)
                counts.append(statements)
            out[mode] = {"statements_median": statistics.median(counts[WARM_UP:]),
                         "p50_ms": round(statistics.median(times[WARM_UP:]), 1)}
        session.close()
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for mode, figures in measure(sys.argv[1]).items():
        print(f"{mode:8} {ITEMS} items: {figures['statements_median']:.0f} statements, p50 {figures['p50_ms']} ms")
