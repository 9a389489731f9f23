"""Exams: `qbank exam` generates one or exports an issued one (JSON, PDF, HTML, GIFT, QTI), with its audit."""

from __future__ import annotations

from pathlib import Path

import click

from app.cli.common import command_app, main, topic_ids
from app.config import database_url


@main.command("exam")
@click.option("--id", "exam_id", type=click.IntRange(1), help="Export this issued exam instead of generating one.")
@click.option("--topic", "topics", multiple=True, help="Topic code (repeatable); default: every topic.")
@click.option("--items", type=click.IntRange(1, 500), help="Number of items (required to generate).")
@click.option("--seed", default=None, type=click.IntRange(0, 2**53), help="Same seed, same exam.")
@click.option("--false-ratio", default=0.5, show_default=True, type=click.FloatRange(0, 1))
@click.option("--distribution", default="proportional", show_default=True,
              type=click.Choice(["proportional", "equal"]))
@click.option("--versions", default=1, show_default=True, type=click.IntRange(1, 10))
@click.option("--title", default=None)
@click.option("--unreviewed", is_flag=True, help="Allow variants no author has approved yet.")
@click.option("--cue-balance/--no-cue-balance", default=True, show_default=True,
              help="Balance cue words, negations and length between true and false items.")
@click.option("--format", "fmt", default="json", show_default=True,
              type=click.Choice(["pdf", "html", "moodle", "gift", "qti", "csv", "json"]))
@click.option("--version", "version", default=1, show_default=True, type=click.IntRange(1, 10),
              help="Which caderno to export.")
@click.option("--key", default="none", show_default=True, type=click.Choice(["none", "true", "commented"]),
              help="Add the answer key, or the commented key.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to stdout.")
@click.option("--audit", "show_audit", is_flag=True,
              help="Print the guesser audit instead of exporting (as JSON with -o).")
@click.option("--learned", is_flag=True, help="With --audit: also train and run the learned guesser.")
def exam_command(exam_id, topics, items, seed, false_ratio, distribution, versions, title, unreviewed,  # noqa: ANN001
                 cue_balance, fmt, version, key, output, show_audit, learned) -> None:
    """Generate an exam (or take an issued one with --id) and export it in a format, or audit it."""
    if exam_id is not None and not show_audit and not learned and fmt == "pdf" and output is not None:
        from app.services.kept_exports import read_kept

        content = read_kept(database_url(), exam_id=exam_id, version=version, fmt=fmt, key=key)
        if content is not None:  # rendered before from the exam as it is now: no app needed
            output.write_bytes(content)
            click.echo(f"exam {exam_id} ({fmt}) written to {output}", err=True)
            return
    from flask import current_app

    from app.db import db as database
    from app.errors import ServiceError
    from app.services import export

    if exam_id is None and items is None:
        raise click.UsageError("give --items to generate an exam, or --id to export an issued one")
    if learned and not show_audit:
        raise click.UsageError("--learned is an option of --audit")
    app = command_app()
    with app.app_context():
        session = database.new_session()
        lexicon_dir = current_app.config.get("LEXICON_DIR")
        try:
            if exam_id is None:
                from app.services import generation  # only to draw one: `--id` exports without it

                request = generation.ExamRequest(
                    items=items, topic_ids=tuple(topic_ids(session, topics)), false_ratio=false_ratio,
                    distribution=distribution, seed=seed, versions=versions, title=title, use_unreviewed=unreviewed,
                    cue_balance=cue_balance, lexicon_dir=lexicon_dir,
                )
                exam_id = generation.generate_exam(session, request=request).id
            if show_audit:
                from app.services import audit

                report = audit.exam_audit(session, exam_id=exam_id, learned=learned, lexicon_dir=lexicon_dir)
            else:
                exported = export.export_exam(session, exam_id=exam_id, fmt=fmt, version=version, key=key)
        except ServiceError as exc:
            raise click.ClickException(exc.detail) from None
        finally:
            session.close()
    if show_audit:
        _print_audit(report, output)
        return
    if output is not None:
        output.write_bytes(exported.content)
        click.echo(f"exam {exam_id} ({fmt}) written to {output}", err=True)
    elif exported.media_type.startswith(("text/", "application/json", "application/xml")):
        click.echo(exported.content.decode("utf-8"), nl=False)
    else:
        raise click.UsageError(f"{fmt} is binary: write it to a file with -o")


def _print_audit(report: dict, output: Path | None) -> None:
    """The audit as a table on stdout, or as JSON in a file."""
    if output is not None:
        import json

        output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        click.echo(f"audit of exam {report['exam_id']} written to {output}", err=True)
        return
    click.echo(f"exam {report['exam_id']}: {report['item_count']} items, {report['false_items']} false; "
               "net = (right - wrong) / items")
    click.echo(f"{'guesser':<14}{'right':>6}{'wrong':>6}{'blank':>6}{'net':>9}")
    for g in report["guessers"]:
        click.echo(f"{g['name']:<14}{g['right']:>6}{g['wrong']:>6}{g['blank']:>6}{g['net']:>+9.1%}")
