"""The variant engine on files, without a database: `qbank perturb`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli.common import main


@main.command("perturb")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--seed", default=0, show_default=True, type=int, help="Same seed, same variants.")
@click.option("--top", default=None, type=click.IntRange(1, 100), help="Keep the K best variants of each assertion.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per assertion.")
@click.option("--report", is_flag=True, help="Print coverage and the operator distribution.")
@click.option("--evaluate", "judgements", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Judgements file: print precision per operator and the variants nobody has judged yet.")
@click.option("--no-floor", is_flag=True, help="Also run operators below the precision floor.")
@click.option("--encoding", default=None, help="utf-8 (default) or cp1252.")
def perturb_command(files: tuple[Path, ...], seed: int, top: int | None, as_json: bool, report: bool,
                    judgements: Path | None, no_floor: bool, encoding: str | None) -> None:
    """False variants for every assertion of seed documents, offline (no database).

    With --evaluate, the top variants (3 unless --top says otherwise) are checked against a
    judgements file and the quality report is printed instead of the variants.
    """
    import json

    from app.perturb.evaluation import JudgementError, evaluate, load_judgements
    from app.perturb.report import coverage
    from app.services.corpus import CorpusError, run_corpus

    try:
        rows = run_corpus(list(files), seed=seed, encoding=encoding, floor=not no_floor)
    except CorpusError as exc:
        for message in exc.messages:
            click.echo(message, err=True)
        sys.exit(1)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--encoding") from None
    if judgements is not None:
        try:
            judged = load_judgements([judgements])
        except JudgementError as exc:
            raise click.BadParameter(str(exc), param_hint="--evaluate") from None
        evaluation = evaluate(rows, judged, top=top or 3)
        if as_json:
            click.echo(json.dumps(evaluation.as_dict(), ensure_ascii=False))
        else:
            for line in evaluation.lines():
                click.echo(line)
        return
    results = [list(row.variants[:top]) if top is not None else list(row.variants) for row in rows]
    if not report or as_json:
        for row, variants in zip(rows, results, strict=True):
            code, _, number = row.source.rpartition(" ")
            sub_number, _, item_number = number.partition(".")
            if as_json:
                click.echo(json.dumps({
                    "topic": code, "subtopic": int(sub_number), "number": int(item_number), "text": row.text,
                    "variants": [v.as_dict() for v in variants],
                }, ensure_ascii=False))
            else:
                click.echo(f"{row.source} {row.text}")
                for v in variants:
                    click.echo(f"  [{v.operator}, {v.category}, risco {v.risk}] {v.text}")
    if report:
        stream_err = as_json
        for line in coverage(results).lines():
            click.echo(line, err=stream_err)
