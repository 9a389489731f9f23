"""The benchmark suite: synthetic banks from `qbank fake`, figures as ratios against bare baselines.

    make bench-quick    # a few minutes: SQLite 1k/10k/100k, PostgreSQL 1k/10k, short HTTP runs
    make bench          # adds PostgreSQL 100k and 1M and longer HTTP runs

HTTP pairs (qbank against a bare Flask app answering as many bytes) run interleaved, A B B A in
each round with both servers up, and the table gives min / median / max of the per-round ratio.
`qbank` commands are timed as whole processes beside `python -c pass` and the ReportLab import
(bench/cli.py), 10 rounds, the order reversed every other round.

Prints a markdown table and writes bench/results.json with the machine described. PostgreSQL
figures need BENCH_DATABASE_URL (or TEST_DATABASE_URL) naming a database the suite may empty;
without one they are reported as not measured. HTTP load comes from wrk when it is installed
(Debian package `wrk`), else from a threaded Python client (and the table says which).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
QBANK = str(BIN / "qbank")

TARGETS = {
    "engine_per_core": 1000,  # assertions/s
    "exam_120_p50_ms_sqlite_100k": 15,
    "exam_120_p50_ms_postgresql_100k": 30,
    "get_exam_ratio": 0.6,
    "post_exams_ratio": 0.1,
    "qbank_help_s": 0.3,
    "qbank_exam_pdf_s": 0.8,
    "pss_mb": 150,
    "pdf_120_s": 0.5,
}


# --- helpers -----------------------------------------------------------------------------------


def run(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command with this checkout's `app` first on the path: the shared virtualenv's `qbank`
    script would otherwise import the checkout it was installed from (an editable install)."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run(list(args), capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": path, **(env or {})}, check=check)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def machine(pg_url: str | None) -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    import sqlite3

    info = {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "postgresql": None, "platform": platform.platform()}
    if pg_url:
        import sqlalchemy as sa

        engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as conn:
            info["postgresql"] = conn.execute(sa.text("SHOW server_version")).scalar()
        engine.dispose()
    return info


def fresh_database(kind: str, pg_url: str | None, workdir: Path, name: str) -> str:
    """An empty, migrated database: a new SQLite file, or the PostgreSQL one emptied."""
    if kind == "sqlite":
        url = f"sqlite:///{workdir / f'{name}.sqlite3'}"
    else:
        import sqlalchemy as sa

        url = pg_url.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    run(QBANK, "db", "upgrade", env={"DATABASE_URL": url})
    return url


BANKS = {  # assertions: (topics, subtopics per topic, assertions per subtopic)
    1_000: (2, 5, 100),
    10_000: (5, 10, 200),
    100_000: (10, 10, 1000),
    1_000_000: (20, 50, 1000),
}


def seed_bank(url: str) -> None:
    """Migrate `url` and load the seed documents with their generated variants (pending review)."""
    env = {"DATABASE_URL": url}
    run(QBANK, "db", "upgrade", env=env)
    run(QBANK, "import", *map(str, sorted((ROOT / "seeds").glob("*.txt"))), env=env)
    run(QBANK, "variants", "generate", env=env)


def fake_bank(url: str, size: int) -> float:
    topics, subtopics, assertions = BANKS[size]
    started = time.perf_counter()
    run(QBANK, "fake", "--topics", str(topics), "--subtopics", str(subtopics), "--assertions", str(assertions),
        "--seed", "1", "--false-share", "0.1", "--variant-share", "0.3", env={"DATABASE_URL": url})
    return time.perf_counter() - started


# --- measurements --------------------------------------------------------------------------------


def bench_import(workdir: Path, kinds: list[tuple[str, str | None]]) -> list[dict]:
    """`qbank import` of a 10,000-item seed-format document, wall clock of the command."""
    document = workdir / "fake-10k.txt"
    run(QBANK, "fake", "--topics", "1", "--subtopics", "20", "--assertions", "500", "--seed", "3",
        "-o", str(document))
    rows = []
    for kind, pg in kinds:
        url = fresh_database(kind, pg, workdir, "import")
        started = time.perf_counter()
        run(QBANK, "import", str(document), env={"DATABASE_URL": url})
        elapsed = time.perf_counter() - started
        rows.append({"database": kind, "items": 10_000, "seconds": round(elapsed, 3),
                     "assertions_per_second": round(10_000 / elapsed, 1)})
    return rows


def bench_engine(seconds: float) -> dict:
    done = run(sys.executable, str(ROOT / "bench" / "engine.py"), "--seconds", str(seconds))
    return json.loads(done.stdout.strip().splitlines()[-1])["engine"]


def bench_exam_latency(url: str, samples: int) -> dict:
    """In-process generate_exam timings (what POST /api/v1/exams does), p50 and p95 in ms, with the
    exam pools read first, as the server reads them before it serves (app/wsgi.py)."""
    code = f"""
