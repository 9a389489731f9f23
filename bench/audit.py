"""The guesser audit over many exams: how much test-wise strategies score on what qbank issues.

    .venv/bin/python bench/audit.py [--exams 50] [--items 60] [--mode approved|unreviewed] [--no-learned]
                                    [--bank seed|corpus]

Two banks, each in a temporary SQLite database: the seed document (seeds/*.txt) and the
multi-subject evaluation corpus (eval/corpus/*.txt, every document imported as topics). Each gets
the engine's variants (`qbank variants generate`), then:

- mode `approved` (default): an author approves every generated variant, as after reviewing the
  whole queue; exams use the default parameters (max_operator_share 0.4) with use_unreviewed;
- mode `unreviewed`: nothing is approved; exams take only trusted operators' pending variants
  (use_unreviewed), and max_operator_share is 1.0, since the seed's trusted variants are nearly
  all negations and the default share cannot be met.

It issues `--exams` exams of `--items` items at false_ratio 0.5 (seeds 0, 1, ...; a seed the bank
cannot satisfy is counted and skipped), runs the audit on each (the fixed guessers stored with the
exam, and the learned guesser trained on the items of the other exams issued, as the issue defines
it; `learned_bank` is the same model trained on the whole bank minus the exam, a stronger adversary
than any candidate, reported without a target) and prints, per guesser, the
mean net score and the worst (highest) one, with min / median / max. Writes the figures of the mode
to bench/audit.json (under "modes", keeping the other mode's). A negative net means the opposite
strategy would score its absolute value (the "length" and "shortness" guessers are such a pair).

Targets (issue): every fixed guesser's mean net <= 5 % and worst <= 15 %; the learned one's mean <= 10 %.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.db import db  # noqa: E402
from app.errors import ServiceError  # noqa: E402
from app.models import Subtopic, Variant, VariantStatus  # noqa: E402
from app.services import audit, generation, pool  # noqa: E402
from bench.run import QBANK, run  # noqa: E402

BANKS = {
    "seed": sorted((ROOT / "seeds").glob("*.txt")),
    "corpus": sorted((ROOT / "eval" / "corpus").glob("*.txt")),
}
TARGETS = {"fixed_mean": 0.05, "fixed_worst": 0.15, "learned_mean": 0.10}
OUT = ROOT / "bench" / "audit.json"


def build_bank(url: str, files: list[Path], *, approve: bool) -> None:
    """Migrate, import the documents, generate variants and (if asked) approve them all."""
    env = {"DATABASE_URL": url}
    run(QBANK, "db", "upgrade", env=env)
    run(QBANK, "import", *map(str, files), env=env)
    run(QBANK, "variants", "generate", env=env)
    if not approve:
        return
    app = create_app(DATABASE_URL=url)
    with app.app_context():
        session = db.new_session()
        session.execute(sa.update(Variant).where(Variant.status == VariantStatus.PENDING.value)
                        .values(status=VariantStatus.APPROVED.value))
        # Each assertion's review state first (approved now), then the subtopics' pool counts from it.
        pool.refresh(session, assertion_ids=list(session.scalars(sa.select(Variant.assertion_id).distinct())),
                     subtopic_ids=list(session.scalars(sa.select(Subtopic.id))))
        session.commit()
        session.close()


def figures(values: list[float]) -> dict[str, float]:
    return {"mean": round(statistics.fmean(values), 4), "worst": max(values), "min": min(values),
            "median": round(statistics.median(values), 4), "max": max(values)}


def audit_bank(url: str, *, exams: int, items: int, mode: str, learned: bool) -> dict:
    """Issue `exams` exams and audit each; figures per guesser."""
    app = create_app(DATABASE_URL=url)
    nets: dict[str, list[float]] = {}
    skipped: Counter[str] = Counter()
    started = time.perf_counter()
    with app.app_context():
        session = db.new_session()
        issued: list[int] = []
        for seed in range(exams * 4):
            if len(issued) == exams:
                break
            request = generation.ExamRequest(items=items, seed=seed, false_ratio=0.5, use_unreviewed=True,
                                             max_operator_share=0.4 if mode == "approved" else 1.0)
            try:
                issued.append(generation.generate_exam(session, request=request).id)
            except ServiceError as exc:
                session.rollback()
                skipped[exc.code or "error"] += 1
        # Audited once all are issued: the learned guesser practises on the other exams' items
        # (the candidate), and, as "learned_bank", on the whole bank outside the exam.
        for exam_id in issued:
            report = audit.exam_audit(session, exam_id=exam_id, learned=learned)
            for guesser in report["guessers"]:
                nets.setdefault(guesser["name"], []).append(guesser["net"])
            if learned:
                bank = audit.exam_audit(session, exam_id=exam_id, learned=True, practice="bank")["guessers"][-1]
                nets.setdefault("learned_bank", []).append(bank["net"])
        session.close()
    return {
        "exams": len(issued), "skipped": dict(skipped), "seconds": round(time.perf_counter() - started, 1),
        "guessers": {name: figures(values) for name, values in nets.items()},
    }


def verdict(name: str, f: dict[str, float]) -> str:
    if name == "learned_bank":
        return "stronger than the issue's candidate: reported, no target"
    if name == "learned":
        return "ok" if f["mean"] <= TARGETS["learned_mean"] else "above target"
    return "ok" if f["mean"] <= TARGETS["fixed_mean"] and f["worst"] <= TARGETS["fixed_worst"] else "above target"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exams", type=int, default=50)
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--mode", choices=["approved", "unreviewed"], default="approved")
    parser.add_argument("--no-learned", action="store_true", help="Skip the learned guesser (faster).")
    parser.add_argument("--bank", choices=sorted(BANKS), action="append",
                        help="Audit only this bank (repeatable; default: all). The other's figures are kept.")
    parser.add_argument("--output", type=Path, default=OUT)
    args = parser.parse_args()
    report = json.loads(args.output.read_text(encoding="utf-8")) if args.output.is_file() else {}
    report.update({
        "what": "net score (right - wrong) / items of each guesser, over exams at false_ratio 0.5",
        "targets": TARGETS, "machine": {"python": platform.python_version(), "platform": platform.platform()},
    })
    kept = report.get("modes", {}).get(args.mode, {}).get("banks", {}) if args.bank else {}
    mode = report.setdefault("modes", {})[args.mode] = {"exams": args.exams, "items": args.items, "banks": kept}
    for bank, files in BANKS.items():
        if args.bank and bank not in args.bank:
            continue
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/audit.sqlite3"
            build_bank(url, files, approve=args.mode == "approved")
            result = audit_bank(url, exams=args.exams, items=args.items, mode=args.mode,
                                learned=not args.no_learned)
        mode["banks"][bank] = result
        skipped = ", ".join(f"{code} {n}" for code, n in result["skipped"].items()) or "none"
        print(f"\n{bank} ({len(files)} documents): {result['exams']} exams of {args.items} items, "
              f"mode {args.mode}, skipped seeds: {skipped}, {result['seconds']} s")
        print(f"  {'guesser':<14}{'mean':>8}{'worst':>8}{'min':>8}{'median':>8}{'max':>8}")
        for name, f in result["guessers"].items():
            print(f"  {name:<14}" + "".join(f"{f[k]:>+8.1%}" for k in ("mean", "worst", "min", "median", "max"))
                  + f"  {verdict(name, f)}")
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")


if __name__ == "__main__":
    main()
