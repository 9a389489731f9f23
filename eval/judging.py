"""Hand the unjudged variants to readers and merge their verdicts into eval/judgements.tsv.

    .venv/bin/python eval/judging.py export OUT_DIR [--batches N]   # after bench/quality.py
    .venv/bin/python eval/judging.py merge FILE.tsv...

`export` reads the unjudged list of bench/quality.json and writes OUT_DIR/batch_<k>.tsv, one
line per variant: `id TAB original TAB variant`, the original being the true assertion. A reader
judges each variant as an examiner would and writes `id TAB verdict TAB reason` lines to
OUT_DIR/batch_<k>.out.tsv. `merge` appends those verdicts to the judgements file keyed by the
variant's text. Readers see neither the operator nor the engine's explanation.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.perturb.evaluation import VERDICTS, load_judgements  # noqa: E402

JUDGEMENTS = ROOT / "eval" / "judgements.tsv"


def export(out: Path, batches: int) -> None:
    unjudged = json.loads((ROOT / "bench" / "quality.json").read_text(encoding="utf-8"))["unjudged"]
    seen, items = set(), []
    for entry in unjudged:
        if entry["variant"] not in seen:
            seen.add(entry["variant"])
            items.append(entry)
    out.mkdir(parents=True, exist_ok=True)
    size = -(-len(items) // max(1, batches))
    for k in range(0, len(items), max(1, size)):
        path = out / f"batch_{k // size + 1}.tsv"
        with path.open("w", encoding="utf-8") as handle:
            for i, entry in enumerate(items[k:k + size], start=k + 1):
                handle.write(f"{i}\t{entry['original']}\t{entry['variant']}\n")
        print(path)
    print(f"{len(items)} variants to judge")


def merge(files: list[Path]) -> None:
    known = load_judgements([JUDGEMENTS]) if JUDGEMENTS.exists() else {}
    added = 0
    lines = []
    for path in files:
        source = path.with_name(path.name.replace(".out.tsv", ".tsv"))
        variants = {}
        for line in source.read_text(encoding="utf-8").splitlines():
            number, _original, variant = line.split("\t")
            variants[number] = variant
        for number_line, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) < 2 or parts[0].strip() not in variants or parts[1].strip() not in VERDICTS:
                raise SystemExit(f"{path}:{number_line}: expected 'id<TAB>verdict<TAB>reason': {line!r}")
            variant = variants[parts[0].strip()]
            reason = " ".join(p.strip() for p in parts[2:]).replace("\t", " ")
            if variant in known and known[variant].verdict == parts[1].strip():
                continue
            lines.append(f"{parts[1].strip()}\t{variant}\t{reason}\n")
            added += 1
    with JUDGEMENTS.open("a", encoding="utf-8") as handle:
        handle.writelines(lines)
    print(f"{added} judgements added to {JUDGEMENTS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("export")
    ex.add_argument("out", type=Path)
    ex.add_argument("--batches", type=int, default=4)
    me = sub.add_parser("merge")
    me.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    if args.command == "export":
        export(args.out, args.batches)
    else:
        merge(args.files)


if __name__ == "__main__":
    main()
