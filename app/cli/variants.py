"""False variants and true rewrites stored in the bank: `qbank variants generate`."""

from __future__ import annotations

import click

from app.cli.common import main, topic_ids, with_session
from app.progress import progress


@main.group()
def variants() -> None:
    """False variants stored in the bank (pending review until an author approves them)."""


@variants.command("generate")
@click.option("--topic", "topics", multiple=True, help="Topic code (repeatable); default: every topic.")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2**63 - 1),
              help="Same seed, same variants.")
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, 50),
              help="Keep the K best variants of each assertion.")
def variants_generate(topics: tuple[str, ...], seed: int, top: int) -> None:
    """Generate and store false variants for every true assertion of the topics (as POST /topics/{id}/variants)."""
    import sqlalchemy as sa
    from flask import current_app

    from app.models import Topic
    from app.services import variants as service

    def generate(session):  # noqa: ANN001, ANN202
        ids = topic_ids(session, topics) or list(session.scalars(sa.select(Topic.id).order_by(Topic.code)))
        codes = dict(session.execute(sa.select(Topic.id, Topic.code).where(Topic.id.in_(ids))).all())
        lexicon_dir = current_app.config.get("LEXICON_DIR")
        total = service.true_assertions(session, ids)
        with progress("variants: assertions done", total) as advance:
            return [(codes[i], service.generate_for_topic(session, topic_id=i, seed=seed, top=top,
                                                          lexicon_dir=lexicon_dir, progress=advance)) for i in ids]

    results = with_session(generate)
    if not results:
        raise click.ClickException("the bank has no topics: import a seed document first (qbank import FILE)")
    for code, result in results:
        click.echo(f"topic {code}: {result.with_variants} of {result.assertions} true assertions have variants; "
                   f"{result.variants} variants, {result.created} of them new (pending review)"
                   + (f"; {result.rewrites} new true rewrites" if result.rewrites else ""))
