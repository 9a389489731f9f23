"""The bank's content from files: `qbank import` (seed documents) and `qbank fake` (a synthetic bank)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import click

from app.cli.common import command_app, main
from app.progress import progress


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--encoding", default=None, help="Declare the files' encoding: utf-8 (default) or cp1252.")
@click.option("--dry-run", is_flag=True, help="Validate and count, write nothing.")
def import_(files: tuple[Path, ...], encoding: str | None, dry_run: bool) -> None:
    """Import seed documents, all or nothing; errors print as FILE:LINE: message."""
    from app.db import db as database
    from app.services import bank_import, importer

    try:
        importer.normalize_encoding(encoding)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--encoding") from None
    documents, failed = [], False
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            click.echo(f"{path}: cannot read: {exc.strerror}", err=True)
            failed = True
            continue
        try:
            documents.append(importer.parse_seed(data, name=path.name, encoding=encoding))
        except importer.DocumentError as exc:
            for error in exc.line_errors:
                click.echo(f"{path}:{error.line}: {error.message}", err=True)
            failed = True
    if failed:
        click.echo("nothing imported", err=True)
        sys.exit(1)
    app = command_app()
    total = sum(len(sub.items) for document in documents for topic in document.topics for sub in topic.subtopics)
    with app.app_context(), progress("import: assertions written", total) as advance:
        result = bank_import.import_documents(database.session, documents=documents, dry_run=dry_run,
                                              progress=advance)
    for warning in result.warnings:
        click.echo(f"{warning['document']}:{warning['line']}: warning: {warning['message']}", err=True)
    verb = "would import" if dry_run else "imported"
    click.echo(f"{verb} {', '.join(result.documents)}")
    for noun in ("topics", "subtopics", "assertions"):
        counts = getattr(result, noun)
        click.echo(
            f"  {noun}: {counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged"
        )





@main.command("fake")
@click.option("--topics", default=2, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--subtopics", default=5, show_default=True, type=click.IntRange(1, 1_000), help="Per topic.")
@click.option("--assertions", default=10, show_default=True, type=click.IntRange(1, 100_000), help="Per subtopic.")
@click.option("--seed", default=0, show_default=True, type=int, help="Same seed, same bank.")
@click.option("--false-share", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Share of items written as false (label E).")
@click.option("--variant-share", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Share of true items given two approved engine variants.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a seed-format document here instead of filling the database.")
def fake(topics: int, subtopics: int, assertions: int, seed: int, false_share: float, variant_share: float,
         output: Path | None) -> None:
    """Make a synthetic pt-BR bank (published items) in the database, or as a seed document."""
    from app.db import db as database
    from app.services.fake import FakeBankSize, fake_bank, fake_document

    size = FakeBankSize(topics=topics, subtopics=subtopics, assertions=assertions)
    rng = random.Random(seed)
    if output is not None:
        with output.open("w", encoding="utf-8") as fh:
            for line in fake_document(rng=rng, size=size):
                fh.write(line + "\n")
        click.echo(f"wrote {topics * subtopics * assertions} assertions to {output}")
        return
    app = command_app()
    with app.app_context():
        session = database.new_session()
        try:
            with progress("fake: assertions written", topics * subtopics * assertions) as advance:
                added = fake_bank(session, rng=rng, size=size, false_share=false_share, variant_share=variant_share,
                                  progress=advance)
        finally:
            session.close()
    click.echo(f"added {topics} topics, {topics * subtopics} subtopics, {added} assertions")
