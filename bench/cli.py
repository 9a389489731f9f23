"""Whole-process timings of `qbank` commands beside `python -c pass` and the ReportLab import.

    .venv/bin/python bench/cli.py [--rounds 10] [--database-url URL] [--exam-id N]
    .venv/bin/python bench/cli.py --compare /path/to/other/checkout   # A/B: this tree against another

Every command runs once per round, the commands in a different order each round (A, B, B, A, ...),
so that a noisy machine slows them alike; prints min / median / max wall seconds per command. With
--compare, each qbank command also runs from the other checkout (PYTHONPATH=<it>, same interpreter
and packages) and the table has both. Without --database-url, a temporary SQLite bank is built
(the seed document and two evaluation documents, their variants, a 120-item exam).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _qbank(*args: str) -> list[str]:
    """The installed `qbank` entry point (it imports `app` from PYTHONPATH first, when set)."""
    return [str(Path(PYTHON).parent / "qbank"), *args]


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def build_bank(url: str) -> int:
    """Seed, two corpus documents, variants and a 120-item exam in `url`; the exam's id."""
    env = {**os.environ, "DATABASE_URL": url}
    run = lambda *a: subprocess.run(_qbank(*a), env=env, check=True, capture_output=True, text=True)  # noqa: E731
    run("db", "upgrade")
    run("import", *map(str, sorted((ROOT / "seeds").glob("*.txt"))),
        str(ROOT / "eval/corpus/26_cloud_devops.txt"), str(ROOT / "eval/corpus/27_ciencia_dados.txt"))
    run("variants", "generate")
    run("exam", "--items", "120", "--seed", "7", "--unreviewed", "--format", "json")
    return 1  # the first exam of a new database


def measure(url: str, exam_id: int, rounds: int, compare: Path | None) -> dict[str, list[float]]:
    """Seconds per command per round, commands interleaved (the order reversed every other round)."""
    out_dir = Path(tempfile.mkdtemp(prefix="speed-cli-"))
    base_env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    commands: list[tuple[str, list[str], dict[str, str]]] = [
        ("python -c pass", [PYTHON, "-c", "pass"], base_env),
        ('python -c "import reportlab.pdfgen.canvas"', [PYTHON, "-c", "import reportlab.pdfgen.canvas"], base_env),
    ]
    qbank_commands = [
        ("qbank --help", ["--help"]),
        (f"qbank exam --id {exam_id} --format pdf --key commented",
         ["exam", "--id", str(exam_id), "--format", "pdf", "--key", "commented", "-o", str(out_dir / "x.pdf")]),
    ]
    for name, args in qbank_commands:
        if compare is not None:
            commands.append((f"{name} [{compare.name}]", _qbank(*args), {**base_env, "PYTHONPATH": str(compare)}))
        commands.append((name, _qbank(*args), base_env))
    times: dict[str, list[float]] = {name: [] for name, _, _ in commands}
    for _name, argv, env in commands:  # one untimed run each: file caches warm alike
        timed(argv, env)
    for round_number in range(rounds):
        order = commands if round_number % 2 == 0 else list(reversed(commands))
        for name, argv, env in order:
            times[name].append(timed(argv, env))
    return times


def table(times: dict[str, list[float]]) -> str:
    lines = ["| command (wall seconds) | min | median | max |", "|---|---:|---:|---:|"]
    for name, values in times.items():
        lines.append(f"| `{name}` | {min(values):.3f} | {statistics.median(values):.3f} | {max(values):.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--exam-id", type=int, default=1)
    parser.add_argument("--compare", type=Path, default=None, help="another checkout to run the same commands from")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="speed-clibank-") as folder:
        url = args.database_url
        exam_id = args.exam_id
        if url is None:
            url = f"sqlite:///{folder}/cli.sqlite3"
            exam_id = build_bank(url)
        print(table(measure(url, exam_id, args.rounds, args.compare)))


if __name__ == "__main__":
    main()
