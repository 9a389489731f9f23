"""The author workbench, server-side: one review decision, and the review queue page with 50 cards.

    DATABASE_URL=sqlite:////tmp/b.db qbank db upgrade
    DATABASE_URL=sqlite:////tmp/b.db qbank fake --topics 10 --subtopics 10 --assertions 1000 --seed 1 \
        --false-share 0.1 --variant-share 0.3        # the 100,000-assertion bank of bench/run.py
    .venv/bin/python bench/workbench.py sqlite:////tmp/b.db [ROUNDS]

Requests go through the whole Flask stack in-process (the test client: routing, the server-side
session, CSRF, the view, the template), timed from the request to the last byte of the answer; the
network is not in the figure. Targets (issue 15): a decision ≤ 30 ms p50, the queue page ≤ 150 ms p50.
`qbank fake` writes its variants approved; the bench first puts one in five back in the queue
(status pending, as freshly generated ones wait; on PostgreSQL then VACUUM ANALYZE, as autovacuum
leaves a bank at rest), then each decision approves or rejects one of them for good: the bank is
written to. The same command with postgresql+psycopg://... measures PostgreSQL.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.db import db  # noqa: E402
from app.models import Variant  # noqa: E402
from app.services import review  # noqa: E402
from app.services.keys import create_key  # noqa: E402

WARM_UP = 3
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _summary(times: list[tuple[float, float]]) -> dict[str, float]:
    """min / median / max of the wall time, and the median CPU time of this process (what the request
    cost, whatever else the machine's cores were doing meanwhile)."""
    wall = [w for w, _ in times[WARM_UP:]]
    cpu = [c for _, c in times[WARM_UP:]]
    return {"n": len(wall), "min_ms": round(min(wall), 2), "p50_ms": round(statistics.median(wall), 2),
            "max_ms": round(max(wall), 2), "cpu_p50_ms": round(statistics.median(cpu), 2)}


def _timed(call):  # noqa: ANN001, ANN202
    wall, cpu = time.perf_counter(), time.process_time()
    answer = call()
    return answer, ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)


def measure(url: str, rounds: int) -> dict[str, dict[str, float]]:
    app = create_app(DATABASE_URL=url, RATELIMIT_ENABLED=False, LOG_LEVEL="WARNING")
    with app.app_context():
        session = db.new_session()
        token = create_key(session, role="author", name="bench workbench").token
        session.execute(sa.update(Variant).where(Variant.id % 5 == 0).values(status="pending"))
        session.commit()
        if session.get_bind().dialect.name == "postgresql":
            # What autovacuum does to a bank at rest: statistics, and the visibility map that lets the
            # review counts read their index alone (a bank just written by `qbank fake` has neither).
            with session.get_bind().engine.connect().execution_options(isolation_level="AUTOCOMMIT") as raw:
                raw.execute(sa.text("VACUUM ANALYZE variants"))
                raw.execute(sa.text("VACUUM ANALYZE assertions"))
        pending = review.queue(session, f=review.QueueFilter(), page_size=rounds + WARM_UP).cards
        targets = [(c.variant.id, c.variant.etag) for c in pending]
        session.close()
    assert len(targets) == rounds + WARM_UP, f"the bank has {len(targets)} pending variants; need {rounds + WARM_UP}"
    browser = app.test_client()
    form = browser.get("/author/entrar")
    signed = browser.post("/author/entrar", data={"api_key": token, "csrf_token": CSRF.search(form.text).group(1)})
    assert signed.status_code == 302, signed.text
    csrf = CSRF.search(browser.get("/author/revisao").text).group(1)

    queue_times = []
    for _ in range(rounds + WARM_UP):
        page, took = _timed(lambda: browser.get("/author/revisao"))
        assert page.status_code == 200 and page.text.count('class="card ') == 50
        queue_times.append(took)

    decision_times = []
    for n, (variant_id, etag) in enumerate(targets):
        data = {"status": "approved" if n % 2 else "rejected", "etag": etag, "csrf_token": csrf}
        answer, took = _timed(lambda: browser.post(f"/author/revisao/{variant_id}/decisao",  # noqa: B023
                                                   headers={"X-Requested-With": "fetch"}, data=data))  # noqa: B023
        assert answer.status_code == 200, answer.text[:300]
        decision_times.append(took)
    return {"queue_page_50_cards": _summary(queue_times), "review_decision": _summary(decision_times)}


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    result = measure(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 30)
    for name, figures in result.items():
        print(f"{name}: min {figures['min_ms']} ms · median {figures['p50_ms']} ms · max {figures['max_ms']} ms "
              f"(CPU median {figures['cpu_p50_ms']} ms; {figures['n']} requests after {WARM_UP} warm-up)")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