import json, time
from app import create_app
from app.db import db
from app.services import generation
from app.warmup import warm_pools
app = create_app(DATABASE_URL={url!r})
warm_pools(app)
out = {{}}
with app.app_context():
    for items in (30, 120):
        times = []
        for seed in range({samples} + 3):
            session = db.new_session()
            started = time.perf_counter()
            generation.generate_exam(session, request=generation.ExamRequest(items=items, seed=seed))
            times.append((time.perf_counter() - started) * 1000)
            session.close()
        out[items] = times[3:]
print(json.dumps(out))
"""
    done = run(sys.executable, "-c", code, env={"QBANK_LOG_LEVEL": "WARNING"})
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return {items: {"p50_ms": round(statistics.median(v), 2), "p95_ms": round(percentile(v, 0.95), 2)}
            for items, v in ((int(k), v) for k, v in data.items())}


def bench_pdf(url: str, samples: int = 7) -> dict:
    code = f"""
import json, time
from app import create_app
from app.db import db
from app.services import generation
from app.services.export.document import build_document
from app.services.export.pdf import render_pdf
app = create_app(DATABASE_URL={url!r})
with app.app_context():
    session = db.new_session()
    exam = generation.generate_exam(session, request=generation.ExamRequest(items=120, seed=1))
    document = build_document(exam)
    render_pdf(document)
    times = []
    for _ in range({samples}):
        started = time.perf_counter()
        pdf = render_pdf(document)
        times.append(time.perf_counter() - started)
