"""First requests after a worker starts, with and without the warm-up (QBANK_WARM_UP).

    .venv/bin/python bench/cold_start.py

Builds a temporary SQLite bank (the seed document and its variants), then starts gunicorn with
one worker three times per mode and times, over loopback HTTP: the start until /healthz answers,
the first and the second POST /api/v1/exams (40 items), and the first and the second PDF export.
Prints medians in a markdown table.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import QBANK, gunicorn, run, seed_bank  # noqa: E402

ROUNDS = 3


def _timed(request: urllib.request.Request) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback only)
        response.read()
        assert response.status in (200, 201), response.status
    return (time.perf_counter() - started) * 1000


def one_start(url: str, token: str, warm: bool) -> dict[str, float]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps({"items": 40, "use_unreviewed": True, "seed": 3}).encode()
    started = time.perf_counter()
    with gunicorn("app.wsgi:app", {"DATABASE_URL": url, "QBANK_WARM_UP": "1" if warm else "0"}, workers=1) as (base, _):
        figures = {"start until /healthz answers": (time.perf_counter() - started) * 1000}
        for n in ("first", "second"):
            figures[f"{n} POST /exams"] = _timed(urllib.request.Request(f"{base}/api/v1/exams", data=body,
                                                                        headers=headers, method="POST"))
        for n in ("first", "second"):
            figures[f"{n} PDF export"] = _timed(urllib.request.Request(
                f"{base}/api/v1/exams/1/export?format=pdf", headers=headers))
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/cold.sqlite3"
        env = {"DATABASE_URL": url}
        seed_bank(url)
        token = run(QBANK, "keys", "create", "--role", "author", "--name", "bench", env=env).stdout.strip()
        results = {}
        for warm in (False, True):
            rounds = [one_start(url, token, warm) for _ in range(ROUNDS)]
            results[warm] = {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
    print(f"| median of {ROUNDS} starts, ms | QBANK_WARM_UP=0 | QBANK_WARM_UP=1 |")
    print("|---|---:|---:|")
    for name in results[False]:
        print(f"| {name} | {results[False][name]:.0f} | {results[True][name]:.0f} |")


if __name__ == "__main__":
    main()
