"""How evenly exams draw from the bank, on the seed document with its variants (SQLite, temporary).

    .venv/bin/python bench/sampling.py

Prints three figures, each over seeded runs (reproducible):
- spread: thirty 10-item exams (seeds 0-29, no false items): how many of the 80 assertions appear,
  and the most any one appears (expected 30 x 10 / 80 = 3.75 times each);
- sessions: for 20-item and 8-item exams at 50 % false (unreviewed variants allowed), in how many
  of 10 practice sessions the exams cover all 80 assertions before the session answers 409, and
  what they cover otherwise;
- small exams: of 40 seeds, how many 8- and 12-item exams at 50 % false are generated (the rest
  answer 422, with their error code).
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.db import db  # noqa: E402
from app.errors import ServiceError  # noqa: E402
from app.models import ExamItem  # noqa: E402
from app.services import generation, sessions  # noqa: E402
from bench.run import seed_bank  # noqa: E402


def _exam(session, **params) -> generation.Exam:  # noqa: ANN001
    return generation.generate_exam(session, request=generation.ExamRequest(**params))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/sampling.sqlite3"
        seed_bank(url)
        app = create_app(DATABASE_URL=url)
        with app.app_context():
            session = db.new_session()
            seen: Counter[int] = Counter()
            for seed in range(30):
                exam = _exam(session, items=10, seed=seed, false_ratio=0)
                seen.update(session.scalars(sa.select(ExamItem.assertion_id).where(ExamItem.exam_id == exam.id)))
            print(f"spread: {len(seen)} of 80 assertions in 30 exams of 10 items; "
                  f"the most drawn appears in {max(seen.values())}")
            for items in (20, 8):
                covered = Counter()
                for trial in range(10):
                    token = sessions.create_session(session).token
                    served = 0
                    try:
                        while served < 80:
                            _exam(session, items=items, seed=1000 * items + 10 * trial + served, false_ratio=0.5,
                                  use_unreviewed=True, session_token=token)
                            served += items
                    except ServiceError:
                        pass
                    covered[served] += 1
                print(f"sessions of {items}-item exams: assertions served before 409, over 10 sessions: "
                      + ", ".join(f"{n} in {count}" for n, count in sorted(covered.items(), reverse=True)))
            for items in (8, 12):
                outcomes = Counter()
                for seed in range(40):
                    try:
                        _exam(session, items=items, seed=seed, false_ratio=0.5, use_unreviewed=True)
                        outcomes["generated"] += 1
                    except ServiceError as exc:
                        outcomes[exc.code] += 1
                print(f"small exams of {items} items, 40 seeds: "
                      + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
            session.close()


if __name__ == "__main__":
    main()