print(json.dumps({{"times": times, "bytes": len(pdf)}}))
"""
    data = json.loads(run(sys.executable, "-c", code, env={"QBANK_LOG_LEVEL": "WARNING"}).stdout.splitlines()[-1])
    return {"median_s": round(statistics.median(data["times"]), 3), "max_s": round(max(data["times"]), 3),
            "bytes": data["bytes"], "samples": len(data["times"])}


# --- HTTP ----------------------------------------------------------------------------------------


@contextmanager
def gunicorn(app_path: str, env: dict, workers: int = 2):
    with tempfile.TemporaryDirectory() as metrics:
        port = _free_port()
        log = tempfile.TemporaryFile()
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "python:app.gunicorn_conf", app_path],
            env={**os.environ, **env, "QBANK_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers),
                 "PROMETHEUS_MULTIPROC_DIR": metrics, "QBANK_LOG_LEVEL": "WARNING", "QBANK_RATE_LIMITS": "0"},
            stdout=log, stderr=subprocess.STDOUT, cwd=str(ROOT))
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 (loopback only)
                    break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.1)
            yield base, process
        finally:
            process.terminate()
            process.wait(timeout=20)
            log.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _memory_mb(process: subprocess.Popen) -> dict:
    """Memory of the gunicorn master and its workers: peak resident sets (VmHWM) summed, which
    counts pages the workers share with the master once per process, and the proportional set
    size (Pss, shared pages split among their users) summed now, which is what they really hold."""
    pids = [process.pid]
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    peak = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak += int(line.split()[1])
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except FileNotFoundError:
            continue
    return {"peak_rss_sum_mb": round(peak / 1024, 1), "pss_mb": round(pss / 1024, 1)}


def load(url: str, seconds: float, *, method: str = "GET", body: str | None = None,
         headers: dict | None = None, connections: int = 8) -> dict:
    """Requests per second from wrk (or a threaded Python client), and the share of non-2xx."""
    headers = headers or {}
    if shutil.which("wrk"):
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        lines = [f'wrk.method = "{method}"']
        if body is not None:
            lines.append(f"wrk.body = {json.dumps(body)}")
        for name, value in headers.items():
            lines.append(f'wrk.headers["{name}"] = "{value}"')
        lines.append("done = function(summary, latency, requests)\n"
                     "  io.write(string.format('JSON %d %d %d %d\\n', summary.requests, summary.duration,"
                     " summary.errors.status, latency:percentile(50)))\nend")
        script.write("\n".join(lines))
        script.close()
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", script.name, url],
                             capture_output=True, text=True, check=True).stdout
        os.unlink(script.name)
        requests, duration_us, errors, p50_us = (int(x) for x in out.split("JSON ")[1].split())
        return {"rps": round(requests / (duration_us / 1e6), 1), "errors": errors, "p50_ms": round(p50_us / 1000, 2),
                "tool": "wrk"}
    stop = time.monotonic() + seconds
    counts = {"ok": 0, "bad": 0}
    lock = threading.Lock()

    def worker() -> None:
        while time.monotonic() < stop:
            request = urllib.request.Request(url, data=body.encode() if body else None, headers=headers,
                                             method=method)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
                    response.read()
                    key = "ok"
            except urllib.error.HTTPError:
                key = "bad"
            with lock:
                counts[key] += 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"rps": round((counts["ok"] + counts["bad"]) / elapsed, 1), "errors": counts["bad"], "p50_ms": None,
            "tool": "python threads"}


def interleaved(a: dict, b: dict, seconds: float, rounds: int) -> dict:
    """Run load A and load B as A, B, B, A in each round (both servers up all along), so that a
    noisy machine slows both alike; the ratio A/B of each round, and its min / median / max."""
    runs: dict[str, list[dict]] = {"a": [], "b": []}
    ratios = []
    for _ in range(rounds):
        this_round: dict[str, list[float]] = {"a": [], "b": []}
        for side in ("a", "b", "b", "a"):
            figures = load(**(a if side == "a" else b), seconds=seconds)
            runs[side].append(figures)
            this_round[side].append(figures["rps"])
        ratios.append(sum(this_round["a"]) / sum(this_round["b"]))
    return {"a": _summary(runs["a"]), "b": _summary(runs["b"]),
            "ratio": {"min": round(min(ratios), 3), "median": round(statistics.median(ratios), 3),
                      "max": round(max(ratios), 3), "rounds": rounds}}


def _summary(runs: list[dict]) -> dict:
    rps = [r["rps"] for r in runs]
    return {"rps_median": round(statistics.median(rps), 1), "rps_min": min(rps), "rps_max": max(rps),
            "errors": sum(r["errors"] for r in runs), "tool": runs[0]["tool"],
            "p50_ms_median": statistics.median(r["p50_ms"] for r in runs) if runs[0]["p50_ms"] is not None else None}


def bench_http(url: str, seconds: float, rounds: int) -> dict:
    """POST /api/v1/exams and GET /api/v1/exams/{id} against a bare Flask app of the same sizes,
    each pair interleaved."""
    token = run(QBANK, "keys", "create", "--role", "admin", "--name", "bench",
                env={"DATABASE_URL": url}).stdout.strip()
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps({"items": 30, "false_ratio": 0.5})
    results = {}
    with gunicorn("app.wsgi:app", {"DATABASE_URL": url}) as (base, process):
        request = urllib.request.Request(f"{base}/api/v1/exams", data=body.encode(), headers=auth, method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
            sample = response.read()
        exam_id = json.loads(sample)["id"]
        with urllib.request.urlopen(urllib.request.Request(f"{base}/api/v1/exams/{exam_id}",  # noqa: S310
                                                           headers=auth), timeout=30) as response:
            get_size = len(response.read())
        bare_env = {"BENCH_POST_BYTES": str(len(sample)), "BENCH_GET_BYTES": str(get_size)}
        with gunicorn("bench.bare_app:app", bare_env) as (bare, bare_process):
            results["post"] = interleaved(
                {"url": f"{base}/api/v1/exams", "method": "POST", "body": body, "headers": auth},
                {"url": f"{bare}/post", "method": "POST", "body": body, "headers": auth}, seconds, rounds)
            results["get"] = interleaved({"url": f"{base}/api/v1/exams/{exam_id}", "headers": auth},
                                         {"url": f"{bare}/get", "headers": auth}, seconds, rounds)
            results["memory"] = _memory_mb(process)
            results["bare_memory"] = _memory_mb(bare_process)
    results["response_bytes"] = {"post": len(sample), "get": get_size}
    return results


def bench_cli(rounds: int) -> dict:
    """Whole-process `qbank` timings beside `python -c pass` and the ReportLab import (bench/cli.py)."""
    from bench import cli

    with tempfile.TemporaryDirectory(prefix="speed-clibank-") as folder:
        url = f"sqlite:///{folder}/cli.sqlite3"
        exam_id = cli.build_bank(url)
        times = cli.measure(url, exam_id, rounds, None)
    return {name: {"min": round(min(v), 3), "median": round(statistics.median(v), 3), "max": round(max(v), 3)}
            for name, v in times.items()}


# --- report --------------------------------------------------------------------------------------


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, SQLite {m['sqlite']}, "
             f"PostgreSQL {m['postgresql'] or 'not measured'}. Mode: {report['mode']}.", "",
             "| measure | figure | target |", "|---|---|---|"]
    for row in report["import"]:
        lines.append(f"| `qbank import`, 10,000-item document, {row['database']} | "
                     f"{row['assertions_per_second']:,.0f} assertions/s ({row['seconds']} s) | |")
    for name, row in report["engine"].items():
        lines.append(f"| variant engine, {name} text ({row['assertions']} assertions) | "
                     f"{row['assertions_per_second']:,.0f} assertions/s per core | ≥ 1,000 |")
    for entry in report["exams"]:
        for items in ("30", "120"):
            figure = entry["latency"][items]
            target = ""
            if items == "120" and entry["assertions"] == 100_000:
                target = "≤ 15 ms p50" if entry["database"] == "sqlite" else "≤ 30 ms p50"
            lines.append(f"| exam of {items} items, {entry['assertions']:,} assertions, {entry['database']} | "
                         f"p50 {figure['p50_ms']} ms, p95 {figure['p95_ms']} ms | {target} |")
    for db_name, growth in report.get("growth", {}).items():
        lines.append(f"| growth of the 120-item p50, {db_name}, {growth['from']:,} → {growth['to']:,} assertions | "
                     f"× {growth['ratio']} for × {growth['size_ratio']:,} the bank | flat or logarithmic |")
    pdf = report["pdf"]
    lines.append(f"| PDF of a 120-item exam (cover, items, answer sheet) | median {pdf['median_s']} s | ≤ 0.5 s |")
    for name, figure in report.get("cli", {}).items():
        target = {"qbank --help": "≤ 0.3 s"}.get(name, "≤ 0.8 s" if name.startswith("qbank exam") else "")
        lines.append(f"| `{name}`, whole process, wall (min / median / max of {report['cli_rounds']}) | "
                     f"{figure['min']} / {figure['median']} / {figure['max']} s | {target} |")
    http = report.get("http")
    if http:
        for pair, what, target in (("post", "`POST /api/v1/exams` (30 items)", "≥ 0.1"),
                                   ("get", "`GET /api/v1/exams/{id}`", "≥ 0.6")):
            figures = http[pair]
            ratio = figures["ratio"]
            lines.append(f"| {what} / bare Flask, same size, gunicorn 2 workers, {figures['a']['tool']}, "
                         f"interleaved A B B A × {ratio['rounds']} | ratio min {ratio['min']}, median "
                         f"{ratio['median']}, max {ratio['max']} ({figures['a']['rps_median']} vs "
                         f"{figures['b']['rps_median']} req/s, medians) | {target} |")
        memory, bare = http["memory"], http["bare_memory"]
        lines.append(f"| memory after the runs, gunicorn master + 2 workers (Pss summed) | {memory['pss_mb']} MB "
                     f"(bare Flask: {bare['pss_mb']} MB) | ≤ 150 MB |")
        lines.append(f"| peak resident sets summed (shared pages counted per process) | "
                     f"{memory['peak_rss_sum_mb']} MB (bare Flask: {bare['peak_rss_sum_mb']} MB) | |")
    return "\n".join(lines)


_STARTED = time.perf_counter()


def step(what: str) -> None:
    """Say on stderr what the suite starts now, with the time so far: a long run is never silent."""
    print(f"bench [{time.perf_counter() - _STARTED:6.1f} s] {what}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="qbank benchmark suite")
    parser.add_argument("--full", action="store_true", help="PostgreSQL 100k and 1M banks, longer HTTP runs")
    args = parser.parse_args()
    pg_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if pg_url:
        try:
            machine(pg_url)
        except Exception as exc:  # noqa: BLE001 - a bench without PostgreSQL still reports the rest
            print(f"PostgreSQL not reachable ({exc}); its figures are not measured", file=sys.stderr)
            pg_url = None
    report = {"mode": "full" if args.full else "quick", "machine": machine(pg_url), "targets": TARGETS}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        kinds = [("sqlite", None)] + ([("postgresql", pg_url)] if pg_url else [])
        step("import of the seed document")
        report["import"] = bench_import(workdir, kinds)
        step("variant engine throughput")
        report["engine"] = bench_engine(8 if args.full else 3)
        plans = [("sqlite", None, size) for size in (1_000, 10_000, 100_000)]
        if pg_url:
            sizes = (1_000, 10_000, 100_000, 1_000_000) if args.full else (1_000, 10_000)
            plans += [("postgresql", pg_url, size) for size in sizes]
        report["exams"] = []
        http_url = None
        for kind, pg, size in plans:
            step(f"{kind}: building a {size:,}-assertion bank, then exam latency")
            url = fresh_database(kind, pg, workdir, f"bank-{size}")
            build = fake_bank(url, size)
            latency = bench_exam_latency(url, 30 if size < 1_000_000 else 15)
            report["exams"].append({"database": kind, "assertions": size, "build_seconds": round(build, 1),
                                    "latency": {str(k): v for k, v in latency.items()}})
            print(f"  {kind} {size:>9,}: 120 items p50 {latency[120]['p50_ms']} ms", file=sys.stderr)
            if kind == "sqlite" and size == 100_000:
                step("PDF of a 120-item exam")
                report["pdf"] = bench_pdf(url)
                http_url = url
        report["growth"] = {}
        for kind in ("sqlite", "postgresql"):
            rows = [e for e in report["exams"] if e["database"] == kind]
            if len(rows) >= 2:
                first, last = rows[0], rows[-1]
                report["growth"][kind] = {
                    "from": first["assertions"], "to": last["assertions"],
                    "size_ratio": last["assertions"] // first["assertions"],
                    "ratio": round(last["latency"]["120"]["p50_ms"] / first["latency"]["120"]["p50_ms"], 2)}
        step("HTTP against gunicorn and bare Flask, interleaved")
        report["http"] = bench_http(http_url, 5 if args.full else 3, 5 if args.full else 3)
        step("CLI whole-process timings")
        report["cli_rounds"] = 10
        report["cli"] = bench_cli(report["cli_rounds"])
    report["seconds"] = round(time.perf_counter() - started, 1)
    table = markdown(report)
    print(table)
    print(f"\n(total {report['seconds']} s; figures in bench/results.json)")
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (ROOT / "bench" / "results.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
