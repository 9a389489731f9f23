"""What the `qbank` commands share: the command group, the app a command runs in, a session."""

from __future__ import annotations

import click

from app import create_app


def command_app(*, with_api: bool = False):
    """The app for a command: the database and settings; the HTTP API only where a command needs it."""
    return create_app(with_api=with_api)


@click.group()
def main() -> None:
    """qbank: a question bank for certo/errado exams (DATABASE_URL picks the database)."""


def with_session(work):  # noqa: ANN001, ANN202
    from app.db import db as database

    with command_app().app_context():
        session = database.new_session()
        try:
            return work(session)
        finally:
            session.close()


def topic_ids(session, codes: tuple[str, ...], *, param_hint: str = "--topic") -> list[int]:  # noqa: ANN001
    """The ids of topics given by code, or a usage error naming the unknown code."""
    import sqlalchemy as sa

    from app.models import Topic

    ids = []
    for code in codes:
        topic_id = session.scalar(sa.select(Topic.id).where(Topic.code == code))
        if topic_id is None:
            raise click.BadParameter(f"no topic with code {code}", param_hint=param_hint)
        ids.append(topic_id)
    return ids
